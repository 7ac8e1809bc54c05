import { ValidationError } from '../errors.ts';

/** A page cursor is the id of the last task on the previous page, opaque to clients. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(`t${lastId}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const match = /^t([1-9]\d{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  const id = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(id)) {
    throw new ValidationError('Invalid cursor', [{ path: ['cursor'], message: 'not a cursor returned by this API' }]);
  }
  return id;
}

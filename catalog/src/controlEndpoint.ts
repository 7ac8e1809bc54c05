import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CatalogControl } from './catalogControl.ts';
import { knobsPatchSchema } from './knobs.ts';
import { sendJson } from './sendJson.ts';

const MAX_BODY_BYTES = 10_000;

/** `GET /control` → `{knobs, calls, rejected}`; `PUT /control` with any subset of the knobs (and `resetCalls`). */
export async function handleControl(req: IncomingMessage, res: ServerResponse, control: CatalogControl): Promise<void> {
  if (req.method === 'PUT') {
    const body = await readJson(req);
    const patch = knobsPatchSchema.safeParse(body);
    if (!patch.success) {
      const details = patch.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }));
      return sendJson(res, 400, { error: 'bad_request', message: 'Invalid knobs', details });
    }
    control.set(patch.data);
  } else if (req.method !== 'GET') {
    return sendJson(res, 405, { error: 'method_not_allowed', message: 'Use GET or PUT' }, { allow: 'GET, PUT' });
  }
  sendJson(res, 200, { knobs: control.knobs, ...control.counts });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY_BYTES) return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

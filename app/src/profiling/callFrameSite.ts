import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The part of a V8 call frame (CPU or heap profile) that says which function this is and where it is. */
export interface CallFrameLike {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** A function as a profile summary shows it: its name and `file:line` (1-based), the file relative to the cwd. */
export interface CodeSite {
  functionName: string;
  location: string;
}

/** Key that identifies one function across profile nodes (the same function appears under many call paths). */
export function siteKey(frame: CallFrameLike): string {
  return `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber}`;
}

export function codeSite(frame: CallFrameLike): CodeSite {
  const functionName = frame.functionName || '(anonymous)';
  if (frame.url === '') return { functionName, location: '(native)' };
  return { functionName, location: `${readablePath(frame.url)}:${frame.lineNumber + 1}` };
}

/** CPU profiles name scripts by file URL, heap profiles by absolute path; both are shown relative to the cwd. */
function readablePath(url: string): string {
  const absolute = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (!isAbsolute(absolute)) return url;
  const path = relative(process.cwd(), absolute);
  return path.startsWith('..') ? absolute : path;
}

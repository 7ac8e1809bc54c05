import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where profiles go when the caller names no directory: PROFILE_DIR, as in config.ts. */
export function defaultProfileDir(): string {
  return process.env.PROFILE_DIR ?? 'profiles';
}

/**
 * Writes `data` as JSON to `<dir>/<name>-<timestamp>.<extension>` (the directory is created if missing) and returns
 * the path. The name is reduced to file-name-safe characters; the timestamp is UTC with millisecond precision.
 */
export async function writeProfileFile(dir: string, name: string, extension: 'cpuprofile' | 'heapprofile', data: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  const safeName = name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'profile';
  const timestamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${safeName}-${timestamp}.${extension}`);
  await writeFile(file, JSON.stringify(data));
  return file;
}

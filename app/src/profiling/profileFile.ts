import { fileStamp, saveProfile } from './profileDirectory.ts';

/** Where profiles go when the caller names no directory: PROFILE_DIR, as in config.ts. */
export function defaultProfileDir(): string {
  return process.env.PROFILE_DIR ?? 'profiles';
}

/**
 * Saves `data` as `<dir>/<name>-<timestamp>.<extension>` (the directory is created if missing) and returns the path.
 * The name is reduced to file-name-safe characters, so the file is one the admin page lists and serves.
 */
export async function writeProfileFile(dir: string, name: string, extension: 'cpuprofile' | 'heapprofile', data: object): Promise<string> {
  const safeName = name.replace(/[^A-Za-z0-9.]+/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 100) || 'profile';
  return saveProfile(dir, `${safeName}-${fileStamp(Date.now())}.${extension}`, data, Infinity);
}

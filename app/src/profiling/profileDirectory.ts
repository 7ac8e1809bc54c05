import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The only file names the profile directory serves: no separators, no leading dot, a profile extension. */
export const PROFILE_NAME = /^[A-Za-z0-9][\w.-]{0,150}\.(cpuprofile|heapprofile)$/;

export interface ProfileFile {
  name: string;
  kind: 'cpu' | 'heap';
  sizeBytes: number;
  /** ISO 8601. */
  modifiedAt: string;
}

/** The span event naming the automatic profile of a slow request (attributes `profile.name`, `profile.url`). */
export const PROFILE_EVENT = 'profile.captured';

/** The admin page with this profile selected: its flame graph shown. */
export function profilePageUrl(name: string): string {
  return `/admin/profiling?profile=${encodeURIComponent(name)}`;
}

/** `2026-11-29T21-44-12-123Z`: a timestamp that sorts in time order and is safe in a file name. */
export function fileStamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replaceAll(':', '-').replace('.', '-');
}

/**
 * Saves a profile as JSON under `dir`, written aside and renamed so a listing never shows a half-written file, and
 * keeps at most `keep` files whose names start with the same prefix as `name` (its part before the first `-`).
 */
export async function saveProfile(dir: string, name: string, profile: object, keep: number): Promise<string> {
  const file = join(dir, name);
  await mkdir(dir, { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(profile));
  await rename(`${file}.tmp`, file);
  const prefix = name.slice(0, name.indexOf('-') + 1);
  const siblings = (await readdir(dir)).filter((other) => other.startsWith(prefix) && PROFILE_NAME.test(other)).sort();
  await Promise.all(siblings.slice(0, Math.max(0, siblings.length - keep)).map((old) => rm(join(dir, old), { force: true })));
  return file;
}

/** The profiles in `dir`, newest first; none when the directory does not exist yet. */
export async function listProfiles(dir: string): Promise<ProfileFile[]> {
  const names = await readdir(dir).catch(() => []);
  const files = await Promise.all(
    names.filter((name) => PROFILE_NAME.test(name)).map(async (name) => {
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (info?.isFile() !== true) return undefined;
      const kind = name.endsWith('.cpuprofile') ? 'cpu' : 'heap';
      return { name, kind, sizeBytes: info.size, modifiedAt: info.mtime.toISOString() } satisfies ProfileFile;
    }),
  );
  return files.filter((file) => file !== undefined).sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || b.name.localeCompare(a.name));
}

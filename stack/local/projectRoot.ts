import { resolve } from 'node:path';

/** The checkout's root: the local stack reads the compose stack's configs and the built app from there. */
export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

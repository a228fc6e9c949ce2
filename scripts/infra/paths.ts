import os from 'node:os';
import path from 'node:path';

/** The clone this script runs from. */
export const projectRoot = path.resolve(__dirname, '..', '..');

/** Runtime state of this clone (database files, logs); ignored by git. */
export const localDir = path.join(projectRoot, '.local');

/**
 * Tools built or downloaded once per machine (Temporal CLI, test server jars),
 * shared by every clone so a fresh checkout does not rebuild them.
 */
export function toolCacheDir(): string {
  const explicit = process.env.PARTNER_TOOL_CACHE;
  if (explicit) return path.resolve(explicit);
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'partner-platform');
}

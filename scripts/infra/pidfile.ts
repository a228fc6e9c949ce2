import fs from 'node:fs';
import path from 'node:path';

/**
 * Remembers the pid of a long-running child so that the next start can clean up after a
 * start that was killed without the chance to stop its children.
 */
export function writePid(file: string, pid: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, String(pid));
}

export function removePid(file: string): void {
  fs.rmSync(file, { force: true });
}

/** Kills the process recorded in `file` if it is still alive and its command matches. */
export async function killStale(file: string, commandIncludes: string): Promise<boolean> {
  if (!fs.existsSync(file)) return false;
  const pid = Number(fs.readFileSync(file, 'utf8'));
  removePid(file);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
  }
  if (cmdline && !cmdline.includes(commandIncludes)) return false;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false;
  }
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
  }
  process.kill(pid, 'SIGKILL');
  return true;
}

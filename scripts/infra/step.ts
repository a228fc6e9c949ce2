/** Runs one provisioning step, printing what it does and how long it took. */
export async function step<T>(title: string, run: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  process.stdout.write(`• ${title} …\n`);
  try {
    const result = await run();
    process.stdout.write(`  ✓ ${title} (${elapsed(started)})\n`);
    return result;
  } catch (error) {
    process.stdout.write(`  ✗ ${title} failed after ${elapsed(started)}\n`);
    throw error;
  }
}

/** Prints a detail line under the current step. */
export function note(message: string): void {
  process.stdout.write(`    ${message}\n`);
}

function elapsed(started: bigint): string {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

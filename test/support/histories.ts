import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/** Where the replay test finds the recorded histories. */
export const HISTORIES_DIR = path.join(__dirname, '..', 'replay', 'histories');

/**
 * With RECORD_HISTORIES=<release tag> (e.g. `v2`), writes the run's history as
 * `<name>-<tag>.json` for the replay test. Histories are kept per released version and never
 * overwritten: an existing file is left as it is. Without the variable nothing is written.
 */
export async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  const tag = process.env.RECORD_HISTORIES;
  if (!tag) return;
  const file = path.join(HISTORIES_DIR, tag === '1' ? `${name}.json` : `${name}-${tag}.json`);
  if (fs.existsSync(file)) return;
  const history = temporal.api.history.v1.History.create(await handle.fetchHistory());
  const json = temporal.api.history.v1.History.toObject(history, {
    longs: String,
    enums: String,
    bytes: String,
  });
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(json, null, 1)}\n`, { flag: 'wx' });
}

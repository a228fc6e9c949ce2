import type { SettlementChanges } from '../../../prisma/settlement-changes';

/**
 * Reads kept between requests: running invoices, and applications' status. An entry is served
 * only while no change to what it was read from has been announced since (its feed's
 * generation is the same) (same generation) and for at most
 * `maxAgeMs`; a read that began before an announced change is handed to its caller but not
 * kept. Each read first makes sure every change committed before it has been counted, so a
 * caller sees its own writes. Callers asking for the same entry at the same time share one computation.
 */
export interface PreviewCache<T> {
  get(key: string, compute: () => Promise<T>): Promise<T>;
}

interface Entry<T> {
  generation: number;
  readAt: number;
  value: Promise<T>;
}

export function createPreviewCache<T>(
  changes: SettlementChanges,
  options: { maxAgeMs?: number; maxEntries?: number; now?: () => number } = {},
): PreviewCache<T> {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry<T>>();

  return {
    async get(key, compute) {
      if (!changes.listening()) return compute();
      try {
        await changes.sync();
      } catch {
        return compute();
      }
      const generation = changes.generation();
      const found = entries.get(key);
      if (found && found.generation === generation && now() - found.readAt <= maxAgeMs) {
        return found.value;
      }
      const value = compute();
      const entry: Entry<T> = { generation, readAt: now(), value };
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, entry);
      value.then(
        () => {
          // Read across an announced change: the result may predate it.
          if (changes.generation() !== generation && entries.get(key) === entry) {
            entries.delete(key);
          }
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return value;
    },
  };
}

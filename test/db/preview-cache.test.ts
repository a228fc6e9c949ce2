import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPreviewCache } from '../../api/features/settlement/preview-cache';
import {
  listenForSettlementChanges,
  type SettlementChanges,
} from '../../prisma/settlement-changes';

/**
 * The running invoice kept between requests: PostgreSQL announces every committed change to
 * what a settlement reads, and a cached invoice is never served after such a change — not even
 * to the very next request of the writer itself.
 */
describe('running invoice cache', () => {
  const url = process.env.DATABASE_URL as string;
  let writer: pg.Client;
  let changes: SettlementChanges;
  const account = `ba-cache-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    writer = new pg.Client({ connectionString: url });
    await writer.connect();
    await writer.query(
      `INSERT INTO billing_accounts (id, organization_id, name, type, owner_resident, payment_method)
       VALUES ($1, 'org-cache', $1, 'business', true, 'invoice')`,
      [account],
    );
    changes = listenForSettlementChanges(url, { reconnectMs: 100 });
    const deadline = Date.now() + 10_000;
    while (!changes.listening() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  afterAll(async () => {
    await changes?.close();
    await writer?.end();
  });

  let seq = 0;
  async function ingest(amount: string): Promise<void> {
    seq += 1;
    await writer.query(
      `INSERT INTO consumption_lines
         (source_id, billing_account_id, cloud_id, folder_id, service_id, sku, usage_date, amount)
       VALUES ($1, $2, 'cloud-cache', 'folder-cache', 'compute', 'vcpu', current_date, $3)`,
      [`${account}-${seq}`, account, amount],
    );
  }

  /** A stand-in for the settlement: the account's consumption as PostgreSQL has it now. */
  async function total(): Promise<string> {
    const { rows } = await writer.query<{ sum: string | null }>(
      'SELECT sum(amount)::text AS sum FROM consumption_lines WHERE billing_account_id = $1',
      [account],
    );
    return rows[0]?.sum ?? '0';
  }

  it('moves on when a write commits, and not when it rolls back', async () => {
    await changes.sync();
    const before = changes.generation();
    await writer.query('BEGIN');
    await ingest('5.00');
    await writer.query('ROLLBACK');
    await changes.sync();
    expect(changes.generation()).toBe(before);

    await ingest('5.00');
    await changes.sync();
    expect(changes.generation()).toBeGreaterThan(before);
  });

  it('serves the cached invoice until consumption arrives, then the new one at once', async () => {
    const cache = createPreviewCache<string>(changes);
    let computed = 0;
    const read = () =>
      cache.get(account, async () => {
        computed += 1;
        return total();
      });

    const first = await read();
    expect(await read()).toBe(first);
    expect(computed).toBe(1);

    // 12.34 more, committed: the very next read sees it (first + 12.34), computed again.
    await ingest('12.34');
    const after = await read();
    expect(Number(after)).toBeCloseTo(Number(first) + 12.34, 2);
    expect(computed).toBe(2);
  });

  it('shares one computation among simultaneous readers', async () => {
    const cache = createPreviewCache<string>(changes);
    let computed = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        cache.get(`${account}-shared`, async () => {
          computed += 1;
          await new Promise((resolve) => setTimeout(resolve, 50));
          return total();
        }),
      ),
    );
    expect(new Set(results).size).toBe(1);
    expect(computed).toBe(1);
  });

  it('does not keep a result read across a change', async () => {
    const cache = createPreviewCache<string>(changes);
    let computed = 0;
    const slow = cache.get(`${account}-slow`, async () => {
      computed += 1;
      const value = await total();
      await ingest('1.00'); // a write commits while the invoice is being computed
      await new Promise((resolve) => setTimeout(resolve, 100));
      return value;
    });
    const stale = await slow;
    const fresh = await cache.get(`${account}-slow`, async () => {
      computed += 1;
      return total();
    });
    expect(computed).toBe(2);
    expect(Number(fresh)).toBeCloseTo(Number(stale) + 1, 2);
  });

  it('computes every time while it cannot listen', async () => {
    const deaf = listenForSettlementChanges('postgresql://nobody@127.0.0.1:1/none', {
      reconnectMs: 60_000,
    });
    try {
      const cache = createPreviewCache<number>(deaf);
      let computed = 0;
      const read = () => cache.get('k', () => Promise.resolve(++computed));
      expect(await read()).toBe(1);
      expect(await read()).toBe(2);
    } finally {
      await deaf.close();
    }
  });
});

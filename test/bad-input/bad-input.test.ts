import { PROBLEM_CODES, isFieldCode, isProblemCode } from '../../domain/problem-codes';
import { randomUUID } from 'node:crypto';
import { createTokenService, ROLES, type Role } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { createDatabase, type Database } from '../../prisma/client';
import { migrate } from '../../prisma/migrator';
import { recreateDatabase } from '../../scripts/infra/database';
import { testConfig, uniqueTaskQueue } from '../support/env';
import { createPartner, type PartnerFixture } from '../support/fixtures';

/**
 * Bad input on every route: each answer is a 4xx problem+json with a clear message, and the
 * database is byte-for-byte unchanged (every table counted and hashed before and after). The
 * suite has a database of its own, so no other test's writes blur the comparison.
 */
interface Operation {
  method: string;
  path: string;
  roles: Role[];
  parameters: { name: string; in: 'path' | 'query'; schema: Record<string, unknown> }[];
  body?: { required?: string[]; additionalProperties?: unknown };
}

interface Problem {
  status: number;
  title: string;
  detail: string;
  code: string;
  params: Record<string, string | number>;
  errors?: { field: string; message: string; code: string; params: Record<string, unknown> }[];
}

describe('bad input changes nothing', () => {
  const base = testConfig({ taskQueue: uniqueTaskQueue('bad-input') });
  const url = (() => {
    const u = new URL(process.env.DATABASE_URL as string);
    u.pathname = `/partner_bad_input_${process.pid}`;
    return u.toString();
  })();
  let db: Database;
  let api: RunningApi;
  let mine: PartnerFixture;
  let theirs: PartnerFixture;
  let theirInvoice: string;
  let operations: Operation[];
  const tokens = {} as Record<Role | 'other', string>;
  let before: Map<string, string>;
  const answers: { what: string; status: number; problem: Problem | null; type: string }[] = [];

  async function snapshot(): Promise<Map<string, string>> {
    const tables = await db.$queryRaw<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`;
    const result = new Map<string, string>();
    for (const { name } of tables) {
      const [row] = await db.$queryRawUnsafe<{ n: bigint; h: string | null }[]>(
        `SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM "${name}" t`,
      );
      result.set(name, `${row?.n}:${row?.h}`);
    }
    return result;
  }

  /** Sends a request and records the answer for the checks at the end. */
  async function send(
    what: string,
    method: string,
    path: string,
    options: {
      token?: string;
      body?: string;
      type?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<{ status: number; problem: Problem | null }> {
    const res = await fetch(`${api.url}${path}`, {
      method: method.toUpperCase(),
      redirect: 'manual',
      headers: {
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined
          ? { 'Content-Type': options.type ?? 'application/json' }
          : {}),
        ...options.headers,
      },
      body: options.body,
    });
    const type = res.headers.get('content-type') ?? '';
    const text = await res.text();
    const problem = type.includes('json') && text ? (JSON.parse(text) as Problem) : null;
    answers.push({ what, status: res.status, problem, type });
    return { status: res.status, problem };
  }

  const json = (value: unknown) => JSON.stringify(value);

  beforeAll(async () => {
    await recreateDatabase(url);
    await migrate(url);
    db = createDatabase(url, { poolSize: 2 });
    mine = await createPartner(db, {
      tag: 'bad-mine',
      name: 'ООО «Моё»',
      memberSince: '2026-01-01',
    });
    theirs = await createPartner(db, {
      tag: 'bad-theirs',
      name: 'ООО «Чужое»',
      memberSince: '2026-01-01',
    });
    theirInvoice = randomUUID();
    await db.invoice.create({
      data: {
        id: theirInvoice,
        number: 'VAR-BAD-THEIRS',
        partnerId: theirs.partnerId,
        month: '2026-01',
        kind: 'monthly',
        sequence: 0,
        issuedAt: new Date('2026-02-01T00:00:00Z'),
        consumptionTotal: '100',
        grantsTotal: '0',
        eligibleBase: '100',
        discountTotal: '10',
        payable: '90',
        vatRate: '0.22',
        vatAmount: '16.23',
        seqFrom: 0n,
        seqTo: 0n,
      },
    });
    await db.rebateLedgerEntry.create({
      data: {
        partnerId: mine.partnerId,
        idempotencyKey: 'bad-credit',
        kind: 'project_rebate',
        amount: '50.00',
        month: '2026-01',
      },
    });
    api = await startApi({ ...base, databaseUrl: url }, { port: 0 });
    const issuer = createTokenService(base.auth);
    for (const role of ROLES) {
      tokens[role] = await issuer.issue({
        subject: `bad-${role}`,
        role,
        ...(role === 'partner' ? { organizationId: mine.organizationId } : {}),
      });
    }
    tokens.other = await issuer.issue({
      subject: 'bad-other',
      role: 'partner',
      organizationId: theirs.organizationId,
    });
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => {
        const body = (
          op.requestBody as
            { content: { 'application/json': { schema: Operation['body'] } } } | undefined
        )?.content['application/json'].schema;
        return {
          method,
          path,
          roles: op['x-roles'] as Role[],
          parameters: (op.parameters as Operation['parameters']) ?? [],
          body,
        };
      }),
    );
    before = await snapshot();
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await db?.$disconnect();
  });

  /** The path with its parameters filled: unknown but well-formed, or malformed. */
  function fill(op: Operation, malformed: boolean): string {
    return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (malformed) return encodeURIComponent("x' OR 1=1; --");
      if (name === 'month') return '2019-01';
      if (name === 'kind') return 'act';
      if (name === 'code') return 'ABCDEFGHJK';
      return randomUUID();
    });
  }

  it('covers every route of the API', () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  it('asks for a token, then for the right role, on every protected route', async () => {
    for (const op of operations.filter((o) => o.roles.length > 0)) {
      const path = fill(op, false);
      const body = op.body ? '{}' : undefined;
      expect(
        (await send(`${op.method} ${op.path} without a token`, op.method, path, { body })).status,
      ).toBe(401);
      const wrong = ROLES.find((r) => !op.roles.includes(r));
      if (wrong) {
        const res = await send(`${op.method} ${op.path} as ${wrong}`, op.method, path, {
          token: tokens[wrong],
          body,
        });
        expect([op.method, op.path, res.status]).toEqual([op.method, op.path, 403]);
      }
      const expired = await send(`${op.method} ${op.path} with a forged token`, op.method, path, {
        token: `${tokens[op.roles[0] as Role]}x`,
        body,
      });
      expect(expired.status).toBe(401);
    }
  });

  it('refuses malformed, mistyped, incomplete and oversized bodies on every route that takes one', async () => {
    for (const op of operations.filter((o) => o.body)) {
      const role = op.roles[0];
      const token = role ? tokens[role] : undefined;
      const path = fill(op, false);
      const label = `${op.method} ${op.path}`;
      const cases: [string, string, string | undefined][] = [
        ['malformed JSON', '{"amount": "1.00",', undefined],
        ['an array', '[]', undefined],
        ['a string', '"hello"', undefined],
        ['null', 'null', undefined],
        ['not JSON at all', 'amount=1', 'application/x-www-form-urlencoded'],
        [
          'an unknown field',
          json({ 'unknown\u0000field': "'; DROP TABLE partners; --" }),
          undefined,
        ],
      ];
      if (op.body?.required?.length) cases.push(['no fields', '{}', undefined]);
      for (const [what, body, type] of cases) {
        const res = await send(`${label}: ${what}`, op.method, path, { token, body, type });
        expect([label, what, res.status >= 400 && res.status < 500]).toEqual([label, what, true]);
      }
      // Bulk consumption imports and the Temporal Web UI's codec (whole payloads) take more.
      if (!op.path.startsWith('/v1/consumption') && !op.path.startsWith('/codec/')) {
        const big = json({ padding: 'x'.repeat(300 * 1024) });
        const res = await send(`${label}: 300 kB`, op.method, path, { token, body: big });
        expect([label, res.status]).toEqual([label, 413]);
      }
    }
  });

  it('refuses malformed path and query parameters', async () => {
    for (const op of operations.filter((o) => o.parameters.length > 0)) {
      const role = op.roles[0];
      const token = role ? tokens[role] : undefined;
      const body = op.body ? '{}' : undefined;
      const label = `${op.method} ${op.path}`;
      if (op.parameters.some((p) => p.in === 'path')) {
        const res = await send(`${label}: malformed path`, op.method, fill(op, true), {
          token,
          body,
        });
        expect([label, res.status >= 400 && res.status < 500]).toEqual([label, true]);
      }
      // Parameters with a form (a pattern, a format, an enum, a number); free text may be anything.
      const formed = (schema: Record<string, unknown>) =>
        Boolean(schema.enum ?? schema.pattern ?? schema.format) ||
        schema.type === 'integer' ||
        schema.type === 'number';
      for (const q of op.parameters.filter((p) => p.in === 'query' && formed(p.schema))) {
        for (const value of ['-1', '1e9', '2026-13', "' OR 1=1 --", '🙂']) {
          const path = `${fill(op, false)}?${q.name}=${encodeURIComponent(value)}`;
          const res = await send(`${label}: ${q.name}=${value}`, op.method, path, { token, body });
          if (res.status < 400) {
            // Only a value the parameter legitimately accepts may pass (e.g. a free month list).
            expect([label, q.name, value, res.status]).toEqual([label, q.name, value, 'refused']);
          }
        }
      }
    }
  });

  it('refuses bad money, dates, ids and text with field-level messages', async () => {
    const partner = tokens.partner;
    const withdraw = (body: unknown, key = randomUUID()) =>
      send(`withdrawal ${json(body)}`, 'post', '/v1/partners/me/rebates/withdrawals', {
        token: partner,
        body: json(body),
        headers: { 'Idempotency-Key': key },
      });
    for (const amount of [
      '-1.00',
      '0',
      '0.00',
      '1.001',
      '1e3',
      '99999999999.99',
      '１２３',
      "1'; DROP TABLE withdrawals; --",
      12,
      '51.00', // above the balance of 50.00
    ]) {
      const res = await withdraw({ amount, target: 'bonus' });
      // The form is the schema's (400); more than the balance is the business rule's (422).
      expect([amount, res.status]).toEqual([amount, amount === '51.00' ? 422 : 400]);
      expect(res.problem?.errors?.[0]?.field).toMatch(/amount/);
      if (amount === '51.00') {
        expect(res.problem?.errors?.[0]).toMatchObject({
          code: 'exceeds_balance',
          params: { balance: '50.00' },
        });
      }
    }
    expect((await withdraw({ amount: '1.00', target: 'moon' })).problem?.errors?.[0]?.field).toBe(
      'body.target',
    );
    const noKey = await send(
      'withdrawal without key',
      'post',
      '/v1/partners/me/rebates/withdrawals',
      {
        token: partner,
        body: json({ amount: '1.00', target: 'bonus' }),
      },
    );
    expect(noKey.status).toBe(400);
    expect(noKey.problem).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'header.Idempotency-Key', code: 'required', params: {} }],
    });
    // To the bank without bank details on file: refused, never a payout to an empty account.
    const toBank = await withdraw({ amount: '1.00', target: 'bank' });
    expect([toBank.status, toBank.problem?.errors?.[0]?.field]).toEqual([422, 'target']);
    // Bank details: the form is the schema's (400); a control key that does not match the
    // BIK is the business rule's (422).
    for (const [details, status, field] of [
      [{ bik: '04452522', account: '40702810938000000001' }, 400, 'body.bik'],
      [{ bik: '044525225', account: '4070281093800000000X' }, 400, 'body.account'],
      [{ bik: '044525225', account: '40702810938000000002' }, 422, 'account'],
      [{ bik: 44525225, account: '40702810938000000001' }, 400, 'body.bik'],
    ] as const) {
      const res = await send(
        `bank details ${json(details)}`,
        'put',
        '/v1/partners/me/bank-details',
        {
          token: partner,
          body: json(details),
        },
      );
      expect([details, res.status, res.problem?.errors?.[0]?.field]).toEqual([
        details,
        status,
        field,
      ]);
    }

    const line = {
      sourceId: 'bad-1',
      billingAccountId: mine.customerIds[0],
      cloudId: 'c',
      folderId: 'f',
      serviceId: 'compute',
      sku: 's',
      usageDate: '2026-02-10',
      amount: '1.00',
      grantAmount: '0',
    };
    for (const [what, change] of [
      ['an impossible date', { usageDate: '2026-02-30' }],
      ['a negative amount', { amount: '-5.00' }],
      ['seven decimals', { amount: '1.0000001' }],
      ['grants above the amount', { grantAmount: '2.00' }],
      ['an unknown account', { billingAccountId: 'nobody' }],
      ['an unknown service', { serviceId: 'teleport' }],
      ['a huge amount', { amount: '1000000000000000000' }],
      ['a 300-character id', { sourceId: 'x'.repeat(300) }],
    ] as const) {
      const res = await send(`batch: ${what}`, 'post', '/v1/consumption/batches', {
        token: tokens['billing-system'],
        body: json({
          lines: [
            { ...line, sourceId: `bad-${what}` },
            { ...line, ...change },
          ],
        }),
      });
      expect([what, res.status]).toEqual([what, 422]);
      expect(res.problem?.errors?.[0]?.field).toMatch(/^lines\.1\./);
    }
    const tooMany = await send('batch of 10,001 lines', 'post', '/v1/consumption/batches', {
      token: tokens['billing-system'],
      body: json({
        lines: Array.from({ length: 10_001 }, (_, i) => ({ ...line, sourceId: `m${i}` })),
      }),
    });
    expect(tooMany.status).toBeGreaterThanOrEqual(400);

    for (const exitDate of ['2026-02-30', 'tomorrow', '2020-01-01', '']) {
      const res = await send(`exit ${exitDate}`, 'post', '/v1/partners/me/exit-notice', {
        token: partner,
        body: json({ exitDate }),
      });
      expect([exitDate, res.status]).toEqual([exitDate, 422]);
      expect(res.problem?.errors?.[0]?.field).toBe('exitDate');
    }

    const manager = tokens.manager;
    for (const [what, body] of [
      [
        'an uplift of 50%',
        { customerAccountId: mine.customerIds[0], upliftRate: '0.5', startDate: '2026-03-01' },
      ],
      [
        'a negative uplift',
        { customerAccountId: mine.customerIds[0], upliftRate: '-0.05', startDate: '2026-03-01' },
      ],
      [
        'month 13',
        { customerAccountId: mine.customerIds[0], upliftRate: '0.05', startDate: '2026-13-01' },
      ],
      [
        "another partner's customer",
        { customerAccountId: theirs.customerIds[0], upliftRate: '0.05', startDate: '2026-03-01' },
      ],
    ] as const) {
      const res = await send(`deal: ${what}`, 'post', `/v1/partners/${mine.partnerId}/deals`, {
        token: manager,
        body: json(body),
      });
      expect([what, res.status >= 400 && res.status < 500]).toEqual([what, true]);
    }
    for (const [what, body] of [
      [
        'a negative baseline',
        { scope: 'cloud', cloudId: 'c1', baselineMonthly: '-1', rate: '0.1' },
      ],
      ['a rate of 20%', { scope: 'cloud', cloudId: 'c1', baselineMonthly: '100', rate: '0.2' }],
      [
        'a folder without its id',
        { scope: 'folder', cloudId: 'c1', baselineMonthly: '100', rate: '0.1' },
      ],
    ] as const) {
      const res = await send(
        `project: ${what}`,
        'post',
        `/v1/partners/${mine.partnerId}/projects`,
        {
          token: manager,
          body: json(body),
        },
      );
      expect([what, res.status >= 400 && res.status < 500]).toEqual([what, true]);
    }
    expect(
      (
        await send('revoke without reason', 'post', `/v1/partners/${mine.partnerId}/revoke`, {
          token: manager,
          body: json({ reason: '   ' }),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await send('close of month 13', 'post', '/v1/closes', {
          token: tokens.finance,
          body: json({ month: '2026-13' }),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await send('close of a future month', 'post', '/v1/closes', {
          token: tokens.finance,
          body: json({ month: '2099-01' }),
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await send('sign-up on an impossible day', 'post', '/v1/referrals/signups', {
          token: tokens['billing-system'],
          body: json({
            referralCode: 'ABCDEFGHJK',
            customer: { accountId: 'x y', organizationId: 'o', name: 'n' },
            signedUpAt: '2026-02-30T10:00:00Z',
          }),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await send('verification rejected without reason', 'post', '/v1/billing-verifications', {
          token: tokens['billing-system'],
          body: json({ billingAccountId: 'ba-x', result: 'rejected' }),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await send('an application of an unknown kind', 'post', '/v1/applications', {
          token: partner,
          body: json({ identityMethod: 'telepathy' }),
        })
      ).status,
    ).toBe(400);
  });

  it("answers 404 for another partner's invoices, documents and partner record", async () => {
    for (const path of [
      `/v1/invoices/${theirInvoice}`,
      `/v1/invoices/${theirInvoice}/documents/act?format=pdf`,
      `/v1/partners/${theirs.partnerId}`,
    ]) {
      const res = await send(`another partner's ${path}`, 'get', path, { token: tokens.partner });
      expect([path, res.status]).toEqual([path, 404]);
    }
    // The owner sees it: the 404 is about ownership, not a broken route.
    const own = await send('own invoice', 'get', `/v1/invoices/${theirInvoice}`, {
      token: tokens.other,
    });
    expect(own.status).toBe(200);
    answers.pop();
  });

  it('answered every refusal as problem+json with a message, and changed nothing', async () => {
    const refusals = answers.filter((a) => a.status >= 400);
    expect(refusals.length).toBeGreaterThan(300);
    for (const a of refusals) {
      expect([a.what, a.status < 500]).toEqual([a.what, true]);
      expect([a.what, a.type]).toEqual([
        a.what,
        expect.stringContaining('application/problem+json'),
      ]);
      expect([a.what, a.problem?.status]).toEqual([a.what, a.status]);
      expect([a.what, (a.problem?.detail ?? '').length > 0]).toEqual([a.what, true]);
      // A stable code the portal translates, with the parameters its catalogue entry names.
      const code = a.problem?.code ?? '';
      expect([a.what, code, isProblemCode(code)]).toEqual([a.what, code, true]);
      if (isProblemCode(code)) {
        const names: readonly string[] = PROBLEM_CODES[code].params;
        expect([a.what, Object.keys(a.problem?.params ?? {}).sort()]).toEqual([
          a.what,
          [...names].sort(),
        ]);
      }
      for (const e of a.problem?.errors ?? []) {
        expect([a.what, e.field, e.code, isFieldCode(e.code)]).toEqual([
          a.what,
          e.field,
          e.code,
          true,
        ]);
        expect([a.what, e.field, typeof e.params]).toEqual([a.what, e.field, 'object']);
      }
    }
    const after = await snapshot();
    expect(Object.fromEntries(after)).toEqual(Object.fromEntries(before));
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { loadConfig, loadEnvFile } from '../config';
import { temporalConnectionOptions } from '../config/temporal';
import { temporalDataConverter } from '../config/payload-codec';
import { payloadEncryptionFor } from './infra/codec-key';
import { formatMoney } from '../domain/money';
import { previousMonthInMoscow } from '../domain/settlement/periods';
import {
  MONTH_CLOSE_SCHEDULE_ID,
  MONTH_CLOSE_WORKFLOW_TYPE,
  monthCloseWorkflowId,
  type MonthCloseResult,
} from '../workflows/month-close.contracts';
import { localDir } from './infra/paths';

/**
 * `npm run demo -- [--partners 200] [--customers 20] [--days 30] [--month YYYY-MM] [--via workflow|schedule]`
 *
 * Generates a realistic VAR month in the database of the running system — partners with
 * customer subaccounts, daily consumption across services (some excluded from the bonus),
 * grants, deals starting mid-month, projects, specializations, advance-paying partners —
 * then closes the month through Temporal and prints a summary. Generation runs in SQL and is
 * idempotent: running the demo again adds nothing and the close changes nothing.
 */
interface Options {
  partners: number;
  customers: number;
  days: number;
  month: string;
  via: 'workflow' | 'schedule';
}

function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (name: string, fallback: number, max: number) => {
    const raw = value(name);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new Error(`--${name} must be a whole number from 1 to ${max}`);
    return n;
  };
  const month = value('month') ?? previousMonthInMoscow(new Date().toISOString());
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error('--month must be YYYY-MM');
  const via = (value('via') ?? 'workflow') as Options['via'];
  if (via !== 'workflow' && via !== 'schedule')
    throw new Error('--via must be workflow or schedule');
  return {
    partners: int('partners', 200, 100_000),
    customers: int('customers', 20, 1_000),
    days: int('days', 30, 31),
    month,
    via,
  };
}

/** The running system's addresses: the environment, else what `npm start` recorded. */
function runtime(): { databaseUrl: string; temporalAddress: string } {
  loadEnvFile();
  const config = loadConfig();
  const file = path.join(localDir, 'runtime.json');
  const recorded = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as {
        databaseUrl?: string;
        temporalAddress?: string;
      })
    : {};
  const databaseUrl = config.databaseUrl ?? recorded.databaseUrl;
  const temporalAddress = config.temporal.address ?? recorded.temporalAddress;
  if (!databaseUrl || !temporalAddress) {
    throw new Error('Start the system first (npm start), or set DATABASE_URL and TEMPORAL_ADDRESS');
  }
  return { databaseUrl, temporalAddress };
}

/** Writes the demo month; also used by the crash test. Partners join the VAR program on `memberSince`. */
export async function generateDemoMonth(
  pg: PgClient,
  o: Omit<Options, 'via'>,
  memberSince = '2025-01-01',
): Promise<void> {
  const start = `${o.month}-01`;
  const p = [o.partners, o.customers, o.days, start, o.month];
  // Billing accounts: each partner's own account and its customers' subaccounts.
  await pg.query(
    `INSERT INTO billing_accounts (id, organization_id, name, type, owner_resident, payment_method, status,
                                   verification_status, inn, legal_name, parent_id)
     SELECT 'demo-own-' || i, 'org-demo-' || i, 'Demo partner ' || i, 'business'::"BillingAccountType", true,
            'invoice'::"PaymentMethod", 'paid'::"BillingAccountStatus", 'approved'::"BillingVerificationStatus",
            NULL, 'ООО «Демо-партнёр ' || i || '»', NULL
       FROM generate_series(1, $1::int) i
     UNION ALL
     SELECT 'demo-c-' || i || '-' || j, 'org-demo-cust-' || i || '-' || j, 'Customer ' || j || ' of ' || i,
            'business'::"BillingAccountType", true, 'invoice'::"PaymentMethod", 'paid'::"BillingAccountStatus",
            'approved'::"BillingVerificationStatus", NULL, NULL, 'demo-own-' || i
       FROM generate_series(1, $1::int) i, generate_series(1, $2::int) j
     ON CONFLICT (id) DO NOTHING`,
    [o.partners, o.customers],
  );
  await pg.query(
    `INSERT INTO partners (id, organization_id, application_id, name, billing_account_id, taxation_type,
                           status, start_date, approved_by, payment_model)
     SELECT md5('demo-partner-' || i)::uuid, 'org-demo-' || i, md5('demo-application-' || i)::uuid,
            'ООО «Демо-партнёр ' || i || '»', 'demo-own-' || i, 'general_with_vat', 'active'::"PartnerStatus", $2::date,
            'demo', CASE WHEN i % 10 = 0 THEN 'advance' ELSE 'postpaid' END::"PaymentModel"
       FROM generate_series(1, $1::int) i
     ON CONFLICT DO NOTHING`,
    [o.partners, memberSince],
  );
  await pg.query(
    `INSERT INTO program_memberships (partner_id, program, start_date)
     SELECT md5('demo-partner-' || i)::uuid, 'var'::"ProgramType", $2::date FROM generate_series(1, $1::int) i
     ON CONFLICT DO NOTHING`,
    [o.partners, memberSince],
  );
  // Deals on every fourth customer, linked from a day in the middle of the month.
  await pg.query(
    `INSERT INTO deals (id, partner_id, customer_account_id, uplift_rate, start_date, registered_by)
     SELECT md5('demo-deal-' || $3 || '-' || i || '-' || j)::uuid, md5('demo-partner-' || i)::uuid,
            'demo-c-' || i || '-' || j, 0.05 + (j % 3) * 0.05, $3::date + (10 + j % 10), 'demo'
       FROM generate_series(1, $1::int) i, generate_series(1, $2::int) j
      WHERE j % 4 = 0
     ON CONFLICT DO NOTHING`,
    [o.partners, o.customers, start],
  );
  // Projects on every fifth partner's first customer cloud; specializations on every seventh.
  await pg.query(
    `INSERT INTO projects (id, partner_id, scope, cloud_id, baseline_monthly, rate, registered_on, registered_by)
     SELECT md5('demo-project-' || i)::uuid, md5('demo-partner-' || i)::uuid, 'cloud'::"ProjectScope", 'demo-cloud-' || i || '-1',
            5000, 0.10, ($2::date - interval '3 months')::date, 'demo'
       FROM generate_series(1, $1::int) i WHERE i % 5 = 0
     ON CONFLICT DO NOTHING`,
    [o.partners, start],
  );
  await pg.query(
    `INSERT INTO specializations (partner_id, code, rate, service_ids, valid_from)
     SELECT md5('demo-partner-' || i)::uuid, 'data-platform', 0.03, ARRAY['managed-postgresql'], '2025-01-01'
       FROM generate_series(1, $1::int) i WHERE i % 7 = 0
     ON CONFLICT DO NOTHING`,
    [o.partners],
  );
  await pg.query(
    `INSERT INTO advance_ledger (partner_id, idempotency_key, amount)
     SELECT md5('demo-partner-' || i)::uuid, 'demo-topup-' || $2 || '-' || i, 500000
       FROM generate_series(1, $1::int) i WHERE i % 10 = 0
     ON CONFLICT DO NOTHING`,
    [o.partners, o.month],
  );
  // Daily consumption: compute and object storage for everyone, managed PostgreSQL for some,
  // Marketplace (excluded from the bonus) for every sixth customer; grants on every fifth.
  // Amounts come from a hash of the line's identity, so a rerun produces the same lines.
  await pg.query(
    `INSERT INTO consumption_lines (source_id, billing_account_id, cloud_id, folder_id, service_id, sku,
                                    usage_date, amount, grant_amount)
     SELECT 'demo:' || $5 || ':' || i || ':' || j || ':' || d || ':' || s.service,
            CASE WHEN j = 0 THEN 'demo-own-' || i ELSE 'demo-c-' || i || '-' || j END,
            'demo-cloud-' || i || '-' || greatest(j, 1), 'folder-' || (d % 3), s.service, s.service || '.standard',
            $4::date + (d - 1),
            round((('x' || substr(md5(i || ':' || j || ':' || d || ':' || s.service), 1, 8))::bit(32)::bigint % 100000000)::numeric / 100000 * s.scale, 6),
            CASE WHEN j % 5 = 0 AND j > 0
                 THEN round((('x' || substr(md5(i || ':' || j || ':' || d || ':' || s.service), 1, 8))::bit(32)::bigint % 100000000)::numeric / 100000 * s.scale * 0.2, 6)
                 ELSE 0 END
       FROM generate_series(1, $1::int) i,
            generate_series(0, $2::int) j,
            generate_series(1, $3::int) d,
            (VALUES ('compute', 1.0), ('object-storage', 0.3), ('managed-postgresql', 0.5), ('marketplace', 0.4)) AS s(service, scale)
      WHERE (s.service <> 'managed-postgresql' OR j % 2 = 1)
        AND (s.service <> 'marketplace' OR j % 6 = 0)
     ON CONFLICT (source_id) DO NOTHING`,
    p,
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const { databaseUrl, temporalAddress } = runtime();
  const config = loadConfig();
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const started = Date.now();
    process.stdout.write(
      `Generating ${options.month}: ${options.partners} partners × ${options.customers} customers × ${options.days} days …\n`,
    );
    await generateDemoMonth(pg, options);
    const lines = await pg.query<{ n: string }>(
      `SELECT count(*) AS n FROM consumption_lines WHERE source_id LIKE $1`,
      [`demo:${options.month}:%`],
    );
    process.stdout.write(
      `  ${lines.rows[0]?.n} consumption lines for the month (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );

    const connection = await Connection.connect(temporalConnectionOptions(config, temporalAddress));
    const client = new Client({
      connection,
      namespace: config.temporal.namespace,
      dataConverter: temporalDataConverter(payloadEncryptionFor(config)),
    });
    const closeStarted = Date.now();
    let result: MonthCloseResult;
    if (options.via === 'schedule') {
      if (options.month !== previousMonthInMoscow(new Date().toISOString())) {
        throw new Error(
          'The schedule closes the previous month; use --via workflow for other months',
        );
      }
      process.stdout.write('Closing through the schedule’s action …\n');
      await client.schedule.getHandle(MONTH_CLOSE_SCHEDULE_ID).trigger();
      const deadline = Date.now() + 30 * 60_000;
      for (;;) {
        const row = await pg.query<{ status: string }>(
          `SELECT status FROM month_closes WHERE month = $1`,
          [options.month],
        );
        if (row.rows[0]?.status === 'completed' || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      result = {
        month: options.month,
        partnersSettled: -1,
        invoicesCreated: -1,
        referralPartnersSettled: -1,
        statementsCreated: -1,
      };
    } else {
      process.stdout.write('Closing through the month-close workflow …\n');
      const handle = await client.workflow.start(MONTH_CLOSE_WORKFLOW_TYPE, {
        taskQueue: config.temporal.taskQueue,
        workflowId: monthCloseWorkflowId(options.month),
        args: [{ month: options.month }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
      result = (await handle.result()) as MonthCloseResult;
    }
    const seconds = (Date.now() - closeStarted) / 1000;
    await connection.close();

    const totals = await pg.query<Record<string, string>>(
      `SELECT count(*) AS invoices, sum(consumption_total) AS consumption, sum(grants_total) AS grants,
              sum(eligible_base) AS eligible, sum(discount_total) AS discount, sum(payable) AS payable,
              sum(vat_amount) AS vat, sum(advance_covered) AS advance
         FROM invoices WHERE month = $1 AND kind = 'monthly' AND partner_id IN
              (SELECT id FROM partners WHERE organization_id LIKE 'org-demo-%')`,
      [options.month],
    );
    const top = await pg.query<Record<string, string>>(
      `SELECT p.name, i.consumption_total, i.discount_total, i.payable,
              round(i.discount_total / nullif(i.eligible_base, 0) * 100, 2) AS relative
         FROM invoices i JOIN partners p ON p.id = i.partner_id
        WHERE i.month = $1 AND i.kind = 'monthly' AND p.organization_id LIKE 'org-demo-%'
        ORDER BY i.discount_total DESC LIMIT 5`,
      [options.month],
    );
    const t = totals.rows[0] ?? {};
    const rub = (v: string | undefined) =>
      formatMoney(v ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
    process.stdout.write(
      [
        '',
        `Month ${options.month} closed in ${seconds.toFixed(1)} s` +
          (result.invoicesCreated >= 0
            ? ` — ${result.partnersSettled} partners settled, ${result.invoicesCreated} new invoices`
            : ''),
        '',
        `  invoices          ${t.invoices}`,
        `  consumption       ${rub(t.consumption)} ₽`,
        `  grants            ${rub(t.grants)} ₽`,
        `  eligible base     ${rub(t.eligible)} ₽`,
        `  partner bonus     ${rub(t.discount)} ₽`,
        `  payable           ${rub(t.payable)} ₽ (VAT included ${rub(t.vat)} ₽, covered by advances ${rub(t.advance)} ₽)`,
        `  lines per second  ${Math.round(Number(lines.rows[0]?.n ?? 0) / Math.max(seconds, 0.001)).toLocaleString('en-US')}`,
        '',
        '  Top partners by bonus:',
        ...top.rows.map(
          (r) =>
            `    ${String(r.name).padEnd(34)} consumption ${rub(r.consumption_total).padStart(16)}  bonus ${rub(r.discount_total).padStart(14)} (${r.relative}%)  payable ${rub(r.payable).padStart(16)}`,
        ),
        '',
      ].join('\n'),
    );
  } finally {
    await pg.end();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

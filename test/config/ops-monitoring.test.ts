import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createMetrics } from '../../api/http/metrics';
import type { MetricsRepository } from '../../prisma/repositories/metrics.repository';
import { createWorkerMetrics, type ObservedWorker } from '../../worker/health';

/**
 * The operators' dashboard and alert rules in ops/: they parse, and every metric they query is
 * one the API's /metrics or the worker's /metrics actually exposes (a renamed metric would
 * leave a panel empty and an alert silently never firing).
 */

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface AlertRule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups?: { name?: string; rules?: AlertRule[] }[];
}
interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: { expr?: string }[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

const alerts = parse(read('ops/prometheus/alerts.yml')) as RuleFile;
const rules = (alerts.groups ?? []).flatMap((group) => group.rules ?? []);
const dashboard = JSON.parse(read('ops/grafana/dashboards/partner-platform.json')) as Dashboard;
const dashboardPanels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
const queryPanels = dashboardPanels.filter((panel) => panel.type !== 'row');

/** What the API's registry returns when every figure is present. */
const figures: MetricsRepository = {
  applicationsByStatus: () => Promise.resolve([{ status: 'in_review', count: 2 }]),
  reviewSla: () => Promise.resolve({ overdue: 1, escalated: 1 }),
  slaBreaches: () =>
    Promise.resolve({ application: 1, registration: 0, specialization: 2, presale: 3 }),
  recentCloses: () =>
    Promise.resolve([{ month: '2026-10', seconds: 42, lines: 10, invoices: 3, difference: 0 }]),
  runningCloses: () => Promise.resolve([{ month: '2026-11', seconds: 9000 }]),
  finalPayoutsAwaitingBankDetails: () => Promise.resolve({ held: 2, overdue: 1 }),
};

const worker: ObservedWorker = {
  getState: () => 'RUNNING',
  getStatus: () => ({
    numInFlightWorkflowActivations: 1,
    numInFlightNonLocalActivities: 2,
    numInFlightLocalActivities: 0,
  }),
  options: {
    tuner: {
      workflowTaskSlotSupplier: { type: 'fixed-size', numSlots: 40 },
      activityTaskSlotSupplier: { type: 'fixed-size', numSlots: 100 },
      localActivityTaskSlotSupplier: { type: 'fixed-size', numSlots: 100 },
    },
  },
};

/** Sample names in Prometheus text exposition (histograms as _bucket, _sum and _count). */
function sampleNames(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? ''),
  );
}

/** Our metric names in a PromQL expression (all of ours start with partner_). */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\bpartner_[a-zA-Z0-9_:]*/g)].map((m) => m[0]);
}

let exposed: Set<string>;

beforeAll(async () => {
  const api = createMetrics(figures, () => new Date('2026-11-30T12:00:00Z'));
  // One request through the middleware, so the HTTP histogram and counter have samples.
  const { EventEmitter } = await import('node:events');
  const res = Object.assign(new EventEmitter(), { statusCode: 503 });
  api.middleware(
    { method: 'GET', baseUrl: '', route: { path: '/v1/x' } } as never,
    res as never,
    () => undefined,
  );
  res.emit('finish');
  const workerRegistry = createWorkerMetrics(() => worker);
  exposed = new Set([
    ...sampleNames(await api.registry.metrics()),
    ...sampleNames(await workerRegistry.metrics()),
  ]);
});

describe('ops/prometheus/alerts.yml', () => {
  it('covers SLA breaches, stuck and unreconciled closes, the 5xx rate and held payouts', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'PartnerSlaBreached',
        'PartnerMonthCloseStuck',
        'PartnerMonthCloseNotReconciled',
        'PartnerApi5xxRate',
        'PartnerFinalPayoutAwaitingBankDetails',
        'PartnerApiDown',
        'PartnerWorkerDown',
      ]),
    );
  });

  it('gives every rule a name, an expression, a severity and a summary', () => {
    const problems = rules
      .filter(
        (rule) =>
          !rule.alert ||
          !rule.expr ||
          !['page', 'ticket'].includes(rule.labels?.severity ?? '') ||
          !rule.annotations?.summary,
      )
      .map((rule) => rule.alert ?? JSON.stringify(rule));
    expect(problems).toEqual([]);
  });

  it('queries only metrics the API and the worker expose', () => {
    const missing = rules.flatMap((rule) =>
      metricsIn(rule.expr ?? '')
        .filter((name) => !exposed.has(name))
        .map((name) => `${rule.alert}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('is loaded by the Prometheus configuration, which scrapes the api and the worker', () => {
    const config = parse(read('ops/prometheus/prometheus.yml')) as {
      rule_files?: string[];
      scrape_configs?: { job_name: string; static_configs?: { targets: string[] }[] }[];
    };
    const targets = Object.fromEntries(
      (config.scrape_configs ?? []).map((job) => [
        job.job_name,
        (job.static_configs ?? []).flatMap((s) => s.targets),
      ]),
    );
    expect({ rules: config.rule_files, targets }).toEqual({
      rules: ['/etc/prometheus/alerts.yml'],
      targets: { 'partner-api': ['api:3000'], 'partner-worker': ['worker:9464'] },
    });
  });
});

describe('ops/grafana/dashboards/partner-platform.json', () => {
  it('has a query on every panel, each on the provisioned Prometheus', () => {
    const datasource = parse(read('ops/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string }[];
    };
    const uid = datasource.datasources[0]?.uid;
    const problems = queryPanels
      .filter(
        (panel) =>
          panel.datasource?.uid !== uid || !(panel.targets ?? []).some((t) => t.expr?.trim()),
      )
      .map((panel) => panel.title);
    expect(problems).toEqual([]);
  });

  it('queries only metrics the API and the worker expose', () => {
    const missing = queryPanels.flatMap((panel) =>
      (panel.targets ?? []).flatMap((target) =>
        metricsIn(target.expr ?? '')
          .filter((name) => !exposed.has(name))
          .map((name) => `${panel.title}: ${name}`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('shows requests, latency, 5xx, closes, SLA breaches, held payouts and task slots', () => {
    const queried = new Set(
      queryPanels.flatMap((panel) => (panel.targets ?? []).flatMap((t) => metricsIn(t.expr ?? ''))),
    );
    const wanted = [
      'partner_http_request_duration_seconds_count',
      'partner_http_request_duration_seconds_bucket',
      'partner_http_server_errors_total',
      'partner_month_close_duration_seconds',
      'partner_month_close_running_seconds',
      'partner_month_close_reconciliation_difference',
      'partner_sla_breaches',
      'partner_final_payouts_awaiting_bank_details',
      'partner_worker_task_slots_used',
      'partner_worker_task_slots_available',
    ];
    expect(wanted.filter((name) => !queried.has(name))).toEqual([]);
  });

  it('is the dashboard Grafana provisions from the mounted folder', () => {
    const provider = parse(read('ops/grafana/provisioning/dashboards/partner-platform.yml')) as {
      providers: { options: { path: string } }[];
    };
    const compose = read('docker-compose.yml');
    const mountPath = provider.providers[0]?.options.path ?? '';
    expect(compose).toContain(`./ops/grafana/dashboards:${mountPath}:ro`);
    expect(dashboard.uid).toBe('partner-platform');
  });
});

describe('the metrics behind the alerts', () => {
  it('reports SLA breaches per process, closes still running, reconciliation differences and held payouts', async () => {
    const api = createMetrics(figures, () => new Date('2026-11-30T12:00:00Z'));
    const text = await api.registry.metrics();
    const lines = text.split('\n');
    expect(
      [
        'partner_month_close_running_seconds{month="2026-11"} 9000',
        'partner_month_close_reconciliation_difference{month="2026-10"} 0',
        'partner_final_payouts_awaiting_bank_details 2',
        'partner_final_payouts_awaiting_bank_details_overdue 1',
        'partner_review_sla_breaches 1',
        'partner_sla_breaches{process="application"} 1',
        'partner_sla_breaches{process="specialization"} 2',
        'partner_sla_breaches{process="presale"} 3',
      ].filter((line) => !lines.includes(line)),
    ).toEqual([]);
  });
});

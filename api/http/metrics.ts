import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricsRepository } from '../../prisma/repositories/metrics.repository';

/**
 * Prometheus metrics of the API (SPEC: the operators' view): HTTP latency by route, and —
 * read from the database at each scrape — applications per status, review SLA breaches, the
 * recent closes' duration, consumption lines settled, invoices issued and reconciliation
 * difference, closes still running, and leavers' final payouts held for bank details.
 */
export function createMetrics(source: MetricsRepository, now: () => Date = () => new Date()) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'partner_api_' });

  const httpDuration = new Histogram({
    name: 'partner_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const httpErrors = new Counter({
    name: 'partner_http_server_errors_total',
    help: 'Responses with a 5xx status',
    labelNames: ['route'] as const,
    registers: [registry],
  });

  new Gauge({
    name: 'partner_applications',
    help: 'Partner applications by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await source.applicationsByStatus()) {
        this.set({ status: row.status }, row.count);
      }
    },
  });
  new Gauge({
    name: 'partner_review_sla_breaches',
    help: 'Applications in review past their 7-business-day deadline',
    registers: [registry],
    async collect() {
      this.set((await source.reviewSla(now())).overdue);
    },
  });
  new Gauge({
    name: 'partner_review_escalations',
    help: 'Applications escalated to the supervisors at their deadline',
    registers: [registry],
    async collect() {
      this.set((await source.reviewSla(now())).escalated);
    },
  });
  new Gauge({
    name: 'partner_sla_breaches',
    help: 'Requests past their deadline without a decision, by process (application, registration, specialization, presale)',
    labelNames: ['process'] as const,
    registers: [registry],
    async collect() {
      const breaches = await source.slaBreaches(now());
      this.reset();
      for (const [process, count] of Object.entries(breaches)) this.set({ process }, count);
    },
  });
  // One read of the recent closes serves the three gauges of a scrape (they collect at once).
  let closes: { at: number; rows: ReturnType<MetricsRepository['recentCloses']> } | null = null;
  const recentCloses = () => {
    if (!closes || Date.now() - closes.at > 1000) {
      closes = { at: Date.now(), rows: source.recentCloses() };
    }
    return closes.rows;
  };
  const closeGauge = (
    name: string,
    help: string,
    pick: (c: Awaited<ReturnType<MetricsRepository['recentCloses']>>[number]) => number,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: ['month'] as const,
      registers: [registry],
      async collect() {
        const rows = await recentCloses();
        this.reset();
        for (const c of rows) this.set({ month: c.month }, pick(c));
      },
    });
  closeGauge(
    'partner_month_close_duration_seconds',
    'Duration of each of the newest completed month closes',
    (c) => c.seconds,
  );
  closeGauge(
    'partner_month_close_lines_settled',
    'Consumption lines each of the newest completed closes settled',
    (c) => c.lines,
  );
  closeGauge(
    'partner_month_close_invoices',
    'Invoices issued for each of the newest closed months',
    (c) => c.invoices,
  );
  closeGauge(
    'partner_month_close_reconciliation_difference',
    'Consumption minus billed minus pending of each newest completed close (0 unless a line was lost)',
    (c) => c.difference,
  );
  new Gauge({
    name: 'partner_month_close_running_seconds',
    help: 'How long each close still running has been running',
    labelNames: ['month'] as const,
    registers: [registry],
    async collect() {
      const rows = await source.runningCloses(now());
      this.reset();
      for (const c of rows) this.set({ month: c.month }, c.seconds);
    },
  });
  // One read serves both payout gauges of a scrape.
  let payouts: {
    at: number;
    value: ReturnType<MetricsRepository['finalPayoutsAwaitingBankDetails']>;
  } | null = null;
  const heldPayouts = () => {
    if (!payouts || Date.now() - payouts.at > 1000) {
      payouts = { at: Date.now(), value: source.finalPayoutsAwaitingBankDetails(now()) };
    }
    return payouts.value;
  };
  new Gauge({
    name: 'partner_final_payouts_awaiting_bank_details',
    help: 'Final payouts of leaving partners held until valid bank details are given',
    registers: [registry],
    async collect() {
      this.set((await heldPayouts()).held);
    },
  });
  new Gauge({
    name: 'partner_final_payouts_awaiting_bank_details_overdue',
    help: 'Final payouts held for bank details past their due date',
    registers: [registry],
    async collect() {
      this.set((await heldPayouts()).overdue);
    },
  });

  /** Times every request; the route label is the matched pattern, never the raw path. */
  const middleware: RequestHandler = (req, res, next) => {
    const stop = httpDuration.startTimer();
    res.on('finish', () => {
      const pattern = (req.route as { path?: string } | undefined)?.path;
      const route = pattern ? `${req.baseUrl}${pattern}` : 'unmatched';
      stop({ method: req.method, route, status: String(res.statusCode) });
      if (res.statusCode >= 500) httpErrors.inc({ route });
    });
    next();
  };

  const handler: RequestHandler = (_req, res, next) => {
    registry
      .metrics()
      .then((text) => res.type(registry.contentType).send(text))
      .catch(next);
  };

  return { registry, middleware, handler };
}

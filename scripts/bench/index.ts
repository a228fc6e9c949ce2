import fs from 'node:fs';
import path from 'node:path';
import { localDir } from '../infra/paths';
import { step } from '../infra/step';
import { benchLatency, benchOnboardingStarts, type LatencyFigures, type StartFigures } from './api';
import { LINES_PER_PARTNER, benchClose, type CloseFigures } from './close';
import { removeProductionBuild, startBenchInfra } from './infra';

/**
 * `npm run bench [-- --lines 1000000,5000000] [--workers 2] [--scaling 250000] [--starts 300]
 * [--seconds 10] [--quick]`: the close against the physical limit, the close on several
 * worker processes, the close's scaling, the
 * cost of the HTTP API on onboarding starts and on latency — each as a ratio measured in
 * the same run, on the benchmark's own PostgreSQL and Temporal dev server. Prints tables and
 * writes them as JSON and Markdown to .local/bench/.
 */
interface Options {
  only: string[];
  lines: number[];
  scaling: number;
  starts: number;
  seconds: number;
  /** Worker processes of the close on several workers. */
  workers: number;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const list = (text: string | undefined, fallback: number[]) =>
    text ? text.split(',').map((n) => Number(n.replace(/_/g, ''))) : fallback;
  return {
    only: (value('only') ?? 'close,workers,scaling,starts,latency').split(','),
    workers: Number(value('workers') ?? 2),
    // --large: the close at 5M and 20M lines (about 12,000 partners), to show the time linear
    // in the lines and the worker's memory flat.
    lines: list(
      value('lines'),
      quick
        ? [100_000, 200_000]
        : argv.includes('--large')
          ? [5_000_000, 20_000_000]
          : [1_000_000, 5_000_000],
    ),
    scaling: Number(value('scaling') ?? (quick ? 50_000 : 250_000)),
    starts: Number(value('starts') ?? (quick ? 50 : 300)),
    seconds: Number(value('seconds') ?? (quick ? 3 : 10)),
  };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(headers),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...cells.slice(1).map(line),
  ].join('\n');
}

function partnersFor(lines: number): number {
  return Math.max(1, Math.round(lines / LINES_PER_PARTNER));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const infra = await step('benchmark PostgreSQL and Temporal dev server', startBenchInfra);
  const closes: CloseFigures[] = [];
  const scaling: CloseFigures[] = [];
  const spread: CloseFigures[] = [];
  let starts: StartFigures | undefined;
  let latency: LatencyFigures[] = [];
  try {
    const run = (name: string) => options.only.includes(name);
    for (const lines of run('close') ? options.lines : []) {
      closes.push(
        await step(`close of ~${fmt(lines)} lines`, () => benchClose(infra, partnersFor(lines))),
      );
    }
    // The same close on one worker process and on several polling one task queue: how the
    // close scales past one machine (here both share the machine's cores with PostgreSQL).
    for (const workers of run('workers') ? [1, options.workers] : []) {
      spread.push(
        await step(`close of ~${fmt(options.lines[0] ?? 0)} lines on ${workers} worker(s)`, () =>
          benchClose(infra, partnersFor(options.lines[0] ?? 0), workers),
        ),
      );
    }
    for (const factor of run('scaling') ? [1, 2, 4] : []) {
      scaling.push(
        await step(`scaling ${factor}× (~${fmt(options.scaling * factor)} lines)`, () =>
          benchClose(infra, partnersFor(options.scaling * factor)),
        ),
      );
    }
    if (run('starts')) {
      starts = await step(`${options.starts} onboarding starts, HTTP and raw`, () =>
        benchOnboardingStarts(infra, options.starts),
      );
    }
    if (run('latency')) {
      latency = await step(`API latency, ${options.seconds} s per route`, () =>
        benchLatency(infra, options.seconds),
      );
    }
  } finally {
    await infra.stop();
    removeProductionBuild();
  }

  const out: string[] = [];
  out.push('### Close vs. the physical limit', '');
  out.push(
    table(
      [
        'lines',
        'partners',
        '(a) aggregate s',
        '(a) lines/s',
        '(b) close s',
        '(b) lines/s',
        '(b)/(a)',
        'invoices',
        'reconciliation difference',
        'worker MiB at start',
        'worker peak MiB',
      ],
      closes.map((c) => [
        fmt(c.lines),
        fmt(c.partners),
        fmt(c.aggregateSeconds, 2),
        fmt(c.lines / c.aggregateSeconds),
        fmt(c.closeSeconds, 2),
        fmt(c.lines / c.closeSeconds),
        `${fmt(c.closeSeconds / c.aggregateSeconds, 2)}×`,
        fmt(c.invoices),
        c.reconciliationDifference ?? '—',
        fmt(c.workerStartMiB),
        fmt(c.workerPeakMiB),
      ]),
    ),
  );
  const single = spread[0];
  if (single) {
    out.push('', '### The close on several worker processes', '');
    out.push(
      table(
        [
          'workers',
          'lines',
          'close s',
          'time vs one worker',
          'activities per worker',
          'invoices',
          'reconciliation difference',
          'peak MiB per worker',
        ],
        spread.map((c) => [
          fmt(c.workers),
          fmt(c.lines),
          fmt(c.closeSeconds, 2),
          `${fmt(c.closeSeconds / single.closeSeconds, 2)}×`,
          c.activitiesByWorker.join(' + '),
          fmt(c.invoices),
          c.reconciliationDifference ?? '—',
          fmt(c.workerPeakMiB),
        ]),
      ),
    );
  }
  const base = scaling[0];
  out.push('', '### Scaling', '');
  out.push(
    table(
      [
        'factor',
        'lines',
        'partners',
        'close s',
        'time ratio',
        'lines/s',
        'worker MiB at start',
        'worker peak MiB',
      ],
      scaling.map((c, i) => [
        `${[1, 2, 4][i]}×`,
        fmt(c.lines),
        fmt(c.partners),
        fmt(c.closeSeconds, 2),
        base ? `${fmt(c.closeSeconds / base.closeSeconds, 2)}×` : '',
        fmt(c.lines / c.closeSeconds),
        fmt(c.workerStartMiB),
        fmt(c.workerPeakMiB),
      ]),
    ),
  );
  if (latency.length === 0) latency = [];
  if (starts) {
    out.push('', '### Onboarding starts', '');
    out.push(
      table(
        [
          'applications',
          'HTTP API starts/s',
          'raw starts/s',
          'HTTP/raw',
          'raw start + recorded/s',
          'HTTP/(raw + recorded)',
        ],
        [
          [
            fmt(starts.applications),
            fmt(starts.httpPerSecond, 1),
            fmt(starts.rawPerSecond, 1),
            `${fmt(starts.httpPerSecond / starts.rawPerSecond, 2)}×`,
            fmt(starts.rawRecordedPerSecond, 1),
            `${fmt(starts.httpPerSecond / starts.rawRecordedPerSecond, 2)}×`,
          ],
        ],
      ),
    );
  }
  const bare = latency[0];
  out.push('', '### API latency (20 connections, loopback)', '');
  out.push(
    table(
      ['route', 'p50 ms', 'p99 ms', 'req/s', 'p50 vs bare', 'p99 vs bare'],
      latency.map((l) => [
        l.route,
        fmt(l.p50, 1),
        fmt(l.p99, 1),
        fmt(l.requestsPerSecond),
        bare ? `${fmt(l.p50 / Math.max(bare.p50, 0.01), 1)}×` : '',
        bare ? `${fmt(l.p99 / Math.max(bare.p99, 0.01), 1)}×` : '',
      ]),
    ),
  );
  const text = out.join('\n');
  process.stdout.write(`\n${text}\n\n`);
  const dir = path.join(localDir, 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(dir, `bench-${stamp}.md`), `${text}\n`);
  fs.writeFileSync(
    path.join(dir, `bench-${stamp}.json`),
    JSON.stringify({ options, closes, spread, scaling, starts, latency }, null, 2),
  );
  process.stdout.write(
    `Written to ${path.relative(process.cwd(), dir)}/bench-${stamp}.{md,json}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

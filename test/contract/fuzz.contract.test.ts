import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTokenService, type Role } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { ensurePythonTools } from '../../scripts/infra/python-tools';
import { run } from '../../scripts/infra/process';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, uniqueTaskQueue } from '../support/env';

/**
 * Schemathesis over every operation of /openapi.json, once per role, against the API and a
 * worker on the test setup's PostgreSQL and Temporal dev server. Every response must be
 * documented: its status, content type, headers and body schema; no 5xx.
 */
const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 5);
const ROLES = ['partner', 'manager', 'finance', 'billing-system', 'presale'] as const;
const PARALLEL = Math.max(1, Number(process.env.FUZZ_PARALLEL ?? 2));

/**
 * Left out, each for a reason outside the contract the document states:
 * - positive_data_acceptance: a schema-valid request may still be refused by a business rule
 *   (a random UUID names no application: 404; a random month is outside the closable range).
 * - ignored_auth / object_level_authorization are about a second identity's data, which
 *   random ids never reach; the e2e tests cover access per organization.
 */
const EXCLUDED_CHECKS = ['positive_data_acceptance', 'ignored_auth', 'object_level_authorization'];

interface RoleRun {
  role: Role;
  operations: number;
  requests: number;
  failures: string[];
  output: string;
}

describe('contract fuzzing with Schemathesis', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('fuzz') });
  let worker: RunningWorker;
  let api: RunningApi;
  const tokens: Partial<Record<Role, string>> = {};
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'schemathesis-'));

  beforeAll(async () => {
    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    const issuer = createTokenService(config.auth);
    tokens.partner = await issuer.issue({
      subject: 'fuzz-partner',
      role: 'partner',
      organizationId: `org-fuzz-${Date.now().toString(36)}`,
    });
    for (const role of ['manager', 'finance', 'billing-system', 'presale'] as const) {
      tokens[role] = await issuer.issue({ subject: `fuzz-${role}`, role });
    }
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    fs.rmSync(reports, { recursive: true, force: true });
  });

  /**
   * Each role gets every phase (examples, boundary coverage, random fuzzing) on the operations
   * it may call, and a short random pass over the others, which answer 403 before any input
   * is read: every operation for every role. The ten Schemathesis runs go FUZZ_PARALLEL at a
   * time (2 by default): each spends much of its time starting Python and waiting on the API.
   */
  async function fuzzAll(): Promise<RoleRun[]> {
    const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; 'x-roles': string[] }>>;
    };
    const all = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    const tasks = ROLES.flatMap((role) => {
      const own = all.filter((o) => o['x-roles'].length === 0 || o['x-roles'].includes(role));
      const others = all.filter((o) => !own.includes(o));
      return [
        () => schemathesis(role, 'own', own, ['examples', 'coverage', 'fuzzing']),
        () => schemathesis(role, 'others', others, ['fuzzing']),
      ];
    });
    const results = await atMost(PARALLEL, tasks);
    return ROLES.map((role) => {
      const [first, second] = results.filter((r) => r.role === role) as [RoleRun, RoleRun];
      return {
        role,
        operations: first.operations + second.operations,
        requests: first.requests + second.requests,
        failures: [...first.failures, ...second.failures],
        output: `${first.output}\n${second.output}`,
      };
    });
  }

  async function schemathesis(
    role: Role,
    name: string,
    operations: { operationId: string }[],
    phases: string[],
  ): Promise<RoleRun> {
    if (operations.length === 0)
      return { role, operations: 0, requests: 0, failures: [], output: '' };
    const tools = await ensurePythonTools();
    const report = path.join(reports, `${role}-${name}.ndjson`);
    const cwd = fs.mkdtempSync(path.join(reports, `${role}-${name}-`));
    const args = [
      ...tools.schemathesis,
      'run',
      `${api.url}/openapi.json`,
      '--url',
      api.url,
      '--checks',
      'all',
      '--exclude-checks',
      EXCLUDED_CHECKS.join(','),
      '--max-examples',
      String(MAX_EXAMPLES),
      '--phases',
      phases.join(','),
      ...operations.flatMap((o) => ['--include-operation-id', o.operationId]),
      '--seed',
      '12',
      '--workers',
      '2',
      '--no-shrink',
      '--request-timeout',
      '10',
      '--suppress-health-check',
      'all',
      '--header',
      `Authorization: Bearer ${tokens[role]}`,
      '--report',
      'ndjson',
      '--report-ndjson-path',
      report,
    ];
    const result = await run(tools.python, args, {
      // A folder of each run's own: Schemathesis keeps a cache in the working directory, and
      // runs side by side must not share it.
      cwd,
      env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_HOOKS: '' },
    }).then(
      (r) => ({ output: r.stdout + r.stderr }),
      (error: Error) => ({ output: error.message }),
    );
    return { role, ...summarize(report), output: result.output };
  }

  async function operationCount(): Promise<number> {
    const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<string, object>;
    };
    return Object.values(document.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
  }

  it('finds no server errors and no violations of the document, for every role', async () => {
    const runs = await fuzzAll();
    for (const r of runs) {
      process.stdout.write(
        `Schemathesis as ${r.role}: ${r.operations} operations, ${r.requests} requests, ` +
          `${r.failures.length} failures\n`,
      );
      if (r.failures.length > 0) process.stdout.write(`${r.output.slice(-6000)}\n`);
    }
    // Every operation of the document, for every role.
    expect(runs.map((r) => r.operations)).toEqual(ROLES.map(() => expect.any(Number) as number));
    const documented = await operationCount();
    expect(runs.every((r) => r.operations === documented)).toBe(true);
    expect(runs.flatMap((r) => r.failures.map((f) => `${r.role}: ${f}`))).toEqual([]);
  }, 600_000);
});

/** Runs the tasks, at most `limit` at a time; the results keep the tasks' order. */
async function atMost<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}

/** Counts from Schemathesis' NDJSON event stream: one ScenarioFinished per test case run. */
function summarize(file: string): Pick<RoleRun, 'operations' | 'requests' | 'failures'> {
  interface Check {
    name: string;
    status: string;
    failure_info?: { failure?: { operation?: string; message?: string } };
  }
  interface Scenario {
    recorder?: { label?: string; interactions?: object; checks?: Record<string, Check[]> };
  }
  const operations = new Set<string>();
  let requests = 0;
  const failures = new Set<string>();
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const scenario = (JSON.parse(line) as { ScenarioFinished?: Scenario }).ScenarioFinished;
    const recorder = scenario?.recorder;
    if (!recorder) continue;
    if (recorder.label) operations.add(recorder.label);
    requests += Object.keys(recorder.interactions ?? {}).length;
    for (const check of Object.values(recorder.checks ?? {}).flat()) {
      if (check.status !== 'failure') continue;
      const failure = check.failure_info?.failure;
      const message = (failure?.message ?? '').split('\n').filter(Boolean).join(' | ');
      failures.add(`${failure?.operation ?? recorder.label}: ${check.name}: ${message}`);
    }
  }
  return { operations: operations.size, requests, failures: [...failures] };
}

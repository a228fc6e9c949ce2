import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createTokenService } from '../../api/http/auth';
import { startApi } from '../../api/server';
import { loadConfig, type Config } from '../../config';
import {
  ONBOARDING_WORKFLOW_TYPE,
  applicationStateQuery,
  onboardingWorkflowId,
} from '../../workflows/partner-onboarding.contracts';
import pg from 'pg';
import { generateDemoMonth } from '../demo';
import { startWorkerProcess, type BenchInfra } from './infra';
import { BENCH_CODEC_KEYS, benchDataConverter } from './codec';

export interface StartFigures {
  applications: number;
  httpPerSecond: number;
  rawPerSecond: number;
  /** Raw starts that also wait, as the API does, until the application is recorded. */
  rawRecordedPerSecond: number;
}

export interface LatencyFigures {
  route: string;
  p50: number;
  p99: number;
  requestsPerSecond: number;
}

function benchConfig(infra: BenchInfra, taskQueue: string): Config {
  const base = loadConfig({
    ...process.env,
    DATABASE_URL: infra.databaseUrl,
    TEMPORAL_ADDRESS: infra.temporalAddress,
    TEMPORAL_CODEC_KEYS: BENCH_CODEC_KEYS,
    TEMPORAL_CODEC_KEY_ID: 'bench',
    LOG_LEVEL: 'silent',
  });
  return { ...base, temporal: { ...base.temporal, taskQueue } };
}

/** Runs `count` jobs with at most `concurrency` in flight; returns jobs per second. */
async function throughput(count: number, concurrency: number, job: (i: number) => Promise<void>) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await job(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/**
 * Onboarding starts: applications started through the HTTP API (auth, validation, the
 * workflow start, the first step recorded) against bare Temporal client starts of the same
 * workflow, on the same dev server and worker.
 */
export async function benchOnboardingStarts(
  infra: BenchInfra,
  count: number,
): Promise<StartFigures> {
  await infra.resetDatabase();
  const taskQueue = `bench-onb-${randomUUID().slice(0, 8)}`;
  const config = benchConfig(infra, taskQueue);
  const worker = await startWorkerProcess(
    {
      DATABASE_URL: infra.databaseUrl,
      TEMPORAL_ADDRESS: infra.temporalAddress,
      TEMPORAL_CODEC_KEYS: BENCH_CODEC_KEYS,
      TEMPORAL_CODEC_KEY_ID: 'bench',
    },
    taskQueue,
  );
  const api = await startApi(config, { port: 0 });
  const connection = await Connection.connect({ address: infra.temporalAddress });
  try {
    const tokens = createTokenService(config.auth);
    const stamp = Date.now().toString(36);
    const tokenList = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        tokens.issue({ subject: `u${i}`, role: 'partner', organizationId: `org-h-${stamp}-${i}` }),
      ),
    );
    const httpPerSecond = await throughput(count, 20, async (i) => {
      const res = await fetch(`${api.url}/v1/applications`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokenList[i]}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ identityMethod: 'new_id' }),
      });
      if (res.status !== 201) throw new Error(`start answered ${res.status}`);
      await res.arrayBuffer();
    });
    const client = new Client({ connection, dataConverter: benchDataConverter });
    const rawPerSecond = await throughput(count, 20, async (i) => {
      const organizationId = `org-r-${stamp}-${i}`;
      await client.workflow.start(ONBOARDING_WORKFLOW_TYPE, {
        taskQueue,
        workflowId: onboardingWorkflowId(organizationId),
        args: [
          {
            applicationId: randomUUID(),
            organizationId,
            identityMethod: 'new_id',
            startedBy: `u${i}`,
            startedAt: new Date().toISOString(),
            referralProgramOpen: true,
          },
        ],
      });
    });
    const rawRecordedPerSecond = await throughput(count, 20, async (i) => {
      const organizationId = `org-w-${stamp}-${i}`;
      const handle = await client.workflow.start(ONBOARDING_WORKFLOW_TYPE, {
        taskQueue,
        workflowId: onboardingWorkflowId(organizationId),
        args: [
          {
            applicationId: randomUUID(),
            organizationId,
            identityMethod: 'new_id',
            startedBy: `u${i}`,
            startedAt: new Date().toISOString(),
            referralProgramOpen: true,
          },
        ],
      });
      for (;;) {
        const state = await handle.query(applicationStateQuery);
        if (state.recorded) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    return { applications: count, httpPerSecond, rawPerSecond, rawRecordedPerSecond };
  } finally {
    await connection.close();
    await api.close();
    await worker.stop();
  }
}

async function load(url: string, headers: Record<string, string>, seconds: number) {
  const result = await autocannon({ url, headers, connections: 20, duration: seconds });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    requestsPerSecond: result.requests.average,
    non2xx: result.non2xx,
  };
}

/**
 * API latency under loopback load: an application's status and a partner's running invoice
 * against a bare Express route served by the same process.
 */
export async function benchLatency(infra: BenchInfra, seconds: number): Promise<LatencyFigures[]> {
  await infra.resetDatabase();
  const taskQueue = `bench-lat-${randomUUID().slice(0, 8)}`;
  const config = benchConfig(infra, taskQueue);
  const db = new pg.Client({ connectionString: infra.databaseUrl });
  await db.connect();
  // One demo partner with a month of consumption for the running invoice.
  const month = new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 7);
  await generateDemoMonth(db, { partners: 1, customers: 20, days: 28, month });
  await db.end();
  const worker = await startWorkerProcess(
    {
      DATABASE_URL: infra.databaseUrl,
      TEMPORAL_ADDRESS: infra.temporalAddress,
      TEMPORAL_CODEC_KEYS: BENCH_CODEC_KEYS,
      TEMPORAL_CODEC_KEY_ID: 'bench',
    },
    taskQueue,
  );
  const api = await startApi(config, { port: 0 });
  const bare = express();
  bare.get('/bare', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const bareServer = bare.listen(0);
  try {
    const tokens = createTokenService(config.auth);
    const applicant = await tokens.issue({
      subject: 'u-lat',
      role: 'partner',
      organizationId: 'org-lat',
    });
    const partner = await tokens.issue({
      subject: 'u-demo',
      role: 'partner',
      organizationId: 'org-demo-1',
    });
    const created = await fetch(`${api.url}/v1/applications`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${applicant}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ identityMethod: 'new_id' }),
    });
    const { applicationId } = (await created.json()) as { applicationId: string };
    const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/bare`;
    const figures: LatencyFigures[] = [];
    const bareLoad = await load(bareUrl, {}, seconds);
    figures.push({ route: 'bare Express route', ...bareLoad });
    for (const [route, url, token] of [
      ['GET /v1/applications/{id}', `${api.url}/v1/applications/${applicationId}`, applicant],
      [
        'GET /v1/partners/me/invoices/preview',
        `${api.url}/v1/partners/me/invoices/preview`,
        partner,
      ],
    ] as const) {
      const measured = await load(url, { Authorization: `Bearer ${token}` }, seconds);
      if (measured.non2xx > 0) throw new Error(`${route}: ${measured.non2xx} non-2xx answers`);
      figures.push({ route, ...measured });
    }
    return figures;
  } finally {
    bareServer.close();
    await api.close();
    await worker.stop();
  }
}

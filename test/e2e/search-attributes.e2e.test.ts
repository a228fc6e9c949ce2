import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DEVELOPMENT_PRINCIPALS, createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { ensureTemporalCli } from '../../scripts/infra/temporal-cli';
import { startWorker, type RunningWorker } from '../../worker/worker';
import { testConfig, uniqueTaskQueue } from '../support/env';

const run = promisify(execFile);

/**
 * Operators find an application's run in Temporal by its organization, with the real
 * Temporal CLI against the dev server the tests run on: the workflow sets its typed search
 * attributes itself.
 */
describe('workflows findable in Temporal', () => {
  const config = testConfig({ taskQueue: uniqueTaskQueue('e2e-search') });
  const organizationId = `org-1002-sa-${Math.random().toString(36).slice(2, 8)}`;
  let worker: RunningWorker;
  let api: RunningApi;
  let token: string;
  let cli: string;

  beforeAll(async () => {
    cli = await ensureTemporalCli();
    worker = await startWorker(config, { schedules: false });
    api = await startApi(config, { port: 0 });
    const boris = DEVELOPMENT_PRINCIPALS.find((p) => p.subject === 'user-boris');
    token = await createTokenService(config.auth).issue({
      ...(boris as (typeof DEVELOPMENT_PRINCIPALS)[number]),
      organizationId,
    });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
  });

  /** `temporal workflow list --query …`; visibility is eventually consistent, so it retries. */
  async function list(
    query: string,
    expected: number,
  ): Promise<{ execution: { workflowId: string } }[]> {
    let rows: { execution: { workflowId: string } }[] = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      const { stdout } = await run(cli, [
        'workflow',
        'list',
        '--address',
        config.temporal.address as string,
        '--namespace',
        config.temporal.namespace,
        '--query',
        query,
        '--output',
        'json',
      ]);
      rows = stdout.trim() ? (JSON.parse(stdout) as typeof rows) : [];
      if (rows.length >= expected) return rows;
      await new Promise((r) => setTimeout(r, 250));
    }
    return rows;
  }

  it('lists an application by PartnerOrganizationId and by its status', async () => {
    const res = await fetch(`${api.url}/v1/applications`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ identityMethod: 'new_id' }),
    });
    expect(res.status).toBe(201);
    const byOrganization = await list(`PartnerOrganizationId="${organizationId}"`, 1);
    expect(byOrganization.map((r) => r.execution.workflowId)).toEqual([
      `partner-onboarding:${organizationId}`,
    ]);
    const drafts = await list(
      `PartnerOrganizationId="${organizationId}" AND ApplicationStatus="draft"`,
      1,
    );
    expect(drafts).toHaveLength(1);
    expect(await list(`PartnerOrganizationId="${organizationId}-other"`, 0)).toEqual([]);
  });
});

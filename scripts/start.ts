import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, loadEnvFile, type Config } from '../config';
import { migrate } from '../prisma/migrator';
import { createDatabase } from '../prisma/client';
import { seedDevelopmentData } from '../prisma/seed';
import { DEVELOPMENT_PRINCIPALS, createTokenService } from '../api/http/auth';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { ensureDatabase } from './infra/database';
import { localDir, projectRoot } from './infra/paths';
import { killStale, removePid, writePid } from './infra/pidfile';
import { startPostgres } from './infra/postgres';
import { step, note } from './infra/step';
import { ensureTemporalCli } from './infra/temporal-cli';
import { buildWeb } from './infra/web';
import { startTemporalDevServer } from './infra/temporal-dev-server';
import { DEV_IDP_PASSWORD } from './infra/dev-idp';
import { developmentCodecKeys } from './infra/codec-key';

/**
 * `npm start`: the whole system on this machine. Provisions what is missing, starts the
 * project's own PostgreSQL and Temporal dev server (unless DATABASE_URL / TEMPORAL_ADDRESS
 * name existing ones), applies migrations, runs the worker and the API, prints the URLs.
 * Ctrl-C stops everything it started; the data stays in .local/ for the next start.
 */
const stoppers: { name: string; stop: () => Promise<void> }[] = [];
let stopping = false;

async function shutdown(code: number): Promise<void> {
  // The terminal sends Ctrl-C to the whole process group and tsx relays it as well, so
  // repeated signals are expected: the first one stops everything, the rest are ignored.
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nStopping…\n');
  for (const { name, stop } of [...stoppers].reverse()) {
    await step(`stop ${name}`, stop).catch(() => undefined);
  }
  process.exit(code);
}

function runChild(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const pidFile = path.join(localDir, 'run', `${name}.pid`);
  if (child.pid) writePid(pidFile, child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    removePid(pidFile);
    if (!stopping) {
      process.stderr.write(
        `${name} exited unexpectedly (${signal ?? code}); stopping everything\n`,
      );
      void shutdown(1);
    }
  });
  stoppers.push({
    name,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  });
  return child;
}

async function waitForHealth(url: string, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/healthz`);
      last = await res.json();
      if (res.ok) return last;
    } catch (error) {
      last = error instanceof Error ? error.message : error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `The API did not report healthy within ${timeoutMs / 1000} s: ${JSON.stringify(last)}`,
  );
}

/** The dev IdP's issuer when this start runs it: development, OIDC_ISSUER not elsewhere. */
function devIdpIssuer(config: Config): string | undefined {
  const own = `http://localhost:${config.devIdp.port}`;
  return config.env === 'development' && config.oidc?.issuer === own ? own : undefined;
}

async function waitForIssuer(issuer: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${issuer}/.well-known/openid-configuration`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`${issuer} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const started = Date.now();
  loadEnvFile();
  const config: Config = loadConfig();
  fs.mkdirSync(localDir, { recursive: true });

  let databaseUrl = config.databaseUrl;
  if (databaseUrl) {
    note(`using DATABASE_URL (${new URL(databaseUrl).host})`);
  } else {
    const pg = await step('PostgreSQL', () =>
      startPostgres({ home: path.join(localDir, 'postgres'), port: config.postgres.port }),
    );
    stoppers.push({ name: 'PostgreSQL', stop: () => pg.stop() });
    databaseUrl = pg.url(config.postgres.database);
    const url = databaseUrl;
    await step(`database ${config.postgres.database}`, async () => {
      note((await ensureDatabase(url)) ? 'created' : 'exists');
    });
  }
  const dbUrl = databaseUrl;

  let temporalAddress = config.temporal.address;
  let uiUrl: string | undefined = config.temporal.uiUrl;
  if (temporalAddress) {
    note(`using TEMPORAL_ADDRESS=${temporalAddress}`);
  } else {
    const cli = await step('Temporal CLI', ensureTemporalCli);
    const pidFile = path.join(localDir, 'run', 'temporal.pid');
    if (await killStale(pidFile, 'start-dev'))
      note('stopped a dev server left over from an earlier start');
    const server = await step('Temporal dev server', () =>
      startTemporalDevServer({
        cli,
        port: config.temporal.devServerPort,
        uiPort: config.temporal.uiPort,
        dbFile: path.join(localDir, 'temporal', 'dev-server.sqlite'),
        namespace: config.temporal.namespace,
        logFile: path.join(localDir, 'logs', 'temporal.log'),
        searchAttributes: SEARCH_ATTRIBUTES,
        // The Web UI shows the encrypted payloads decoded by the API (docs/PAYLOAD-ENCRYPTION.md).
        codecEndpoint: `http://localhost:${config.port}/codec`,
        onStarted: (pid) => writePid(pidFile, pid),
      }),
    );
    stoppers.push({
      name: 'Temporal dev server',
      stop: async () => {
        await server.stop();
        removePid(pidFile);
      },
    });
    temporalAddress = server.address;
    uiUrl = server.uiUrl;
  }

  await step('migrations', async () => {
    const result = await migrate(dbUrl);
    for (const name of result.applied) note(`applied ${name}`);
    note(`${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
  });

  if (config.env !== 'production') {
    await step('development data', async () => {
      const db = createDatabase(dbUrl, { poolSize: 1 });
      try {
        await seedDevelopmentData(db);
      } finally {
        await db.$disconnect();
      }
    });
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: dbUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_UI_URL: uiUrl,
    PORT: String(config.port),
  };
  // Payloads in Temporal are encrypted in development too, under this clone's own key.
  if (config.env === 'development' && !config.payloadEncryption) {
    env.TEMPORAL_CODEC_KEYS = developmentCodecKeys();
    delete env.TEMPORAL_CODEC_KEY_ID;
  }
  for (const name of ['worker', 'api']) {
    await killStale(path.join(localDir, 'run', `${name}.pid`), `${name}/main.ts`);
  }
  await step('web portal', buildWeb);
  // The development identity provider the portal signs in with (docs/SIGN-IN.md), unless
  // OIDC_ISSUER names another one.
  const devIdp = devIdpIssuer(config);
  if (devIdp) {
    await killStale(path.join(localDir, 'run', 'dev-idp.pid'), 'scripts/dev-idp.ts');
    await step('development identity provider', async () => {
      runChild('dev-idp', 'scripts/dev-idp.ts', env);
      await waitForIssuer(devIdp, 30_000);
    });
  }
  await step('worker', () => Promise.resolve(runChild('worker', 'worker/main.ts', env)));
  const apiUrl = `http://localhost:${config.port}`;
  await step('API', async () => {
    runChild('api', 'api/main.ts', env);
    await waitForHealth(apiUrl, 60_000);
  });

  // Where this system runs, for the project's commands (npm run demo, …) to find it.
  fs.writeFileSync(
    path.join(localDir, 'runtime.json'),
    JSON.stringify({ apiUrl, databaseUrl: dbUrl, temporalAddress, temporalUiUrl: uiUrl }, null, 2),
  );
  stoppers.push({
    name: 'runtime file',
    stop: () => Promise.resolve(fs.rmSync(path.join(localDir, 'runtime.json'), { force: true })),
  });

  const lines = [
    '',
    `Partner platform is up (${((Date.now() - started) / 1000).toFixed(1)} s). Ctrl-C stops everything.`,
    '',
    `  Portal         ${apiUrl}/  (partners, managers, finance)`,
    `  API            ${apiUrl}/v1`,
    `  API docs       ${apiUrl}/docs  (OpenAPI: ${apiUrl}/openapi.json)`,
    `  Health         ${apiUrl}/healthz`,
    ...(devIdp
      ? [
          `  Sign-in (dev)  ${devIdp}  (development identity provider; every user's password: ${DEV_IDP_PASSWORD})`,
        ]
      : []),
    `  Metrics        ${apiUrl}/metrics`,
    `  Temporal UI    ${uiUrl ?? '(external cluster)'}`,
    `  Temporal gRPC  ${temporalAddress}`,
    `  PostgreSQL     ${dbUrl}`,
  ];
  if (config.env !== 'production') {
    const tokens = createTokenService(config.auth);
    const issued = await Promise.all(
      DEVELOPMENT_PRINCIPALS.map(async (p) => ({ ...p, token: await tokens.issue(p) })),
    );
    fs.writeFileSync(path.join(localDir, 'dev-tokens.json'), JSON.stringify(issued, null, 2));
    lines.push(
      '',
      `Sign in to the portal with "Sign in" (the identity provider lists these users), or use a token:`,
      '',
      'Development tokens (also in .local/dev-tokens.json; valid 30 days):',
    );
    for (const p of issued) lines.push(`  ${p.name}`, `    ${p.token}`);
    lines.push(
      '',
      'Try:',
      `  curl -s ${apiUrl}/healthz`,
      `  curl -s -X POST ${apiUrl}/v1/applications -H "Authorization: Bearer $(node -p "require('./.local/dev-tokens.json')[0].token")" -H 'Content-Type: application/json' -d '{"identityMethod":"new_id"}'`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch(async (error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  await shutdown(1);
});

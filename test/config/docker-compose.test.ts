import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

/**
 * Structure and wiring of the container setup: docker-compose.yml, its operator override,
 * Temporal's dynamic configuration, Dockerfile, .dockerignore and .env.example. Nothing is
 * built or started (there may be no Docker engine); each check collects the problems it finds,
 * worded as what someone running `docker compose up` would run into. Where the Docker CLI has
 * the compose plugin, `docker compose config` validates the file as well.
 */

const root = path.resolve(__dirname, '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

// ---- docker-compose.yml ---------------------------------------------------------------------

type EnvironmentSpec = Record<string, string | number | boolean | null> | string[];
type PortSpec =
  string | number | { target?: number | string; published?: number | string; host_ip?: string };
type DependsOnSpec = string[] | Record<string, { condition?: string } | null>;

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; target?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: EnvironmentSpec;
  ports?: PortSpec[];
  profiles?: string[];
  depends_on?: DependsOnSpec;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  secrets?: (string | { source?: string })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
}

interface ComposeFile {
  version?: unknown;
  services?: Record<string, Service>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { environment?: string; file?: string }>;
}

// `merge: true`: the file shares settings with YAML merge keys (`<<: *app-environment`), as
// compose itself reads them.
const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const services: Record<string, Service> = compose.services ?? {};
const operatorOverride = parse(read('ops/compose/temporal-grpc.yml'), {
  merge: true,
}) as ComposeFile;

const APP_SERVICES = ['migrate', 'worker', 'api'] as const;
/** Run once to completion; everything else keeps running and reports its health. */
const ONE_SHOT_SERVICES = ['temporal-schema', 'temporal-namespace', 'migrate'] as const;
const EXPECTED_SERVICES = [
  'postgres',
  'temporal-postgresql',
  'temporal-schema',
  'temporal',
  'temporal-namespace',
  'temporal-ui',
  ...APP_SERVICES,
  'prometheus',
  'grafana',
] as const;
/** Services started only with `--profile <name>`. */
const PROFILED: Record<string, string> = {
  'temporal-ui': 'operator',
  prometheus: 'observability',
  grafana: 'observability',
};

/** The npm script each app service runs, and what breaks when it is wrong. */
const APP_COMMANDS: Record<(typeof APP_SERVICES)[number], string> = {
  migrate: 'db:migrate',
  worker: 'worker:compiled',
  api: 'api:compiled',
};

/** Start-up order: [service, dependency, condition, what goes wrong without it]. */
const EXPECTED_DEPENDENCIES: [string, string, string, string][] = [
  [
    'temporal-schema',
    'temporal-postgresql',
    'service_healthy',
    'temporal-sql-tool fails with "connection refused"',
  ],
  [
    'temporal',
    'temporal-schema',
    'service_completed_successfully',
    'the server starts on a missing or outdated schema',
  ],
  [
    'temporal-namespace',
    'temporal',
    'service_healthy',
    'the namespace is created against a server that is not up yet',
  ],
  ['temporal-ui', 'temporal', 'service_healthy', 'the Web UI shows connection errors at first'],
  ['migrate', 'postgres', 'service_healthy', 'migrations fail with "connection refused"'],
  ['worker', 'temporal', 'service_healthy', 'the worker exits because Temporal is unreachable'],
  [
    'worker',
    'temporal-namespace',
    'service_completed_successfully',
    'the worker fails with "namespace not found" or workflows lack their search attributes',
  ],
  [
    'worker',
    'migrate',
    'service_completed_successfully',
    'activities hit tables that do not exist yet',
  ],
  ['api', 'migrate', 'service_completed_successfully', 'requests hit tables that do not exist yet'],
  ['api', 'worker', 'service_healthy', 'applications are started with nobody processing them'],
  ['prometheus', 'api', 'service_healthy', 'the first scrapes fail and fire PartnerApiDown'],
  ['grafana', 'prometheus', 'service_healthy', 'the dashboard opens on "no data"'],
];

/** Environment of a service as written in the file (before interpolation). */
function environmentOf(service: Service | undefined): Record<string, string> {
  const spec = service?.environment;
  if (!spec) return {};
  if (Array.isArray(spec)) {
    return Object.fromEntries(
      spec.map((entry) => {
        const at = entry.indexOf('=');
        return at === -1 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(spec).map(([key, value]) => [key, value === null ? '' : String(value)]),
  );
}

function dependenciesOf(service: Service | undefined): Record<string, string> {
  const spec = service?.depends_on;
  if (!spec) return {};
  if (Array.isArray(spec)) return Object.fromEntries(spec.map((name) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(spec).map(([name, value]) => [name, value?.condition ?? 'service_started']),
  );
}

function commandText(command: string | string[] | undefined): string {
  return Array.isArray(command) ? command.join(' ') : (command ?? '');
}

interface PublishedPort {
  service: string;
  /** Host address the port is bound to; empty = every address of the host. */
  hostIp: string;
  host: number;
  container: number;
}

function publishedPorts(from: Record<string, Service> = services): PublishedPort[] {
  const result: PublishedPort[] = [];
  for (const [service, definition] of Object.entries(from)) {
    for (const port of definition.ports ?? []) {
      if (typeof port === 'object') {
        if (port.published !== undefined && port.target !== undefined) {
          result.push({
            service,
            hostIp: port.host_ip ?? '',
            host: Number(port.published),
            container: Number(port.target),
          });
        }
        continue;
      }
      const parts = String(port)
        .replace(/\/(tcp|udp)$/, '')
        .split(':');
      if (parts.length < 2) continue; // container port only: nothing published on a fixed port
      result.push({
        service,
        hostIp: parts.length > 2 ? parts.slice(0, -2).join(':') : '',
        host: Number(parts[parts.length - 2]),
        container: Number(parts[parts.length - 1]),
      });
    }
  }
  return result;
}

// ---- interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, $VAR; $$ is a literal $ ----------

const ESCAPED_DOLLAR = '\u0000';
const VARIABLE =
  /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

interface VariableUse {
  name: string;
  operator?: string;
  fallback?: string;
}

function variablesIn(text: string): VariableUse[] {
  const uses: VariableUse[] = [];
  for (const match of text.replaceAll('$$', ESCAPED_DOLLAR).matchAll(VARIABLE)) {
    const name = match[1] ?? match[4];
    if (name) uses.push({ name, operator: match[2], fallback: match[3] });
  }
  return uses;
}

/** What compose makes of a value when no variable is set (no .env, empty environment). */
function withDefaults(text: string): string {
  return text
    .replaceAll('$$', ESCAPED_DOLLAR)
    .replace(VARIABLE, (_whole, _braced, operator?: string, fallback?: string) =>
      operator === ':-' || operator === '-' ? (fallback ?? '') : '',
    )
    .replaceAll(ESCAPED_DOLLAR, '$');
}

/** Every string value in the file (keys of extension fields included, comments not). */
function stringsIn(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(stringsIn);
  if (node && typeof node === 'object') return Object.values(node).flatMap(stringsIn);
  return [];
}

const composeVariables = stringsIn(compose).flatMap(variablesIn);

// ---- .env.example and the app's configuration ---------------------------------------------

const envExample = read('.env.example');
const envExampleEntries = new Map(
  [...envExample.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]),
);

/** Keys of the zod schema in config/index.ts, read from the source text. */
function configKeys(): string[] {
  const source = read('config/index.ts');
  const start = source.indexOf('.object(');
  const end = source.indexOf('.superRefine(', start);
  const body = source.slice(start, end === -1 ? undefined : end);
  return [...body.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*:/gm)].map((m) => m[1]!);
}

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const packageJson = JSON.parse(read('package.json')) as PackageJson;

// ---- Dockerfile -----------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  base: string;
  name?: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*#/.test(raw)) continue; // comments and parser directives
    if (/\\\s*$/.test(raw)) {
      pending += raw.replace(/\\\s*$/, ' ');
      continue;
    }
    const line = (pending + raw).trim();
    pending = '';
    if (line) logical.push(line);
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const words = rest.filter((word) => !word.startsWith('--'));
      const as = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({
        base: words[0] ?? '',
        name: as === -1 ? undefined : words[as + 1],
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/**
 * Sources of a COPY (flags and destination left out), relative to the working directory:
 * "./prisma/" -> "prisma", and for `COPY --from=stage /app/x` with WORKDIR /app -> "x".
 */
function copySources(args: string, workdir = '/'): string[] {
  const words = args.trim().startsWith('[')
    ? (JSON.parse(args) as string[])
    : args.split(/\s+/).filter((word) => !word.startsWith('--'));
  const base = workdir.replace(/\/+$/, '');
  return words.slice(0, -1).map((source) => {
    const trimmed = source.replace(/\/+$/, '');
    const relative =
      base && trimmed === base
        ? '.'
        : base && trimmed.startsWith(`${base}/`)
          ? trimmed.slice(base.length + 1)
          : trimmed;
    return relative.replace(/^\.\//, '') || '.';
  });
}

function copyBrings(sources: string[], file: string): boolean {
  return sources.some(
    (source) => source === '.' || source === file || file.startsWith(`${source}/`),
  );
}

function execText(args: string): string {
  return args.trim().startsWith('[') ? (JSON.parse(args) as string[]).join(' ') : args;
}

const dockerfile = parseDockerfile(read('Dockerfile'));
const stageNames = dockerfile.map((stage) => stage.name).filter(Boolean);
const finalStage = dockerfile.at(-1);

/** Base image a stage ends up on, following `FROM <earlier stage>`. */
function baseImageOf(stage: Stage): string {
  let base = stage.base;
  for (let hops = 0; hops < dockerfile.length; hops += 1) {
    const parent = dockerfile.find((candidate) => candidate.name === base);
    if (!parent) break;
    base = parent.base;
  }
  return base;
}

/** Instructions that run for a stage, those of the stages it is built FROM first. */
function effectiveInstructions(stage: Stage): Instruction[] {
  const parent = dockerfile.find((candidate) => candidate.name === stage.base);
  return parent && parent !== stage
    ? [...effectiveInstructions(parent), ...stage.instructions]
    : stage.instructions;
}

// ---- the docker CLI, where it has the compose plugin ----------------------------------------

/** Secrets compose requires (`${VAR:?…}`); dummy values let `docker compose config` run. */
const REQUIRED_SECRETS = [
  'POSTGRES_PASSWORD',
  'TEMPORAL_DB_PASSWORD',
  'AUTH_SECRET',
  'METRICS_TOKEN',
  'TEMPORAL_CODEC_KEYS',
  'GRAFANA_ADMIN_PASSWORD',
] as const;

function dockerCompose(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !(REQUIRED_SECRETS as readonly string[]).includes(key),
    ),
  );
  return spawnSync('docker', ['compose', ...args], {
    cwd: root,
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

const composeCli = (() => {
  try {
    return dockerCompose(['version']).status === 0;
  } catch {
    return false;
  }
})();

// =============================================================================================

describe('docker-compose.yml', () => {
  it('uses the Compose specification (no obsolete top-level version key)', () => {
    // `docker compose` prints a warning on every command when `version:` is present.
    expect(compose.version).toBeUndefined();
  });

  it.each(EXPECTED_SERVICES)('defines the %s service', (name) => {
    expect(Object.keys(services)).toContain(name);
  });

  it('pins every image to an exact version, so `docker compose pull` cannot change the stack', () => {
    const problems: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      if (!service.image && !service.build) {
        problems.push(`${name}: neither image nor build — compose refuses to start it`);
        continue;
      }
      if (!service.image) continue;
      const [reference = '', digest] = service.image.split('@');
      const lastSegment = reference.split('/').at(-1) ?? '';
      const tag = lastSegment.includes(':') ? lastSegment.split(':').at(-1) : undefined;
      if (!tag || /\$/.test(service.image)) {
        problems.push(`${name}: image ${service.image} has no fixed tag — it changes on pull`);
      } else if (!/^v?\d+\.\d+\.\d+(-[\w.-]+)?$/.test(tag) && !/^\d+\.\d+-[\w.-]+$/.test(tag)) {
        problems.push(`${name}: tag ${tag} is not an exact release (x.y.z) — it moves on pull`);
      }
      if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest)) {
        problems.push(`${name}: digest ${digest} is not a sha256 digest`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs Temporal from the server image of one release, with admin tools of that release', () => {
    const server = /^temporalio\/server:(\d+\.\d+\.\d+)(@sha256:[0-9a-f]{64})?$/.exec(
      services.temporal?.image ?? '',
    );
    const problems: string[] = [];
    if (!server) {
      problems.push(
        `temporal: expected temporalio/server:x.y.z, found ${services.temporal?.image}`,
      );
    }
    for (const name of ['temporal-schema', 'temporal-namespace']) {
      const image = services[name]?.image ?? '';
      if (!image.startsWith(`temporalio/admin-tools:${server?.[1]}`)) {
        problems.push(
          `${name}: ${image} is not the admin tools of server ${server?.[1]} — its schema ` +
            'files and CLI must match the server',
        );
      }
    }
    if (!/^temporalio\/ui:\d+\.\d+\.\d+/.test(services['temporal-ui']?.image ?? '')) {
      problems.push(`temporal-ui: expected temporalio/ui:x.y.z`);
    }
    expect(problems).toEqual([]);
  });

  it('does not use auto-setup (Temporal advises against it in production)', () => {
    const text = read('docker-compose.yml');
    const users = Object.entries(services)
      .filter(([, service]) => /auto-setup/.test(service.image ?? ''))
      .map(([name]) => name);
    expect({ users, mentionsAutoSetupImage: /temporalio\/auto-setup/.test(text) }).toEqual({
      users: [],
      mentionsAutoSetupImage: false,
    });
  });

  it('gives Temporal its own PostgreSQL: user, password, databases and volume apart from the app', () => {
    const temporal = environmentOf(services.temporal);
    const schema = environmentOf(services['temporal-schema']);
    const temporalDb = environmentOf(services['temporal-postgresql']);
    const appDb = environmentOf(services.postgres);
    const volumeOf = (name: string) =>
      (services[name]?.volumes ?? [])
        .map((v) => (typeof v === 'string' ? v.split(':')[0] : v.source))
        .find(Boolean);
    const problems: string[] = [];
    for (const [name, env] of [
      ['temporal', temporal],
      ['temporal-schema', schema],
    ] as const) {
      if (env.DB !== 'postgres12') problems.push(`${name}: DB=${env.DB}, expected postgres12`);
      if (env.POSTGRES_SEEDS !== 'temporal-postgresql') {
        problems.push(`${name}: POSTGRES_SEEDS=${env.POSTGRES_SEEDS} is not temporal-postgresql`);
      }
      if (env.DB_PORT !== '5432') problems.push(`${name}: DB_PORT=${env.DB_PORT}`);
      if (env.POSTGRES_USER !== temporalDb.POSTGRES_USER) {
        problems.push(`${name}: POSTGRES_USER is not temporal-postgresql's user`);
      }
      if (env.POSTGRES_PWD !== temporalDb.POSTGRES_PASSWORD) {
        problems.push(`${name}: POSTGRES_PWD is not temporal-postgresql's password`);
      }
      if (env.DBNAME !== 'temporal' || env.VISIBILITY_DBNAME !== 'temporal_visibility') {
        problems.push(`${name}: databases ${env.DBNAME} / ${env.VISIBILITY_DBNAME}`);
      }
    }
    if (schema.SQL_PASSWORD !== temporalDb.POSTGRES_PASSWORD) {
      problems.push(
        'temporal-schema: SQL_PASSWORD (read by temporal-sql-tool) is not the password',
      );
    }
    if (temporalDb.POSTGRES_USER === (appDb.POSTGRES_USER ?? 'postgres')) {
      problems.push('Temporal logs in as the app database user');
    }
    if (temporalDb.POSTGRES_PASSWORD === appDb.POSTGRES_PASSWORD) {
      problems.push('Temporal and the app share a database password');
    }
    if (
      !volumeOf('temporal-postgresql') ||
      volumeOf('temporal-postgresql') === volumeOf('postgres')
    ) {
      problems.push('Temporal and the app share a data volume');
    }
    expect(problems).toEqual([]);
  });

  it('creates and upgrades both Temporal schemas with temporal-sql-tool in a one-shot job', () => {
    const service = services['temporal-schema'];
    const script = `${commandText(service?.entrypoint)} ${commandText(service?.command)}`;
    const problems: string[] = [];
    if (!script.includes('temporal-sql-tool')) problems.push('temporal-sql-tool is not run');
    for (const step of ['setup-schema -v 0.0', 'update-schema -d']) {
      const runs = script.split(step).length - 1;
      if (runs < 2) problems.push(`"${step}" runs ${runs} time(s), expected for both databases`);
    }
    for (const dir of ['postgresql/v12', '/temporal/versioned', '/visibility/versioned']) {
      if (!script.includes(dir)) problems.push(`update-schema never reads ${dir}`);
    }
    if (!/already exists/.test(script)) {
      problems.push('a second `docker compose up` fails: an existing database is not tolerated');
    }
    if ((service?.restart ?? 'no') !== 'no') problems.push('temporal-schema restarts');
    expect(problems).toEqual([]);
  });

  it('configures the server with the dynamic configuration file kept in the repository', () => {
    const env = environmentOf(services.temporal);
    const mount = (services.temporal?.volumes ?? [])
      .map((v) => (typeof v === 'string' ? v.split(':') : [v.source ?? '', v.target ?? '']))
      .find(([, target]) => target === '/etc/temporal/config/dynamicconfig');
    const problems: string[] = [];
    const file = (env.DYNAMIC_CONFIG_FILE_PATH ?? '').replace(/^config\/dynamicconfig\//, '');
    if (!mount) {
      problems.push('no directory mounted on /etc/temporal/config/dynamicconfig');
    } else if (!file || !env.DYNAMIC_CONFIG_FILE_PATH?.startsWith('config/dynamicconfig/')) {
      problems.push(`DYNAMIC_CONFIG_FILE_PATH=${env.DYNAMIC_CONFIG_FILE_PATH} is not in the mount`);
    } else {
      const local = path.join(root, mount[0]!, file);
      if (!fs.existsSync(local)) {
        problems.push(`${path.relative(root, local)} does not exist — the server refuses to start`);
      } else {
        const values = parse(fs.readFileSync(local, 'utf8')) as Record<string, unknown>;
        const malformed = Object.entries(values ?? {})
          .filter(
            ([, list]) =>
              !Array.isArray(list) ||
              list.some((entry) => !entry || typeof entry !== 'object' || !('value' in entry)),
          )
          .map(([key]) => key);
        if (malformed.length) problems.push(`not lists of {value}: ${malformed.join(', ')}`);
        // The API uses update-with-start and updates.
        for (const key of [
          'frontend.enableExecuteMultiOperation',
          'frontend.enableUpdateWorkflowExecution',
        ]) {
          const list = values?.[key] as { value?: unknown }[] | undefined;
          if (list?.[0]?.value !== true) problems.push(`${key} is not enabled`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('publishes only the API by default; the rest is opt-in and on the loopback', () => {
    const ports = publishedPorts();
    const problems: string[] = [];
    const api = ports.find((port) => port.service === 'api');
    if (!api || api.host !== 3000 || api.container !== 3000) {
      problems.push('the API is not published as http://localhost:3000');
    }
    for (const port of ports.filter((p) => p.service !== 'api')) {
      const profile = PROFILED[port.service];
      if (!profile || !services[port.service]?.profiles?.includes(profile)) {
        problems.push(`${port.service} publishes ${port.host} without an opt-in profile`);
      }
      if (port.hostIp !== '127.0.0.1') {
        problems.push(`${port.service} publishes ${port.host} on every address of the host`);
      }
    }
    if (services.temporal?.ports?.length) problems.push('Temporal gRPC is published by default');
    const ui = ports.find((p) => p.service === 'temporal-ui');
    if (ui?.host !== 8233 || ui.container !== 8080) {
      problems.push('the Web UI (profile operator) is not on 127.0.0.1:8233');
    }
    const hostPorts = ports.map((port) => port.host);
    const clashes = hostPorts.filter((port, index) => hostPorts.indexOf(port) !== index);
    if (clashes.length) problems.push(`host ports published twice: ${clashes.join(', ')}`);
    expect(problems).toEqual([]);
  });

  it('publishes Temporal gRPC only through the override file, on the loopback', () => {
    const ports = publishedPorts(operatorOverride.services ?? {});
    expect(ports).toEqual([
      { service: 'temporal', hostIp: '127.0.0.1', host: 7233, container: 7233 },
    ]);
  });

  it('puts the Web UI, Prometheus and Grafana behind their profiles', () => {
    const actual = Object.fromEntries(
      Object.entries(services)
        .filter(([, service]) => service.profiles?.length)
        .map(([name, service]) => [name, service.profiles?.join(',')]),
    );
    expect(actual).toEqual(PROFILED);
  });

  it('builds migrate, worker and api from the project Dockerfile', () => {
    const problems: string[] = [];
    for (const name of APP_SERVICES) {
      const build = services[name]?.build;
      if (!build) {
        problems.push(`${name}: no build — it would run some other image, not this code`);
        continue;
      }
      const spec = typeof build === 'string' ? { context: build } : build;
      const context = path.resolve(root, spec.context ?? '.');
      const dockerfilePath = path.resolve(context, spec.dockerfile ?? 'Dockerfile');
      if (context !== root)
        problems.push(`${name}: build context ${spec.context} is not the project`);
      if (dockerfilePath !== path.join(root, 'Dockerfile')) {
        problems.push(`${name}: builds ${dockerfilePath}, not the project's Dockerfile`);
      }
      if (spec.target && !stageNames.includes(spec.target)) {
        problems.push(`${name}: build target ${spec.target} is not a stage of the Dockerfile`);
      }
      if (spec.target && spec.target !== finalStage?.name) {
        problems.push(`${name}: build target ${spec.target} is not the runtime (last) stage`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs the app services with the npm scripts of package.json', () => {
    const problems: string[] = [];
    for (const name of APP_SERVICES) {
      const command = commandText(services[name]?.command);
      const script = /^npm run (\S+)$/.exec(command)?.[1];
      if (script !== APP_COMMANDS[name]) {
        problems.push(`${name}: runs "${command}", expected "npm run ${APP_COMMANDS[name]}"`);
      }
      if (script && !packageJson.scripts?.[script]) {
        problems.push(
          `${name}: npm script "${script}" is missing — npm exits with "Missing script"`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives migrate, worker and api the same database, Temporal and secret settings', () => {
    const shared = [
      'NODE_ENV',
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'TEMPORAL_TASK_QUEUE',
      'AUTH_SECRET',
      'TEMPORAL_CODEC_KEYS',
    ];
    const problems: string[] = [];
    const reference = environmentOf(services.api);
    for (const name of APP_SERVICES) {
      const env = environmentOf(services[name]);
      for (const key of shared) {
        if (env[key] === undefined) problems.push(`${name}: ${key} is not set`);
        else if (env[key] !== reference[key]) {
          problems.push(`${name}: ${key}=${env[key]} differs from the api's ${reference[key]}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('points DATABASE_URL at the postgres service, its user, password and database', () => {
    const postgres = environmentOf(services.postgres);
    const raw = environmentOf(services.api).DATABASE_URL ?? '';
    const url = new URL(withDefaults(raw));
    const problems: string[] = [];
    if (!['postgres:', 'postgresql:'].includes(url.protocol)) {
      problems.push(`DATABASE_URL is not a PostgreSQL URL: ${raw}`);
    }
    if (url.hostname !== 'postgres' || !services[url.hostname]) {
      problems.push(`DATABASE_URL host ${url.hostname} is not the postgres service`);
    }
    if ((url.port || '5432') !== '5432') problems.push(`DATABASE_URL port ${url.port} is not 5432`);
    if (url.pathname !== `/${postgres.POSTGRES_DB}`) {
      problems.push(
        `DATABASE_URL database ${url.pathname} is not POSTGRES_DB=${postgres.POSTGRES_DB}, ` +
          'the one the postgres image creates — migrate fails with "database does not exist"',
      );
    }
    if (url.username !== (postgres.POSTGRES_USER ?? 'postgres')) {
      problems.push(`DATABASE_URL user ${url.username} is not POSTGRES_USER`);
    }
    if (!postgres.POSTGRES_PASSWORD || !raw.includes(`:${postgres.POSTGRES_PASSWORD}@`)) {
      problems.push(
        'DATABASE_URL does not carry the same password expression as the postgres service — ' +
          'authentication fails as soon as POSTGRES_PASSWORD is set',
      );
    }
    expect(problems).toEqual([]);
  });

  it('points every TEMPORAL_ADDRESS at the temporal service frontend port', () => {
    const problems: string[] = [];
    const users = [...APP_SERVICES, 'temporal-ui', 'temporal-namespace'];
    for (const name of users) {
      const address = withDefaults(environmentOf(services[name]).TEMPORAL_ADDRESS ?? '');
      if (address !== 'temporal:7233') {
        problems.push(`${name}: TEMPORAL_ADDRESS=${address}, expected temporal:7233`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs the app with NODE_ENV=production', () => {
    const modes = APP_SERVICES.map((name) => environmentOf(services[name]).NODE_ENV);
    expect(modes).toEqual(APP_SERVICES.map(() => 'production'));
  });

  it('has no default secret: every password, key and token is a required ${VAR:?…}', () => {
    const secretName = /PASSWORD|PWD|SECRET|TOKEN|KEYS?$/;
    const problems: string[] = [];
    // Every use of a secret variable anywhere in the file requires it.
    for (const use of composeVariables.filter((u) => secretName.test(u.name))) {
      if (use.operator !== ':?') {
        problems.push(`\${${use.name}${use.operator ?? ''}…} has a default or may be empty`);
      }
    }
    // And every secret setting takes its value from such a variable, never a literal.
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(environmentOf(service))) {
        if (!secretName.test(key)) continue;
        if (!/^\$\{[A-Z_]+:\?[^}]*\}$/.test(value)) {
          problems.push(`${name}: ${key} is not a required \${VAR:?…} reference`);
        }
      }
    }
    const url = environmentOf(services.api).DATABASE_URL ?? '';
    if (!/:\$\{POSTGRES_PASSWORD:\?[^}]*\}@/.test(url)) {
      problems.push('DATABASE_URL does not require POSTGRES_PASSWORD');
    }
    // The variables compose refuses to start without, as listed for the operators.
    const required = [
      ...new Set(composeVariables.filter((u) => u.operator === ':?').map((u) => u.name)),
    ];
    expect({ problems, required: required.sort() }).toEqual({
      problems: [],
      required: [...REQUIRED_SECRETS].sort(),
    });
  });

  it('gives each variable one default, so an unset variable means the same everywhere', () => {
    const defaults = new Map<string, Set<string>>();
    for (const use of composeVariables) {
      if (use.operator !== ':-' && use.operator !== '-') continue;
      defaults.set(use.name, (defaults.get(use.name) ?? new Set()).add(use.fallback ?? ''));
    }
    const conflicting = [...defaults]
      .filter(([, values]) => values.size > 1)
      .map(([name, values]) => `${name}: ${[...values].join(' vs ')}`);
    expect(conflicting).toEqual([]);
  });

  it('uses one Temporal namespace for the namespace job, the UI and the app', () => {
    const namespaces = {
      'temporal-namespace TEMPORAL_NAMESPACE': environmentOf(services['temporal-namespace'])
        .TEMPORAL_NAMESPACE,
      'temporal-ui TEMPORAL_DEFAULT_NAMESPACE': environmentOf(services['temporal-ui'])
        .TEMPORAL_DEFAULT_NAMESPACE,
      ...Object.fromEntries(
        APP_SERVICES.map((name) => [
          `${name} TEMPORAL_NAMESPACE`,
          environmentOf(services[name]).TEMPORAL_NAMESPACE,
        ]),
      ),
    };
    const app = environmentOf(services.api).TEMPORAL_NAMESPACE;
    const problems = Object.entries(namespaces)
      .filter(([, value]) => value !== app)
      .map(
        ([where, value]) =>
          `${where} is ${value ?? 'unset'}, the api uses ${app} — the worker fails with ` +
          '"namespace not found" or the search attributes land in another namespace',
      );
    expect(problems).toEqual([]);
  });

  it('keeps each PostgreSQL in a named volume and reports readiness with pg_isready', () => {
    const problems: string[] = [];
    for (const name of ['postgres', 'temporal-postgresql']) {
      const service = services[name];
      const mounts = (service?.volumes ?? []).map((volume) =>
        typeof volume === 'string'
          ? { source: volume.split(':')[0], target: volume.split(':')[1] }
          : { source: volume.source, target: volume.target },
      );
      const data = mounts.find((mount) => mount.target === '/var/lib/postgresql/data');
      if (!data?.source || !Object.keys(compose.volumes ?? {}).includes(data.source)) {
        problems.push(`${name}: no named volume on /var/lib/postgresql/data — data is lost`);
      }
      if (!commandText(service?.healthcheck?.test).includes('pg_isready')) {
        problems.push(`${name}: healthcheck does not use pg_isready`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has a healthcheck on every service that keeps running', () => {
    const oneShot = ONE_SHOT_SERVICES as readonly string[];
    const problems = Object.entries(services)
      .filter(([name]) => !oneShot.includes(name))
      .filter(([, service]) => !service.healthcheck?.test || service.healthcheck.disable)
      .map(([name]) => `${name} has no healthcheck — nothing notices when it hangs`);
    expect(problems).toEqual([]);
  });

  it('checks the API on /healthz and the worker on its health port, with node (no curl)', () => {
    const problems: string[] = [];
    const probes: [string, string][] = [
      ['api', `:${withDefaults(environmentOf(services.api).PORT ?? '3000')}/healthz`],
      [
        'worker',
        `:${withDefaults(environmentOf(services.worker).WORKER_HEALTH_PORT ?? '(unset)')}/healthz`,
      ],
    ];
    for (const [name, target] of probes) {
      const test = commandText(services[name]?.healthcheck?.test);
      if (!/\bnode\b/.test(test) || !test.includes('fetch(')) {
        problems.push(`${name}: healthcheck "${test}" does not use node's fetch`);
      }
      if (!test.includes(target)) problems.push(`${name}: healthcheck does not probe ${target}`);
    }
    expect(problems).toEqual([]);
  });

  it('has Prometheus scrape the API with METRICS_TOKEN, handed over as a secret', () => {
    const prometheus = services.prometheus;
    const mounted = (prometheus?.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source));
    const config = read('ops/prometheus/prometheus.yml');
    expect({
      secret: compose.secrets?.['metrics-token']?.environment,
      mounted,
      readsIt: config.includes('credentials_file: /run/secrets/metrics-token'),
    }).toEqual({ secret: 'METRICS_TOKEN', mounted: ['metrics-token'], readsIt: true });
  });

  it('registers the search attributes the workflows set', () => {
    const job = services['temporal-namespace'];
    const script = `${commandText(job?.entrypoint)} ${commandText(job?.command)}`.replace(
      /\\\n\s*/g,
      ' ',
    );
    const problems = Object.entries(SEARCH_ATTRIBUTES)
      .filter(
        ([name, type]) => !new RegExp(`--name\\s+${name}\\s+--type\\s+${type}\\b`).test(script),
      )
      .map(([name, type]) => `${name} (${type}) is not registered — starting a workflow fails`);
    if (!script.includes('search-attribute create')) problems.push('no search-attribute create');
    if (!script.includes('namespace create')) problems.push('the namespace is never created');
    if (!/already exists/.test(script)) {
      problems.push('a second `docker compose up` fails: "already exists" is not tolerated');
    }
    expect(problems).toEqual([]);
  });

  describe('depends_on', () => {
    it('names existing services only', () => {
      const problems: string[] = [];
      for (const [name, service] of Object.entries(services)) {
        for (const dependency of Object.keys(dependenciesOf(service))) {
          if (!services[dependency])
            problems.push(`${name} depends on unknown service ${dependency}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it.each(EXPECTED_DEPENDENCIES)(
      '%s waits for %s (%s)',
      (service, dependency, condition, symptom) => {
        const actual = dependenciesOf(services[service])[dependency];
        expect({
          [`${service} -> ${dependency}`]: actual ?? 'missing',
          otherwise: symptom,
        }).toEqual({
          [`${service} -> ${dependency}`]: condition,
          otherwise: symptom,
        });
      },
    );

    it('waits for a running service to be healthy and for a one-shot to succeed', () => {
      const oneShot = ONE_SHOT_SERVICES as readonly string[];
      const problems: string[] = [];
      for (const [name, service] of Object.entries(services)) {
        for (const [dependency, condition] of Object.entries(dependenciesOf(service))) {
          const target = services[dependency];
          const expected = oneShot.includes(dependency)
            ? 'service_completed_successfully'
            : 'service_healthy';
          if (condition !== expected) {
            problems.push(`${name}: waits for ${dependency} with ${condition}, not ${expected}`);
          }
          if (
            condition === 'service_healthy' &&
            (!target?.healthcheck || target.healthcheck.disable)
          ) {
            problems.push(
              `${name}: waits for ${dependency} to be healthy, but it has no healthcheck`,
            );
          }
          if (
            condition === 'service_completed_successfully' &&
            target?.restart !== undefined &&
            target.restart !== 'no'
          ) {
            problems.push(
              `${name}: ${dependency} restarts (${target.restart}) and never "completes"`,
            );
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('never makes a default service wait for one of an opt-in profile', () => {
      const problems: string[] = [];
      for (const [name, service] of Object.entries(services)) {
        if (service.profiles?.length) continue;
        for (const dependency of Object.keys(dependenciesOf(service))) {
          if (services[dependency]?.profiles?.length) {
            problems.push(`${name} needs ${dependency}, which only starts with its profile`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('has no cycles', () => {
      const cycles: string[] = [];
      const visit = (name: string, trail: string[]) => {
        if (trail.includes(name)) {
          cycles.push([...trail, name].join(' -> '));
          return;
        }
        for (const dependency of Object.keys(dependenciesOf(services[name]))) {
          visit(dependency, [...trail, name]);
        }
      };
      for (const name of Object.keys(services)) visit(name, []);
      expect(cycles).toEqual([]);
    });
  });

  it('runs the one-shot services once (restart "no")', () => {
    const problems = ONE_SHOT_SERVICES.filter(
      (name) => (services[name]?.restart ?? 'no') !== 'no',
    ).map((name) => `${name} restarts: ${services[name]?.restart}`);
    expect(problems).toEqual([]);
  });

  if (composeCli) {
    // Only where the Docker CLI has the compose plugin (not on every machine that runs tests).
    describe('docker compose config', () => {
      const secrets = Object.fromEntries(
        REQUIRED_SECRETS.map((name) => [name, `test-only-${name.toLowerCase()}`]),
      );

      it('accepts the file, its profiles and the override with every secret set', () => {
        const runs = [
          ['config', '--quiet'],
          ['--profile', 'operator', '--profile', 'observability', 'config', '--quiet'],
          ['-f', 'docker-compose.yml', '-f', 'ops/compose/temporal-grpc.yml', 'config', '--quiet'],
        ].map((args) => {
          const result = dockerCompose(args, secrets);
          return { args: args.join(' '), status: result.status, stderr: result.stderr.trim() };
        });
        expect(runs.filter((run) => run.status !== 0)).toEqual([]);
      });

      it.each(REQUIRED_SECRETS)('refuses to run without %s', (name) => {
        const rest = Object.fromEntries(Object.entries(secrets).filter(([key]) => key !== name));
        const result = dockerCompose(['config', '--quiet'], rest);
        expect({
          status: result.status === 0 ? 'accepted' : 'refused',
          names: result.stderr.includes(name),
        }).toEqual({
          status: 'refused',
          names: true,
        });
      });
    });
  }
});

describe('environment variables', () => {
  const appEnvironmentKeys = [
    ...new Set(APP_SERVICES.flatMap((name) => Object.keys(environmentOf(services[name])))),
  ];
  const knownConfigKeys = configKeys();

  it('reads the configuration keys from config/index.ts', () => {
    // Guards the regex below: if it finds nothing, every other check here would pass vacuously.
    expect(knownConfigKeys).toEqual(
      expect.arrayContaining(['NODE_ENV', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'AUTH_SECRET']),
    );
  });

  it('sets only variables the app configuration reads (a typo would be silently ignored)', () => {
    expect(appEnvironmentKeys.filter((key) => !knownConfigKeys.includes(key))).toEqual([]);
  });

  it('lists every ${VAR} of docker-compose.yml in .env.example', () => {
    const used = [...new Set(composeVariables.map((use) => use.name))];
    // A commented example (`# OIDC_ISSUER=https://…`) documents an optional one.
    const documented = new Set([
      ...envExampleEntries.keys(),
      ...[...envExample.matchAll(/^#\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!),
    ]);
    expect(used.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('documents in .env.example only variables compose or the app read', () => {
    const composeNames = new Set(composeVariables.map((use) => use.name));
    const stale = [...envExampleEntries.keys()].filter(
      (name) => !composeNames.has(name) && !knownConfigKeys.includes(name),
    );
    expect(stale).toEqual([]);
  });

  it('documents the settings of the deployment in .env.example, each with a comment', () => {
    const expected = [
      'NODE_ENV',
      'LOG_LEVEL',
      'PORT',
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'TEMPORAL_TASK_QUEUE',
      'TEMPORAL_UI_URL',
      ...REQUIRED_SECRETS,
      'WORKER_HEALTH_PORT',
    ];
    const lines = envExample.split(/\r?\n/);
    const problems: string[] = [];
    for (const key of expected) {
      const at = lines.findIndex((line) => line.startsWith(`${key}=`));
      if (at === -1) {
        problems.push(`${key} is missing`);
        continue;
      }
      // A comment in the paragraph above it (several settings may share one comment).
      let above = at - 1;
      while (above >= 0 && lines[above]?.trim() && !lines[above]?.startsWith('#')) above -= 1;
      if (!lines[above]?.startsWith('#')) problems.push(`${key} has no comment above it`);
    }
    expect(problems).toEqual([]);
  });

  it('ships no secret values in .env.example', () => {
    const filled = REQUIRED_SECRETS.filter((key) => envExampleEntries.get(key));
    expect(filled).toEqual([]);
  });
});

describe('Dockerfile', () => {
  it('has a builder and a runtime stage on one exact release of node:20 bookworm-slim', () => {
    const bases = [...new Set(dockerfile.map(baseImageOf))];
    expect({ stages: stageNames, bases: bases.length }).toEqual({
      stages: expect.arrayContaining(['builder', 'runtime']) as unknown,
      bases: 1,
    });
    // Node 20 like the engines field; an exact release, so a rebuild gets the same Node.
    expect(bases[0]).toMatch(/^node:20\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/);
    expect(finalStage?.name).toBe('runtime');
  });

  it('copies what the npm ci postinstall needs (prisma/, prisma.config.ts) before npm ci', () => {
    const postinstall = packageJson.scripts?.postinstall ?? '';
    const script = /\bnode\s+(\S+)/.exec(postinstall)?.[1];
    const needed = [
      'package.json',
      'package-lock.json',
      'prisma.config.ts',
      'prisma/schema.prisma',
      ...(script ? [script] : []),
    ];
    const problems: string[] = [];
    const installStage = dockerfile.find((stage) =>
      stage.instructions.some(
        (i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args) && !/--omit=dev/.test(i.args),
      ),
    );
    if (!installStage) {
      problems.push('no stage runs a full `npm ci` — the Prisma client cannot be generated');
    } else {
      const instructions = effectiveInstructions(installStage);
      const install = instructions.findIndex(
        (i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args),
      );
      const copied = instructions
        .slice(0, install)
        .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
        .flatMap((i) => copySources(i.args));
      for (const file of needed) {
        if (!copyBrings(copied, file)) {
          problems.push(
            `${file} is not copied before npm ci — the postinstall (prisma generate) fails`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('ships production dependencies only, with tsx among them', () => {
    const runs = dockerfile
      .flatMap((stage) => stage.instructions)
      .filter((i) => i.keyword === 'RUN');
    const problems: string[] = [];
    if (!runs.some((i) => /npm (prune|ci)\b[^&;]*--omit=dev/.test(i.args))) {
      problems.push('no `npm prune --omit=dev` / `npm ci --omit=dev`: dev tools ship in the image');
    }
    if (!packageJson.dependencies?.tsx) {
      problems.push('tsx is not a runtime dependency — `npm run worker/api` fail after --omit=dev');
    }
    expect(problems).toEqual([]);
  });

  it('brings the generated Prisma client into the runtime stage', () => {
    // .dockerignore keeps the host's prisma/generated out, so it must come from the builder.
    const workdir =
      effectiveInstructions(finalStage!)
        .filter((i) => i.keyword === 'WORKDIR')
        .at(-1)?.args ?? '/';
    const copied = (finalStage?.instructions ?? [])
      .filter((i) => i.keyword === 'COPY' && /--from=/.test(i.args))
      .flatMap((i) => copySources(i.args, workdir));
    const bringsClient = copyBrings(copied, 'prisma/generated');
    const bringsModules = copyBrings(copied, 'node_modules');
    expect({ bringsClient, bringsModules }).toEqual({ bringsClient: true, bringsModules: true });
  });

  it('runs as a non-root user', () => {
    const user = (finalStage?.instructions ?? []).filter((i) => i.keyword === 'USER').at(-1);
    const name = user?.args.split(':')[0]?.trim() ?? '';
    const problems =
      name === '' || name === 'root' || name === '0'
        ? [
            `the runtime stage runs as ${name || 'root (no USER)'} — a compromised process owns the container`,
          ]
        : [];
    expect(problems).toEqual([]);
  });

  it('starts the API by default', () => {
    const cmd = (finalStage?.instructions ?? []).filter((i) => i.keyword === 'CMD').at(-1);
    const command = cmd ? execText(cmd.args) : '';
    expect(command).toBe('npm run api:compiled');
    expect(packageJson.scripts?.['api:compiled']).toBeDefined();
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  function ignored(file: string): boolean {
    let result = false;
    for (const pattern of patterns) {
      const negated = pattern.startsWith('!');
      const body = (negated ? pattern.slice(1) : pattern).replace(/^\/+|\/+$/g, '');
      const regex = new RegExp(
        `^${body
          .split('**/')
          .map((part) =>
            part
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '[^/]*')
              .replace(/\?/g, '[^/]'),
          )
          .join('(?:.*/)?')}(?:/.*)?$`,
      );
      if (regex.test(file)) result = !negated;
    }
    return result;
  }

  it.each(['node_modules', '.local', '.git', 'prisma/generated', 'coverage', '.env'])(
    'keeps %s out of the build context',
    (entry) => {
      expect({ entry, ignored: ignored(entry) }).toEqual({ entry, ignored: true });
    },
  );

  it('keeps the files the build copies', () => {
    const needed = [
      'package.json',
      'package-lock.json',
      'prisma.config.ts',
      'prisma/schema.prisma',
      'prisma/migrations',
      'scripts/db/prisma-generate.cjs',
      'scripts/db/migrate.ts',
      'config/index.ts',
      'tsconfig.json',
      '.env.example',
    ];
    // An ignored file is "not found" in COPY, or missing at run time.
    expect(needed.filter(ignored)).toEqual([]);
  });
});

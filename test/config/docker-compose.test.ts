import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

/**
 * Structure and wiring of the container setup: docker-compose.yml, Dockerfile, .dockerignore
 * and .env.example. Nothing is built or started; each check collects the problems it finds,
 * worded as what someone running `docker compose up` would run into.
 */

const root = path.resolve(__dirname, '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

// ---- docker-compose.yml ---------------------------------------------------------------------

type EnvironmentSpec = Record<string, string | number | boolean | null> | string[];
type PortSpec = string | number | { target?: number | string; published?: number | string };
type DependsOnSpec = string[] | Record<string, { condition?: string } | null>;

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; target?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: EnvironmentSpec;
  ports?: PortSpec[];
  depends_on?: DependsOnSpec;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  volumes?: (string | { type?: string; source?: string; target?: string })[];
}

interface ComposeFile {
  version?: unknown;
  services?: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(read('docker-compose.yml')) as ComposeFile;
const services: Record<string, Service> = compose.services ?? {};

const APP_SERVICES = ['migrate', 'worker', 'api'] as const;
const EXPECTED_SERVICES = [
  'postgres',
  'temporal',
  'temporal-admin-tools',
  'temporal-ui',
  ...APP_SERVICES,
] as const;

/** The npm script each app service runs, and what breaks when it is wrong. */
const APP_COMMANDS: Record<(typeof APP_SERVICES)[number], string> = {
  migrate: 'db:migrate',
  worker: 'worker',
  api: 'api',
};

/** Start-up order: [service, dependency, condition, what goes wrong without it]. */
const EXPECTED_DEPENDENCIES: [string, string, string, string][] = [
  ['temporal', 'postgres', 'service_healthy', 'auto-setup races PostgreSQL start-up'],
  [
    'temporal-admin-tools',
    'temporal',
    'service_healthy',
    'search attributes are registered against a server that is not up yet',
  ],
  ['temporal-ui', 'temporal', 'service_healthy', 'the Web UI shows connection errors at first'],
  ['migrate', 'postgres', 'service_healthy', 'migrations fail with "connection refused"'],
  ['worker', 'temporal', 'service_healthy', 'the worker exits because Temporal is unreachable'],
  [
    'worker',
    'migrate',
    'service_completed_successfully',
    'activities hit tables that do not exist yet',
  ],
  ['api', 'migrate', 'service_completed_successfully', 'requests hit tables that do not exist yet'],
  ['api', 'worker', 'service_started', 'applications are started with nobody processing them'],
];

function image(name: string): string {
  return services[name]?.image ?? '';
}

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
  host: number;
  container: number;
}

function publishedPorts(): PublishedPort[] {
  const result: PublishedPort[] = [];
  for (const [service, definition] of Object.entries(services)) {
    for (const port of definition.ports ?? []) {
      if (typeof port === 'object') {
        if (port.published !== undefined && port.target !== undefined) {
          result.push({ service, host: Number(port.published), container: Number(port.target) });
        }
        continue;
      }
      const parts = String(port)
        .replace(/\/(tcp|udp)$/, '')
        .split(':');
      if (parts.length < 2) continue; // container port only: nothing published on a fixed port
      result.push({
        service,
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

// =============================================================================================

describe('docker-compose.yml', () => {
  it('uses the Compose specification (no obsolete top-level version key)', () => {
    // `docker compose` prints a warning on every command when `version:` is present.
    expect(compose.version).toBeUndefined();
  });

  it.each(EXPECTED_SERVICES)('defines the %s service', (name) => {
    expect(Object.keys(services)).toContain(name);
  });

  it('pins every image to an explicit version, so `docker compose pull` cannot change the stack', () => {
    const problems: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      if (!service.image && !service.build) {
        problems.push(`${name}: neither image nor build — compose refuses to start it`);
        continue;
      }
      if (!service.image) continue;
      const lastSegment = service.image.split('/').at(-1) ?? '';
      const tag = lastSegment.includes(':') ? lastSegment.split(':').at(-1) : undefined;
      if (!tag || tag === 'latest' || /\$/.test(tag)) {
        problems.push(`${name}: image ${service.image} is unpinned — it changes under you on pull`);
      }
    }
    const version = (ref: string) => ref.split(':').at(-1) ?? '';
    if (!/^postgres:16(\b|$)/.test(image('postgres'))) {
      problems.push(
        `postgres: expected the official postgres:16 image, found ${image('postgres')}`,
      );
    }
    if (!/^temporalio\/auto-setup:1\.29\.\d+$/.test(image('temporal'))) {
      problems.push(`temporal: expected temporalio/auto-setup:1.29.x, found ${image('temporal')}`);
    }
    if (!/^temporalio\/admin-tools:\d/.test(image('temporal-admin-tools'))) {
      problems.push(`temporal-admin-tools: expected temporalio/admin-tools`);
    }
    const serverMinor = version(image('temporal')).split('.').slice(0, 2).join('.');
    if (!version(image('temporal-admin-tools')).startsWith(`${serverMinor}.`)) {
      problems.push(
        `temporal-admin-tools ${image('temporal-admin-tools')} is not for server ${serverMinor} — ` +
          `its CLI may not match the server's operator API`,
      );
    }
    if (!/^temporalio\/ui:\d+\.\d+\.\d+$/.test(image('temporal-ui'))) {
      problems.push(`temporal-ui: expected temporalio/ui:x.y.z, found ${image('temporal-ui')}`);
    }
    expect(problems).toEqual([]);
  });

  it('publishes the API on 3000, the Temporal frontend on 7233 and the Web UI on 8233', () => {
    const ports = publishedPorts();
    const problems: string[] = [];
    const expectations: [number, string, number, string][] = [
      [3000, 'api', 3000, 'http://localhost:3000 does not answer'],
      [
        7233,
        'temporal',
        7233,
        'the temporal CLI / a worker on the host cannot reach localhost:7233',
      ],
      [8233, 'temporal-ui', 8080, 'http://localhost:8233 (the TEMPORAL_UI_URL links) is dead'],
    ];
    for (const [host, service, container, symptom] of expectations) {
      const found = ports.find((port) => port.host === host);
      if (!found || found.service !== service || found.container !== container) {
        problems.push(`host port ${host} should map to ${service}:${container} — ${symptom}`);
      }
    }
    const hostPorts = ports.map((port) => port.host);
    const clashes = hostPorts.filter((port, index) => hostPorts.indexOf(port) !== index);
    if (clashes.length) problems.push(`host ports published twice: ${clashes.join(', ')}`);
    expect(problems).toEqual([]);
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

  it('gives migrate, worker and api the same database, Temporal and auth settings', () => {
    const shared = [
      'NODE_ENV',
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'TEMPORAL_TASK_QUEUE',
      'AUTH_SECRET',
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
    const users = [...APP_SERVICES, 'temporal-ui', 'temporal-admin-tools'];
    for (const name of users) {
      const address = withDefaults(environmentOf(services[name]).TEMPORAL_ADDRESS ?? '');
      if (address !== 'temporal:7233') {
        problems.push(`${name}: TEMPORAL_ADDRESS=${address}, expected temporal:7233`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs the app in production with an AUTH_SECRET that production accepts', () => {
    const problems: string[] = [];
    for (const name of APP_SERVICES) {
      const env = environmentOf(services[name]);
      if (env.NODE_ENV !== 'production') problems.push(`${name}: NODE_ENV=${env.NODE_ENV}`);
      const secret = withDefaults(env.AUTH_SECRET ?? '');
      if (secret.length < 32) {
        problems.push(
          `${name}: AUTH_SECRET defaults to ${secret.length} characters — config refuses to ` +
            'start in production with fewer than 32',
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('takes secrets from variables, not from literals in the file', () => {
    const secrets: [string, string][] = [
      ['postgres', 'POSTGRES_PASSWORD'],
      ['temporal', 'POSTGRES_PWD'],
      ...APP_SERVICES.map((name): [string, string] => [name, 'AUTH_SECRET']),
    ];
    const problems = secrets
      .filter(
        ([name, key]) =>
          !/^\$\{[A-Z_]+(:?-[^}]*)?\}$/.test(environmentOf(services[name])[key] ?? ''),
      )
      .map(([name, key]) => `${name}: ${key} is not a \${VAR:-default} reference`);
    expect(problems).toEqual([]);
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
    // e.g. two POSTGRES_PASSWORD defaults: the app cannot log in to its own database.
    expect(conflicting).toEqual([]);
  });

  it('uses one Temporal namespace for auto-setup, search attributes, the UI and the app', () => {
    const namespaces = {
      'temporal DEFAULT_NAMESPACE': environmentOf(services.temporal).DEFAULT_NAMESPACE,
      'temporal-admin-tools TEMPORAL_NAMESPACE': environmentOf(services['temporal-admin-tools'])
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
    // Compared as written, so that TEMPORAL_NAMESPACE in .env moves all of them together.
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

  it('runs Temporal on the postgres service with the postgres12 plugin', () => {
    const temporal = environmentOf(services.temporal);
    const postgres = environmentOf(services.postgres);
    const problems: string[] = [];
    if (temporal.DB !== 'postgres12')
      problems.push(`temporal: DB=${temporal.DB}, expected postgres12`);
    if (temporal.POSTGRES_SEEDS !== 'postgres') {
      problems.push(
        `temporal: POSTGRES_SEEDS=${temporal.POSTGRES_SEEDS} is not the postgres service`,
      );
    }
    // auto-setup's DB_PORT defaults to MySQL's 3306.
    if (temporal.DB_PORT !== '5432') problems.push(`temporal: DB_PORT=${temporal.DB_PORT}`);
    if (temporal.POSTGRES_USER !== (postgres.POSTGRES_USER ?? 'postgres')) {
      problems.push('temporal: POSTGRES_USER is not the postgres service user');
    }
    if (temporal.POSTGRES_PWD !== postgres.POSTGRES_PASSWORD) {
      problems.push('temporal: POSTGRES_PWD is not the postgres service password');
    }
    expect(problems).toEqual([]);
  });

  it('keeps PostgreSQL data in a named volume and reports readiness with pg_isready', () => {
    const postgres = services.postgres;
    const problems: string[] = [];
    const mounts = (postgres?.volumes ?? []).map((volume) =>
      typeof volume === 'string'
        ? { source: volume.split(':')[0], target: volume.split(':')[1] }
        : { source: volume.source, target: volume.target },
    );
    const data = mounts.find((mount) => mount.target === '/var/lib/postgresql/data');
    if (!data?.source || !Object.keys(compose.volumes ?? {}).includes(data.source)) {
      problems.push(
        'no named volume on /var/lib/postgresql/data — data is lost with the container',
      );
    }
    if (!commandText(postgres?.healthcheck?.test).includes('pg_isready')) {
      problems.push('postgres healthcheck does not use pg_isready');
    }
    expect(problems).toEqual([]);
  });

  it('checks the API health on /healthz with node (slim images have no curl)', () => {
    const test = commandText(services.api?.healthcheck?.test);
    const problems: string[] = [];
    if (!/\bnode\b/.test(test) || !test.includes('fetch(')) {
      problems.push(`api healthcheck "${test}" does not use node's fetch`);
    }
    const port = withDefaults(environmentOf(services.api).PORT ?? '3000');
    if (!test.includes(`:${port}/healthz`)) {
      problems.push(`api healthcheck does not probe /healthz on PORT ${port}`);
    }
    expect(problems).toEqual([]);
  });

  it('registers the search attributes the workflows set', () => {
    const admin = services['temporal-admin-tools'];
    const script = `${commandText(admin?.entrypoint)} ${commandText(admin?.command)}`.replace(
      /\\\n\s*/g,
      ' ',
    );
    const problems = Object.entries(SEARCH_ATTRIBUTES)
      .filter(
        ([name, type]) => !new RegExp(`--name\\s+${name}\\s+--type\\s+${type}\\b`).test(script),
      )
      .map(([name, type]) => `${name} (${type}) is not registered — starting a workflow fails`);
    if (!script.includes('search-attribute create')) problems.push('no search-attribute create');
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

    it('uses conditions the dependencies can meet', () => {
      const problems: string[] = [];
      for (const [name, service] of Object.entries(services)) {
        for (const [dependency, condition] of Object.entries(dependenciesOf(service))) {
          const target = services[dependency];
          if (dependency === 'postgres' && condition !== 'service_healthy') {
            problems.push(
              `${name}: must wait for postgres to be service_healthy, not ${condition}`,
            );
          }
          if (
            (dependency === 'migrate' || dependency === 'temporal-admin-tools') &&
            condition !== 'service_completed_successfully'
          ) {
            problems.push(`${name}: must wait for ${dependency} to complete successfully`);
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
    const problems = ['migrate', 'temporal-admin-tools']
      .filter((name) => (services[name]?.restart ?? 'no') !== 'no')
      .map((name) => `${name} restarts: ${services[name]?.restart}`);
    expect(problems).toEqual([]);
  });
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
    expect(used.filter((name) => !envExampleEntries.has(name))).toEqual([]);
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
      'AUTH_SECRET',
      'POSTGRES_PASSWORD',
    ];
    const lines = envExample.split(/\r?\n/);
    const problems: string[] = [];
    for (const key of expected) {
      const at = lines.findIndex((line) => line.startsWith(`${key}=`));
      if (at === -1) problems.push(`${key} is missing`);
      else if (!lines[at - 1]?.startsWith('#')) problems.push(`${key} has no comment above it`);
    }
    expect(problems).toEqual([]);
  });

  it('ships no secret values in .env.example', () => {
    const filled = ['AUTH_SECRET', 'POSTGRES_PASSWORD'].filter((key) => envExampleEntries.get(key));
    expect(filled).toEqual([]);
  });
});

describe('Dockerfile', () => {
  it('has a builder and a runtime stage on node:20-bookworm-slim', () => {
    expect({
      stages: stageNames,
      bases: [...new Set(dockerfile.map(baseImageOf))],
    }).toEqual({
      stages: expect.arrayContaining(['builder', 'runtime']) as unknown,
      bases: ['node:20-bookworm-slim'],
    });
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
    expect(command).toBe('npm run api');
    expect(packageJson.scripts?.api).toBeDefined();
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

import { Client } from 'pg';

/** Creates the database named in `url` if it does not exist, connecting through `postgres`. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}

/** Drops and recreates a database (tests only). */
export async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

function adminClient(url: string): { client: Client; name: string } {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return { client: new Client({ connectionString: admin.toString() }), name };
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Creates a database as a copy of the one in `templateUrl` (which must have no open
 * connections) and returns its URL: a fresh migrated database in a fraction of a second.
 */
export async function cloneDatabase(templateUrl: string, name: string): Promise<string> {
  const { client, name: template } = adminClient(templateUrl);
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
    // Two clones of one template at the same moment can meet "source database is being
    // accessed by other users": try again shortly.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${quoted(name)} TEMPLATE ${quoted(template)}`);
        break;
      } catch (error) {
        if (attempt >= 50 || !String(error).includes('being accessed')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  } finally {
    await client.end();
  }
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database, closing whatever is still connected to it. */
export async function dropDatabase(url: string): Promise<void> {
  const { client, name } = adminClient(url);
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

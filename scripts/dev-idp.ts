import path from 'node:path';
import { loadConfig, loadEnvFile } from '../config';
import { DEVELOPMENT_PRINCIPALS, type Principal } from '../api/http/auth';
import { localDir } from './infra/paths';
import { startDevIdp } from './infra/dev-idp';

/**
 * Entry point of the development identity provider (`npm start` runs it; `npm run idp` alone).
 * Its users are the development identities; the browser tests pass their own as a JSON list
 * in the first argument, with the address the portal they test runs on in the second.
 */
async function main(): Promise<void> {
  loadEnvFile();
  const config = loadConfig();
  if (config.env === 'production')
    throw new Error('The development identity provider never runs in production');
  const accounts = process.argv[2]
    ? (JSON.parse(process.argv[2]) as Principal[])
    : DEVELOPMENT_PRINCIPALS;
  const portal = (process.argv[3] ?? config.referral.publicBaseUrl).replace(/\/+$/, '');
  const issuer = config.oidc?.issuer ?? `http://localhost:${config.devIdp.port}`;
  const idp = await startDevIdp({
    issuer,
    port: Number(new URL(issuer).port) || config.devIdp.port,
    clientId: config.oidc?.clientId ?? 'partner-portal',
    redirectUris: [`${portal}/`],
    audience: config.oidc?.audience ?? 'urn:partner-platform:api',
    apiScope: 'api',
    accounts,
    keysFile: path.join(localDir, 'dev-idp', 'keys.json'),
  });
  process.stdout.write(`Development identity provider at ${idp.issuer}\n`);
  const stop = () => void idp.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { loadConfig } from '../config';
import { ROLES, createTokenService, type Role } from '../api/http/auth';

/**
 * `npm run token -- <role> [organizationId] [subject]` prints a bearer token signed with
 * this environment's AUTH_SECRET, e.g. `npm run token -- partner org-2001`.
 */
async function main(): Promise<void> {
  const [role, organizationId, subject] = process.argv.slice(2);
  if (!role || !ROLES.includes(role as Role)) {
    throw new Error(`Usage: npm run token -- <${ROLES.join('|')}> [organizationId] [subject]`);
  }
  if (role === 'partner' && !organizationId)
    throw new Error('A partner token needs an organization id');
  const config = loadConfig();
  if (config.env === 'production') throw new Error('Refusing to mint tokens in production');
  const token = await createTokenService(config.auth).issue({
    role: role as Role,
    organizationId: role === 'partner' ? organizationId : undefined,
    subject: subject ?? `dev-${role}`,
  });
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

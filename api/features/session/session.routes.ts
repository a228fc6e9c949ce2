import { z } from 'zod';
import { DEVELOPMENT_PRINCIPALS, ROLES, type TokenService } from '../../http/auth';
import { defineRoute, type AnyRoute } from '../../http/route';

const principalView = z.object({
  subject: z.string(),
  role: z.enum(ROLES),
  organizationId: z.string().nullable(),
  name: z.string().nullable(),
});

/**
 * Who the bearer of a token is (the web portal asks after sign-in), and — in development
 * only — the development identities with fresh tokens, so a person can sign in to the portal
 * without an identity provider. Production has no such route.
 */
export function sessionRoutes(deps: {
  tokens: TokenService;
  developmentSignIn: boolean;
}): AnyRoute[] {
  const routes: AnyRoute[] = [
    defineRoute({
      method: 'get',
      path: '/v1/session',
      operationId: 'whoAmI',
      summary: 'The identity and role of the token’s bearer',
      tags: ['Session'],
      roles: ROLES,
      usesDependencies: false,
      responses: { 200: { description: 'The principal', schema: principalView } },
      handler: ({ principal }) =>
        Promise.resolve({
          status: 200,
          body: {
            subject: principal.subject,
            role: principal.role,
            organizationId: principal.organizationId ?? null,
            name: principal.name ?? null,
          },
        }),
    }),
  ];
  if (deps.developmentSignIn) {
    routes.push(
      defineRoute({
        method: 'get',
        path: '/v1/dev/identities',
        operationId: 'developmentIdentities',
        summary: 'Development only: the development identities, each with a 12-hour token',
        tags: ['Session'],
        roles: 'public',
        usesDependencies: false,
        responses: {
          200: {
            description: 'Identities',
            schema: z.object({ items: z.array(principalView.extend({ token: z.string() })) }),
          },
        },
        handler: async () => ({
          status: 200,
          body: {
            items: await Promise.all(
              DEVELOPMENT_PRINCIPALS.map(async (p) => ({
                subject: p.subject,
                role: p.role,
                organizationId: p.organizationId ?? null,
                name: p.name ?? null,
                token: await deps.tokens.issue(p, 12 * 3600),
              })),
            ),
          },
        }),
      }),
    );
  }
  return routes;
}

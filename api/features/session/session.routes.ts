import { z } from 'zod';
import { DEVELOPMENT_PRINCIPALS, ROLES, type TokenService } from '../../http/auth';
import { defineRoute, type AnyRoute } from '../../http/route';

const principalView = z.object({
  subject: z.string(),
  role: z.enum(ROLES),
  organizationId: z.string().nullable(),
  name: z.string().nullable(),
});

const signInConfig = z.object({
  oidc: z
    .object({
      issuer: z.string().describe('The OpenID Connect issuer the portal signs in with'),
      clientId: z.string().describe('The portal’s public client (authorization code + PKCE)'),
      scope: z.string(),
    })
    .nullable()
    .describe('null: no identity provider is configured'),
  tokenSignIn: z
    .boolean()
    .describe('Development and tests: the portal also offers to paste a bearer token'),
});

/** What the portal needs to sign in: the identity provider, its client and scope. */
export interface SignInSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

/**
 * How the portal signs in (its one build learns the identity provider here), who the bearer
 * of a token is (the portal asks after sign-in), and — in development only — the development
 * identities with fresh tokens for the developer's paste-a-token sign-in. Production has no
 * such route.
 */
export function sessionRoutes(deps: {
  tokens: TokenService;
  developmentSignIn: boolean;
  oidc?: SignInSettings;
}): AnyRoute[] {
  const routes: AnyRoute[] = [
    defineRoute({
      method: 'get',
      path: '/v1/session/config',
      operationId: 'signInConfig',
      summary: 'How the portal signs in: the OpenID Connect issuer and client',
      tags: ['Session'],
      roles: 'public',
      usesDependencies: false,
      responses: { 200: { description: 'Sign-in settings', schema: signInConfig } },
      handler: () =>
        Promise.resolve({
          status: 200 as const,
          body: {
            oidc: deps.oidc
              ? { issuer: deps.oidc.issuer, clientId: deps.oidc.clientId, scope: deps.oidc.scope }
              : null,
            tokenSignIn: deps.developmentSignIn,
          },
        }),
    }),
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

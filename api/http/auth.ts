import { decodeProtectedHeader, jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { DomainError } from '../../domain/errors';

/**
 * Bearer-token authentication. Two kinds of JWT carry the role and, for partners, the one
 * organization they act for: access tokens of the OpenID Connect provider (RS256, checked
 * against its published keys by the verifier given here, api/http/oidc.ts), and tokens signed
 * with AUTH_SECRET (HS256, `npm run token`, for scripts and tests) where they are accepted.
 */
export const ROLES = ['partner', 'manager', 'finance', 'billing-system', 'presale'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  role: Role;
  /** Set for role `partner`: the organization the user works on behalf of. */
  organizationId?: string;
  name?: string;
}

export class AuthenticationError extends Error {}

export interface TokenService {
  verify(token: string): Promise<Principal>;
  issue(principal: Principal, ttlSeconds?: number): Promise<string>;
}

export function createTokenService(options: {
  secret: string;
  issuer: string;
  /** Whether HS256 tokens signed with the secret are accepted (default yes). */
  acceptSharedSecretTokens?: boolean;
  /** Checks the identity provider's RS256 access tokens; none = only HS256 tokens. */
  verifyAccessToken?: (token: string) => Promise<Principal>;
}): TokenService {
  const key = new TextEncoder().encode(options.secret);
  return {
    async verify(token) {
      let algorithm: string | undefined;
      try {
        algorithm = decodeProtectedHeader(token).alg;
      } catch {
        throw new AuthenticationError('the token is not valid');
      }
      if (algorithm !== 'HS256') {
        if (!options.verifyAccessToken) throw new AuthenticationError('the token is not valid');
        return options.verifyAccessToken(token);
      }
      if (options.acceptSharedSecretTokens === false) {
        throw new AuthenticationError(
          'tokens signed with the shared secret are not accepted here; sign in with the identity provider',
        );
      }
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: options.issuer,
          algorithms: ['HS256'],
        });
        const role = payload.role;
        if (typeof payload.sub !== 'string' || !ROLES.includes(role as Role)) {
          throw new AuthenticationError('the token carries no valid subject and role');
        }
        const organizationId = typeof payload.org === 'string' ? payload.org : undefined;
        if (role === 'partner' && !organizationId) {
          throw new AuthenticationError('a partner token must name its organization');
        }
        return {
          subject: payload.sub,
          role: role as Role,
          organizationId,
          name: typeof payload.name === 'string' ? payload.name : undefined,
        };
      } catch (error) {
        if (error instanceof AuthenticationError) throw error;
        if (error instanceof joseErrors.JWTExpired)
          throw new AuthenticationError('the token has expired');
        throw new AuthenticationError('the token is not valid');
      }
    },
    async issue(principal, ttlSeconds = 30 * 24 * 3600) {
      return new SignJWT({
        role: principal.role,
        org: principal.organizationId,
        name: principal.name,
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(principal.subject)
        .setIssuer(options.issuer)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },
  };
}

/**
 * Partners see only their own organization's data; staff roles see all. Services call this
 * once they know which organization a resource belongs to.
 */
export function assertOrganizationAccess(principal: Principal, organizationId: string): void {
  if (principal.role === 'partner' && principal.organizationId !== organizationId) {
    // Same answer as a missing resource, so ids of other partners cannot be probed.
    throw new DomainError('not_found', 'No such resource for this organization', [], {
      reason: 'not_found',
    });
  }
}

/** The identities `npm start` prints tokens for, in development only. */
export const DEVELOPMENT_PRINCIPALS: Principal[] = [
  {
    subject: 'user-anna',
    role: 'partner',
    organizationId: 'org-1001',
    name: 'Anna (partner, org-1001)',
  },
  {
    subject: 'user-boris',
    role: 'partner',
    organizationId: 'org-1002',
    name: 'Boris (partner, org-1002)',
  },
  { subject: 'user-maria', role: 'manager', name: 'Maria (partner manager)' },
  { subject: 'user-fedor', role: 'finance', name: 'Fedor (finance)' },
  { subject: 'user-pavel', role: 'presale', name: 'Pavel (presale engineer)' },
  { subject: 'billing-system', role: 'billing-system', name: 'Billing verification system' },
];

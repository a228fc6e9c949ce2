import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { OidcSettings } from '../../config';
import { DependencyUnavailableError } from './dependencies';
import { AuthenticationError, ROLES, type Principal, type Role } from './auth';

/**
 * Access tokens of the OpenID Connect provider: JWTs signed RS256 with a key the issuer
 * publishes (its JWKS), checked for the issuer, the API's audience and expiry. The role, the
 * partner's organization and the name come from claims whose names are configured. A provider
 * whose keys cannot be fetched makes the request answer 503 (DependencyUnavailableError), never
 * 401 or 500: the token may well be good.
 */
export type AccessTokenVerifier = (token: string) => Promise<Principal>;

/** jose's codes for a token that is wrong (answered 401); any other failure is the provider's. */
const TOKEN_FAULTS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
]);

export function createOidcVerifier(settings: OidcSettings): AccessTokenVerifier {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  // The key set's address is looked up once (discovery) and kept; a failed look-up is retried.
  const keySet = (): Promise<JWTVerifyGetKey> => {
    keys ??= jwksUrl(settings).then((url) =>
      createRemoteJWKSet(url, { timeoutDuration: settings.jwksTimeoutMs }),
    );
    keys.catch(() => (keys = undefined));
    return keys;
  };

  return async (token) => {
    let payload: JWTPayload;
    try {
      const getKey = await keySet();
      ({ payload } = await jwtVerify(token, getKey, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new AuthenticationError('the token has expired');
      }
      if (error instanceof joseErrors.JOSEError && TOKEN_FAULTS.has(error.code)) {
        throw new AuthenticationError('the token is not valid');
      }
      throw new DependencyUnavailableError('identity-provider', { cause: error });
    }
    return principalFrom(payload, settings.claims);
  };
}

/** The principal the claims describe; a role claim may be one value or a list of them. */
export function principalFrom(payload: JWTPayload, claims: OidcSettings['claims']): Principal {
  const roleClaim = payload[claims.role];
  const candidates = Array.isArray(roleClaim) ? roleClaim : [roleClaim];
  const role = candidates.find((value): value is Role => ROLES.includes(value as Role));
  if (typeof payload.sub !== 'string' || !role) {
    throw new AuthenticationError('the token carries no valid subject and role');
  }
  const organization = payload[claims.organization];
  const organizationId = typeof organization === 'string' ? organization : undefined;
  if (role === 'partner' && !organizationId) {
    throw new AuthenticationError('a partner token must name its organization');
  }
  const name = payload[claims.name];
  return {
    subject: payload.sub,
    role,
    organizationId,
    name: typeof name === 'string' ? name : undefined,
  };
}

async function jwksUrl(settings: OidcSettings): Promise<URL> {
  if (settings.jwksUrl) return new URL(settings.jwksUrl);
  const res = await fetch(`${settings.issuer}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(settings.jwksTimeoutMs),
  });
  if (!res.ok) throw new Error(`the issuer's discovery document answered ${res.status}`);
  const document = (await res.json()) as { jwks_uri?: unknown };
  if (typeof document.jwks_uri !== 'string') {
    throw new Error('the issuer publishes no jwks_uri');
  }
  return new URL(document.jwks_uri);
}

/**
 * Secrets production refuses. A key is refused when it is one of the values published in this
 * repository (the development key, the examples in .env.example, docker-compose.yml and the
 * docs: anyone can read them) or when it is too short or too repetitive to carry 256 bits.
 * test/config/known-secrets.test.ts scans the repository's files and fails when a value
 * assigned to a secret-looking name there would be accepted: add such a value here.
 */

/** The key development and tests sign tokens with when AUTH_SECRET is not set. */
export const DEVELOPMENT_AUTH_SECRET = 'development-only-secret-change-me-in-production-0001';

/** Every value the repository shows as a secret or a key, and some obvious placeholders. */
export const KNOWN_SECRETS: readonly string[] = [
  DEVELOPMENT_AUTH_SECRET,
  // docker-compose.yml's former fallback for AUTH_SECRET.
  'local-compose-only-insecure-auth-secret-change-me',
  // A key the sign-in tests use as another deployment's.
  'not-the-secret-of-this-deployment-at-all-0123456789',
  'postgres',
  'changeme',
  'change-me',
  'secret',
  'password',
];

/** The strength production asks of a secret: 256 bits, as for an HMAC-SHA256 or AES-256 key. */
export const MINIMUM_SECRET_BITS = 256;

/** Fewer different characters than this is a pattern, not a random key. */
const MINIMUM_DISTINCT_CHARACTERS = 10;

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * The bits a secret can carry at most, from its length and alphabet: a hex digit carries 4, a
 * base64 (or base64url) character 6, and any other character is counted as 6 too, since
 * typed passphrases use far fewer than the 95 printable characters.
 */
export function secretBits(value: string): number {
  if (HEX.test(value)) return value.length * 4;
  if (BASE64.test(value)) return value.replace(/=+$/, '').length * 6;
  return [...value].length * 6;
}

/**
 * Why a value may not serve as a production secret, or undefined when it may. Used for
 * AUTH_SECRET, NOTIFICATION_WEBHOOK_SECRET and METRICS_TOKEN; other keys (e.g. payload
 * encryption keys) should be checked with it too.
 */
export function weakSecretReason(value: string): string | undefined {
  const known = KNOWN_SECRETS.some((secret) => secret === value);
  if (known) {
    return 'is a value published in the repository; generate one with `openssl rand -base64 48`';
  }
  if (secretBits(value) < MINIMUM_SECRET_BITS) {
    return (
      `must carry at least ${MINIMUM_SECRET_BITS} bits (64 hex digits or 43 base64 characters); ` +
      'generate one with `openssl rand -base64 48`'
    );
  }
  if (new Set(value).size < MINIMUM_DISTINCT_CHARACTERS) {
    return 'repeats too few characters to be random; generate one with `openssl rand -base64 48`';
  }
  return undefined;
}

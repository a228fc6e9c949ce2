import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEVELOPMENT_AUTH_SECRET, secretBits, weakSecretReason } from '../../config/known-secrets';

const ROOT = path.resolve(__dirname, '..', '..');

/** A name that holds a secret: AUTH_SECRET, *_KEY, *_PASSWORD, *_TOKEN, secret, password… */
const ASSIGNMENT = /\b(\w*(?:secret|password|pwd|_key|token))\b["']?\s*[:=]\s*(.+)$/gim;

/**
 * The literal values an assignment's right-hand side shows: quoted strings, the default of a
 * `${NAME:-default}` reference, or a bare word (an .env or YAML value). Commands, references
 * without a default and elisions (`$(openssl …)`, `${NAME:?…}`, `…`) show none.
 */
function literalValues(rest: string): string[] {
  const values: string[] = [];
  for (const m of rest.matchAll(/\$\{\w+:?-([^}]*)\}/g)) values.push(m[1] ?? '');
  const quoted = /^(['"`])((?:(?!\1)[^\\]|\\.)*)\1/.exec(rest);
  if (quoted) values.push(quoted[2] ?? '');
  else if (!/^[$<…(]/.test(rest)) {
    const bare = /^[^\s#'"`,;)]+/.exec(rest);
    if (bare) values.push(bare[0]);
  }
  return values.filter((value) => value !== '' && !value.includes('${'));
}

function trackedTextFiles(): string[] {
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: ROOT, encoding: 'utf8' },
  )
    .split('\0')
    .filter(Boolean)
    .filter((file) => !file.endsWith('package-lock.json'));
  return files.filter((file) => {
    const full = path.join(ROOT, file);
    try {
      if (statSync(full).size > 2_000_000) return false;
    } catch {
      return false; // deleted in the working tree
    }
    return !readFileSync(full).subarray(0, 8000).includes(0);
  });
}

describe('secrets production refuses', () => {
  it('refuses the development key, the repository’s examples and weak keys', () => {
    expect(weakSecretReason(DEVELOPMENT_AUTH_SECRET)).toMatch(/published in the repository/);
    expect(weakSecretReason('local-compose-only-insecure-auth-secret-change-me')).toMatch(
      /published/,
    );
    expect(weakSecretReason('a'.repeat(32))).toMatch(/at least 256 bits/);
    expect(weakSecretReason('0123456789abcdef'.repeat(3))).toMatch(/at least 256 bits/); // 192 bits
    expect(weakSecretReason('ab'.repeat(40))).toMatch(/too few characters/);
  });

  it('accepts what `openssl rand -hex 32` and `openssl rand -base64 48` print', () => {
    expect(secretBits(randomBytes(32).toString('hex'))).toBe(256);
    expect(weakSecretReason(randomBytes(32).toString('hex'))).toBeUndefined();
    expect(weakSecretReason(randomBytes(48).toString('base64'))).toBeUndefined();
    expect(weakSecretReason(randomBytes(32).toString('base64url'))).toBeUndefined();
  });

  it('refuses every value the repository assigns to a secret-looking name', () => {
    const accepted: string[] = [];
    const seen = new Set<string>();
    for (const file of trackedTextFiles()) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const match of text.matchAll(ASSIGNMENT)) {
        for (const value of literalValues((match[2] ?? '').trim())) {
          seen.add(value);
          if (!weakSecretReason(value)) accepted.push(`${file}: ${match[1]} = ${value}`);
        }
      }
    }
    // The scan does find the repository's examples (the development key among them)…
    expect(seen).toContain(DEVELOPMENT_AUTH_SECRET);
    expect(seen.size).toBeGreaterThan(10);
    // …and production would take none of them: add a new example to config/known-secrets.ts.
    expect(accepted).toEqual([]);
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { fieldProblems } from '../../api/http/problem';
import {
  FIELD_CODES,
  PROBLEM_CODES,
  carriedReason,
  isFieldCode,
  isProblemCode,
} from '../../domain/problem-codes';
import { templateParams } from '../../domain/templates';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level names of an object literal's text, e.g. "{ month, from: a(b, c) }" → month, from. */
function keysOf(objectText: string): string[] {
  let inner = objectText.trim().slice(1, -1);
  // Drop nested calls, arrays and objects so their commas do not split the list.
  for (let previous = ''; previous !== inner;) {
    previous = inner;
    inner = inner.replace(/\([^()]*\)|\[[^[\]]*\]|\{[^{}]*\}|`[^`]*`|'[^']*'/g, '');
  }
  return inner
    .split(',')
    .map((part) => part.trim().split(':')[0]!.trim())
    .filter(Boolean);
}

/**
 * Files whose `reason:` / `code:` words belong to another vocabulary: the next-action and
 * invoice-line catalogues, the close-order rule (mapped to close_out_of_order by the service),
 * the zod mapping (tested below) and Prisma's generated client.
 */
const OTHER_VOCABULARY = [
  'domain/next-actions.ts',
  'domain/settlement/line-codes.ts',
  'domain/settlement/billing.ts',
  'api/http/problem.ts',
  'prisma/generated/',
];

/** Every `reason: '…'` / `code: '…'` a source file sends, with the params written beside it. */
function sites(kind: 'reason' | 'code') {
  const found: { where: string; code: string; params: string[] | null }[] = [];
  const pattern = new RegExp(
    `\\b${kind}: '([a-z_]+)'(,\\s*params: (\\{[^{}]*(?:\\{[^{}]*\\}[^{}]*)*\\}))?`,
    'g',
  );
  for (const file of ['domain', 'api', 'activities', 'prisma', 'workflows'].flatMap(sources)) {
    if (OTHER_VOCABULARY.some((other) => file.startsWith(other))) continue;
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const match of text.matchAll(pattern)) {
      const line = text.slice(0, match.index).split('\n').length;
      found.push({
        where: `${file}:${line}`,
        code: match[1]!,
        params: match[3] ? keysOf(match[3]) : null,
      });
    }
  }
  return found;
}

describe('the catalogue of problem codes', () => {
  const catalogues: [string, Record<string, { params: readonly string[]; en: string }>][] = [
    ['PROBLEM_CODES', PROBLEM_CODES],
    ['FIELD_CODES', FIELD_CODES],
  ];
  it.each(catalogues)(
    '%s: snake_case codes whose English template uses only their parameters',
    (_, catalogue) => {
      for (const [code, entry] of Object.entries(catalogue)) {
        expect([code, /^[a-z]+(_[a-z]+)*$/.test(code)]).toEqual([code, true]);
        const used = templateParams(entry.en);
        const declared: readonly string[] = entry.params;
        expect([code, used.filter((name) => !declared.includes(name))]).toEqual([code, []]);
        expect([code, new Set(declared).size]).toEqual([code, declared.length]);
      }
    },
  );

  it('holds every category the API maps to a status', () => {
    for (const code of [
      'validation_failed',
      'not_found',
      'conflict',
      'forbidden',
      'invalid_state',
      'unavailable',
    ]) {
      expect(isProblemCode(code)).toBe(true);
    }
  });

  it('catalogues every reason the server sends, with exactly the parameters the site passes', () => {
    const reasons = sites('reason').filter((s) => !/^test\//.test(s.where));
    expect(reasons.length).toBeGreaterThan(100);
    for (const site of reasons) {
      // `reason: '…'` also names fields of other shapes (a presale move's reason text is free):
      // only snake_case reasons with underscores or known categories are codes.
      if (!isProblemCode(site.code) && !site.code.includes('_')) continue;
      expect([site.where, site.code, isProblemCode(site.code)]).toEqual([
        site.where,
        site.code,
        true,
      ]);
      if (site.params && isProblemCode(site.code)) {
        expect([site.where, site.code, [...site.params].sort()]).toEqual([
          site.where,
          site.code,
          [...PROBLEM_CODES[site.code].params].sort(),
        ]);
      }
    }
  });

  it('catalogues every field code the server sends, with exactly the parameters the site passes', () => {
    // `code: 'asc'` orders Prisma queries; every other `code:` is a field code.
    const codes = sites('code').filter((s) => s.code !== 'asc' && s.code !== 'desc');
    expect(codes.length).toBeGreaterThan(50);
    for (const site of codes) {
      expect([site.where, site.code, isFieldCode(site.code)]).toEqual([
        site.where,
        site.code,
        true,
      ]);
      if (site.params && isFieldCode(site.code)) {
        expect([site.where, site.code, [...site.params].sort()]).toEqual([
          site.where,
          site.code,
          [...FIELD_CODES[site.code].params].sort(),
        ]);
      }
    }
  });

  it('keeps a reason carried across the workflow boundary, and drops one it does not know', () => {
    expect(carriedReason({ reason: 'close_out_of_order', params: { month: '2026-09' } })).toEqual({
      reason: 'close_out_of_order',
      params: { month: '2026-09' },
    });
    expect(carriedReason({ reason: 'made_up_reason', params: {} })).toBeUndefined();
    expect(carriedReason(undefined)).toBeUndefined();
  });
});

describe('field problems from the request schemas', () => {
  const schema = z
    .object({
      email: z.email(),
      name: z.string().min(1).max(5),
      count: z.number().int().min(1),
      kind: z.enum(['deal', 'project']),
    })
    .strict();

  const problemsOf = (input: unknown) => {
    const result = schema.safeParse(input);
    if (result.success) throw new Error('expected a refusal');
    return fieldProblems(result.error, 'body', input);
  };

  it('names a missing field required, a bad e-mail by its format, bounds and choices by their values', () => {
    const problems = problemsOf({ email: 'anna@', name: 'too long', count: 0, extra: 1 });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'body.email',
          code: 'invalid_format',
          params: { format: 'email' },
        }),
        expect.objectContaining({
          field: 'body.name',
          code: 'too_big',
          params: { maximum: 5, origin: 'string' },
        }),
        expect.objectContaining({
          field: 'body.count',
          code: 'too_small',
          params: { minimum: 1, origin: 'number' },
        }),
        expect.objectContaining({ field: 'body.kind', code: 'required', params: {} }),
        expect.objectContaining({
          field: 'body',
          code: 'unrecognized_keys',
          params: { keys: 'extra' },
        }),
      ]),
    );
    expect(problemsOf({ email: 'a@b.ru', name: 'x', count: 1, kind: 'lease' })).toEqual([
      expect.objectContaining({
        field: 'body.kind',
        code: 'invalid_value',
        params: { values: 'deal, project' },
      }),
    ]);
    expect(problemsOf({ email: 'a@b.ru', name: 'x', count: 'one', kind: 'deal' })).toEqual([
      expect.objectContaining({
        field: 'body.count',
        code: 'invalid_type',
        params: { expected: 'number' },
      }),
    ]);
  });

  it('takes the code a refinement names for itself', () => {
    const positive = z.object({
      amount: z.string().refine((v) => Number(v) > 0, {
        message: 'must be greater than 0',
        params: { code: 'must_be_positive' },
      }),
    });
    const result = positive.safeParse({ amount: '0' });
    expect(result.success).toBe(false);
    expect(fieldProblems(result.error!, 'body')).toEqual([
      {
        field: 'body.amount',
        message: 'must be greater than 0',
        code: 'must_be_positive',
        params: {},
      },
    ]);
  });
});

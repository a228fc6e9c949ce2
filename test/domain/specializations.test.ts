import { DomainError } from '../../domain/errors';
import {
  applicationProblems,
  assertMayHoldSpecialization,
  catalogueEntryOn,
  catalogueOn,
  decide,
  grantDateProblems,
  openApplicationKey,
  reasonProblems,
  type ApplicationDecision,
  type ApplicationStatus,
} from '../../domain/specializations';

const version = (code: string, validFrom: string, validTo: string | null, rate: string) => ({
  code,
  validFrom,
  validTo,
  rate,
  minCertifiedEngineers: 2,
});

// data-platform's rate rises from 5% to 6% on 2027-01-01; ml starts on 2026-06-01.
const catalogue = [
  version('data-platform', '2025-01-01', '2026-12-31', '0.05'),
  version('data-platform', '2027-01-01', null, '0.06'),
  version('ml', '2026-06-01', null, '0.04'),
];

describe('the catalogue version valid on a day', () => {
  it.each([
    ['data-platform', '2024-12-31', null],
    ['data-platform', '2025-01-01', '0.05'],
    ['data-platform', '2026-12-31', '0.05'],
    ['data-platform', '2027-01-01', '0.06'],
    ['data-platform', '2040-05-05', '0.06'],
    ['ml', '2026-05-31', null],
    ['ml', '2026-06-01', '0.04'],
    ['unknown', '2026-06-01', null],
  ])('%s on %s → rate %s', (code, date, rate) => {
    expect(catalogueEntryOn(catalogue, code, date)?.rate ?? null).toBe(rate);
  });

  it('lists one version per code valid that day, by code', () => {
    expect(catalogueOn(catalogue, '2026-03-01').map((e) => [e.code, e.rate])).toEqual([
      ['data-platform', '0.05'],
    ]);
    expect(catalogueOn(catalogue, '2027-03-01').map((e) => [e.code, e.rate])).toEqual([
      ['data-platform', '0.06'],
      ['ml', '0.04'],
    ]);
  });
});

describe('an application against the catalogue’s requirements', () => {
  const entry = { minCertifiedEngineers: 2 };
  const ok = { code: 'data-platform', evidence: 'Two certificates', certifiedEngineers: 2 };

  it.each([
    ['meets the minimum', ok, entry, []],
    ['exceeds it', { ...ok, certifiedEngineers: 7 }, entry, []],
    [
      'falls one short',
      { ...ok, certifiedEngineers: 1 },
      entry,
      [
        {
          field: 'certifiedEngineers',
          message:
            'the specialization requires at least 2 certified engineers; the application names 1',
        },
      ],
    ],
    [
      'names a negative count',
      { ...ok, certifiedEngineers: -1 },
      entry,
      [{ field: 'certifiedEngineers', message: 'must be a whole number ≥ 0' }],
    ],
    [
      'names a fraction',
      { ...ok, certifiedEngineers: 2.5 },
      entry,
      [{ field: 'certifiedEngineers', message: 'must be a whole number ≥ 0' }],
    ],
    [
      'has blank evidence',
      { ...ok, evidence: '  ' },
      entry,
      [{ field: 'evidence', message: 'must not be empty' }],
    ],
    [
      'has too long evidence',
      { ...ok, evidence: 'x'.repeat(4001) },
      entry,
      [{ field: 'evidence', message: 'must be at most 4000 characters' }],
    ],
    [
      'names a code not in the catalogue that day',
      ok,
      null,
      [
        {
          field: 'code',
          message: 'data-platform is not a specialization of the catalogue on 2026-11-30',
        },
      ],
    ],
  ])('%s', (_what, application, catalogueEntry, problems) => {
    expect(applicationProblems(application, catalogueEntry, '2026-11-30')).toMatchObject(problems);
  });
});

describe('who may hold a specialization', () => {
  it.each([
    ['active', true, null],
    ['active', false, 'not in the VAR program'],
    ['leaving', true, 'status is leaving'],
    ['left', true, 'status is left'],
    ['revoked', true, 'status is revoked'],
  ])('a partner %s (in VAR: %s) → %s', (status, inVar, refusal) => {
    const attempt = () => assertMayHoldSpecialization({ status, inVar });
    if (refusal === null) {
      expect(attempt).not.toThrow();
      return;
    }
    expect(attempt).toThrow(refusal);
    try {
      attempt();
    } catch (error) {
      expect((error as DomainError).code).toBe('invalid_state');
    }
  });
});

describe('deciding an application', () => {
  it.each<[ApplicationStatus, ApplicationDecision, ApplicationStatus | 'refused with 409']>([
    ['open', 'grant', 'granted'],
    ['open', 'refuse', 'refused'],
    ['granted', 'grant', 'refused with 409'],
    ['granted', 'refuse', 'refused with 409'],
    ['refused', 'grant', 'refused with 409'],
    ['refused', 'refuse', 'refused with 409'],
  ])('%s + %s → %s', (status, decision, next) => {
    if (next === 'refused with 409') {
      expect(() => decide(status, decision)).toThrow(
        `The application is already ${status}; only an open application can be granted or refused`,
      );
    } else {
      expect(decide(status, decision)).toBe(next);
    }
  });

  it('asks a refusal for a reason, a grant or withdrawal only for a short one', () => {
    expect(reasonProblems('  ', true)).toEqual([
      { field: 'reason', message: 'must not be empty', code: 'required' },
    ]);
    expect(reasonProblems(undefined, true)).toMatchObject([
      { field: 'reason', message: 'must not be empty' },
    ]);
    expect(reasonProblems(null, false)).toEqual([]);
    expect(reasonProblems('Certificates checked', true)).toEqual([]);
    expect(reasonProblems('x'.repeat(1001), false)).toEqual([
      {
        field: 'reason',
        message: 'must be at most 1000 characters',
        code: 'too_big',
        params: { maximum: 1000, origin: 'string' },
      },
    ]);
  });

  it('takes a calendar date as the grant’s first day', () => {
    expect(grantDateProblems('2026-02-28')).toEqual([]);
    expect(grantDateProblems('2026-02-30')).toMatchObject([
      { field: 'validFrom', message: 'must be a calendar date' },
    ]);
  });

  it('keys the one open application by partner and code', () => {
    expect(openApplicationKey('p-1', 'ml')).toBe('p-1:ml');
    expect(openApplicationKey('p-1', 'ml')).not.toBe(openApplicationKey('p-2', 'ml'));
  });
});

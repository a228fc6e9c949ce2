/**
 * Registration rules of deals and projects (SPEC §2) and the relative partner bonus, as tables.
 */
import {
  dateInMoscow,
  dealEndProblems,
  dealProblems,
  projectProblems,
  projectsCollide,
  relativeBonus,
  specializationEndProblems,
  specializationProblems,
  type DealTerms,
  type ProjectPlace,
  type ProjectTerms,
  type SpecializationTerms,
} from '../../domain/programs';

const FRACTION = 'must be a decimal fraction such as "0.05"';
const CALENDAR_DATE = 'must be a calendar date YYYY-MM-DD';

describe('dealProblems', () => {
  const deal = (parts: Partial<DealTerms>): DealTerms => ({
    upliftRate: '0.05',
    startDate: '2025-03-01',
    ...parts,
  });

  it.each<[string, Partial<DealTerms>]>([
    ['a 5 pp open deal', {}],
    ['the cap itself, 0.15', { upliftRate: '0.15' }],
    ['four decimals', { upliftRate: '0.1234' }],
    ['0.15 written with trailing zeros', { upliftRate: '0.1500' }],
    ['the smallest rate with four decimals', { upliftRate: '0.0001' }],
    ['an end date', { endDate: '2025-12-31' }],
    ['a one-day deal (end = start)', { endDate: '2025-03-01' }],
    ['an explicitly open deal', { endDate: null }],
    ['29 February of a leap year', { startDate: '2024-02-29' }],
  ])('accepts %s', (_name, parts) => {
    expect(dealProblems(deal(parts))).toEqual([]);
  });

  it.each<[string, Partial<DealTerms>, { field: string; message: string }[]]>([
    [
      'a rate above 15 pp',
      { upliftRate: '0.16' },
      [{ field: 'upliftRate', message: 'must be at most 0.15 (15 percentage points)' }],
    ],
    [
      'a rate just above the cap',
      { upliftRate: '0.1501' },
      [{ field: 'upliftRate', message: 'must be at most 0.15 (15 percentage points)' }],
    ],
    [
      'a zero rate',
      { upliftRate: '0' },
      [{ field: 'upliftRate', message: 'must be greater than 0' }],
    ],
    [
      'a zero rate with decimals',
      { upliftRate: '0.0000' },
      [{ field: 'upliftRate', message: 'must be greater than 0' }],
    ],
    [
      'five decimals',
      { upliftRate: '0.12345' },
      [{ field: 'upliftRate', message: 'must have at most 4 decimals' }],
    ],
    ['a negative rate', { upliftRate: '-0.05' }, [{ field: 'upliftRate', message: FRACTION }]],
    ['a percentage', { upliftRate: '5%' }, [{ field: 'upliftRate', message: FRACTION }]],
    ['exponent notation', { upliftRate: '5e-2' }, [{ field: 'upliftRate', message: FRACTION }]],
    ['no leading digit', { upliftRate: '.05' }, [{ field: 'upliftRate', message: FRACTION }]],
    ['an empty rate', { upliftRate: '' }, [{ field: 'upliftRate', message: FRACTION }]],
    ['30 February', { startDate: '2025-02-30' }, [{ field: 'startDate', message: CALENDAR_DATE }]],
    [
      '29 February of a common year',
      { startDate: '2025-02-29' },
      [{ field: 'startDate', message: CALENDAR_DATE }],
    ],
    [
      'a date with time',
      { startDate: '2025-03-01T00:00:00Z' },
      [{ field: 'startDate', message: CALENDAR_DATE }],
    ],
    ['month 13', { endDate: '2025-13-01' }, [{ field: 'endDate', message: CALENDAR_DATE }]],
    [
      'an end before the start',
      { endDate: '2025-02-28' },
      [{ field: 'endDate', message: "must not be before the deal's start date 2025-03-01" }],
    ],
    [
      'every field wrong at once',
      { upliftRate: '0.2', startDate: '2025-04-31', endDate: 'soon' },
      [
        { field: 'upliftRate', message: 'must be at most 0.15 (15 percentage points)' },
        { field: 'startDate', message: CALENDAR_DATE },
        { field: 'endDate', message: CALENDAR_DATE },
      ],
    ],
  ])('refuses %s', (_name, parts, problems) => {
    expect(dealProblems(deal(parts))).toMatchObject(problems);
  });
});

describe('dealEndProblems', () => {
  it.each<[string, string, string, { field: string; message: string }[]]>([
    ['the start day itself', '2025-03-01', '2025-03-01', []],
    ['a later day', '2025-03-01', '2026-01-31', []],
    [
      'the day before the start',
      '2025-03-01',
      '2025-02-28',
      [{ field: 'endDate', message: "must not be before the deal's start date 2025-03-01" }],
    ],
    ['no real date', '2025-03-01', '2025-06-31', [{ field: 'endDate', message: CALENDAR_DATE }]],
  ])('%s', (_name, startDate, endDate, problems) => {
    expect(dealEndProblems({ startDate, endDate })).toMatchObject(problems);
  });
});

describe('projectProblems', () => {
  const cloud = (parts: Partial<ProjectTerms>): ProjectTerms => ({
    scope: 'cloud',
    cloudId: 'cloud-1',
    baselineMonthly: '5000.00',
    rate: '0.10',
    registeredOn: '2025-03-15',
    ...parts,
  });
  const folder = (parts: Partial<ProjectTerms>) =>
    cloud({ scope: 'folder', folderId: 'folder-1', ...parts });

  it.each<[string, ProjectTerms]>([
    ['a cloud project', cloud({})],
    ['a cloud project with folderId null', cloud({ folderId: null })],
    ['a folder project', folder({})],
    ['a zero baseline', cloud({ baselineMonthly: '0' })],
    ['a baseline with one decimal', cloud({ baselineMonthly: '100.5' })],
    ['a baseline without decimals', cloud({ baselineMonthly: '100' })],
    ['the cap, 15%', cloud({ rate: '0.15' })],
    ['a rate with four decimals', folder({ rate: '0.0725' })],
  ])('accepts %s', (_name, project) => {
    expect(projectProblems(project)).toEqual([]);
  });

  it.each<[string, ProjectTerms, { field: string; message: string }[]]>([
    [
      'a folder project without its folder',
      folder({ folderId: undefined }),
      [{ field: 'folderId', message: 'is required for a folder project' }],
    ],
    [
      'a folder project with a blank folder',
      folder({ folderId: '  ' }),
      [{ field: 'folderId', message: 'is required for a folder project' }],
    ],
    [
      'a cloud project naming a folder',
      cloud({ folderId: 'folder-1' }),
      [
        {
          field: 'folderId',
          message: 'must be left out for a cloud project: the whole cloud counts',
        },
      ],
    ],
    [
      'an unknown scope',
      cloud({ scope: 'organization' }),
      [{ field: 'scope', message: 'must be "cloud" or "folder"' }],
    ],
    [
      'a blank cloud',
      cloud({ cloudId: ' ' }),
      [{ field: 'cloudId', message: 'must not be empty' }],
    ],
    [
      'a negative baseline',
      cloud({ baselineMonthly: '-1.00' }),
      [{ field: 'baselineMonthly', message: 'must not be negative' }],
    ],
    [
      'a baseline with three decimals',
      cloud({ baselineMonthly: '5000.001' }),
      [{ field: 'baselineMonthly', message: 'must have at most 2 decimals' }],
    ],
    [
      'a baseline that is no number',
      cloud({ baselineMonthly: '5 000' }),
      [{ field: 'baselineMonthly', message: 'must be an amount in rubles such as "5000.00"' }],
    ],
    [
      'a rate above 15%',
      cloud({ rate: '0.16' }),
      [{ field: 'rate', message: 'must be at most 0.15 (15%)' }],
    ],
    [
      'a zero rate',
      cloud({ rate: '0.00' }),
      [{ field: 'rate', message: 'must be greater than 0' }],
    ],
    [
      'a rate with five decimals',
      cloud({ rate: '0.10001' }),
      [{ field: 'rate', message: 'must have at most 4 decimals' }],
    ],
    [
      'a registration date that does not exist',
      cloud({ registeredOn: '2025-02-29' }),
      [{ field: 'registeredOn', message: CALENDAR_DATE }],
    ],
    [
      'several fields at once',
      folder({ folderId: null, baselineMonthly: '-5', rate: '1' }),
      [
        { field: 'folderId', message: 'is required for a folder project' },
        { field: 'baselineMonthly', message: 'must not be negative' },
        { field: 'rate', message: 'must be at most 0.15 (15%)' },
      ],
    ],
  ])('refuses %s', (_name, project, problems) => {
    expect(projectProblems(project)).toMatchObject(problems);
  });
});

describe('specializationProblems', () => {
  const grant = (parts: Partial<SpecializationTerms>): SpecializationTerms => ({
    code: 'data-platform',
    rate: '0.05',
    serviceIds: ['managed-postgresql', 'managed-clickhouse'],
    validFrom: '2026-01-01',
    ...parts,
  });

  it.each<[string, Partial<SpecializationTerms>]>([
    ['a held specialization', {}],
    ['the whole base, rate 1', { rate: '1' }],
    ['one service', { serviceIds: ['compute'] }],
    ['a last day', { validTo: '2026-12-31' }],
    ['a one-day grant', { validTo: '2026-01-01' }],
    ['an explicitly open grant', { validTo: null }],
  ])('accepts %s', (_name, parts) => {
    expect(specializationProblems(grant(parts))).toEqual([]);
  });

  it.each<[string, Partial<SpecializationTerms>, { field: string; message: string }[]]>([
    ['a blank name', { code: '  ' }, [{ field: 'code', message: 'must not be empty' }]],
    ['a zero rate', { rate: '0' }, [{ field: 'rate', message: 'must be greater than 0' }]],
    ['a rate above 1', { rate: '1.5' }, [{ field: 'rate', message: 'must be at most 1 (100%)' }]],
    [
      'no services',
      { serviceIds: [] },
      [{ field: 'serviceIds', message: 'must name at least one service' }],
    ],
    [
      'a blank and a repeated service',
      { serviceIds: ['compute', ' ', 'compute'] },
      [
        { field: 'serviceIds.1', message: 'must not be empty' },
        { field: 'serviceIds.2', message: 'repeats compute' },
      ],
    ],
    [
      'no real first day',
      { validFrom: '2026-02-30' },
      [{ field: 'validFrom', message: CALENDAR_DATE }],
    ],
    [
      'a last day before the first',
      { validTo: '2025-12-31' },
      [
        {
          field: 'validTo',
          message: "must not be before the specialization's first day 2026-01-01",
        },
      ],
    ],
  ])('refuses %s', (_name, parts, problems) => {
    expect(specializationProblems(grant(parts))).toMatchObject(problems);
  });
});

describe('specializationEndProblems', () => {
  it.each<[string, string, { field: string; message: string }[]]>([
    ['its first day', '2026-01-01', []],
    ['a later day', '2026-03-31', []],
    [
      'the day before its first day',
      '2025-12-31',
      [
        {
          field: 'validTo',
          message: "must not be before the specialization's first day 2026-01-01",
        },
      ],
    ],
    ['no real date', '2026-04-31', [{ field: 'validTo', message: CALENDAR_DATE }]],
  ])('%s', (_name, validTo, problems) => {
    expect(specializationEndProblems({ validFrom: '2026-01-01', validTo })).toMatchObject(problems);
  });
});

describe('projectsCollide', () => {
  const place = (parts: Partial<ProjectPlace>): ProjectPlace => ({
    scope: 'cloud',
    cloudId: 'cloud-1',
    folderId: null,
    registeredOn: '2025-03-15',
    ...parts,
  });
  const inFolder = (folderId: string, parts: Partial<ProjectPlace> = {}) =>
    place({ scope: 'folder', folderId, ...parts });

  it.each<[string, boolean, ProjectPlace, ProjectPlace]>([
    ['the same cloud, same month', true, place({}), place({})],
    ['another cloud', false, place({}), place({ cloudId: 'cloud-2' })],
    ['a folder of a registered cloud', true, place({}), inFolder('f-1')],
    ['a cloud around a registered folder', true, inFolder('f-1'), place({})],
    ['the same folder', true, inFolder('f-1'), inFolder('f-1')],
    ['two folders of one cloud', false, inFolder('f-1'), inFolder('f-2')],
    // Registered in 2025-03: rebate months 2025-04 … 2026-03. 2026-02 shares 2026-03 with it.
    ['11 months apart', true, place({}), place({ registeredOn: '2026-02-01' })],
    // 2026-03: rebate months 2026-04 … 2027-03 start after the first window ends.
    ['12 months apart', false, place({}), place({ registeredOn: '2026-03-01' })],
    ['12 months earlier', false, place({}), place({ registeredOn: '2024-03-31' })],
  ])('%s → %p', (_name, collide, a, b) => {
    expect(projectsCollide(a, b)).toBe(collide);
    expect(projectsCollide(b, a)).toBe(collide);
  });
});

describe('relativeBonus', () => {
  it.each<[string, string, string | null]>([
    ['195.00', '1700.00', '0.1147'], // 0.114705… rounds down
    ['100.00', '1000.00', '0.1000'],
    ['250.00', '1000.00', '0.2500'], // base 10% + 15 pp uplift
    ['1.00', '3.00', '0.3333'],
    ['2.00', '3.00', '0.6667'], // 0.66666… rounds up
    ['0.00', '1000.00', '0.0000'],
    ['1.00', '80000.00', '0.0000'], // 0.0000125 rounds down
    ['1.00', '16000.00', '0.0001'], // 0.0000625 rounds up
    ['0.00', '0.00', null],
    ['5.00', '-10.00', null],
  ])('%s ÷ %s → %p', (discount, base, relative) => {
    expect(relativeBonus(discount, base)).toBe(relative);
  });
});

describe('dateInMoscow', () => {
  it.each([
    ['2025-03-31T20:59:59.999Z', '2025-03-31'],
    ['2025-03-31T21:00:00.000Z', '2025-04-01'], // 00:00 in Moscow
    ['2024-12-31T22:30:00.000Z', '2025-01-01'],
  ])('%s is %s in Moscow', (instant, date) => {
    expect(dateInMoscow(new Date(instant))).toBe(date);
  });
});

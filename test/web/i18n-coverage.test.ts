import i18next from 'i18next';
import { startApi, type RunningApi } from '../../api/server';
import { NEXT_ACTION_CODES } from '../../domain/next-actions';
import { FIELD_CODES, PROBLEM_CODES } from '../../domain/problem-codes';
import { LINE_KINDS } from '../../domain/settlement/line-codes';
import { templateParams } from '../../domain/templates';
import {
  RESOURCES,
  labelledFieldProblem,
  lineText,
  nextActionText,
  problemText,
  type CodeTranslate,
  type Language,
} from '../../web/src/i18n';
import { testConfig } from '../support/env';

/**
 * The portal speaks Russian and English completely: both dictionaries have the same keys,
 * and every code the API sends — problems, field problems, next actions, invoice lines and
 * every status or kind in the OpenAPI document — has a text in both, with exactly the
 * parameters the server's catalogue sends beside the code.
 */
const LANGUAGES: Language[] = ['ru', 'en'];
const PLURAL = /_(zero|one|two|few|many|other)$/;

const dictionary = (language: Language): Record<string, string> => RESOURCES[language].translation;

/** The texts of a key in one language: the key itself, or each of its plural forms. */
function textsOf(language: Language, key: string): string[] {
  return Object.entries(dictionary(language))
    .filter(([k]) => k === key || (PLURAL.test(k) && k.replace(PLURAL, '') === key))
    .map(([, text]) => text);
}

/** The `{{name}}` placeholders of a text, sorted (a `{{name, format}}` counts as `name`). */
function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]))]
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** For each code: the key, in each language, whose placeholders differ from the template's. */
function mismatches(prefix: string, catalogue: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [code, template] of Object.entries(catalogue)) {
    const expected = [...templateParams(template)].sort();
    for (const language of LANGUAGES) {
      const texts = textsOf(language, `${prefix}${code}`);
      if (texts.length === 0) problems.push(`${language}: ${prefix}${code} missing`);
      for (const text of texts) {
        const got = placeholders(text);
        if (got.join() !== expected.join()) {
          problems.push(
            `${language}: ${prefix}${code} has {{${got.join()}}}, the catalogue {{${expected.join()}}}`,
          );
        }
      }
    }
  }
  return problems;
}

const templates = <T extends Record<string, { en: string }>>(catalogue: T) =>
  Object.fromEntries(Object.entries(catalogue).map(([code, entry]) => [code, entry.en]));

describe('the portal’s dictionaries', () => {
  it('have the same keys in Russian and English (plural forms aside)', () => {
    const keys = (language: Language) =>
      [...new Set(Object.keys(dictionary(language)).map((k) => k.replace(PLURAL, '')))].sort();
    expect(keys('ru')).toEqual(keys('en'));
    for (const language of LANGUAGES) {
      const empty = Object.entries(dictionary(language)).filter(([, text]) => !text.trim());
      expect({ language, empty }).toEqual({ language, empty: [] });
    }
  });

  it('translate every problem and field problem the API can send, with its parameters', () => {
    expect(mismatches('problem.', templates(PROBLEM_CODES))).toEqual([]);
    expect(mismatches('field.', templates(FIELD_CODES))).toEqual([]);
  });

  it('translate every next action of an application, with its parameters', () => {
    expect(mismatches('next.', templates(NEXT_ACTION_CODES))).toEqual([]);
  });

  it('write every kind of invoice line, its description and its rule, from its parameters', () => {
    const part = (which: 'description' | 'rule') =>
      Object.fromEntries(
        Object.entries(LINE_KINDS).map(([kind, entry]) => [`${kind}.${which}`, entry.en[which]]),
      );
    expect(mismatches('line.', part('description'))).toEqual([]);
    expect(mismatches('line.', part('rule'))).toEqual([]);
  });
});

describe('every status and kind in the OpenAPI document', () => {
  let api: RunningApi;
  let document: { paths: Record<string, unknown>; components: { schemas: unknown } };

  beforeAll(async () => {
    api = await startApi(testConfig(), { port: 0 });
    document = (await (await fetch(`${api.url}/openapi.json`)).json()) as typeof document;
  });

  afterAll(async () => {
    await api?.close();
  });

  // Not words a person reads: the sort order of a list and a document's file format; and the
  // next-action codes, which the catalogue test above covers with their parameters.
  const NOT_SHOWN = new Set(['order', 'format', 'nextActionCode']);

  /** Every enum of strings in the document, by the property or parameter it belongs to. */
  function enums(): Map<string, { where: string; values: string[] }> {
    const found = new Map<string, { where: string; values: string[] }>();
    const walk = (value: unknown, where: string, name: string): void => {
      if (Array.isArray(value)) return value.forEach((v) => walk(v, where, name));
      if (!value || typeof value !== 'object') return;
      const node = value as Record<string, unknown>;
      const list = node.enum;
      if (Array.isArray(list) && list.every((v) => typeof v === 'string') && !NOT_SHOWN.has(name)) {
        found.set(`${name}:${list.join(',')}`, { where: `${where} ${name}`, values: list });
      }
      if (typeof node.name === 'string' && node.schema) walk(node.schema, where, node.name);
      for (const [key, inner] of Object.entries(node)) {
        if (key === 'properties' && inner && typeof inner === 'object') {
          for (const [property, schema] of Object.entries(inner)) walk(schema, where, property);
        } else if (key !== 'schema' || typeof node.name !== 'string') {
          walk(inner, where, name);
        }
      }
    };
    for (const [path, operations] of Object.entries(document.paths)) {
      // The health checks answer monitoring, not the portal.
      if (!path.startsWith('/healthz') && !path.startsWith('/readyz')) walk(operations, path, '');
    }
    walk(document.components.schemas, 'components', '');
    return found;
  }

  /** The families (`enum.<family>.<value>`) that have a text for every value, in both languages. */
  function familiesFor(values: string[]): string[] {
    const families = new Set(
      Object.keys(dictionary('en'))
        .filter((k) => k.startsWith('enum.'))
        .map((k) => k.split('.')[1] ?? ''),
    );
    return [...families].filter((family) =>
      values.every((v) =>
        LANGUAGES.every((language) => textsOf(language, `enum.${family}.${v}`).length > 0),
      ),
    );
  }

  it('has a Russian and an English word', () => {
    const all = enums();
    expect(all.size).toBeGreaterThan(30);
    const untranslated = [...all.values()]
      .filter(({ values }) => familiesFor(values).length === 0)
      .map(({ where, values }) => `${where}: ${values.join(', ')}`);
    expect(untranslated).toEqual([]);
  });

  it('includes the statuses a partner sees most, so the walk above finds them', () => {
    const values = [...enums().values()].map((e) => e.values.join(','));
    expect(values).toContain(
      'draft,awaiting_billing_verification,in_review,approved,rejected,cancelled,expired',
    );
    expect(values).toContain('active,leaving,left,revoked');
    expect(values).toContain('awaiting_bank_details,payable,paid');
  });
});

describe('a code written in the reader’s language', () => {
  const t = (language: Language) => i18next.getFixedT(language) as unknown as CodeTranslate;
  const NBSP = '\u00a0';

  it('writes a base bonus line from its kind and parameters, the amounts as a reader sees them', () => {
    // 10 % of an eligible base of 150 000.00 ₽ = 15 000.00 ₽ off the invoice.
    const line = {
      kind: 'base_bonus',
      description: 'Base partner bonus for 2026-10: 10% of eligible consumption 150000.00',
      rule: '10% base bonus on eligible consumption',
      params: { month: '2026-10', rate: '0.1', percent: '10', base: '150000.00' },
    };
    expect(lineText(t('ru'), 'ru', line)).toEqual({
      description: `Базовый партнёрский бонус за 2026-10: 10 % от учитываемого потребления 150${NBSP}000,00 ₽`,
      rule: 'Базовый бонус 10 % от учитываемого потребления',
    });
    expect(lineText(t('en'), 'en', line)).toEqual({
      description: 'Base partner bonus for 2026-10: 10% of eligible consumption 150,000.00 ₽',
      rule: '10% base bonus on eligible consumption',
    });
  });

  it('writes a deal uplift with a fractional rate: 5.25 % of 40 000.00 ₽', () => {
    const line = {
      kind: 'deal_uplift',
      description: 'server text',
      rule: 'server rule',
      params: {
        month: '2026-10',
        rate: '0.0525',
        percent: '5.25',
        base: '40000.00',
        dealId: 'D-7',
        accountId: 'acc-1',
      },
    };
    expect(lineText(t('ru'), 'ru', line).description).toBe(
      `Сделка D-7: +5,25 % к учитываемому потреблению клиента acc-1 за 2026-10: 40${NBSP}000,00 ₽`,
    );
  });

  it('keeps the server’s text for a line kind the portal does not know', () => {
    const line = { kind: 'something_new', description: 'New line', rule: 'New rule', params: {} };
    expect(lineText(t('ru'), 'ru', line)).toEqual({ description: 'New line', rule: 'New rule' });
  });

  it('names a field problem by the form’s label, never by the API’s path', () => {
    const problem = {
      field: 'body.contact.email',
      message: 'Invalid email address',
      code: 'invalid_format',
      params: { format: 'email' },
    };
    expect(labelledFieldProblem(t('ru'), 'ru', problem)).toBe(
      'Эл. почта: неверный формат (адрес эл. почты)',
    );
    expect(labelledFieldProblem(t('en'), 'en', problem)).toBe(
      'E-mail: invalid format (e-mail address)',
    );
    expect(
      labelledFieldProblem(t('ru'), 'ru', {
        field: 'body.amount',
        message: 'Too small: expected number to be >=0.01',
        code: 'too_small',
        params: { minimum: 0.01, origin: 'number' },
      }),
    ).toBe('Сумма: слишком мало: не меньше 0,01');
  });

  it('translates a problem by its code, else says what its HTTP status means', () => {
    expect(
      problemText(t('ru'), 'ru', {
        status: 503,
        code: 'dependency_unavailable',
        params: { dependency: 'Temporal' },
      }),
    ).toBe('Temporal недоступен, повторите через несколько секунд');
    expect(problemText(t('ru'), 'ru', { status: 404, code: 'a_code_from_the_future' })).toBe(
      'Не найдено.',
    );
    expect(problemText(t('en'), 'en', { status: 418 })).toBe('The request failed');
  });

  it('writes the next action from its code, and the API’s text for an unknown one', () => {
    expect(
      nextActionText(t('ru'), 'ru', {
        nextAction: 'Expired after 30 days without activity',
        nextActionCode: 'expired',
        nextActionParams: { days: 30 },
      }),
    ).toBe('Заявка истекла: 30 дней без действий');
    expect(
      nextActionText(t('ru'), 'ru', {
        nextAction: 'Do the new thing',
        nextActionCode: 'new_thing',
      }),
    ).toBe('Do the new thing');
  });
});

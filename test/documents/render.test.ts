import { renderDocumentPdf } from '../../documents/pdf';
import { documentView, formatRubles, percentText } from '../../documents/model';
import {
  DOCUMENT_KINDS,
  PROVIDER,
  escapeHtml,
  renderDocument,
  rublesInWords,
  type DocumentData,
  type DocumentLine,
} from '../../documents/render';
import { pluralForm } from '../../documents/words';
import { Money } from '../../domain/money';
import { DomainError } from '../../domain/errors';
import {
  validateBik,
  validateCorrespondentAccount,
  validateInn,
  validateKpp,
  validateOgrn,
  validateSettlementAccount,
} from '../../domain/validators';
import { flat, pdfText } from './pdf-text';

const NBSP = '\u00a0';

function line(kind: string, amount: string, extra: Partial<DocumentLine> = {}): DocumentLine {
  return {
    kind,
    description: `${kind} (settlement text)`,
    rate: null,
    base: null,
    amount,
    dealId: null,
    accountId: null,
    forMonth: null,
    adjusts: null,
    vatRate: '0.2',
    ...extra,
  };
}

const DEAL_ID = '3f2b8c1e-1111-4222-8333-444455556666';

/**
 * June 2025, VAT 20%: customers 1 000.00 + own 50.00 − grants 100.00 − base bonus 10% of
 * 900.00 − deal uplift 5% of 400.00 − rebate 10.00 = 830.00; VAT 830 × 20/120 = 138.33.
 */
function june2025(): DocumentData {
  return {
    invoice: {
      id: '6f1c2a9e-0000-4000-8000-000000000001',
      number: 'VAR-202506-6F1C2A9E',
      month: '2025-06',
      kind: 'monthly',
      issuedAt: '2025-06-30T21:00:00.000Z',
      dueDate: '2025-07-10',
      consumptionTotal: '1050.00',
      grantsTotal: '100.00',
      discountTotal: '110.00',
      payable: '830.00',
      vatRate: '0.2',
      vatAmount: '138.33',
      advanceCovered: '0.00',
    },
    buyer: {
      name: 'ООО «Ромашка»',
      inn: '7810567898',
      kpp: '781001001',
      address: '190000, г. Санкт-Петербург, Невский пр., д. 1',
      ownAccountId: 'own-romashka',
    },
    lines: [
      line('consumption_customers', '1000.00'),
      line('consumption_own', '50.00', { accountId: 'own-romashka' }),
      line('grants', '-100.00'),
      line('base_bonus', '-90.00', { rate: '0.1', base: '900.00' }),
      line('deal_uplift', '-20.00', {
        rate: '0.05',
        base: '400.00',
        dealId: DEAL_ID,
        accountId: 'cust-7',
      }),
      line('rebate_withdrawal', '-10.00'),
    ],
  };
}

/**
 * June 2025 with the services behind its consumption lines: customers 700.004 Compute Cloud +
 * 299.998 Marketplace (excluded from the bonus) = 1 000.002 → 1 000.00; own 50 Compute Cloud.
 */
function june2025ByService(): DocumentData {
  return {
    ...june2025(),
    services: [
      {
        month: '2025-06',
        own: false,
        name: 'Compute Cloud',
        excludedFromBonus: false,
        amount: '700.004',
      },
      {
        month: '2025-06',
        own: false,
        name: 'Marketplace',
        excludedFromBonus: true,
        amount: '299.998',
      },
      {
        month: '2025-06',
        own: true,
        name: 'Compute Cloud',
        excludedFromBonus: false,
        amount: '50',
      },
    ],
  };
}

/**
 * January 2026 (VAT 22%) with late December 2025 consumption (VAT 20%): 2 000.00 − 200.00
 * at 22% (VAT 1 800 × 22/122 = 324.59) and 120.00 − 12.00 at 20% (VAT 18.00).
 */
function january2026(): DocumentData {
  return {
    invoice: {
      id: '6f1c2a9e-0000-4000-8000-000000000002',
      number: 'VAR-202601-6F1C2A9E',
      month: '2026-01',
      kind: 'monthly',
      issuedAt: '2026-01-31T21:00:00.000Z',
      dueDate: null,
      consumptionTotal: '2120.00',
      grantsTotal: '0.00',
      discountTotal: '212.00',
      payable: '1908.00',
      vatRate: '0.22',
      vatAmount: '342.59',
      advanceCovered: '500.00',
    },
    buyer: {
      name: 'ИП Иванов Иван Иванович',
      inn: '500100732259',
      kpp: null,
      address: null,
      ownAccountId: 'own-ivanov',
    },
    lines: [
      line('consumption_customers', '2000.00', { vatRate: '0.22' }),
      line('consumption_own', '0.00', { accountId: 'own-ivanov', vatRate: '0.22' }),
      line('base_bonus', '-200.00', { rate: '0.1', base: '2000.00', vatRate: '0.22' }),
      line('adjustment', '120.00', {
        forMonth: '2025-12',
        adjusts: 'consumption_customers',
        vatRate: '0.2',
      }),
      line('adjustment', '-12.00', {
        forMonth: '2025-12',
        adjusts: 'base_bonus',
        rate: '0.1',
        base: '120.00',
        vatRate: '0.2',
      }),
    ],
  };
}

describe('amounts in Russian words', () => {
  it.each([
    ['0', 'Ноль рублей 00 копеек'],
    ['1', 'Один рубль 00 копеек'],
    ['2', 'Два рубля 00 копеек'],
    ['5', 'Пять рублей 00 копеек'],
    ['11', 'Одиннадцать рублей 00 копеек'],
    ['12', 'Двенадцать рублей 00 копеек'],
    ['14', 'Четырнадцать рублей 00 копеек'],
    ['21', 'Двадцать один рубль 00 копеек'],
    ['22', 'Двадцать два рубля 00 копеек'],
    ['101', 'Сто один рубль 00 копеек'],
    ['111', 'Сто одиннадцать рублей 00 копеек'],
    ['1000', 'Одна тысяча рублей 00 копеек'],
    ['1001', 'Одна тысяча один рубль 00 копеек'],
    ['2000', 'Две тысячи рублей 00 копеек'],
    ['5000', 'Пять тысяч рублей 00 копеек'],
    ['11000', 'Одиннадцать тысяч рублей 00 копеек'],
    ['21000', 'Двадцать одна тысяча рублей 00 копеек'],
    ['22000', 'Двадцать две тысячи рублей 00 копеек'],
    ['1000000', 'Один миллион рублей 00 копеек'],
    ['2000000', 'Два миллиона рублей 00 копеек'],
    ['5000000', 'Пять миллионов рублей 00 копеек'],
    ['1001000', 'Один миллион одна тысяча рублей 00 копеек'],
    ['2105.00', 'Две тысячи сто пять рублей 00 копеек'],
    ['350.83', 'Триста пятьдесят рублей 83 копейки'],
    [
      '1234567.89',
      'Один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь рублей 89 копеек',
    ],
    ['0.01', 'Ноль рублей 01 копейка'],
    ['0.02', 'Ноль рублей 02 копейки'],
    ['0.11', 'Ноль рублей 11 копеек'],
    ['0.21', 'Ноль рублей 21 копейка'],
    ['10.5', 'Десять рублей 50 копеек'],
    ['1000000000', 'Один миллиард рублей 00 копеек'],
    ['3000000000', 'Три миллиарда рублей 00 копеек'],
    [
      '999999999999.99',
      'Девятьсот девяносто девять миллиардов девятьсот девяносто девять миллионов девятьсот ' +
        'девяносто девять тысяч девятьсот девяносто девять рублей 99 копеек',
    ],
  ])('%s → %s', (amount, words) => {
    expect(rublesInWords(amount)).toBe(words);
  });

  it('refuses negative amounts, fractions of a kopeck and a trillion', () => {
    expect(() => rublesInWords('-1.00')).toThrow(RangeError);
    expect(() => rublesInWords('1.005')).toThrow(RangeError);
    expect(() => rublesInWords('1000000000000')).toThrow(RangeError);
    expect(() => rublesInWords('abc')).toThrow(RangeError);
  });

  it('picks the noun form by the last two digits', () => {
    const forms = ['рубль', 'рубля', 'рублей'] as const;
    expect(
      [0, 1, 2, 4, 5, 11, 12, 14, 15, 21, 22, 25, 101, 111, 112].map((n) => pluralForm(n, forms)),
    ).toEqual([
      'рублей',
      'рубль',
      'рубля',
      'рубля',
      'рублей',
      'рублей',
      'рублей',
      'рублей',
      'рублей',
      'рубль',
      'рубля',
      'рублей',
      'рубль',
      'рублей',
      'рублей',
    ]);
  });
});

describe('formatting', () => {
  it('writes rubles with no-break group spaces and a decimal comma', () => {
    expect(formatRubles('1234567.89')).toBe(`1${NBSP}234${NBSP}567,89`);
    expect(formatRubles('-1050')).toBe(`-1${NBSP}050,00`);
    expect(formatRubles('0')).toBe('0,00');
    expect(formatRubles('999.5')).toBe('999,50');
  });

  it('writes rates as percentages', () => {
    expect(percentText('0.22')).toBe('22%');
    expect(percentText('0.200000')).toBe('20%');
    expect(percentText('0.125')).toBe('12,5%');
  });

  it('uses seller requisites that pass the checksums', () => {
    expect(validateInn(PROVIDER.inn).ok).toBe(true);
    expect(validateKpp(PROVIDER.kpp).ok).toBe(true);
    expect(validateOgrn(PROVIDER.ogrn).ok).toBe(true);
    expect(validateBik(PROVIDER.bank.bik).ok).toBe(true);
    expect(validateSettlementAccount(PROVIDER.bank.account, PROVIDER.bank.bik).ok).toBe(true);
    expect(
      validateCorrespondentAccount(PROVIDER.bank.correspondentAccount, PROVIDER.bank.bik).ok,
    ).toBe(true);
  });
});

/** A number as the documents print it («1 050,00», «-10,00»), back to a decimal. */
const amount = (text: string) => new Money(text.replace(/[\s\u00a0]/g, '').replace(',', '.'));
const AMOUNT = String.raw`-?\d{1,3}(?:[ \u00a0]\d{3})*,\d{2}`;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * The service rows of an act or payment invoice as the PDF's text has them: after the unit
 * «усл. ед.» come the price before the discount, the discount, the price and the amount.
 */
function actRows(text: string) {
  const re = new RegExp(
    `усл\\. ед\\.\\n(${AMOUNT})\\n(${AMOUNT})\\n(${AMOUNT})\\n(${AMOUNT})\\n`,
    'g',
  );
  return [...text.matchAll(re)].map((m) => ({
    gross: amount(m[1]!),
    discount: amount(m[2]!),
    price: amount(m[3]!),
    total: amount(m[4]!),
  }));
}

/** The VAT invoice's rows: columns 4, 5, 6 («без акциза»), 7, 8 and 9 of each service. */
function vatRows(text: string) {
  const re = new RegExp(
    `(${AMOUNT})\\n(${AMOUNT})\\nбез \\n?акциза\\n(\\d+%)\\n(${AMOUNT})\\n(${AMOUNT})\\n`,
    'g',
  );
  return [...text.matchAll(re)].map((m) => ({
    price: amount(m[1]!),
    withoutVat: amount(m[2]!),
    rate: m[3]!,
    vat: amount(m[4]!),
    total: amount(m[5]!),
  }));
}

const sum = (values: Money[]) => values.reduce((a, b) => a.plus(b), new Money(0));

describe('the service rows: the discount is a reduction of the price, never a service', () => {
  it('lists each consumption line as a row and lowers its price by the reductions it earned', () => {
    const view = documentView('act', june2025());
    // Customers 1 000.00 − grants 100.00 − base bonus 90.00 − uplift 20.00 − rebate 10.00 = 780.00;
    // own 50.00 with no reduction (its grants are none). 780.00 + 50.00 = 830.00, the payable.
    expect(view.rows.map((r) => [r.name, r.gross, r.discount, r.total])).toEqual([
      [
        'Услуги облачной платформы, потреблённые клиентами партнёра (субсчета), за июнь 2025 г.',
        `1${NBSP}000,00`,
        '220,00',
        '780,00',
      ],
      [
        'Услуги облачной платформы, потреблённые партнёром (собственный аккаунт), за июнь 2025 г.',
        '50,00',
        '0,00',
        '50,00',
      ],
    ]);
    // VAT per row: 780 × 20/120 = 130.00; 50 × 20/120 = 8.333… → 8.33; together the issued 138.33.
    expect(view.rows.map((r) => [r.vat, r.withoutVat])).toEqual([
      ['130,00', '650,00'],
      ['8,33', '41,67'],
    ]);
  });

  it('splits a line into the catalogue’s services and gives the partner discount to the services that earn it', () => {
    const view = documentView('vat-invoice', june2025ByService());
    // Compute Cloud 700.00 (700.004 rounded, the line 1 000.00 kept whole), Marketplace 300.00.
    // Partner discount 110.00 → Compute Cloud only (Marketplace earns no bonus).
    // Grants 100.00 → 700:300 = 70.00 + 30.00; rebate 10.00 → 7.00 + 3.00.
    // Compute Cloud 700 − 110 − 70 − 7 = 513.00; Marketplace 300 − 30 − 3 = 267.00; own 50.00.
    expect(view.rows.map((r) => [r.name.split(' — ')[0], r.gross, r.discount, r.total])).toEqual([
      ['Compute Cloud', '700,00', '187,00', '513,00'],
      ['Marketplace', '300,00', '33,00', '267,00'],
      ['Compute Cloud', '50,00', '0,00', '50,00'],
    ]);
    // VAT: 513/6 = 85.50, 267/6 = 44.50, 50/6 = 8.333… → 8.33; 138.33 in all, as issued.
    expect(view.rows.map((r) => r.vat)).toEqual(['85,50', '44,50', '8,33']);
    expect(view.rows.map((r) => r.withoutVat)).toEqual(['427,50', '222,50', '41,67']);
    expect(view.totals.withoutVat).toBe('691,67');
    expect(view.rows[2]!.name).toBe(
      'Compute Cloud — услуги облачной платформы, потреблённые партнёром (собственный аккаунт), за июнь 2025 г.',
    );
  });

  it('keeps a line whole when its services do not add up to it', () => {
    const data = june2025ByService();
    data.services = data.services!.map((s) => ({ ...s, amount: '1.00' }));
    expect(documentView('act', data).rows).toHaveLength(2);
  });

  it('reduces late consumption of an earlier month by the reductions of that month, at its VAT rate', () => {
    const view = documentView('vat-invoice', january2026());
    // January: 2 000.00 − 200.00 = 1 800.00 at 22% (VAT 324.59);
    // December 2025, late: 120.00 − 12.00 = 108.00 at 20% (VAT 18.00).
    expect(view.rows.map((r) => [r.name, r.total, r.vatRate, r.vat])).toEqual([
      [
        'Услуги облачной платформы, потреблённые клиентами партнёра (субсчета), за январь 2026 г.',
        `1${NBSP}800,00`,
        '22%',
        '324,59',
      ],
      [
        'Услуги облачной платформы, потреблённые клиентами партнёра (субсчета), за декабрь 2025 г. (поступило после закрытия месяца)',
        '108,00',
        '20%',
        '18,00',
      ],
    ]);
  });

  it('issues no documents for a zero invoice, and says why', () => {
    const zero = june2025();
    zero.invoice = {
      ...zero.invoice,
      consumptionTotal: '0.00',
      grantsTotal: '0.00',
      discountTotal: '0.00',
      payable: '0.00',
      vatAmount: '0.00',
    };
    zero.lines = [
      line('consumption_customers', '0.00'),
      line('consumption_own', '0.00'),
      line('base_bonus', '0.00'),
    ];
    for (const kind of DOCUMENT_KINDS) {
      let refusal: unknown;
      try {
        documentView(kind, zero);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(DomainError);
      expect((refusal as DomainError).code).toBe('not_found');
      expect((refusal as DomainError).message).toContain('is a zero invoice');
    }
    // Consumption paid by grants in full is still services rendered: it has its documents.
    const granted = june2025();
    granted.invoice = {
      ...granted.invoice,
      grantsTotal: '1050.00',
      discountTotal: '0.00',
      payable: '0.00',
      vatAmount: '0.00',
    };
    granted.lines = [
      line('consumption_customers', '1000.00'),
      line('consumption_own', '50.00', { accountId: 'own-romashka' }),
      line('grants', '-1000.00'),
      line('grants', '-50.00', { accountId: 'own-romashka' }),
    ];
    const view = documentView('act', granted);
    expect(view.rows.map((r) => r.total)).toEqual(['0,00', '0,00']);
    expect(view.totals.payable).toBe('0,00');
  });
});

describe('HTML documents', () => {
  const data = june2025ByService();

  it.each([
    ['act', 'Акт оказанных услуг № VAR-202506-6F1C2A9E/АКТ от 30 июня 2025 г.'],
    ['payment-invoice', 'Счёт на оплату № VAR-202506-6F1C2A9E/СЧ от 1 июля 2025 г.'],
    ['vat-invoice', 'Счёт-фактура № VAR-202506-6F1C2A9E/СФ от 30 июня 2025 г.'],
  ] as const)(
    '%s: a complete page with title, parties, every service and the totals',
    (kind, title) => {
      const html = renderDocument(kind, data);
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html).toContain('<html lang="ru">');
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain('@page { size: A4;');
      expect(html).not.toMatch(/<script|<link|src=|url\(/i);
      expect(html).toContain(`<title>${title}</title>`);
      expect(html).toContain(PROVIDER.name);
      expect(html).toContain('ООО «Ромашка»');
      expect(html).toContain('7810567898');
      expect(html).toContain('781001001');
      expect(html).toContain('Невский пр., д. 1');
      expect(html).toContain(
        'Compute Cloud — услуги облачной платформы, потреблённые клиентами партнёра',
      );
      expect(html).toContain('Marketplace — услуги облачной платформы');
      expect(html).not.toMatch(UUID);
      expect(html).not.toContain('own-romashka');
      expect(html).toContain('513,00');
      expect(html).toContain('267,00');
      expect(html).toContain('830,00');
    },
  );

  it('shows the discount in the act as a reduction, with its parts', () => {
    const html = renderDocument('act', data);
    expect(html).toContain('<th>Цена без скидки, руб.</th><th>Скидка, руб.</th>');
    expect(html).toContain(`Стоимость услуг без скидки:</td><td class="num">1${NBSP}050,00`);
    expect(html).toContain('Скидка (уменьшение цены услуг):</td><td class="num">-220,00');
    expect(html).toContain(
      'в т.ч. партнёрская скидка (бонус и сделки):</td><td class="num">-110,00',
    );
    expect(html).toContain('в т.ч. оплачено грантами:</td><td class="num">-100,00');
    expect(html).toContain('в т.ч. зачёт ребейта (вывод на бонус):</td><td class="num">-10,00');
    expect(html).toContain('в т.ч. НДС 20%:</td><td class="num">138,33');
    expect(html).toContain('Всего оказано услуг 3, на сумму 830,00 руб., в т.ч. НДС 138,33 руб.');
    expect(html).toContain('Восемьсот тридцать рублей 00 копеек');
  });

  it('draws the VAT invoice in the statutory form, landscape, with its total row', () => {
    const html = renderDocument('vat-invoice', data);
    expect(html).toContain('@page { size: A4 landscape; }');
    for (const code of [
      '1',
      'А',
      '1а',
      '1б',
      '2',
      '2а',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '10а',
      '11',
      '12',
      '12а',
      '13',
    ]) {
      expect(html).toContain(`<th class="code">${code}</th>`);
    }
    expect(html).toContain(
      '<td class="right">427,50</td><td class="right">427,50</td><td class="center">без акциза</td><td class="center">20%</td><td class="right">85,50</td><td class="right">513,00</td>',
    );
    expect(html).toContain(
      '<td colspan="8">Всего к оплате (9)</td><td class="right">691,67</td><td colspan="2" class="center">X</td><td class="right">138,33</td><td class="right">830,00</td>',
    );
    expect(html).toContain('ИНН/КПП покупателя:</td><td>7810567898/781001001');
    expect(html).toContain('№ п/п 1–3 № VAR-202506-6F1C2A9E/АКТ от 30 июня 2025 г.');
  });

  it('dates the payment invoice by its issue day in Moscow, due after it', () => {
    const html = renderDocument('payment-invoice', data);
    expect(html).toContain('от 1 июля 2025 г.');
    expect(html).toContain('Оплатить до 10.07.2025');
    expect(html).toContain(PROVIDER.bank.account);
    expect(html).toContain(PROVIDER.bank.bik);
  });

  it('states VAT 22% for a 2026 month, and 20% on late 2025 consumption beside it', () => {
    const html = renderDocument('act', january2026());
    expect(html).toContain('в т.ч. НДС 22%:</td><td class="num">324,59');
    expect(html).toContain('в т.ч. НДС 20%:</td><td class="num">18,00');
    const vat = renderDocument('vat-invoice', january2026());
    expect(vat).toContain('<td class="right">1\u00a0565,41</td>');
    expect(vat).toContain('ИНН/КПП покупателя:</td><td>500100732259/—');
  });

  it('deducts what the advance covered on the payment invoice only', () => {
    const data2026 = january2026();
    const invoice = renderDocument('payment-invoice', data2026);
    expect(invoice).toContain('Покрыто авансом:</td><td class="num">-500,00');
    expect(invoice).toContain(`Всего к оплате:</td><td class="num">1${NBSP}408,00`);
    expect(invoice).toContain('Одна тысяча четыреста восемь рублей 00 копеек');
    const act = renderDocument('act', data2026);
    expect(act).not.toContain('авансом');
    expect(act).toContain('Одна тысяча девятьсот восемь рублей 00 копеек');
  });

  it('escapes every text a partner controls', () => {
    const hostile = june2025ByService();
    hostile.buyer.name = `<script>alert("x")</script> & 'Ко' <u>`;
    hostile.buyer.address = '<img src=x onerror=alert(1)>';
    hostile.services![0] = { ...hostile.services![0]!, name: '"><i>svc' };
    for (const kind of DOCUMENT_KINDS) {
      const html = renderDocument(kind, hostile);
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<i>');
      expect(html).not.toContain('<u>');
      expect(html).toContain(
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Ко&#39; &lt;u&gt;',
      );
      expect(html).toContain('&quot;&gt;&lt;i&gt;svc');
    }
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('renders the same invoice to the same bytes', () => {
    for (const kind of DOCUMENT_KINDS) {
      expect(renderDocument(kind, june2025ByService())).toBe(
        renderDocument(kind, june2025ByService()),
      );
    }
  });

  it('refuses a document whose lines or VAT disagree with the issued invoice', () => {
    const broken = june2025();
    broken.invoice.payable = '831.00';
    expect(() => renderDocument('act', broken)).toThrow(DomainError);
    const wrongVat = june2025();
    wrongVat.invoice.vatAmount = '138.34';
    expect(() => renderDocument('act', wrongVat)).toThrow(/VAT by rate comes to 138.33/);
  });
});

describe('PDF documents, read back as text', () => {
  it.each(DOCUMENT_KINDS)('%s: byte-identical twice, PT Sans embedded', async (kind) => {
    const first = await renderDocumentPdf(kind, june2025ByService());
    const second = await renderDocumentPdf(kind, june2025ByService());
    expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(first.equals(second)).toBe(true);
    expect(first.toString('latin1')).toContain('+PTSans-Regular');
  });

  it.each([
    ['act', june2025ByService(), 3],
    ['payment-invoice', june2025ByService(), 3],
    ['act', january2026(), 2],
    ['payment-invoice', january2026(), 2],
  ] as const)(
    '%s: its rows add up to the invoice’s payable, none negative',
    async (kind, data, count) => {
      const text = pdfText(await renderDocumentPdf(kind, data));
      const rows = actRows(text);
      expect(rows).toHaveLength(count);
      for (const row of rows) {
        expect(row.total.isNegative()).toBe(false);
        expect(row.discount.isNegative()).toBe(false);
        expect(row.gross.minus(row.discount).eq(row.total)).toBe(true);
        expect(row.price.eq(row.total)).toBe(true);
      }
      expect(sum(rows.map((r) => r.total)).eq(data.invoice.payable)).toBe(true);
      const flatText = flat(text);
      expect(flatText).toContain(`Итого: ${flat(formatRubles(data.invoice.payable))}`);
      expect(flatText).not.toMatch(UUID);
      expect(flatText).toContain(`ИНН ${data.buyer.inn}`);
      if (data.buyer.kpp) expect(flatText).toContain(`КПП ${data.buyer.kpp}`);
    },
  );

  it.each([
    [june2025ByService(), 3],
    [june2025(), 2],
    [january2026(), 2],
  ] as const)(
    'the VAT invoice: per row cost without tax + tax = cost with tax; totals are the invoice’s (%#)',
    async (data, count) => {
      const text = pdfText(await renderDocumentPdf('vat-invoice', data));
      const rows = vatRows(text);
      expect(rows).toHaveLength(count);
      for (const row of rows) {
        expect(row.total.isNegative()).toBe(false);
        expect(row.withoutVat.plus(row.vat).eq(row.total)).toBe(true);
        expect(row.price.eq(row.withoutVat)).toBe(true);
      }
      expect(sum(rows.map((r) => r.total)).eq(data.invoice.payable)).toBe(true);
      expect(sum(rows.map((r) => r.vat)).eq(data.invoice.vatAmount)).toBe(true);
      const payable = flat(formatRubles(data.invoice.payable));
      const vat = flat(formatRubles(data.invoice.vatAmount));
      const withoutVat = flat(
        formatRubles(new Money(data.invoice.payable).minus(data.invoice.vatAmount).toFixed(2)),
      );
      expect(flat(text)).toContain(`Всего к оплате (9) ${withoutVat} X ${vat} ${payable}`);
      expect(flat(text)).not.toMatch(UUID);
      expect(flat(text)).toContain(
        `ИНН/КПП покупателя: ${data.buyer.inn}/${data.buyer.kpp ?? '—'}`,
      );
    },
  );

  it('dates the act and VAT invoice the last day of the month, the payment invoice its issue day, due after it', async () => {
    const titles = {
      act: 'Акт оказанных услуг № VAR-202601-6F1C2A9E/АКТ от 31 января 2026 г.',
      'payment-invoice': 'Счёт на оплату № VAR-202601-6F1C2A9E/СЧ от 1 февраля 2026 г.',
      'vat-invoice': 'Счёт-фактура № VAR-202601-6F1C2A9E/СФ от 31 января 2026 г.',
    };
    for (const kind of DOCUMENT_KINDS) {
      const text = flat(pdfText(await renderDocumentPdf(kind, january2026())));
      expect(text).toContain(titles[kind]);
      expect(text).toContain('ИП Иванов Иван Иванович');
    }
    const june = flat(pdfText(await renderDocumentPdf('payment-invoice', june2025())));
    expect(june).toContain('от 1 июля 2025 г.');
    expect(june).toContain('Оплатить до 10.07.2025');
  });

  it('flows a long invoice onto further pages, the header repeated', async () => {
    const long = june2025ByService();
    long.services = [
      ...long.services!.filter((s) => s.own),
      ...Array.from({ length: 60 }, (_, i) => ({
        month: '2025-06',
        own: false,
        name: `Service ${i}`,
        excludedFromBonus: false,
        amount: i === 0 ? '410.00' : '10.00',
      })),
    ];
    for (const kind of ['act', 'vat-invoice'] as const) {
      const pdf = await renderDocumentPdf(kind, long);
      const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
      expect(pages.length).toBeGreaterThan(1);
      const text = flat(pdfText(pdf));
      expect(text).toContain('Service 59');
      // Every page the table runs onto starts with its header (the last may hold only totals).
      const headers =
        text.split(kind === 'act' ? 'Цена без скидки' : 'Налоговая ставка').length - 1;
      expect(headers).toBeGreaterThan(1);
      expect(headers).toBeGreaterThanOrEqual(pages.length - 1);
    }
  });
});

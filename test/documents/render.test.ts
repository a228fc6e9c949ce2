import { inflateSync } from 'node:zlib';
import { renderDocumentPdf } from '../../documents/pdf';
import { formatRubles, percentText } from '../../documents/model';
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
import { DomainError } from '../../domain/errors';
import {
  validateBik,
  validateCorrespondentAccount,
  validateInn,
  validateKpp,
  validateOgrn,
  validateSettlementAccount,
} from '../../domain/validators';

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
        dealId: 'deal-42',
        accountId: 'cust-7',
      }),
      line('rebate_withdrawal', '-10.00'),
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

/** Page text of a pdfkit PDF: content streams decoded through each font's ToUnicode CMap. */
function pdfText(pdf: Buffer): string {
  const src = pdf.toString('latin1');
  const objects = new Map<string, { dict: string; stream: Buffer | null }>();
  const header = /(\d+) 0 obj\s*/g;
  for (let m = header.exec(src); m; m = header.exec(src)) {
    const rest = src.slice(header.lastIndex);
    const end = rest.indexOf('endobj');
    const streamAt = rest.search(/stream\r?\n/);
    if (streamAt >= 0 && streamAt < end) {
      const dict = rest.slice(0, streamAt);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
      const start = header.lastIndex + streamAt + rest.slice(streamAt).indexOf('\n') + 1;
      let stream = Buffer.from(src.slice(start, start + length), 'latin1');
      if (dict.includes('/FlateDecode')) stream = inflateSync(stream);
      objects.set(m[1]!, { dict, stream });
      header.lastIndex = start + length;
    } else {
      objects.set(m[1]!, { dict: rest.slice(0, end), stream: null });
    }
  }
  const cmaps = new Map<string, Map<number, string>>();
  for (const [id, obj] of objects) {
    const ref = /\/ToUnicode (\d+) 0 R/.exec(obj.dict)?.[1];
    if (!ref) continue;
    const cmap = new Map<number, string>();
    const text = objects.get(ref)?.stream?.toString('latin1') ?? '';
    for (const range of text.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/gi)) {
      const first = parseInt(range[1]!, 16);
      [...range[2]!.matchAll(/<([0-9a-f ]+)>/gi)].forEach((entry, i) => {
        const units = entry[1]!.split(' ').map((hex) => parseInt(hex, 16));
        cmap.set(first + i, String.fromCharCode(...units));
      });
    }
    cmaps.set(id, cmap);
  }
  const fontByName = new Map<string, Map<number, string>>();
  for (const obj of objects.values()) {
    for (const ref of obj.dict.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const cmap = cmaps.get(ref[2]!);
      if (cmap) fontByName.set(ref[1]!, cmap);
    }
  }
  let out = '';
  for (const obj of objects.values()) {
    const content = obj.stream?.toString('latin1') ?? '';
    if (!content.includes(' Tf')) continue;
    let cmap = new Map<number, string>();
    for (const op of content.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ|\bET\b/g)) {
      if (op[1]) cmap = fontByName.get(op[1]) ?? new Map<number, string>();
      else if (op[2] !== undefined) {
        for (const hex of op[2].matchAll(/<([0-9a-f]*)>/gi)) {
          for (let i = 0; i < hex[1]!.length; i += 4) {
            out += cmap.get(parseInt(hex[1]!.slice(i, i + 4), 16)) ?? '?';
          }
        }
      } else out += '\n';
    }
  }
  return out;
}

/** Whitespace-insensitive: wrapped lines and no-break spaces compare as single spaces. */
const flat = (text: string) => text.replace(/[\s\u00a0]+/g, ' ');

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

describe('HTML documents', () => {
  const data = june2025();

  it.each([
    ['act', 'Акт оказанных услуг № VAR-202506-6F1C2A9E/АКТ от 30 июня 2025 г.'],
    ['payment-invoice', 'Счёт на оплату № VAR-202506-6F1C2A9E/СЧ от 1 июля 2025 г.'],
    ['vat-invoice', 'Счёт-фактура № VAR-202506-6F1C2A9E/СФ от 30 июня 2025 г.'],
  ] as const)(
    '%s: a complete page with title, parties, every line and the totals',
    (kind, title) => {
      const html = renderDocument(kind, data);
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html).toContain('<html lang="ru">');
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain('@page { size: A4;');
      expect(html).not.toMatch(/<script|<link|src=|url\(/i);
      expect(html).toContain(`<title>${title}</title>`);
      expect(html).toContain(title);
      // Seller and buyer.
      expect(html).toContain(PROVIDER.name);
      expect(html).toContain('ООО «Ромашка»');
      expect(html).toContain('7810567898');
      expect(html).toContain('781001001');
      expect(html).toContain('Невский пр., д. 1');
      // Every line, with its signed amount.
      expect(html).toContain('потреблённые клиентами партнёра (субсчета), за июнь 2025 г.');
      expect(html).toContain('собственный аккаунт own-romashka');
      expect(html).toContain('Оплачено грантами: субсчета клиентов, июнь 2025 г.');
      expect(html).toContain(
        `базовый партнёрский бонус 10% от потребления клиентов, учитываемого для бонуса, 900,00 руб.`,
      );
      expect(html).toContain(
        'надбавка +5% по зарегистрированной сделке deal-42 на потребление клиента cust-7',
      );
      expect(html).toContain('Зачёт ребейта');
      for (const amount of [`1${NBSP}000,00`, '50,00', '-100,00', '-90,00', '-20,00', '-10,00']) {
        expect(html).toContain(`<td class="num">${amount}</td>`);
      }
      // Totals: all customers, the discount, the payable and the VAT in it.
      expect(html).toContain(
        `Потребление клиентов партнёра, всего:</td><td class="num">1${NBSP}000,00`,
      );
      expect(html).toContain(
        'Партнёрская скидка (базовый бонус и сделки):</td><td class="num">-110,00',
      );
      expect(html).toContain('в т.ч. НДС 20%:</td><td class="num">138,33');
      expect(html).not.toContain('НДС 22%');
      expect(html).toContain('Восемьсот тридцать рублей 00 копеек');
    },
  );

  it('dates the payment invoice by its issue day in Moscow and shows the due date', () => {
    const html = renderDocument('payment-invoice', data);
    expect(html).toContain('от 1 июля 2025 г.');
    expect(html).toContain('Оплатить до 10.07.2025');
    expect(html).toContain(PROVIDER.bank.account);
    expect(html).toContain(PROVIDER.bank.bik);
  });

  it('states VAT 22% for a 2026 month, and 20% on late 2025 consumption beside it', () => {
    const html = renderDocument('vat-invoice', january2026());
    expect(html).toContain('в т.ч. НДС 22%:</td><td class="num">324,59');
    expect(html).toContain('в т.ч. НДС 20%:</td><td class="num">18,00');
    expect(html).toContain(
      'Корректировка за декабрь 2025 г. (поступило после закрытия месяца): Услуги облачной платформы',
    );
    expect(html).toContain(`Стоимость без налога:</td><td class="num">1${NBSP}565,41`);
    expect(html).toContain('ИНН/КПП покупателя:</td><td>500100732259/—');
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
    const hostile = june2025();
    hostile.buyer.name = `<script>alert("x")</script> & 'Ко' <u>`;
    hostile.buyer.address = '<img src=x onerror=alert(1)>';
    hostile.lines[4] = { ...hostile.lines[4]!, dealId: '"><i>deal', accountId: "cust'<" };
    for (const kind of DOCUMENT_KINDS) {
      const html = renderDocument(kind, hostile);
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<i>');
      expect(html).not.toContain('<u>');
      expect(html).toContain(
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Ко&#39; &lt;u&gt;',
      );
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(html).toContain('&quot;&gt;&lt;i&gt;deal');
    }
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('renders the same invoice to the same bytes', () => {
    for (const kind of DOCUMENT_KINDS) {
      expect(renderDocument(kind, june2025())).toBe(renderDocument(kind, june2025()));
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

describe('PDF documents', () => {
  it.each(DOCUMENT_KINDS)(
    '%s: a PDF with the text of the document, byte-identical twice',
    async (kind) => {
      const first = await renderDocumentPdf(kind, june2025());
      const second = await renderDocumentPdf(kind, june2025());
      expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(first.length).toBeGreaterThan(1024);
      expect(first.equals(second)).toBe(true);
      expect(first.toString('latin1')).toContain('+PTSans-Regular');

      const text = flat(pdfText(first));
      expect(text).toContain('ООО «Ромашка»');
      expect(text).toContain('7810567898');
      expect(text).toContain('Оплачено грантами: субсчета клиентов, июнь 2025 г.');
      expect(text).toContain('deal-42');
      expect(text).toContain('1 000,00');
      expect(text).toContain('-110,00');
      expect(text).toContain('в т.ч. НДС 20%: 138,33');
      expect(text).toContain('Восемьсот тридцать рублей 00 копеек');
    },
  );

  it('titles each kind as the HTML does and states VAT 22% for 2026', async () => {
    const titles = {
      act: 'Акт оказанных услуг № VAR-202601-6F1C2A9E/АКТ от 31 января 2026 г.',
      'payment-invoice': 'Счёт на оплату № VAR-202601-6F1C2A9E/СЧ от 1 февраля 2026 г.',
      'vat-invoice': 'Счёт-фактура № VAR-202601-6F1C2A9E/СФ от 31 января 2026 г.',
    };
    for (const kind of DOCUMENT_KINDS) {
      const text = flat(pdfText(await renderDocumentPdf(kind, january2026())));
      expect(text).toContain(titles[kind]);
      expect(text).toContain('в т.ч. НДС 22%: 324,59');
      expect(text).toContain('ИП Иванов Иван Иванович');
    }
  });

  it('flows a long invoice onto further pages', async () => {
    const long = june2025();
    const extra = Array.from({ length: 60 }, (_, i) =>
      line('deal_uplift', '0.00', {
        rate: '0.01',
        base: '0.00',
        dealId: `deal-${i}`,
        accountId: `c-${i}`,
      }),
    );
    long.lines.push(...extra);
    const pdf = await renderDocumentPdf('act', long);
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThan(1);
    expect(flat(pdfText(pdf))).toContain('deal-59');
  });
});

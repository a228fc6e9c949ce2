import { DomainError } from '../domain/errors';
import { Money, roundKopecks, sumMoney } from '../domain/money';
import { lastDayOf } from '../domain/settlement/dates';
import { rublesInWords } from './words';

/**
 * What the three documents of an issued invoice show (SPEC §2): the act, the payment invoice
 * and the VAT invoice. Both renderers (HTML and PDF) draw the same `DocumentView`, so the two
 * formats can never disagree on a number or a word.
 *
 * Everything here is a function of the invoice alone — no clock, no locale, no I/O — because an
 * issued document is never rewritten: rendering it again must give the same document.
 */

export const DOCUMENT_KINDS = ['act', 'payment-invoice', 'vat-invoice'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * The seller on every document: the cloud provider. The values are invented (a fictitious
 * company on «ул. Примерная»), but well formed — the INN, KPP, OGRN, BIK and accounts pass
 * the checksums in domain/validators — so a document looks and validates like a real one.
 */
export const PROVIDER = {
  name: 'ООО «Облако-Пример»',
  inn: '7700000009',
  kpp: '770001001',
  ogrn: '1027700000008',
  address: '123000, г. Москва, ул. Примерная, д. 1',
  bank: {
    name: 'АО «Банк-Пример», г. Москва',
    bik: '044525999',
    correspondentAccount: '30101810600000000999',
    account: '40702810600000000001',
  },
  director: 'Примеров П. П.',
  accountant: 'Образцова О. О.',
} as const;

/** The issued invoice as the settlement repository reads it (amounts: 2-decimal strings). */
export interface DocumentInvoice {
  id: string;
  number: string;
  /** The settled month, YYYY-MM. */
  month: string;
  kind: 'monthly' | 'interim' | 'final';
  /** The instant the invoice was issued (ISO 8601). */
  issuedAt: string;
  /** Postpaid: pay by this date (YYYY-MM-DD); null for advance payers. */
  dueDate: string | null;
  consumptionTotal: string;
  grantsTotal: string;
  discountTotal: string;
  payable: string;
  /** VAT rate of the month, a fraction ("0.22"). */
  vatRate: string;
  /** VAT contained in the payable. */
  vatAmount: string;
  /** The part of the payable drawn from the partner's prepaid advance. */
  advanceCovered: string;
}

/** One invoice line; `amount` is signed (discounts and grants are negative). */
export interface DocumentLine {
  kind: string;
  /** The line's explanation from the settlement (English), used only for unknown kinds. */
  description: string;
  rate: string | null;
  base: string | null;
  amount: string;
  dealId: string | null;
  accountId: string | null;
  /** Adjustment lines: the earlier month the late consumption belongs to. */
  forMonth: string | null;
  /** Adjustment lines: the kind of line the adjustment corrects. */
  adjusts: string | null;
  /** The VAT rate contained in the amount: that of the month the consumption belongs to. */
  vatRate: string;
}

/** The partner, as its billing account names it for documents. */
export interface DocumentBuyer {
  name: string;
  inn: string | null;
  kpp: string | null;
  address: string | null;
  /** The partner's own billing account, to tell its lines from the customers'. */
  ownAccountId: string;
}

export interface DocumentData {
  invoice: DocumentInvoice;
  buyer: DocumentBuyer;
  lines: DocumentLine[];
}

export interface DocumentRow {
  no: number;
  name: string;
  /** «22%»: the VAT rate contained in the amount. */
  vatRate: string;
  /** Formatted, signed: «-1 050,00». */
  amount: string;
}

export interface DocumentView {
  kind: DocumentKind;
  title: string;
  number: string;
  /** YYYY-MM-DD */
  date: string;
  /** «30 июня 2025 г.» */
  dateText: string;
  /** «июнь 2025 г.» */
  periodText: string;
  basis: string;
  seller: typeof PROVIDER;
  buyer: DocumentBuyer;
  rows: DocumentRow[];
  totals: {
    /** Consumption of all customer subaccounts, late consumption included. */
    customers: string;
    own: string;
    consumption: string;
    grants: string;
    /** The partner discount: base bonus + deal uplifts, as a positive amount. */
    discount: string;
    rebate: string | null;
    payable: string;
    advance: string | null;
    /** What the payment invoice asks for: the payable less the advance. */
    toPay: string;
    /** One entry per VAT rate on the invoice: «в т.ч. НДС 22%». */
    vat: { label: string; amount: string }[];
    withoutVat: string;
  };
  /** The totals block, top to bottom, as both renderers draw it. */
  summary: { label: string; amount: string; strong: boolean }[];
  /** «Всего оказано услуг 5, на сумму 2 105,00 руб.» */
  totalText: string;
  /** The amount the document totals to, in words. */
  words: string;
  /** «Оплатить до 10.07.2025» for the payment invoice of a postpaid partner. */
  payBy: string | null;
  /** The original invoice number, for file names. */
  invoiceNumber: string;
  /** «№ … от …» of the act: the shipping document a VAT invoice refers to. */
  act: string;
}

const MONTHS_NOMINATIVE = [
  'январь',
  'февраль',
  'март',
  'апрель',
  'май',
  'июнь',
  'июль',
  'август',
  'сентябрь',
  'октябрь',
  'ноябрь',
  'декабрь',
];
const MONTHS_GENITIVE = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];

const TITLES: Record<DocumentKind, string> = {
  act: 'Акт оказанных услуг',
  'payment-invoice': 'Счёт на оплату',
  'vat-invoice': 'Счёт-фактура',
};
const NUMBER_SUFFIX: Record<DocumentKind, string> = {
  act: 'АКТ',
  'payment-invoice': 'СЧ',
  'vat-invoice': 'СФ',
};

const NBSP = '\u00a0';
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

/**
 * Rubles the Russian way: groups of three split by no-break spaces, a decimal comma —
 * «1 234 567,89». Written by hand rather than with Intl, whose output depends on the ICU data
 * of the Node build: a document must render the same everywhere.
 */
export function formatRubles(amount: string): string {
  const fixed = roundKopecks(amount).toFixed(2);
  const negative = fixed.startsWith('-');
  const [int = '0', frac = '00'] = (negative ? fixed.slice(1) : fixed).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+$)/g, NBSP);
  return `${negative ? '-' : ''}${grouped},${frac}`;
}

/** A fraction as a percentage: "0.22" → «22%», "0.125" → «12,5%». */
export function percentText(rate: string): string {
  return `${new Money(rate).times(100).toFixed().replace('.', ',')}%`;
}

function dateParts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return [y, m, d];
}

/** «30 июня 2025 г.» */
export function dateText(date: string): string {
  const [y, m, d] = dateParts(date);
  return `${d} ${MONTHS_GENITIVE[m - 1]} ${y} г.`;
}

/** «10.07.2025» */
export function shortDate(date: string): string {
  const [y, m, d] = dateParts(date);
  return `${String(d).padStart(2, '0')}.${String(m).padStart(2, '0')}.${y}`;
}

/** «июнь 2025 г.» */
export function monthText(month: string): string {
  const [y, m] = dateParts(`${month}-01`);
  return `${MONTHS_NOMINATIVE[m - 1]} ${y} г.`;
}

/** The calendar date of an instant in Moscow (UTC+3 all year), where documents are dated. */
function moscowDate(instant: string): string {
  return new Date(Date.parse(instant) + MOSCOW_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The act and the VAT invoice of a monthly invoice are dated the last day of the month the
 * services were rendered in; the payment invoice (and every document of an interim invoice,
 * issued mid-month) carries the issue date.
 */
export function documentDate(kind: DocumentKind, invoice: DocumentInvoice): string {
  if (kind !== 'payment-invoice' && invoice.kind === 'monthly') return lastDayOf(invoice.month);
  return moscowDate(invoice.issuedAt);
}

export function documentNumber(kind: DocumentKind, invoice: DocumentInvoice): string {
  return `${invoice.number}/${NUMBER_SUFFIX[kind]}`;
}

/** «ООО «Ромашка», ИНН 7810567898, КПП 781001001, <address>»: a party as documents name it. */
export function requisites(party: {
  name: string;
  inn: string | null;
  kpp: string | null;
  address: string | null;
}): string {
  const parts = [party.name, `ИНН ${party.inn ?? '—'}`];
  if (party.kpp) parts.push(`КПП ${party.kpp}`);
  if (party.address) parts.push(party.address);
  return parts.join(', ');
}

/** The Russian name of a line, from its kind and the numbers that explain it. */
function lineName(line: DocumentLine, kind: string, month: string, buyer: DocumentBuyer): string {
  const period = monthText(month);
  const base = line.base === null ? '' : ` ${formatRubles(line.base)} руб.`;
  const rate = line.rate === null ? '' : percentText(line.rate);
  const own = line.accountId === buyer.ownAccountId;
  switch (kind) {
    case 'consumption_customers':
      return `Услуги облачной платформы, потреблённые клиентами партнёра (субсчета), за ${period}`;
    case 'consumption_own':
      return `Услуги облачной платформы, потреблённые партнёром (собственный аккаунт ${buyer.ownAccountId}), за ${period}`;
    case 'grants':
      return own
        ? `Оплачено грантами: собственный аккаунт партнёра, ${period}`
        : `Оплачено грантами: субсчета клиентов, ${period}`;
    case 'base_bonus':
      return `Скидка: базовый партнёрский бонус ${rate} от потребления клиентов, учитываемого для бонуса,${base}, ${period}`;
    case 'deal_uplift':
      return `Скидка: надбавка +${rate} по зарегистрированной сделке ${line.dealId ?? ''} на потребление клиента ${line.accountId ?? ''},${base}, ${period}`;
    case 'rebate_withdrawal':
      return `Зачёт ребейта (вывод на бонус) в счёт оплаты услуг клиентов за ${period}`;
    default:
      return line.description;
  }
}

function rowName(line: DocumentLine, invoice: DocumentInvoice, buyer: DocumentBuyer): string {
  if (line.kind === 'adjustment') {
    const month = line.forMonth ?? invoice.month;
    const what = line.adjusts ? lineName(line, line.adjusts, month, buyer) : line.description;
    return `Корректировка за ${monthText(month)} (поступило после закрытия месяца): ${what}`;
  }
  return lineName(line, line.kind, invoice.month, buyer);
}

/** A line's kind, looking through adjustments to what they correct. */
const effectiveKind = (line: DocumentLine) =>
  line.kind === 'adjustment' ? (line.adjusts ?? 'adjustment') : line.kind;

/**
 * VAT per rate, as the settlement computed it: lines grouped by the rate of their month, each
 * group's VAT = its sum × rate / (1 + rate), rounded to kopecks half-up.
 */
function vatParts(
  lines: readonly Pick<DocumentLine, 'vatRate' | 'amount'>[],
): { rate: string; payable: Money; vat: Money }[] {
  const parts = new Map<string, { rate: string; payable: Money }>();
  for (const line of lines) {
    const key = new Money(line.vatRate).toFixed();
    const part = parts.get(key) ?? { rate: line.vatRate, payable: new Money(0) };
    part.payable = part.payable.plus(line.amount);
    parts.set(key, part);
  }
  return [...parts.values()].map((part) => {
    const rate = new Money(part.rate);
    return { ...part, vat: roundKopecks(part.payable.times(rate).dividedBy(rate.plus(1))) };
  });
}

/**
 * Everything a document shows, derived from the invoice.
 *
 * @throws DomainError `invalid_state` when the lines do not add up to the issued totals: a
 *   document that disagrees with its invoice is refused rather than printed.
 */
export function documentView(kind: DocumentKind, data: DocumentData): DocumentView {
  const { invoice, buyer, lines } = data;
  const sum = (filter: (line: DocumentLine) => boolean) =>
    sumMoney(lines.filter(filter).map((line) => line.amount));

  const payable = new Money(invoice.payable);
  const linesTotal = sum(() => true);
  if (!linesTotal.eq(payable)) {
    throw new DomainError(
      'invalid_state',
      `Invoice ${invoice.number}: its lines add up to ${linesTotal.toFixed(2)}, not the payable ${payable.toFixed(2)}`,
    );
  }
  // An invoice with no lines still states the VAT of its month.
  const parts = vatParts(lines.length > 0 ? lines : [{ vatRate: invoice.vatRate, amount: '0' }]);
  const vatTotal = sumMoney(parts.map((part) => part.vat));
  if (!vatTotal.eq(invoice.vatAmount)) {
    throw new DomainError(
      'invalid_state',
      `Invoice ${invoice.number}: VAT by rate comes to ${vatTotal.toFixed(2)}, not the issued ${new Money(invoice.vatAmount).toFixed(2)}`,
    );
  }

  const advance = new Money(invoice.advanceCovered);
  const toPay = payable.minus(advance);
  const rebate = sum((line) => line.kind === 'rebate_withdrawal').negated();
  const date = documentDate(kind, invoice);
  const rows = lines.map((line, i) => ({
    no: i + 1,
    name: rowName(line, invoice, buyer),
    vatRate: percentText(line.vatRate),
    amount: formatRubles(line.amount),
  }));

  const money = (amount: Money | string) => formatRubles(new Money(amount).toFixed(2));
  /** A deduction shown with its sign; zero stays «0,00». */
  const less = (amount: Money | string) =>
    new Money(amount).isZero() ? money('0') : money(new Money(amount).negated());
  const totals: DocumentView['totals'] = {
    customers: money(sum((line) => effectiveKind(line) === 'consumption_customers')),
    own: money(sum((line) => effectiveKind(line) === 'consumption_own')),
    consumption: money(invoice.consumptionTotal),
    grants: money(invoice.grantsTotal),
    discount: money(invoice.discountTotal),
    rebate: rebate.isZero() ? null : money(rebate),
    payable: money(payable),
    advance: advance.isZero() ? null : money(advance),
    toPay: money(toPay),
    vat: parts.map((part) => ({
      label: `в т.ч. НДС ${percentText(part.rate)}`,
      amount: money(part.vat),
    })),
    withoutVat: money(payable.minus(vatTotal)),
  };

  const row = (label: string, amount: string, strong = false) => ({ label, amount, strong });
  const vatRows = totals.vat.map((part) => row(part.label, part.amount));
  const summary = [
    row('Потребление клиентов партнёра, всего', totals.customers),
    row('Потребление партнёра (собственный аккаунт)', totals.own),
    row('Итого стоимость услуг', totals.consumption),
    ...(new Money(invoice.grantsTotal).isZero()
      ? []
      : [row('Оплачено грантами', less(invoice.grantsTotal))]),
    row('Партнёрская скидка (базовый бонус и сделки)', less(invoice.discountTotal)),
    ...(rebate.isZero() ? [] : [row('Зачтено ребейта (вывод на бонус)', less(rebate))]),
  ];
  if (kind === 'vat-invoice') {
    summary.push(row('Стоимость без налога', totals.withoutVat), ...vatRows);
    summary.push(row('Всего к оплате (стоимость с налогом)', totals.payable, true));
  } else if (kind === 'payment-invoice') {
    summary.push(row('Итого', totals.payable, true), ...vatRows);
    if (totals.advance) summary.push(row('Покрыто авансом', less(advance)));
    summary.push(row('Всего к оплате', totals.toPay, true));
  } else {
    summary.push(row('Итого', totals.payable, true), ...vatRows);
  }

  const count = rows.length;
  const totalText =
    kind === 'act'
      ? `Всего оказано услуг ${count}, на сумму ${totals.payable} руб.`
      : kind === 'payment-invoice'
        ? `Всего наименований ${count}, на сумму ${totals.toPay} руб.`
        : `Всего к оплате ${totals.payable} руб., в том числе сумма налога ${money(vatTotal)} руб.`;

  return {
    kind,
    title: TITLES[kind],
    number: documentNumber(kind, invoice),
    date,
    dateText: dateText(date),
    periodText: monthText(invoice.month),
    basis:
      `Партнёрская программа VAR: услуги облачной платформы, потреблённые клиентами партнёра и ` +
      `партнёром, за ${monthText(invoice.month)}, за вычетом партнёрской скидки. Счёт ${invoice.number}.`,
    seller: PROVIDER,
    buyer,
    rows,
    totals,
    summary,
    totalText,
    words: rublesInWords((kind === 'payment-invoice' ? toPay : payable).toFixed(2)),
    payBy:
      kind === 'payment-invoice' && invoice.dueDate && !toPay.isZero()
        ? `Оплатить до ${shortDate(invoice.dueDate)}`
        : null,
    invoiceNumber: invoice.number,
    act: `№ ${documentNumber('act', invoice)} от ${dateText(documentDate('act', invoice))}`,
  };
}

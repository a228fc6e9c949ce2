import { DomainError } from '../domain/errors';
import { Money, roundKopecks, sumMoney } from '../domain/money';
import { lastDayOf } from '../domain/settlement/dates';
import { apportion, roundToTotal } from './apportion';
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

/** The partner, as its billing account (or its application's company card) names it. */
export interface DocumentBuyer {
  name: string;
  inn: string | null;
  kpp: string | null;
  address: string | null;
  /** The partner's own billing account, to tell its lines from the customers'. */
  ownAccountId: string;
}

/**
 * What the invoice billed of one service of the catalogue, for one month and one kind of
 * account: the exact sum of the consumption lines its billing-ledger ranges cover.
 */
export interface DocumentService {
  month: string;
  /** The partner's own account (true) or its customers' subaccounts (false). */
  own: boolean;
  /** The catalogue's name of the service («Compute Cloud»). */
  name: string;
  excludedFromBonus: boolean;
  /** Exact, VAT included. */
  amount: string;
}

export interface DocumentData {
  invoice: DocumentInvoice;
  buyer: DocumentBuyer;
  lines: DocumentLine[];
  /**
   * The services behind the consumption lines. Without them (or when they do not add up to a
   * consumption line) that line is one row of the documents.
   */
  services?: DocumentService[];
}

/**
 * One service row, as the act, the payment invoice and the VAT invoice list it: quantity 1 of
 * «усл. ед.», the price already reduced by the discount allocated to the row. Amounts are
 * formatted («1 050,00»).
 */
export interface DocumentRow {
  no: number;
  name: string;
  /** OKEI code and symbol of the unit: 876, «усл. ед.». */
  unitCode: string;
  unit: string;
  quantity: string;
  /** The cost before the discount, VAT included. */
  gross: string;
  /** The discount allocated to the row (positive; «0,00» when none). */
  discount: string;
  /** Cost with tax after the discount (VAT invoice column 9; the act's amount). */
  total: string;
  /** Cost without tax (VAT invoice column 5; with quantity 1 also the price, column 4). */
  withoutVat: string;
  /** «20%»: VAT invoice column 7. */
  vatRate: string;
  /** VAT invoice column 8. */
  vat: string;
}

/** Why an invoice has no documents, or null when it has them. */
export function noDocumentsReason(data: Pick<DocumentData, 'invoice' | 'lines'>): string | null {
  const consumed = data.lines.some(
    (line) => CONSUMPTION_KINDS.has(effectiveKind(line)) && !new Money(line.amount).isZero(),
  );
  if (consumed || !new Money(data.invoice.payable).isZero()) return null;
  return (
    `Invoice ${data.invoice.number} is a zero invoice (nothing consumed, nothing payable): ` +
    'no act, payment invoice or VAT invoice is issued for it'
  );
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
    /** Consumption of all customer subaccounts before the discount, late consumption included. */
    customers: string;
    own: string;
    /** Every row before the discount. */
    gross: string;
    /** Every reduction of the price, positive. */
    discount: string;
    /** The parts of the discount: grants, the partner discount, rebate withdrawn to the bonus. */
    grants: string | null;
    partnerDiscount: string | null;
    rebate: string | null;
    payable: string;
    advance: string | null;
    /** What the payment invoice asks for: the payable less the advance. */
    toPay: string;
    /** One entry per VAT rate on the invoice: «в т.ч. НДС 22%». */
    vat: { label: string; amount: string }[];
    /** All VAT (VAT invoice column 8, total row). */
    vatTotal: string;
    withoutVat: string;
  };
  /** The totals block, top to bottom, as both renderers draw it. */
  summary: { label: string; amount: string; strong: boolean; indent?: boolean }[];
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

const CONSUMPTION_KINDS = new Set(['consumption_customers', 'consumption_own']);

/** How a reduction of the price is labelled in the totals. */
type ReductionClass = 'grants' | 'partnerDiscount' | 'rebate' | 'other';
const REDUCTION_CLASS: Record<string, ReductionClass> = {
  grants: 'grants',
  base_bonus: 'partnerDiscount',
  deal_uplift: 'partnerDiscount',
  rebate_withdrawal: 'rebate',
};

/** A line's kind, looking through adjustments to what they correct. */
function effectiveKind(line: DocumentLine): string {
  return line.kind === 'adjustment' ? (line.adjusts ?? 'adjustment') : line.kind;
}

interface Row {
  month: string;
  own: boolean;
  name: string;
  excludedFromBonus: boolean;
  vatRate: string;
  gross: Money;
  discount: Money;
}

const rowKey = (month: string, own: boolean) => `${month}:${own ? 'own' : 'customers'}`;

function rowName(service: string | null, own: boolean, month: string, invoiceMonth: string) {
  const who = own
    ? 'потреблённые партнёром (собственный аккаунт)'
    : 'потреблённые клиентами партнёра (субсчета)';
  const late = month === invoiceMonth ? '' : ' (поступило после закрытия месяца)';
  const what = service ? `${service} — услуги облачной платформы` : 'Услуги облачной платформы';
  return `${what}, ${who}, за ${monthText(month)}${late}`;
}

/**
 * The service rows of an invoice with the price reductions allocated to them.
 *
 * Each consumption line (customers' or own, of the invoice's month or an earlier one) becomes
 * one row per service it billed — or one row when the services are unknown. Every reduction
 * (grants, the partner discount, rebate withdrawn to the bonus, and their adjustments) lowers
 * the price of the rows it belongs to: those of its month and kind of account; the partner
 * discount only those of services that earn the bonus (when there are any). Within them it is
 * shared in proportion to their cost, in whole kopecks (`apportion`), so the rows add up to
 * the payable exactly and no reduction ever appears as a service.
 */
function serviceRows(data: DocumentData): {
  rows: Row[];
  reductions: Record<ReductionClass, Money>;
} {
  const { invoice, buyer, lines } = data;
  const monthOfLine = (line: DocumentLine) =>
    line.kind === 'adjustment' ? (line.forMonth ?? invoice.month) : invoice.month;

  // Consumption by month and kind of account (several lines of one kind add up).
  const groups = new Map<string, { month: string; own: boolean; vatRate: string; amount: Money }>();
  const reductions: {
    month: string;
    own: boolean;
    vatRate: string;
    cls: ReductionClass;
    amount: Money;
  }[] = [];
  const extra: Row[] = [];
  for (const line of lines) {
    const kind = effectiveKind(line);
    const month = monthOfLine(line);
    const amount = new Money(line.amount);
    if (CONSUMPTION_KINDS.has(kind)) {
      const own = kind === 'consumption_own';
      const key = rowKey(month, own);
      const group = groups.get(key) ?? { month, own, vatRate: line.vatRate, amount: new Money(0) };
      group.amount = group.amount.plus(amount);
      groups.set(key, group);
    } else if (kind in REDUCTION_CLASS || amount.isNegative()) {
      const own = kind === 'grants' && line.accountId === buyer.ownAccountId;
      const cls = REDUCTION_CLASS[kind] ?? 'other';
      reductions.push({ month, own, vatRate: line.vatRate, cls, amount: amount.negated() });
    } else if (!amount.isZero()) {
      // A charge of a kind the documents do not know: a row of its own, named by the settlement.
      extra.push({
        month,
        own: false,
        name: line.description,
        excludedFromBonus: true,
        vatRate: line.vatRate,
        gross: amount,
        discount: new Money(0),
      });
    }
  }

  const rows: Row[] = [];
  const ordered = [...groups.values()].sort(
    (a, b) =>
      Number(a.month !== invoice.month) - Number(b.month !== invoice.month) ||
      a.month.localeCompare(b.month) ||
      Number(a.own) - Number(b.own),
  );
  for (const group of ordered) {
    const services = (data.services ?? []).filter(
      (s) => s.month === group.month && s.own === group.own,
    );
    const exactSum = sumMoney(services.map((s) => s.amount));
    if (services.length > 0 && roundKopecks(exactSum).eq(group.amount)) {
      const amounts = roundToTotal(
        group.amount,
        services.map((s) => s.amount),
      );
      services.forEach((service, i) => {
        if (amounts[i]!.isZero()) return;
        rows.push({
          month: group.month,
          own: group.own,
          name: rowName(service.name, group.own, group.month, invoice.month),
          excludedFromBonus: service.excludedFromBonus,
          vatRate: group.vatRate,
          gross: amounts[i]!,
          discount: new Money(0),
        });
      });
    } else if (!group.amount.isZero()) {
      rows.push({
        month: group.month,
        own: group.own,
        name: rowName(null, group.own, group.month, invoice.month),
        excludedFromBonus: false,
        vatRate: group.vatRate,
        gross: group.amount,
        discount: new Money(0),
      });
    }
  }
  rows.push(...extra);

  const sameRate = (a: string, b: string) => new Money(a).eq(b);
  const totals: Record<ReductionClass, Money> = {
    grants: new Money(0),
    partnerDiscount: new Money(0),
    rebate: new Money(0),
    other: new Money(0),
  };
  for (const reduction of reductions) {
    totals[reduction.cls] = totals[reduction.cls].plus(reduction.amount);
    if (reduction.amount.isZero()) continue;
    // Its own rows; failing those, the month's; failing those, any of the same VAT rate.
    const candidates = [
      rows.filter((r) => r.month === reduction.month && r.own === reduction.own),
      rows.filter((r) => r.month === reduction.month),
      rows.filter((r) => sameRate(r.vatRate, reduction.vatRate)),
    ].find((set) => set.length > 0);
    if (!candidates) {
      throw new DomainError(
        'invalid_state',
        `Invoice ${invoice.number}: a reduction of ${reduction.amount.toFixed(2)} has no service to reduce`,
      );
    }
    const earning = candidates.filter((r) => !r.excludedFromBonus && r.gross.isPositive());
    const targets =
      reduction.cls === 'partnerDiscount' && earning.length > 0 ? earning : candidates;
    apportion(
      reduction.amount,
      targets.map((r) => r.gross),
    ).forEach((share, i) => {
      targets[i]!.discount = targets[i]!.discount.plus(share);
    });
  }

  // Should a row end below zero, its VAT rate's reductions are shared over all its rows instead.
  for (const rate of new Set(rows.map((r) => new Money(r.vatRate).toFixed()))) {
    const same = rows.filter((r) => sameRate(r.vatRate, rate));
    if (!same.some((r) => r.gross.minus(r.discount).isNegative())) continue;
    apportion(
      sumMoney(same.map((r) => r.discount)),
      same.map((r) => r.gross),
    ).forEach((share, i) => {
      same[i]!.discount = share;
    });
  }
  return { rows, reductions: totals };
}

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
 * @throws DomainError `not_found` for a zero invoice (nothing consumed, nothing payable): it
 *   has no documents.
 * @throws DomainError `invalid_state` when the lines do not add up to the issued totals: a
 *   document that disagrees with its invoice is refused rather than printed.
 */
export function documentView(kind: DocumentKind, data: DocumentData): DocumentView {
  const { invoice, buyer, lines } = data;
  const zero = noDocumentsReason(data);
  if (zero) throw new DomainError('not_found', zero);

  const payable = new Money(invoice.payable);
  const linesTotal = sumMoney(lines.map((line) => line.amount));
  if (!linesTotal.eq(payable)) {
    throw new DomainError(
      'invalid_state',
      `Invoice ${invoice.number}: its lines add up to ${linesTotal.toFixed(2)}, not the payable ${payable.toFixed(2)}`,
    );
  }
  const parts = vatParts(lines.length > 0 ? lines : [{ vatRate: invoice.vatRate, amount: '0' }]);
  const vatTotal = sumMoney(parts.map((part) => part.vat));
  if (!vatTotal.eq(invoice.vatAmount)) {
    throw new DomainError(
      'invalid_state',
      `Invoice ${invoice.number}: VAT by rate comes to ${vatTotal.toFixed(2)}, not the issued ${new Money(invoice.vatAmount).toFixed(2)}`,
    );
  }

  const { rows: serviceRowsRaw, reductions } = serviceRows(data);
  // VAT per row: each rate's VAT (exactly the issued amount) shared over its rows.
  const rowVat = new Map<Row, Money>();
  for (const part of parts) {
    const same = serviceRowsRaw.filter((r) => new Money(r.vatRate).eq(part.rate));
    const rate = new Money(part.rate);
    roundToTotal(
      part.vat,
      same.map((r) => r.gross.minus(r.discount).times(rate).dividedBy(rate.plus(1))),
    ).forEach((vat, i) => rowVat.set(same[i]!, vat));
  }

  const money = (amount: Money | string) => formatRubles(new Money(amount).toFixed(2));
  const rows: DocumentRow[] = serviceRowsRaw.map((row, i) => {
    const total = row.gross.minus(row.discount);
    const vat = rowVat.get(row) ?? new Money(0);
    return {
      no: i + 1,
      name: row.name,
      unitCode: '876',
      unit: 'усл. ед.',
      quantity: '1',
      gross: money(row.gross),
      discount: money(row.discount),
      total: money(total),
      withoutVat: money(total.minus(vat)),
      vatRate: percentText(row.vatRate),
      vat: money(vat),
    };
  });
  const rowsTotal = sumMoney(serviceRowsRaw.map((r) => r.gross.minus(r.discount)));
  if (!rowsTotal.eq(payable)) {
    throw new DomainError(
      'invalid_state',
      `Invoice ${invoice.number}: its services come to ${rowsTotal.toFixed(2)}, not the payable ${payable.toFixed(2)}`,
    );
  }

  const advance = new Money(invoice.advanceCovered);
  const toPay = payable.minus(advance);
  const date = documentDate(kind, invoice);
  const gross = sumMoney(serviceRowsRaw.map((r) => r.gross));
  const discount = sumMoney(serviceRowsRaw.map((r) => r.discount));
  const grossOf = (own: boolean) =>
    sumMoney(serviceRowsRaw.filter((r) => r.own === own).map((r) => r.gross));
  const part = (amount: Money) => (amount.isZero() ? null : money(amount));
  const totals: DocumentView['totals'] = {
    customers: money(grossOf(false)),
    own: money(grossOf(true)),
    gross: money(gross),
    discount: money(discount),
    grants: part(reductions.grants),
    partnerDiscount: part(reductions.partnerDiscount),
    rebate: part(reductions.rebate),
    payable: money(payable),
    advance: advance.isZero() ? null : money(advance),
    toPay: money(toPay),
    vat: parts.map((p) => ({ label: `в т.ч. НДС ${percentText(p.rate)}`, amount: money(p.vat) })),
    vatTotal: money(vatTotal),
    withoutVat: money(payable.minus(vatTotal)),
  };

  const row = (label: string, amount: string, strong = false, indent = false) => ({
    label,
    amount,
    strong,
    ...(indent ? { indent } : {}),
  });
  const less = (amount: Money) => money(amount.negated());
  const summary: DocumentView['summary'] = [
    row('Стоимость услуг без скидки', totals.gross),
    row('в т.ч. потребление клиентов партнёра', totals.customers, false, true),
    ...(grossOf(true).isZero()
      ? []
      : [row('в т.ч. собственное потребление партнёра', totals.own, false, true)]),
  ];
  if (!discount.isZero()) {
    summary.push(row('Скидка (уменьшение цены услуг)', less(discount)));
    if (!reductions.partnerDiscount.isZero()) {
      summary.push(
        row(
          'в т.ч. партнёрская скидка (бонус и сделки)',
          less(reductions.partnerDiscount),
          false,
          true,
        ),
      );
    }
    if (!reductions.grants.isZero()) {
      summary.push(row('в т.ч. оплачено грантами', less(reductions.grants), false, true));
    }
    if (!reductions.rebate.isZero()) {
      summary.push(
        row('в т.ч. зачёт ребейта (вывод на бонус)', less(reductions.rebate), false, true),
      );
    }
  }
  summary.push(row('Итого', totals.payable, true));
  summary.push(...totals.vat.map((v) => row(v.label, v.amount)));
  if (kind === 'payment-invoice') {
    if (totals.advance) summary.push(row('Покрыто авансом', less(advance)));
    summary.push(row('Всего к оплате', totals.toPay, true));
  }

  const count = rows.length;
  const totalText =
    kind === 'payment-invoice'
      ? `Всего наименований ${count}, на сумму ${totals.toPay} руб.`
      : kind === 'act'
        ? `Всего оказано услуг ${count}, на сумму ${totals.payable} руб., в т.ч. НДС ${totals.vatTotal} руб.`
        : `Всего к оплате ${totals.payable} руб., в том числе сумма налога ${totals.vatTotal} руб.`;

  return {
    kind,
    title: TITLES[kind],
    number: documentNumber(kind, invoice),
    date,
    dateText: dateText(date),
    periodText: monthText(invoice.month),
    basis:
      `Партнёрская программа VAR: услуги облачной платформы, потреблённые клиентами партнёра и ` +
      `партнёром, за ${monthText(invoice.month)}; цены уменьшены на партнёрскую скидку. ` +
      `Счёт ${invoice.number}.`,
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

/**
 * The table of the VAT invoice in the statutory form (Постановление Правительства РФ № 1137,
 * as amended): one column per column of the form, with its number. Services have no type
 * code, excise, country of origin, customs declaration or traceability: those columns say «—»
 * (excise: «без акциза»), as the form's rules require.
 */
export const VAT_INVOICE_COLUMNS: readonly {
  code: string;
  title: string;
  cell: (row: DocumentRow) => string;
  align: 'left' | 'center' | 'right';
}[] = [
  { code: '1', title: '№ п/п', cell: (r) => String(r.no), align: 'center' },
  { code: 'А', title: 'Код товара/ работ, услуг', cell: () => '—', align: 'center' },
  {
    code: '1а',
    title:
      'Наименование товара (описание выполненных работ, оказанных услуг), имущественного права',
    cell: (r) => r.name,
    align: 'left',
  },
  { code: '1б', title: 'Код вида товара', cell: () => '—', align: 'center' },
  { code: '2', title: 'Ед. изм.: код', cell: (r) => r.unitCode, align: 'center' },
  { code: '2а', title: 'Ед. изм.: усл. обозн. (нац.)', cell: (r) => r.unit, align: 'center' },
  { code: '3', title: 'Кол-во (объём)', cell: (r) => r.quantity, align: 'center' },
  {
    code: '4',
    title: 'Цена (тариф) за единицу измерения',
    cell: (r) => r.withoutVat,
    align: 'right',
  },
  {
    code: '5',
    title: 'Стоимость товаров (работ, услуг) без налога — всего',
    cell: (r) => r.withoutVat,
    align: 'right',
  },
  { code: '6', title: 'В том числе сумма акциза', cell: () => 'без акциза', align: 'center' },
  { code: '7', title: 'Налоговая ставка', cell: (r) => r.vatRate, align: 'center' },
  {
    code: '8',
    title: 'Сумма налога, предъявляемая покупателю',
    cell: (r) => r.vat,
    align: 'right',
  },
  {
    code: '9',
    title: 'Стоимость товаров (работ, услуг) с налогом — всего',
    cell: (r) => r.total,
    align: 'right',
  },
  { code: '10', title: 'Страна происх.: код', cell: () => '—', align: 'center' },
  { code: '10а', title: 'Страна происх.: наимен.', cell: () => '—', align: 'center' },
  { code: '11', title: 'Рег. номер декларации (партии товара)', cell: () => '—', align: 'center' },
  { code: '12', title: 'Ед. прослеж.: код', cell: () => '—', align: 'center' },
  { code: '12а', title: 'Ед. прослеж.: обозн.', cell: () => '—', align: 'center' },
  { code: '13', title: 'Кол-во для прослеж.', cell: () => '—', align: 'center' },
];

/** The act's and the payment invoice's table: the price before and after the discount. */
export const SERVICE_COLUMNS: readonly {
  title: string;
  cell: (row: DocumentRow) => string;
  align: 'left' | 'center' | 'right';
}[] = [
  { title: '№', cell: (r) => String(r.no), align: 'center' },
  { title: 'Наименование работ, услуг', cell: (r) => r.name, align: 'left' },
  { title: 'Кол-во', cell: (r) => r.quantity, align: 'center' },
  { title: 'Ед.', cell: (r) => r.unit, align: 'center' },
  { title: 'Цена без скидки, руб.', cell: (r) => r.gross, align: 'right' },
  { title: 'Скидка, руб.', cell: (r) => r.discount, align: 'right' },
  { title: 'Цена со скидкой, руб.', cell: (r) => r.total, align: 'right' },
  { title: 'Сумма с НДС, руб.', cell: (r) => r.total, align: 'right' },
];

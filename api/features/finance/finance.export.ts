import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { csvMoney } from '../../../domain/finance';
import { Money } from '../../../domain/money';
import { dateInMoscow } from '../../../domain/programs';
import type {
  FinanceInvoiceRecord,
  FinanceLineRecord,
} from '../../../prisma/repositories/finance.repository';

/**
 * The finance console's files, made for an accountant's Excel with Russian settings:
 * - CSV: UTF-8 with a byte-order mark (so Excel does not read it as Windows-1251), `;`
 *   between fields (a comma is the decimal separator there), CRLF line ends, money with a
 *   decimal comma and no grouping ("1234,50"), rates as fractions ("0,2"), dates as
 *   DD.MM.YYYY in Moscow time. Headers are in Russian, one row per invoice, line or payout.
 * - XLSX: an «Счета» sheet and a «Строки» sheet with the same columns; money and rates are
 *   numeric cells (formatted `# ##0.00` and as percent) so Excel sums them; dates are dates.
 *   An amount of up to 15 digits converts to a spreadsheet number without change.
 */

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const XLSX_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const KIND_WORDS: Record<string, string> = {
  monthly: 'ежемесячный',
  interim: 'промежуточный',
  final: 'итоговый',
};

type Cell = string | number | Date | null;
type Kind = 'text' | 'money' | 'rate' | 'date' | 'int';

interface Column<T> {
  header: string;
  kind: Kind;
  value: (row: T) => string | number | null;
  width?: number;
}

const moscowDate = (instant: string) => dateInMoscow(new Date(instant));
const ruDate = (iso: string) => iso.split('-').reverse().join('.');

export type InvoiceExportRow = FinanceInvoiceRecord & { rebateWithdrawn: string };

const INVOICE_COLUMNS: Column<InvoiceExportRow>[] = [
  { header: 'Номер счёта', kind: 'text', value: (i) => i.number, width: 22 },
  { header: 'Вид', kind: 'text', value: (i) => KIND_WORDS[i.kind] ?? i.kind, width: 15 },
  { header: 'Месяц', kind: 'text', value: (i) => i.month, width: 9 },
  { header: 'Партнёр', kind: 'text', value: (i) => i.partnerName, width: 30 },
  { header: 'ИНН', kind: 'text', value: (i) => i.partnerInn, width: 13 },
  { header: 'Дата выставления', kind: 'date', value: (i) => moscowDate(i.issuedAt), width: 12 },
  { header: 'Срок оплаты', kind: 'date', value: (i) => i.dueDate, width: 12 },
  { header: 'Потребление', kind: 'money', value: (i) => i.consumptionTotal },
  { header: 'Гранты', kind: 'money', value: (i) => i.grantsTotal },
  { header: 'Бонус (скидка)', kind: 'money', value: (i) => i.discountTotal },
  { header: 'Списано ребейта', kind: 'money', value: (i) => i.rebateWithdrawn },
  { header: 'К оплате', kind: 'money', value: (i) => i.payable },
  { header: 'Ставка НДС', kind: 'rate', value: (i) => i.vatRate },
  { header: 'НДС', kind: 'money', value: (i) => i.vatAmount },
  { header: 'Покрыто авансом', kind: 'money', value: (i) => i.advanceCovered },
];

const LINE_COLUMNS: Column<FinanceLineRecord>[] = [
  { header: 'Номер счёта', kind: 'text', value: (l) => l.invoiceNumber, width: 22 },
  { header: 'Позиция', kind: 'int', value: (l) => l.position + 1, width: 8 },
  { header: 'Вид строки', kind: 'text', value: (l) => l.kind, width: 22 },
  { header: 'Описание', kind: 'text', value: (l) => l.description, width: 50 },
  { header: 'Правило', kind: 'text', value: (l) => l.rule, width: 50 },
  { header: 'Ставка', kind: 'rate', value: (l) => l.rate },
  { header: 'База', kind: 'money', value: (l) => l.base },
  { header: 'Сумма', kind: 'money', value: (l) => l.amount },
  { header: 'Аккаунт', kind: 'text', value: (l) => l.accountId, width: 22 },
  { header: 'Сделка', kind: 'text', value: (l) => l.dealId, width: 38 },
];

function csvCell(kind: Kind, value: string | number | null): string {
  if (value === null) return '';
  if (kind === 'money') return csvMoney(String(value));
  if (kind === 'rate') return new Money(String(value)).toString().replace('.', ',');
  if (kind === 'date') return ruDate(String(value));
  return String(value);
}

/** A CSV for Russian Excel (see the module comment). */
export function toCsv<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  return stringify(
    [
      columns.map((c) => c.header),
      ...rows.map((row) => columns.map((c) => csvCell(c.kind, c.value(row)))),
    ],
    { delimiter: ';', bom: true, record_delimiter: 'windows' },
  );
}

export const invoicesCsv = (rows: readonly InvoiceExportRow[]) => toCsv(INVOICE_COLUMNS, rows);
export const linesCsv = (rows: readonly FinanceLineRecord[]) => toCsv(LINE_COLUMNS, rows);

function xlsxCell(kind: Kind, value: string | number | null): Cell {
  if (value === null) return null;
  // The spreadsheet's own number type: exact for amounts of up to 15 digits.
  if (kind === 'money' || kind === 'rate') return new Money(String(value)).toNumber();
  if (kind === 'date') return new Date(`${String(value)}T00:00:00Z`);
  return value;
}

const NUMBER_FORMATS: Partial<Record<Kind, string>> = {
  money: '#,##0.00',
  rate: '0.00%',
  date: 'dd.mm.yyyy',
};

function addSheet<T>(
  book: ExcelJS.Workbook,
  name: string,
  columns: readonly Column<T>[],
  rows: readonly T[],
) {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, index) => ({
    header: c.header,
    key: String(index),
    width: c.width ?? 15,
    style: NUMBER_FORMATS[c.kind] ? { numFmt: NUMBER_FORMATS[c.kind] } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((c) => xlsxCell(c.kind, c.value(row))));
}

/** The month's invoices and their lines as one workbook: «Счета» and «Строки». */
export async function invoicesXlsx(
  invoices: readonly InvoiceExportRow[],
  lines: readonly FinanceLineRecord[],
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Partner platform';
  addSheet(book, 'Счета', INVOICE_COLUMNS, invoices);
  addSheet(book, 'Строки', LINE_COLUMNS, lines);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export interface PayoutExportRow {
  kind: string;
  status: string;
  month: string;
  partnerName: string | null;
  partnerInn: string | null;
  amount: string;
  at: string;
  reference: string;
  bankBik: string | null;
  bankAccount: string | null;
}

const PAYOUT_KIND_WORDS: Record<string, string> = {
  rebate_withdrawal: 'вывод ребейта на счёт',
  commission: 'реферальная комиссия',
  final_payout: 'выплата при выходе',
};
const PAYOUT_STATUS_WORDS: Record<string, string> = {
  awaiting_bank_details: 'ждёт реквизитов',
  payable: 'к выплате',
  paid: 'выплачено',
};

const PAYOUT_COLUMNS: Column<PayoutExportRow>[] = [
  { header: 'Вид выплаты', kind: 'text', value: (p) => PAYOUT_KIND_WORDS[p.kind] ?? p.kind },
  { header: 'Статус', kind: 'text', value: (p) => PAYOUT_STATUS_WORDS[p.status] ?? p.status },
  { header: 'Месяц', kind: 'text', value: (p) => p.month },
  { header: 'Партнёр', kind: 'text', value: (p) => p.partnerName },
  { header: 'ИНН', kind: 'text', value: (p) => p.partnerInn },
  { header: 'Сумма', kind: 'money', value: (p) => p.amount },
  { header: 'Дата', kind: 'date', value: (p) => moscowDate(p.at) },
  { header: 'Основание', kind: 'text', value: (p) => p.reference },
  { header: 'БИК', kind: 'text', value: (p) => p.bankBik },
  { header: 'Расчётный счёт', kind: 'text', value: (p) => p.bankAccount },
];

export const payoutsCsv = (rows: readonly PayoutExportRow[]) => toCsv(PAYOUT_COLUMNS, rows);

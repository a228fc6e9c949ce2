import {
  documentView,
  PROVIDER,
  requisites,
  SERVICE_COLUMNS,
  VAT_INVOICE_COLUMNS,
  type DocumentData,
  type DocumentKind,
  type DocumentView,
} from './model';

/**
 * The documents of an issued invoice as printable HTML pages: one self-contained file each
 * (inline CSS, no scripts, no external resources), laid out for A4 with the Russian labels of
 * real documents. No database access and no clock: the same invoice always renders to the same
 * bytes, because an issued document is never rewritten.
 */
export {
  DOCUMENT_KINDS,
  PROVIDER,
  documentView,
  type DocumentBuyer,
  type DocumentData,
  type DocumentInvoice,
  type DocumentKind,
  type DocumentLine,
  type DocumentView,
} from './model';
export { rublesInWords } from './words';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and quoted attributes alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/** Every interpolation goes through here: names, addresses and ids come from partners. */
const e = escapeHtml;

const STYLE = `
@page { size: A4; margin: 15mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 186mm; padding: 8mm 0; color: #000; background: #fff;
  font-family: "PT Sans", Arial, "Helvetica Neue", sans-serif; font-size: 10pt; line-height: 1.3; }
h1 { font-size: 14pt; margin: 5mm 0 4mm; padding-bottom: 2mm; border-bottom: 2px solid #000; }
p { margin: 1.5mm 0; }
table { border-collapse: collapse; width: 100%; }
.grid td, .grid th { border: 1px solid #000; padding: 1mm 1.5mm; vertical-align: top; }
.grid th { background: #f0f0f0; text-align: center; font-weight: bold; }
.grid tr { page-break-inside: avoid; break-inside: avoid; }
.num { text-align: right; white-space: nowrap; }
.lines th { font-size: 8.5pt; }
.lines td.right, .vat td.right { text-align: right; white-space: nowrap; }
.vat th { font-size: 6pt; font-weight: normal; padding: 0.5mm; }
.vat th.code { font-weight: bold; }
.vat td { font-size: 8pt; }
.vat tr.strong td { font-weight: bold; }
.center { text-align: center; }
.summary tr.part td { font-size: 8.5pt; color: #333; }
.fields { margin-bottom: 3mm; }
.fields td { padding: 0.8mm 0; vertical-align: top; }
.fields td.label { width: 42mm; padding-right: 2mm; }
.fields td.code { width: 10mm; text-align: right; color: #555; }
.bank td { border: 1px solid #000; padding: 1mm 1.5mm; vertical-align: top; }
.bank .caption { font-size: 8pt; color: #333; }
.summary { width: auto; margin: 2mm 0 0 auto; }
.summary td { padding: 0.6mm 1.5mm; }
.summary td.label { text-align: right; }
.summary tr.strong td { font-weight: bold; }
.words { font-weight: bold; margin-top: 1mm; }
.note { margin-top: 4mm; }
.signatures { margin-top: 8mm; width: auto; }
.signatures td { padding: 5mm 2mm 0 0; vertical-align: bottom; white-space: nowrap; }
.signatures td.sign { border-bottom: 1px solid #000; }
.signatures td.sign span { display: inline-block; width: 45mm; }
.signatures td.sign + td { padding-left: 2mm; }
.muted { color: #555; font-size: 8.5pt; }
@media print { body { max-width: none; padding: 0; } }
`.trim();

/** The statutory VAT invoice is a wide table: printed across a landscape page. */
const LANDSCAPE = [
  '@page { size: A4 landscape; } body { max-width: 273mm; }',
  '.fields td.label { width: 75mm; } .vat td.left { min-width: 42mm; }',
].join('\n');

const party = (who: Parameters<typeof requisites>[0]) => e(requisites(who));

function fields(rows: [label: string, valueHtml: string, code?: string][]): string {
  const body = rows
    .map(
      ([label, value, code]) =>
        `<tr><td class="label">${e(label)}</td><td>${value}</td>${code === undefined ? '' : `<td class="code">${e(code)}</td>`}</tr>`,
    )
    .join('\n');
  return `<table class="fields">\n${body}\n</table>`;
}

function servicesTable(view: DocumentView): string {
  const head = SERVICE_COLUMNS.map((c) => `<th>${e(c.title)}</th>`).join('');
  const body = view.rows
    .map(
      (row) =>
        `<tr>${SERVICE_COLUMNS.map((c) => `<td class="${c.align}">${e(c.cell(row))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table class="grid lines">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Every column of the statutory form, numbered, one row per service and the total row. */
function vatTable(view: DocumentView): string {
  const titles = VAT_INVOICE_COLUMNS.map((c) => `<th>${e(c.title)}</th>`).join('');
  const codes = VAT_INVOICE_COLUMNS.map((c) => `<th class="code">${e(c.code)}</th>`).join('');
  const body = view.rows
    .map(
      (row) =>
        `<tr>${VAT_INVOICE_COLUMNS.map((c) => `<td class="${c.align}">${e(c.cell(row))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  const total =
    `<tr class="strong"><td colspan="8">Всего к оплате (9)</td>` +
    `<td class="right">${e(view.totals.withoutVat)}</td><td colspan="2" class="center">X</td>` +
    `<td class="right">${e(view.totals.vatTotal)}</td><td class="right">${e(view.totals.payable)}</td>` +
    `<td colspan="6"></td></tr>`;
  return `<table class="grid vat">\n<thead><tr>${titles}</tr>\n<tr>${codes}</tr></thead>\n<tbody>\n${body}\n${total}\n</tbody>\n</table>`;
}

function summary(view: DocumentView): string {
  const body = view.summary
    .map(
      (row) =>
        `<tr${row.strong ? ' class="strong"' : row.indent ? ' class="part"' : ''}><td class="label">${e(row.label)}:</td><td class="num">${e(row.amount)}</td></tr>`,
    )
    .join('\n');
  return `<table class="summary">\n${body}\n</table>`;
}

function amountInWords(view: DocumentView): string {
  return `<p class="note">${e(view.totalText)}</p>\n<p class="words">${e(view.words)}</p>`;
}

/** One row per signer — role, a line to sign on, name — so long roles never overflow A4. */
function signatures(...signers: [role: string, name: string][]): string {
  const rows = signers.map(
    ([role, name]) =>
      `<tr><td class="role">${e(role)}</td><td class="sign"><span></span></td><td>${name ? `/ ${e(name)} /` : ''}</td></tr>`,
  );
  return `<table class="signatures">\n${rows.join('\n')}\n</table>`;
}

function title(view: DocumentView): string {
  return `${view.title} № ${view.number} от ${view.dateText}`;
}

function act(view: DocumentView): string {
  return [
    `<h1>${e(title(view))}</h1>`,
    fields([
      ['Исполнитель:', party(view.seller)],
      ['Заказчик:', party(view.buyer)],
      ['Основание:', e(view.basis)],
    ]),
    servicesTable(view),
    summary(view),
    amountInWords(view),
    `<p class="note">Вышеперечисленные услуги оказаны полностью и в срок. Заказчик претензий по объёму, качеству и срокам оказания услуг не имеет.</p>`,
    signatures(['Исполнитель', PROVIDER.director], ['Заказчик', '']),
  ].join('\n');
}

function paymentInvoice(view: DocumentView): string {
  const { bank } = view.seller;
  const bankTable = `<table class="bank">
<tr><td colspan="2" rowspan="2">${e(bank.name)}<br><span class="caption">Банк получателя</span></td><td>БИК</td><td>${e(bank.bik)}</td></tr>
<tr><td>Сч. №</td><td>${e(bank.correspondentAccount)}</td></tr>
<tr><td>ИНН ${e(view.seller.inn)}</td><td>КПП ${e(view.seller.kpp)}</td><td rowspan="2">Сч. №</td><td rowspan="2">${e(bank.account)}</td></tr>
<tr><td colspan="2">${e(view.seller.name)}<br><span class="caption">Получатель</span></td></tr>
</table>`;
  return [
    bankTable,
    `<h1>${e(title(view))}</h1>`,
    fields([
      ['Поставщик (Исполнитель):', party(view.seller)],
      ['Покупатель (Заказчик):', party(view.buyer)],
      ['Основание:', e(view.basis)],
    ]),
    servicesTable(view),
    summary(view),
    amountInWords(view),
    view.payBy ? `<p class="note"><b>${e(view.payBy)}</b></p>` : '',
    `<p class="muted">В назначении платежа укажите номер счёта ${e(view.invoiceNumber)}.</p>`,
    signatures(['Руководитель', PROVIDER.director], ['Бухгалтер', PROVIDER.accountant]),
  ]
    .filter(Boolean)
    .join('\n');
}

function vatInvoice(view: DocumentView): string {
  const seller = view.seller;
  const buyer = view.buyer;
  const innKpp = (inn: string | null, kpp: string | null) => e(`${inn ?? '—'}/${kpp ?? '—'}`);
  return [
    `<p class="muted">Приложение № 1 к постановлению Правительства Российской Федерации от 26 декабря 2011 г. № 1137</p>`,
    `<h1>${e(title(view))} <span class="muted">(1)</span></h1>`,
    `<p>Исправление № — от — <span class="muted">(1а)</span></p>`,
    fields([
      ['Продавец:', e(seller.name), '(2)'],
      ['Адрес:', e(seller.address), '(2а)'],
      ['ИНН/КПП продавца:', innKpp(seller.inn, seller.kpp), '(2б)'],
      ['Грузоотправитель и его адрес:', '—', '(3)'],
      ['Грузополучатель и его адрес:', '—', '(4)'],
      ['К платёжно-расчётному документу:', '№ — от —', '(5)'],
      ['Документ об отгрузке:', e(`№ п/п 1–${view.rows.length} ${view.act}`), '(5а)'],
      ['Покупатель:', e(buyer.name), '(6)'],
      ['Адрес:', e(buyer.address ?? '—'), '(6а)'],
      ['ИНН/КПП покупателя:', innKpp(buyer.inn, buyer.kpp), '(6б)'],
      ['Валюта: наименование, код:', 'Российский рубль, 643', '(7)'],
      ['Идентификатор государственного контракта, договора (соглашения):', '—', '(8)'],
    ]),
    vatTable(view),
    `<p class="muted">Цены услуг указаны с учётом скидки: партнёрской скидки, оплаты грантами и зачёта ребейта.</p>`,
    signatures(
      ['Руководитель организации или иное уполномоченное лицо', PROVIDER.director],
      ['Главный бухгалтер или иное уполномоченное лицо', PROVIDER.accountant],
    ),
  ].join('\n');
}

const BODIES: Record<DocumentKind, (view: DocumentView) => string> = {
  act,
  'payment-invoice': paymentInvoice,
  'vat-invoice': vatInvoice,
};

/**
 * One document of an issued invoice as a complete HTML page.
 *
 * @throws DomainError `invalid_state` when the invoice's lines do not add up to its totals.
 */
export function renderDocument(kind: DocumentKind, data: DocumentData): string {
  const view = documentView(kind, data);
  return `<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title(view))}</title>
<style>
${STYLE}${kind === 'vat-invoice' ? `\n${LANDSCAPE}` : ''}
</style>
</head>
<body>
${BODIES[kind](view)}
</body>
</html>
`;
}

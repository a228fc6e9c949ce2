import PDFDocument from 'pdfkit';
import {
  documentView,
  requisites,
  SERVICE_COLUMNS,
  VAT_INVOICE_COLUMNS,
  type DocumentData,
  type DocumentKind,
  type DocumentView,
} from './model';

/**
 * The documents of an issued invoice as PDF, drawn directly with pdfkit from the same
 * `DocumentView` as the HTML (no HTML-to-PDF conversion, so no browser on the server).
 *
 * Cyrillic needs an embedded font: PT Sans (ParaType, made for Russian; SIL OFL 1.1) ships as
 * TTF in the npm package @expo-google-fonts/pt-sans and is found with require.resolve — never
 * a machine path, never a download. pdfkit embeds only the glyphs used.
 *
 * Deterministic: the creation date is the invoice's issue instant, and pdfkit derives the file
 * ID from the document info (an MD5 of it, no randomness), so the same invoice gives the same
 * bytes every time.
 */

const FONTS = {
  regular: require.resolve('@expo-google-fonts/pt-sans/400Regular/PTSans_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/pt-sans/700Bold/PTSans_700Bold.ttf'),
};

const MARGIN = 40;
const PAD = 3;
const SIZE = { body: 9, small: 7.5, title: 14 };
const GREY = '#f0f0f0';

type Doc = PDFKit.PDFDocument;
interface Cell {
  text: string;
  width: number;
  align?: 'left' | 'right' | 'center';
  bold?: boolean;
  size?: number;
}

/** A small cursor-based layout on top of pdfkit: blocks flow down and break pages whole. */
class Layout {
  y: number;
  readonly left = MARGIN;
  readonly width: number;

  constructor(readonly doc: Doc) {
    this.width = doc.page.width - 2 * MARGIN;
    this.y = MARGIN;
  }

  get bottom(): number {
    return this.doc.page.height - MARGIN;
  }

  fits(height: number): boolean {
    return this.y + height <= this.bottom;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = MARGIN;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (!this.fits(height)) this.newPage();
  }

  font(bold: boolean, size = SIZE.body): this {
    this.doc.font(bold ? 'bold' : 'regular').fontSize(size);
    return this;
  }

  height(text: string, width: number): number {
    return this.doc.heightOfString(text, { width });
  }

  /** A paragraph across the full width. */
  paragraph(text: string, options: { bold?: boolean; size?: number; gap?: number } = {}): void {
    this.font(options.bold ?? false, options.size);
    const height = this.height(text, this.width);
    this.ensure(height);
    this.doc.fillColor('#000000').text(text, this.left, this.y, { width: this.width });
    this.y += height + (options.gap ?? 4);
  }

  rule(thickness = 1.5): void {
    this.doc
      .moveTo(this.left, this.y)
      .lineTo(this.left + this.width, this.y)
      .lineWidth(thickness)
      .stroke('#000000');
    this.y += 6;
  }

  /** The height of a row of cells: its tallest wrapped text plus padding. */
  measure(cells: Cell[], pad = PAD): number {
    const heights = cells.map((cell) => {
      this.font(cell.bold ?? false, cell.size);
      return this.height(cell.text, cell.width - 2 * pad);
    });
    return Math.max(...heights) + 2 * pad;
  }

  /**
   * One table row: cells of given widths, text wrapped inside, borders optional; the row
   * moves to the next page whole when it does not fit.
   */
  row(
    cells: Cell[],
    options: { border?: boolean; fill?: string; x?: number; pad?: number } = {},
  ): number {
    const pad = options.pad ?? PAD;
    const height = this.measure(cells, pad);
    this.ensure(height);
    let x = options.x ?? this.left;
    for (const cell of cells) {
      if (options.fill) this.doc.rect(x, this.y, cell.width, height).fill(options.fill);
      if (options.border) {
        this.doc.rect(x, this.y, cell.width, height).lineWidth(0.5).stroke('#000000');
      }
      this.font(cell.bold ?? false, cell.size);
      this.doc.fillColor('#000000').text(cell.text, x + pad, this.y + pad, {
        width: cell.width - 2 * pad,
        align: cell.align ?? 'left',
      });
      x += cell.width;
    }
    this.y += height;
    return height;
  }
}

function fields(layout: Layout, rows: [label: string, value: string, code?: string][]): void {
  const label = 150;
  const code = 30;
  for (const [name, value, mark] of rows) {
    const valueWidth = layout.width - label - (mark === undefined ? 0 : code);
    layout.row(
      [
        { text: name, width: label, bold: true },
        { text: value, width: valueWidth },
        ...(mark === undefined ? [] : [{ text: mark, width: code, align: 'right' as const }]),
      ],
      { pad: 1.5 },
    );
  }
  layout.y += 4;
}

/**
 * A table whose header repeats on every page it flows onto; a row that does not fit starts a
 * new page whole.
 */
function table(
  layout: Layout,
  headers: Cell[][],
  rows: Cell[][],
  totals: Cell[][] = [],
  headerPad = PAD,
): void {
  const header = () =>
    headers.forEach((cells) => layout.row(cells, { border: true, fill: GREY, pad: headerPad }));
  layout.ensure(headers.reduce((h, cells) => h + layout.measure(cells, headerPad), 0) + 20);
  header();
  for (const cells of [...rows, ...totals]) {
    if (!layout.fits(layout.measure(cells))) {
      layout.newPage();
      header();
    }
    layout.row(cells, { border: true });
  }
  layout.y += 4;
}

/** The act's and the payment invoice's services: price before and after the discount. */
function servicesTable(layout: Layout, view: DocumentView): void {
  const fixed = [20, 30, 40, 62, 56, 62, 66];
  const name = layout.width - fixed.reduce((a, b) => a + b, 0);
  const widths = [fixed[0]!, name, ...fixed.slice(1)];
  const size = SIZE.small;
  table(
    layout,
    [
      SERVICE_COLUMNS.map((column, i) => ({
        text: column.title,
        width: widths[i]!,
        align: 'center' as const,
        bold: true,
        size,
      })),
    ],
    view.rows.map((row) =>
      SERVICE_COLUMNS.map((column, i) => ({
        text: column.cell(row),
        width: widths[i]!,
        align: column.align,
      })),
    ),
  );
}

/** The VAT invoice's table: every column of the statutory form, numbered, and its total row. */
function vatTable(layout: Layout, view: DocumentView): void {
  const fixed: Record<string, number> = {
    '1': 19,
    А: 26,
    '1б': 24,
    '2': 24,
    '2а': 30,
    '3': 28,
    '4': 50,
    '5': 54,
    '6': 30,
    '7': 30,
    '8': 50,
    '9': 54,
    '10': 28,
    '10а': 30,
    '11': 38,
    '12': 28,
    '12а': 28,
    '13': 32,
  };
  const used = Object.values(fixed).reduce((a, b) => a + b, 0);
  const width = (code: string) => fixed[code] ?? layout.width - used;
  const small = 5.5;
  const cellSize = 7;
  const headers: Cell[][] = [
    VAT_INVOICE_COLUMNS.map((c) => ({
      text: c.title,
      width: width(c.code),
      align: 'center' as const,
      size: small,
    })),
    VAT_INVOICE_COLUMNS.map((c) => ({
      text: c.code,
      width: width(c.code),
      align: 'center' as const,
      size: small,
    })),
  ];
  const rows = view.rows.map((row) =>
    VAT_INVOICE_COLUMNS.map((c) => ({
      text: c.cell(row),
      width: width(c.code),
      align: c.align,
      size: cellSize,
    })),
  );
  const upTo4 = ['1', 'А', '1а', '1б', '2', '2а', '3', '4'].reduce((w, c) => w + width(c), 0);
  const rest = ['10', '10а', '11', '12', '12а', '13'].reduce((w, c) => w + width(c), 0);
  const total: Cell[] = [
    { text: 'Всего к оплате (9)', width: upTo4, bold: true, size: cellSize },
    {
      text: view.totals.withoutVat,
      width: width('5'),
      align: 'right',
      bold: true,
      size: cellSize,
    },
    { text: 'X', width: width('6') + width('7'), align: 'center', size: cellSize },
    { text: view.totals.vatTotal, width: width('8'), align: 'right', bold: true, size: cellSize },
    { text: view.totals.payable, width: width('9'), align: 'right', bold: true, size: cellSize },
    { text: '', width: rest, size: cellSize },
  ];
  table(layout, headers, rows, [total], 1.5);
}

function summary(layout: Layout, view: DocumentView): void {
  const labelWidth = 300;
  const amountWidth = 100;
  const x = layout.left + layout.width - labelWidth - amountWidth;
  const rows = view.summary.map((row): Cell[] => [
    {
      text: `${row.label}:`,
      width: labelWidth,
      align: 'right',
      bold: row.strong,
      ...(row.indent ? { size: SIZE.small } : {}),
    },
    {
      text: row.amount,
      width: amountWidth,
      align: 'right',
      bold: row.strong,
      ...(row.indent ? { size: SIZE.small } : {}),
    },
  ]);
  // The totals stay together on one page.
  layout.ensure(rows.reduce((height, cells) => height + layout.measure(cells, 1.5), 0));
  for (const cells of rows) layout.row(cells, { x, pad: 1.5 });
  layout.y += 6;
}

/** «Руководитель ____ / Примеров П. П. /» twice across the page: role, a line to sign on, name. */
function signatures(layout: Layout, left: [string, string], right: [string, string]): void {
  layout.y += 20;
  layout.ensure(24);
  const half = layout.width / 2;
  const { doc } = layout;
  const sign = ([role, name]: [string, string], x: number) => {
    layout.font(false);
    const signedBy = name ? `/ ${name} /` : '';
    const roleWidth = doc.widthOfString(role);
    const nameWidth = doc.widthOfString(signedBy);
    const lineStart = x + roleWidth + 4;
    const lineEnd = x + half - nameWidth - 16;
    doc.fillColor('#000000').text(role, x, layout.y, { width: roleWidth + 1, lineBreak: false });
    doc
      .moveTo(lineStart, layout.y + 10)
      .lineTo(lineEnd, layout.y + 10)
      .lineWidth(0.5)
      .stroke('#000000');
    if (signedBy) {
      doc.text(signedBy, lineEnd + 4, layout.y, { width: nameWidth + 1, lineBreak: false });
    }
  };
  sign(left, layout.left);
  sign(right, layout.left + half);
  layout.y += 24;
}

function title(layout: Layout, view: DocumentView, suffix = ''): void {
  layout.paragraph(`${view.title} № ${view.number} от ${view.dateText}${suffix}`, {
    bold: true,
    size: SIZE.title,
    gap: 4,
  });
  layout.rule();
}

function totalsAndWords(layout: Layout, view: DocumentView): void {
  summary(layout, view);
  layout.paragraph(view.totalText, { gap: 2 });
  layout.paragraph(view.words, { bold: true, gap: 8 });
}

function act(layout: Layout, view: DocumentView): void {
  title(layout, view);
  fields(layout, [
    ['Исполнитель:', requisites(view.seller)],
    ['Заказчик:', requisites(view.buyer)],
    ['Основание:', view.basis],
  ]);
  servicesTable(layout, view);
  totalsAndWords(layout, view);
  layout.paragraph(
    'Вышеперечисленные услуги оказаны полностью и в срок. Заказчик претензий по объёму, качеству и срокам оказания услуг не имеет.',
  );
  signatures(layout, ['Исполнитель', view.seller.director], ['Заказчик', '']);
}

function paymentInvoice(layout: Layout, view: DocumentView): void {
  const { bank } = view.seller;
  const w = layout.width;
  const [a, b, c, d] = [w * 0.3, w * 0.3, w * 0.1, w * 0.3];
  layout.row(
    [
      { text: `${bank.name}\nБанк получателя`, width: a + b },
      { text: 'БИК\nСч. №', width: c },
      { text: `${bank.bik}\n${bank.correspondentAccount}`, width: d },
    ],
    { border: true },
  );
  layout.row(
    [
      { text: `ИНН ${view.seller.inn}`, width: a },
      { text: `КПП ${view.seller.kpp}`, width: b },
      { text: 'Сч. №', width: c },
      { text: bank.account, width: d },
    ],
    { border: true },
  );
  layout.row(
    [
      { text: `${view.seller.name}\nПолучатель`, width: a + b },
      { text: '', width: c },
      { text: '', width: d },
    ],
    { border: true },
  );
  layout.y += 8;
  title(layout, view);
  fields(layout, [
    ['Поставщик (Исполнитель):', requisites(view.seller)],
    ['Покупатель (Заказчик):', requisites(view.buyer)],
    ['Основание:', view.basis],
  ]);
  servicesTable(layout, view);
  totalsAndWords(layout, view);
  if (view.payBy) layout.paragraph(view.payBy, { bold: true });
  layout.paragraph(`В назначении платежа укажите номер счёта ${view.invoiceNumber}.`, {
    size: SIZE.small,
  });
  signatures(layout, ['Руководитель', view.seller.director], ['Бухгалтер', view.seller.accountant]);
}

function vatInvoice(layout: Layout, view: DocumentView): void {
  const { seller, buyer } = view;
  const innKpp = (inn: string | null, kpp: string | null) => `${inn ?? '—'}/${kpp ?? '—'}`;
  layout.paragraph(
    'Приложение № 1 к постановлению Правительства Российской Федерации от 26 декабря 2011 г. № 1137',
    { size: SIZE.small, gap: 2 },
  );
  title(layout, view, ' (1)');
  layout.paragraph('Исправление № — от — (1а)');
  fields(layout, [
    ['Продавец:', seller.name, '(2)'],
    ['Адрес:', seller.address, '(2а)'],
    ['ИНН/КПП продавца:', innKpp(seller.inn, seller.kpp), '(2б)'],
    ['Грузоотправитель и его адрес:', '—', '(3)'],
    ['Грузополучатель и его адрес:', '—', '(4)'],
    ['К платёжно-расчётному документу:', '№ — от —', '(5)'],
    ['Документ об отгрузке:', `№ п/п 1–${view.rows.length} ${view.act}`, '(5а)'],
    ['Покупатель:', buyer.name, '(6)'],
    ['Адрес:', buyer.address ?? '—', '(6а)'],
    ['ИНН/КПП покупателя:', innKpp(buyer.inn, buyer.kpp), '(6б)'],
    ['Валюта: наименование, код:', 'Российский рубль, 643', '(7)'],
    ['Идентификатор государственного контракта, договора (соглашения):', '—', '(8)'],
  ]);
  vatTable(layout, view);
  layout.paragraph(
    'Цены услуг указаны с учётом скидки: партнёрской скидки, оплаты грантами и зачёта ребейта.',
    { size: SIZE.small },
  );
  signatures(
    layout,
    ['Руководитель организации или иное уполномоченное лицо', seller.director],
    ['Главный бухгалтер или иное уполномоченное лицо', seller.accountant],
  );
}

const DRAW: Record<DocumentKind, (layout: Layout, view: DocumentView) => void> = {
  act,
  'payment-invoice': paymentInvoice,
  'vat-invoice': vatInvoice,
};

/**
 * One document of an issued invoice as a PDF (A4, PT Sans embedded).
 *
 * @throws DomainError `invalid_state` when the invoice's lines do not add up to its totals.
 */
export function renderDocumentPdf(kind: DocumentKind, data: DocumentData): Promise<Buffer> {
  const view = documentView(kind, data);
  const issued = new Date(data.invoice.issuedAt);
  const doc = new PDFDocument({
    size: 'A4',
    // The statutory VAT invoice is a wide table: landscape, as accounting systems print it.
    layout: kind === 'vat-invoice' ? 'landscape' : 'portrait',
    margin: MARGIN,
    font: FONTS.regular,
    lang: 'ru-RU',
    displayTitle: true,
    info: {
      Title: `${view.title} № ${view.number} от ${view.dateText}`,
      Author: view.seller.name,
      Subject: `Партнёрская программа VAR, ${view.periodText}`,
      Creator: 'partner-platform',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  DRAW[kind](new Layout(doc), view);
  doc.end();
  return done;
}

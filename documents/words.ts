import { parseMoney } from '../domain/money';

/**
 * Amounts in Russian words, as the «Сумма прописью» line of Russian accounting documents
 * writes them: rubles in words, kopecks in two digits — «Две тысячи сто пять рублей 00 копеек».
 *
 * Russian numerals agree with the noun they count: «один рубль» (masculine), «одна тысяча»,
 * «одна копейка» (feminine), and the noun takes one of three forms by the last two digits
 * (1 → рубль, 2–4 → рубля, 0 and 5–20 → рублей).
 */

type Gender = 'masculine' | 'feminine';
/** The noun forms for 1, 2–4 and 5+ (also 0 and 11–14). */
type Forms = readonly [one: string, few: string, many: string];

const UNITS: Record<Gender, readonly string[]> = {
  masculine: ['', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'],
  feminine: ['', 'одна', 'две', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'],
};
const TEENS = [
  'десять',
  'одиннадцать',
  'двенадцать',
  'тринадцать',
  'четырнадцать',
  'пятнадцать',
  'шестнадцать',
  'семнадцать',
  'восемнадцать',
  'девятнадцать',
];
const TENS = [
  '',
  '',
  'двадцать',
  'тридцать',
  'сорок',
  'пятьдесят',
  'шестьдесят',
  'семьдесят',
  'восемьдесят',
  'девяносто',
];
const HUNDREDS = [
  '',
  'сто',
  'двести',
  'триста',
  'четыреста',
  'пятьсот',
  'шестьсот',
  'семьсот',
  'восемьсот',
  'девятьсот',
];

/** Groups of three digits from the lowest: units, thousands, millions, billions. */
const SCALES: readonly { gender: Gender; forms: Forms | null }[] = [
  { gender: 'masculine', forms: null },
  { gender: 'feminine', forms: ['тысяча', 'тысячи', 'тысяч'] },
  { gender: 'masculine', forms: ['миллион', 'миллиона', 'миллионов'] },
  { gender: 'masculine', forms: ['миллиард', 'миллиарда', 'миллиардов'] },
];

const RUBLE: Forms = ['рубль', 'рубля', 'рублей'];
const KOPECK: Forms = ['копейка', 'копейки', 'копеек'];

/** The largest amount in words: just under a trillion rubles, the last scale above. */
export const MAX_AMOUNT_IN_WORDS = '999999999999.99';

/** The form of a noun after a count: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль. */
export function pluralForm(count: number, forms: Forms): string {
  const lastTwo = count % 100;
  const last = count % 10;
  if (lastTwo >= 11 && lastTwo <= 14) return forms[2];
  if (last === 1) return forms[0];
  if (last >= 2 && last <= 4) return forms[1];
  return forms[2];
}

/** 1…999 in words, agreeing with the gender of what it counts. */
function triadWords(n: number, gender: Gender): string[] {
  const words: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) words.push(HUNDREDS[hundreds]!);
  if (rest >= 10 && rest < 20) {
    words.push(TEENS[rest - 10]!);
  } else {
    const tens = Math.floor(rest / 10);
    const units = rest % 10;
    if (tens > 0) words.push(TENS[tens]!);
    if (units > 0) words.push(UNITS[gender][units]!);
  }
  return words;
}

/**
 * A whole number of rubles in words, lower case: «две тысячи сто пять». The integer arrives as
 * a digit string, so no amount ever passes through a JS number; only 3-digit groups do.
 */
function integerWords(digits: string): string {
  const groups: number[] = [];
  for (let end = digits.length; end > 0; end -= 3) {
    groups.push(Number(digits.slice(Math.max(0, end - 3), end)));
  }
  const words: string[] = [];
  for (let scale = groups.length - 1; scale >= 0; scale--) {
    const group = groups[scale]!;
    if (group === 0) continue;
    const { gender, forms } = SCALES[scale]!;
    words.push(...triadWords(group, gender));
    if (forms) words.push(pluralForm(group, forms));
  }
  return words.length === 0 ? 'ноль' : words.join(' ');
}

/**
 * «Сумма прописью»: rubles in words with the noun in the right form, kopecks as two digits with
 * theirs, capitalized — «Триста пятьдесят рублей 83 копейки».
 *
 * @param amount rubles as a decimal string with at most two decimals ("2105", "350.83")
 * @throws RangeError for a negative amount, more than two decimals, or a trillion and more
 */
export function rublesInWords(amount: string): string {
  const value = parseMoney(amount);
  if (value.isNegative()) throw new RangeError(`Cannot write a negative amount: ${amount}`);
  if (value.gt(MAX_AMOUNT_IN_WORDS)) {
    throw new RangeError(`Amounts up to ${MAX_AMOUNT_IN_WORDS} can be written in words: ${amount}`);
  }
  const [rubles = '0', kopecks = '00'] = value.toFixed(2).split('.');
  const rubleCount = Number(rubles.slice(-3));
  const kopeckCount = Number(kopecks);
  const text =
    `${integerWords(rubles)} ${pluralForm(rubleCount, RUBLE)} ` +
    `${kopecks} ${pluralForm(kopeckCount, KOPECK)}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

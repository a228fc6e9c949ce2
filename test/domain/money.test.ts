import { formatMoney, parseMoney, roundKopecks, sumMoney } from '../../domain/money';

describe('money', () => {
  it.each([
    ['0.005', '0.01'],
    ['0.004', '0.00'],
    ['2.675', '2.68'],
    ['-0.005', '-0.01'],
    ['1234567.125', '1234567.13'],
  ])('rounds %s half-up to %s kopecks', (value, expected) => {
    expect(roundKopecks(value).toFixed(2)).toBe(expected);
  });

  it('keeps exact decimals where binary floats drift', () => {
    expect(formatMoney(parseMoney('0.1').plus(parseMoney('0.2')))).toBe('0.30');
    expect(sumMoney(['10.10', '20.20', '30.30']).toFixed(2)).toBe('60.60');
  });

  it.each(['1.234', 'abc', '1e5', '', '12.', '--1'])('refuses %p as an amount', (text) => {
    expect(() => parseMoney(text)).toThrow(RangeError);
  });
});

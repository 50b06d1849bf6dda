import { describe, expect, it } from 'vitest';
import {
  UNREADABLE,
  expandScientific,
  fromExcelSerial,
  isEmptyCell,
  parseAmountWan,
  parseDate,
  parseDoc,
  parseIdValue,
  parseInteger,
  parseKey,
  parseNumber,
  parsePhone,
  parseText,
  parseYear,
  parseYesNo,
  rawText,
} from '../../src/normalize/values.js';

const utc = (y: number, m: number, d: number, h = 0) => new Date(Date.UTC(y, m - 1, d, h));

describe('parseDate', () => {
  it.each<[string, unknown, unknown]>([
    ['ISO', '2016-03-01', { y: 2016, m: 3, d: 1 }],
    ['slashes, no padding', '2016/3/1', { y: 2016, m: 3, d: 1 }],
    ['dots', '2016.03.01', { y: 2016, m: 3, d: 1 }],
    ['8 digits as text', '20160301', { y: 2016, m: 3, d: 1 }],
    ['Chinese full', '2016年3月1日', { y: 2016, m: 3, d: 1 }],
    ['Chinese with 号', '2016年3月1号', { y: 2016, m: 3, d: 1 }],
    ['Chinese month', '2016年3月', { y: 2016, m: 3 }],
    ['Chinese month padded', '2017年02月', { y: 2017, m: 2 }],
    ['Chinese year', '2016年', { y: 2016 }],
    ['year-month', '2016-03', { y: 2016, m: 3 }],
    ['year.month text', '2016.3', { y: 2016, m: 3 }],
    ['bare year text', '2016', { y: 2016 }],
    ['year with .0', '2016.0', { y: 2016 }],
    ['float-looking YYYYMMDD', '19900101.0', { y: 1990, m: 1, d: 1 }],
    ['full-width digits', '２０１６－０３－０１', { y: 2016, m: 3, d: 1 }],
    ['full-width Chinese', '２０１６年３月１日', { y: 2016, m: 3, d: 1 }],
    ['surrounding spaces', '  2016-03-01  ', { y: 2016, m: 3, d: 1 }],
    ['time appended', '2016/3/1 0:00:00', { y: 2016, m: 3, d: 1 }],
    ['ISO timestamp', '2016-03-01T00:00:00.000Z', { y: 2016, m: 3, d: 1 }],
    ['leap day', '2016-02-29', { y: 2016, m: 2, d: 29 }],
    ['serial as text', '42430', { y: 2016, m: 3, d: 1 }],
  ])('%s: %s', (_label, cell, expected) => {
    expect(parseDate(cell as string)).toEqual(expected);
  });

  it('reads numbers per SPEC §3.0: year, YYYYMMDD, else Excel serial', () => {
    expect(parseDate(2016)).toEqual({ y: 2016 });
    expect(parseDate(1900)).toEqual({ y: 1900 });
    expect(parseDate(2100)).toEqual({ y: 2100 });
    expect(parseDate(20160301)).toEqual({ y: 2016, m: 3, d: 1 });
    expect(parseDate(19900101.0)).toEqual({ y: 1990, m: 1, d: 1 });
    expect(parseDate(19000101)).toEqual({ y: 1900, m: 1, d: 1 });
    expect(parseDate(21001231)).toEqual({ y: 2100, m: 12, d: 31 });
    // 2101 is not a year, so it is a serial (1905-10-01)
    expect(parseDate(2101)).toEqual({ y: 1905, m: 10, d: 1 });
    expect(parseDate(1899)).toEqual({ y: 1905, m: 3, d: 13 });
    expect(parseDate(42430)).toEqual({ y: 2016, m: 3, d: 1 });
    expect(parseDate(43831)).toEqual({ y: 2020, m: 1, d: 1 });
  });

  it('an 8-digit number in the YYYYMMDD range must be a real date', () => {
    expect(parseDate(20190230)).toBe(UNREADABLE);
    expect(parseDate(20191301)).toBe(UNREADABLE);
    expect(parseDate('20190230')).toBe(UNREADABLE);
    // 8 digits outside the range are no serial either (beyond 9999-12-31)
    expect(parseDate(30000101)).toBe(UNREADABLE);
  });

  it('Excel serials follow the 1900 date system, incl. the fake 1900-02-29', () => {
    expect(fromExcelSerial(1)).toEqual({ y: 1900, m: 1, d: 1 });
    expect(fromExcelSerial(59)).toEqual({ y: 1900, m: 2, d: 28 });
    expect(fromExcelSerial(60)).toBe(UNREADABLE);
    expect(fromExcelSerial(61)).toEqual({ y: 1900, m: 3, d: 1 });
    expect(parseDate(60)).toBe(UNREADABLE);
    expect(parseDate(61)).toEqual({ y: 1900, m: 3, d: 1 });
    expect(fromExcelSerial(2958465)).toEqual({ y: 9999, m: 12, d: 31 });
    expect(fromExcelSerial(2958466)).toBe(UNREADABLE);
  });

  it('a serial with a time of day keeps the date only', () => {
    expect(parseDate(42430.75)).toEqual({ y: 2016, m: 3, d: 1 });
    expect(parseDate(42430.999)).toEqual({ y: 2016, m: 3, d: 1 });
    expect(parseDate('42430.5')).toEqual({ y: 2016, m: 3, d: 1 });
  });

  it('a 6-digit YYYYMM number is a month, not a 25th-century serial', () => {
    expect(parseDate(201603)).toEqual({ y: 2016, m: 3 });
    expect(parseDate('201603')).toEqual({ y: 2016, m: 3 });
    expect(parseDate(201613)).toEqual(fromExcelSerial(201613)); // not a month: serial per SPEC
    expect(parseYear(201906)).toBe(2019);
  });

  it('a float between 1900 and 2100 is not guessed as year.month', () => {
    expect(parseDate(2016.1)).toBe(UNREADABLE);
  });

  it('reads Date cells by their UTC calendar parts', () => {
    expect(parseDate(utc(2016, 3, 1))).toEqual({ y: 2016, m: 3, d: 1 });
    expect(parseDate(utc(1990, 12, 31, 23))).toEqual({ y: 1990, m: 12, d: 31 });
    expect(parseDate(new Date(NaN))).toBe(UNREADABLE);
  });

  it('empty never becomes 1900 or 1970', () => {
    for (const cell of [null, undefined, '', '   ', '\u3000', 0, '0', '-', '/', '0000-00-00', '0000-00-00 00:00:00']) {
      expect(parseDate(cell as never), JSON.stringify(cell)).toBeUndefined();
    }
    // Excel's 1900-01-00 (a zero in a date-formatted cell) arrives as 1899-12-30 / 1899-12-31
    expect(parseDate(utc(1899, 12, 30))).toBeUndefined();
    expect(parseDate(utc(1899, 12, 31))).toBeUndefined();
    expect(parseDate(utc(1850, 1, 1))).toBe(UNREADABLE);
  });

  it('impossible and garbage dates are unreadable, not shifted', () => {
    for (const cell of ['2019-02-30', '2019/13/01', '2017-02-29', '2016年2月30日', '2016年13月', '2016-00', 'abc', '去年', '2016-03-01-02', true, -5, '-42430']) {
      expect(parseDate(cell as never), String(cell)).toBe(UNREADABLE);
    }
  });

  it('Chinese bare year outside 1900–2100 is unreadable', () => {
    expect(parseDate('1800年')).toBe(UNREADABLE);
  });
});

describe('parseYear', () => {
  it.each<[unknown, unknown]>([
    [2019, 2019],
    [2019.0, 2019],
    ['2019', 2019],
    ['2019.0', 2019],
    ['2019年', 2019],
    ['2019年度', 2019],
    ['２０１９', 2019],
    ['2019-06-30', 2019],
    ['2019年6月', 2019],
    [20190630, 2019],
    [43646, 2019], // serial of 2019-06-30
    [utc(2019, 6, 30), 2019],
    ['2019.6', 2019],
    ['2019.12', 2019],
  ])('%s → %s', (cell, expected) => {
    expect(parseYear(cell as never)).toBe(expected);
  });

  it('empty and zero are empty; small numbers are not serials', () => {
    expect(parseYear(null)).toBeUndefined();
    expect(parseYear('')).toBeUndefined();
    expect(parseYear(0)).toBeUndefined();
    expect(parseYear('-')).toBeUndefined();
    expect(parseYear(19)).toBe(UNREADABLE);
    expect(parseYear('19')).toBe(UNREADABLE);
    expect(parseYear(19.5)).toBe(UNREADABLE);
    expect(parseYear('19.5')).toBe(UNREADABLE);
    expect(parseYear('2019.13')).toBe(UNREADABLE);
    expect(parseYear(2200)).toBe(UNREADABLE);
    expect(parseYear('十九年')).toBe(UNREADABLE);
    expect(parseYear(2019.5)).toBe(UNREADABLE);
  });
});

describe('parseYesNo', () => {
  const yes = ['是', 'Y', 'y', 'yes', 'YES', '√', '✓', '✔', '1', '1.0', '有', 'true', 'TRUE', '已', ' 是 ', 'Ｙ', '１'];
  const no = ['否', 'N', 'n', 'no', '×', '✗', '✘', 'x', 'X', '0', '0.0', '无', '無', '没有', 'false', 'FALSE', '未', '不是', 'Ｎ'];
  it.each(yes)('yes: %s', (s) => expect(parseYesNo(s)).toBe(true));
  it.each(no)('no: %s', (s) => expect(parseYesNo(s)).toBe(false));

  it('reads numeric and boolean cells', () => {
    expect(parseYesNo(1)).toBe(true);
    expect(parseYesNo(0)).toBe(false);
    expect(parseYesNo(true)).toBe(true);
    expect(parseYesNo(false)).toBe(false);
    expect(parseYesNo(2)).toBe(UNREADABLE);
  });

  it('inverse flips every form', () => {
    expect(parseYesNo('是', true)).toBe(false);
    expect(parseYesNo('否', true)).toBe(true);
    expect(parseYesNo(1, true)).toBe(false);
    expect(parseYesNo('×', true)).toBe(true);
    expect(parseYesNo('', true)).toBeUndefined();
    expect(parseYesNo('也许', true)).toBe(UNREADABLE);
  });

  it('empty vs unreadable', () => {
    expect(parseYesNo(null)).toBeUndefined();
    expect(parseYesNo('  ')).toBeUndefined();
    expect(parseYesNo('/')).toBeUndefined();
    expect(parseYesNo('不清楚')).toBe(UNREADABLE);
    expect(parseYesNo(utc(2016, 1, 1))).toBe(UNREADABLE);
  });
});

describe('parseNumber / parseInteger', () => {
  it.each<[unknown, number]>([
    ['1,234.5', 1234.5],
    ['1，234.5', 1234.5],
    ['１，２３４．５', 1234.5],
    [' 12 345 ', 12345],
    ['3500元', 3500],
    ['5人', 5],
    ['6月', 6],
    ['6个月', 6],
    ['-200', -200],
    ['+3', 3],
    ['.5', 0.5],
    ['1.5E3', 1500],
    [4200.25, 4200.25],
    [0, 0],
    ['0', 0],
  ])('%s → %s', (cell, expected) => {
    expect(parseNumber(cell as never)).toBe(expected);
  });

  it('placeholders are empty, words are unreadable', () => {
    for (const e of ['-', '/', '－', '／', '', '  ', null]) expect(parseNumber(e as never)).toBeUndefined();
    for (const b of ['约三千', '3500美元', 'abc', '1.2.3', '12-3', true, utc(2020, 1, 1)]) expect(parseNumber(b as never)).toBe(UNREADABLE);
    expect(parseNumber(Number.NaN)).toBe(UNREADABLE);
    expect(parseNumber(Infinity)).toBe(UNREADABLE);
  });

  it('a yuan field whose header says 万元 is converted to yuan', () => {
    expect(parseNumber(0.35, '万元')).toBe(3500);
    expect(parseNumber('1.2', '千元')).toBe(1200);
    expect(parseNumber(3500, '元')).toBe(3500);
  });

  it('integers must be whole', () => {
    expect(parseInteger('5')).toBe(5);
    expect(parseInteger(5.0)).toBe(5);
    expect(parseInteger('5.0')).toBe(5);
    expect(parseInteger('4人')).toBe(4);
    expect(parseInteger(5.5)).toBe(UNREADABLE);
    expect(parseInteger('五')).toBe(UNREADABLE);
    expect(parseInteger('')).toBeUndefined();
  });
});

describe('parseAmountWan', () => {
  it.each<[unknown, string | undefined, number]>([
    ['12.5万元', undefined, 12.5],
    ['12.5万', undefined, 12.5],
    ['1,250,000元', undefined, 125],
    ['1,250,000元', '万元', 125], // the cell's own unit wins over the header's
    ['12.5万元', '元', 12.5],
    [12.5, undefined, 12.5],
    [12.5, '万元', 12.5],
    [1250000, '元', 125],
    ['1250000', '元', 125],
    [12345, '元', 1.2345],
    ['３５０', undefined, 350],
    ['￥1,250,000元', undefined, 125],
    [5000, '千元', 500],
  ])('%s (header unit %s) → %s', (cell, unit, expected) => {
    expect(parseAmountWan(cell as never, unit)).toBe(expected);
  });

  it('unknown units and words are unreadable; placeholders empty', () => {
    expect(parseAmountWan('12.5美元')).toBe(UNREADABLE);
    expect(parseAmountWan('约十万')).toBe(UNREADABLE);
    expect(parseAmountWan('十万元')).toBe(UNREADABLE);
    expect(parseAmountWan(true)).toBe(UNREADABLE);
    expect(parseAmountWan('-')).toBeUndefined();
    expect(parseAmountWan('')).toBeUndefined();
  });
});

describe('parseIdValue', () => {
  it('a numeric cell that lost digits: numericCell, raw as a spreadsheet shows it (15 significant digits)', () => {
    const n = 430524199001011234; // not representable: the float is 430524199001011264
    const v = parseIdValue(n)!;
    expect(v.numericCell).toBe(true);
    expect(v.scientific).toBe(false);
    expect(v.raw).toBe('430524199001011000');
    // LibreOffice stores the same cell as 4.30524199001011E+17: both read back alike
    expect(parseIdValue(4.30524199001011e17)!.raw).toBe(v.raw);
    // 15 digits or fewer stay exact (a legacy ID typed as a number)
    expect(parseIdValue(430524900101123)!.raw).toBe('430524900101123');
    expect(v.raw).not.toBe('430524199001011234');
    expect(v.text).toBe(v.raw);
    expect(v.raw).not.toMatch(/e/i);
  });

  it('a numeric cell in exponent form renders all digits', () => {
    const v = parseIdValue(4.30524e17)!;
    expect(v).toEqual({ raw: '430524000000000000', text: '430524000000000000', numericCell: true, scientific: false });
    // a 15-digit number fits a double exactly
    expect(parseIdValue(430524900101123)!.text).toBe('430524900101123');
  });

  it('scientific text is flagged and expanded', () => {
    const v = parseIdValue('4.30524E+17')!;
    expect(v.scientific).toBe(true);
    expect(v.numericCell).toBe(false);
    expect(v.raw).toBe('4.30524E+17');
    expect(v.text).toBe('430524000000000000');
    expect(parseIdValue('4.30524199001011e17')!.text).toBe('430524199001011000');
    expect(parseIdValue(' 4.30524e+17 ')!.scientific).toBe(true);
  });

  it('normalises text: trim, full-width, x → X, inner spaces, leading apostrophe', () => {
    expect(parseIdValue(' 43052419900101123x ')!.text).toBe('43052419900101123X');
    expect(parseIdValue('４３０５２４１９９００１０１１２３Ｘ')!.text).toBe('43052419900101123X');
    expect(parseIdValue('430524 19900101 123X')!.text).toBe('43052419900101123X');
    expect(parseIdValue("'430524199001011234")!.text).toBe('430524199001011234');
    expect(parseIdValue('\u3000430524199001011234\u3000')!.text).toBe('430524199001011234');
    const v = parseIdValue(' 43052419900101123x ')!;
    expect(v.raw).toBe(' 43052419900101123x ');
    expect(v.numericCell).toBe(false);
    expect(v.scientific).toBe(false);
  });

  it('keeps 15-digit and 20/22-character 残疾人证 numbers as text', () => {
    expect(parseIdValue('430524900101123')!.text).toBe('430524900101123');
    expect(parseIdValue('43052419900101123X42')!.text).toBe('43052419900101123X42');
    expect(parseIdValue('43052419900101123x4201')!.text).toBe('43052419900101123X4201');
    expect(parseIdValue('999999')!.text).toBe('999999');
  });

  it('empty is undefined', () => {
    expect(parseIdValue(null)).toBeUndefined();
    expect(parseIdValue('  ')).toBeUndefined();
    expect(parseIdValue("'")).toBeUndefined();
  });
});

describe('expandScientific', () => {
  it('expands exactly or refuses', () => {
    expect(expandScientific('1.5E3')).toBe('1500');
    expect(expandScientific('1E0')).toBe('1');
    expect(expandScientific('1.25E1')).toBeUndefined();
    expect(expandScientific('4.30524E+17')).toBe('430524000000000000');
    expect(expandScientific('12345')).toBeUndefined();
  });

  it('refuses a huge exponent typed into a cell (was: a billion zeros, a RangeError that lost the file) and keeps the text', () => {
    expect(expandScientific('1E999999999')).toBeUndefined();
    expect(expandScientific('1E401')).toBeUndefined();
    // every double still expands (integerText of a numeric cell)
    expect(expandScientific((1.7976931348623157e308).toPrecision(15))).toMatch(/^179769313486232\d{294}$/);
    expect(parsePhone('1E999999999')).toBe('1E999999999');
    expect(parseKey('1E999999999')).toBe('1E999999999');
    expect(parseIdValue('1E99999999')).toEqual({ raw: '1E99999999', text: '1E99999999', numericCell: false, scientific: true });
  });
});

describe('parsePhone / parseKey / parseText / parseDoc', () => {
  it('phones', () => {
    expect(parsePhone('13800000000.0')).toBe('13800000000');
    expect(parsePhone(13800000000)).toBe('13800000000');
    expect(parsePhone('138 0000 0000')).toBe('13800000000');
    expect(parsePhone('１３８００００００００')).toBe('13800000000');
    expect(parsePhone('+86 13800000000')).toBe('13800000000');
    expect(parsePhone('1.38E+10')).toBe('13800000000');
    expect(parsePhone('0731-8888888')).toBe('07318888888');
    expect(parsePhone('')).toBeUndefined();
  });

  it('phones with dashes or brackets read like phones with spaces', () => {
    expect(parsePhone('138-0000-0001')).toBe('13800000001');
    expect(parsePhone('138－0000－0001')).toBe('13800000001');
    expect(parsePhone('138—0000—0001')).toBe('13800000001');
    expect(parsePhone('(138)00000001')).toBe('13800000001');
    expect(parsePhone('（0731）1234567')).toBe('07311234567');
    expect(parsePhone('+86-138-0000-0001')).toBe('13800000001');
    expect(parsePhone('(+86)138 0000 0001')).toBe('13800000001');
    expect(parsePhone('0086 138-0000-0001')).toBe('13800000001');
    expect(parsePhone('--')).toBeUndefined();
  });

  it('keys', () => {
    expect(parseKey(4305240101001)).toBe('4305240101001');
    expect(parseKey(4.305240101001e12)).toBe('4305240101001');
    expect(parseKey('4305240101001.0')).toBe('4305240101001');
    expect(parseKey(' Ｐ２０１９－００１ ')).toBe('P2019-001');
    expect(parseKey('4.305240101E+12')).toBe('4305240101000');
    expect(parseKey("'0012")).toBe('0012');
    expect(parseKey('')).toBeUndefined();
  });

  it('text is kept as written apart from trimming', () => {
    expect(parseText(' 張三 ')).toBe('張三');
    expect(parseText('ＡＢ')).toBe('ＡＢ');
    expect(parseText(123)).toBe('123');
    expect(parseText(' ')).toBeUndefined();
  });

  it('documents', () => {
    expect(parseDoc('湘财农指〔2019〕12号')).toBe('湘财农指〔2019〕12号');
    for (const s of ['否', '无', 'N', '×', '无 ', 0, false]) expect(parseDoc(s as never)).toBe(false);
    expect(parseDoc('是')).toBe('是');
    expect(parseDoc('有')).toBe('是');
    expect(parseDoc(true)).toBe('是');
    expect(parseDoc('')).toBeUndefined();
  });
});

describe('helpers', () => {
  it('rawText renders cells for bad[] without exponent or time', () => {
    expect(rawText(4.30524e17)).toBe('430524000000000000');
    expect(rawText(utc(2016, 3, 1))).toBe('2016-03-01');
    expect(rawText(1.5)).toBe('1.5');
    expect(rawText(true)).toBe('TRUE');
    expect(rawText(null)).toBe('');
  });

  it('isEmptyCell', () => {
    expect(isEmptyCell(null)).toBe(true);
    expect(isEmptyCell(' \u3000')).toBe(true);
    expect(isEmptyCell(0)).toBe(false);
    expect(isEmptyCell('x')).toBe(false);
  });
});

describe('review fixes', () => {
  it('至今 / 今 / 现在 in a date field means no end (empty), not an unreadable date', async () => {
    const { parseDate } = await import('../../src/normalize/values.js');
    for (const t of ['至今', '今', '现在', ' 至今 ']) expect(parseDate(t)).toBeUndefined();
    expect(parseDate('2016年3月')).toEqual({ y: 2016, m: 3 });
  });

  it('thousands separators must group by three', async () => {
    const { parseNumber, parseAmountWan, UNREADABLE } = await import('../../src/normalize/values.js');
    expect(parseNumber('1,250,000')).toBe(1250000);
    expect(parseNumber('3,218.5元')).toBe(3218.5);
    expect(parseNumber('6,5')).toBe(UNREADABLE);
    expect(parseNumber('6500,50')).toBe(UNREADABLE);
    expect(parseAmountWan('1,250,000元')).toBe(125);
  });
});

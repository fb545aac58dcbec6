import { describe, expect, it } from 'vitest';
import { sniffFormat } from './sniff-format.js';

const ROWS = [
  ['25/08/2021 09:00', 'Leeds', 'Ann Example', 'Large Latte - 2.45, Regular Tea - 1.50', '3.95', 'CARD', '4111111111111111'],
  ['25/08/2021 09:01', 'Leeds', 'Bo Example', 'Large Latte - 2.45', '2.45', 'CASH', ''],
  ['25/08/2021 09:02', 'Leeds', 'Cy Example', 'Regular Tea - 1.50', '1.50', 'CASH', ''],
];

/** The rows written in a dialect: separator, quote (only where needed), decimal commas, and per-line wrapping. */
function written(delimiter: string, options: { quote?: string; decimalComma?: boolean; wrap?: (line: string, index: number) => string } = {}) {
  const quote = options.quote ?? '"';
  const field = (text: string) => (text.includes(delimiter) || text.includes(quote) ? `${quote}${text.replaceAll(quote, quote + quote)}${quote}` : text);
  return ROWS.map((row) => row.map((text, column) => (options.decimalComma && column === 4 ? text.replace('.', ',') : text)).map(field).join(delimiter))
    .map(options.wrap ?? ((line) => line))
    .join('\n');
}

describe('Function: sniffFormat', () => {
  it.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
    ['|', 'pipe'],
  ])('finds the separator %j', (delimiter, name) => {
    // Act
    const sniffed = sniffFormat(`${written(delimiter)}\n`, true);
    // Assess
    expect(sniffed).toEqual({ ok: true, format: { layout: 'standard', dialect: { delimiter: name, quote: 'double', decimalComma: false, rowNumbers: false, trailingColumn: false } } });
  });

  it('finds decimal commas where the separator is not a comma', () => {
    expect(sniffFormat(written(';', { decimalComma: true }), true)).toMatchObject({ ok: true, format: { dialect: { delimiter: 'semicolon', decimalComma: true } } });
  });

  it('finds the single quote when it quotes fields, and not for an apostrophe in a name', () => {
    expect(sniffFormat(written(',', { quote: "'" }), true)).toMatchObject({ format: { dialect: { quote: 'single' } } });
    expect(sniffFormat(written(',').replace('Bo Example', "Bo O'Example"), true)).toMatchObject({ format: { dialect: { quote: 'double' } } });
    // A tie (no quoted field holds the separator): fields wrapped in ' decide.
    expect(sniffFormat(written(';', { quote: "'" }).replace('Bo Example', "'Bo O''Example'"), true)).toMatchObject({ format: { dialect: { quote: 'single' } } });
  });

  it('finds a trailing empty column and a row-number column only when most rows have them', () => {
    // Prepare
    const trailing = written(',', { wrap: (line) => `${line},` });
    const numbered = `,Date,Branch,Name,Items,Total,Payment,Card\n${written(',', { wrap: (line, index) => `${index},${line}` })}`;
    const oneDamaged = written(',', { wrap: (line, index) => (index === 1 ? `${line},` : line) });
    // Act / Assess
    expect(sniffFormat(trailing, true)).toMatchObject({ format: { dialect: { trailingColumn: true, rowNumbers: false } } });
    expect(sniffFormat(numbered, true)).toMatchObject({ format: { dialect: { trailingColumn: false, rowNumbers: true } } });
    expect(sniffFormat(oneDamaged, true)).toMatchObject({ format: { dialect: { trailingColumn: false, rowNumbers: false } } });
  });

  it("prefers the separator of Excel's sep= line on a tie", () => {
    // Prepare: single-item rows without commas or semicolons in them read alike either way.
    const text = 'sep=;\n25/08/2021 09:01;Leeds;Bo;Large Latte - 2.45;2.45;CASH;\n';
    // Act / Assess
    expect(sniffFormat(text, true)).toMatchObject({ format: { dialect: { delimiter: 'semicolon' } } });
  });

  it('recognises the legacy 2021 layout by its payment column', () => {
    const text = '2021-02-23 09:00:48,Isle of Wight,Morgan,"Large,Hot chocolate,2.9",CASH,2.90,None\n';
    expect(sniffFormat(text, true)).toMatchObject({ format: { layout: 'legacy-2021' } });
  });

  it("recognises the 2020 Generation export by an item whose size slot is blank, quoted or after two blanks", () => {
    const quotedFirst = '11/10/2020 08:12,Aberdeen,Beth," Speciality Tea - Camomile - 1.30, Regular Filter coffee - 1.50",2.80,CASH,\n';
    const afterTwoBlanks = '11/10/2020 08:13;Aberdeen;Cal;Large Latte - 2.45,  Iced latte - 2.35;4.80;CASH;\n';
    expect(sniffFormat(quotedFirst, true)).toMatchObject({ format: { layout: 'gen-2020' } });
    expect(sniffFormat(afterTwoBlanks, true)).toMatchObject({ format: { layout: 'gen-2020' } });
    // Spaces around the fields of a standard file are not the mark.
    expect(sniffFormat(written(',', { wrap: (line) => line.replaceAll(',', ' , ') }), true)).toMatchObject({ format: { layout: 'standard' } });
  });

  it('finds the mark past the lines it parses, anywhere in the sample', () => {
    const sample = `${written(',')}\n`.repeat(20) + '11/10/2020 08:12,Aberdeen,Beth," Speciality Tea - Camomile - 1.30",1.30,CASH,\n';
    expect(sniffFormat(sample, true)).toMatchObject({ format: { layout: 'gen-2020' } });
  });

  it('says it cannot read sale rows that no separator splits into seven columns', () => {
    expect(sniffFormat(written('#'), true)).toEqual({ ok: false });
    expect(sniffFormat(ROWS.slice(1).map((row) => row.slice(0, 6).join(',')).join('\n'), true)).toEqual({ ok: false });
  });

  it('reads a sample with nothing sale-like (empty, blank, a header) as a standard comma file', () => {
    for (const text of ['', '\n\n  \n', 'Date,Branch,Name,Items,Total,Payment,Card\n', 'Just a note\n']) {
      expect(sniffFormat(text, true)).toMatchObject({ ok: true, format: { layout: 'standard', dialect: { delimiter: 'comma' } } });
    }
  });

  it('sniffs whole lines only: a line cut off at the end of an incomplete sample is not read', () => {
    const sample = `${written(';')}\n25/08/2021 09:03,Leeds,Cut`;
    expect(sniffFormat(sample, false)).toMatchObject({ format: { dialect: { delimiter: 'semicolon' } } });
  });

  it('reads past the first twelve lines when they hold no row', () => {
    // Prepare: twelve title lines, then semicolon rows.
    const sample = `${'Super Cafe till export\n'.repeat(12)}${written(';')}\n`;
    // Act / Assess
    expect(sniffFormat(sample, true)).toMatchObject({ ok: true, format: { dialect: { delimiter: 'semicolon' } } });
  });

  it('reads past the first twelve lines when they hold column names only', () => {
    // Prepare: twelve comma headers (files joined end to end), then semicolon rows with no comma in them.
    const header = 'Date,Branch,Name,Items,Total,Payment,Card\n'.repeat(12);
    const rows = `${written(';').split('\n').slice(1).join('\n')}\n`.repeat(3);
    // Act / Assess
    expect(sniffFormat(`${header}${rows}`, true)).toMatchObject({ ok: true, format: { dialect: { delimiter: 'semicolon' } } });
  });

  it('reads a line cut off at the end of a sample only when the sample is the whole file', () => {
    const row = '25/08/2021 09:00,Leeds,Ann Example,Large Latte - 2.45,2.45,CASH';
    // A whole file whose one line lacks a column: sale-like, unreadable.
    expect(sniffFormat(row, true)).toEqual({ ok: false });
    // The start of a larger file, no line end yet: nothing whole to go by.
    expect(sniffFormat(row, false)).toMatchObject({ ok: true, format: { dialect: { delimiter: 'comma' } } });
  });

  it('stops at the fiftieth line when the first twelve do not settle it', () => {
    // Prepare: a note, then 49 six-column rows (one field short), then good semicolon rows the sniffer must not see.
    const short = '25/08/2021 09:00,Leeds,Ann Example,Large Latte - 2.45,2.45,CASH\n';
    const sample = `Note\n${short.repeat(49)}${written(';')}\n`;
    // Act / Assess
    expect(sniffFormat(sample, true)).toEqual({ ok: false });
    expect(sniffFormat(`Note\n${short.repeat(48)}${written(';')}\n`, true)).toMatchObject({ ok: true, format: { dialect: { delimiter: 'semicolon' } } });
  });

  it.each([
    ['a tab', '\t', 'tab'],
    ['a pipe', '|', 'pipe'],
    ['a semicolon', ';', 'semicolon'],
  ])('finds the single quote with %s as the separator', (_name, delimiter, name) => {
    // Prepare: a name holding the separator, quoted with '.
    const text = written(delimiter, { quote: "'" }).replace('Bo Example', `Bo${delimiter} Example`);
    const quoted = text.replace(`Bo${delimiter} Example`, `'Bo${delimiter} Example'`);
    // Act / Assess
    expect(sniffFormat(quoted, true)).toMatchObject({ format: { dialect: { delimiter: name, quote: 'single' } } });
  });

  it("reads Excel's sep= hint in any case, with blanks after it", () => {
    const text = 'SEP=; \n25/08/2021 09:01;Leeds;Bo;Large Latte - 2.45;2.45;CASH;\n';
    expect(sniffFormat(text, true)).toMatchObject({ format: { dialect: { delimiter: 'semicolon' } } });
    // A hint alone on the first line, no line end.
    expect(sniffFormat('sep=;', true)).toMatchObject({ ok: true, format: { dialect: { delimiter: 'comma' } } });
  });

  it('finds decimal commas in the total column of the layout, never in a comma file', () => {
    // A comma file quoting its total as "2,45" has the comma as its separator: the contract rejects those totals.
    const quotedComma = written(',', { decimalComma: true });
    expect(quotedComma).toContain('"3,95"');
    expect(sniffFormat(quotedComma, true)).toMatchObject({ format: { dialect: { delimiter: 'comma', decimalComma: false } } });
    // Legacy 2021 keeps the total sixth: a decimal comma there counts, one in the fifth (payment) column cannot occur.
    const legacy = '2021-02-23 09:00:48;Isle of Wight;Morgan;Large,Hot chocolate,2.9;CASH;2,90;None\n';
    expect(sniffFormat(legacy, true)).toMatchObject({ format: { layout: 'legacy-2021', dialect: { delimiter: 'semicolon', decimalComma: true } } });
    const legacyPoint = '2021-02-23 09:00:48;Isle of Wight;Morgan;Large,Hot chocolate,2.9;CASH;2.90;None\n';
    expect(sniffFormat(legacyPoint, true)).toMatchObject({ format: { dialect: { decimalComma: false } } });
  });

  it('takes a habit only when more sale rows have it than lack it', () => {
    // Prepare: two rows of eight columns and two of seven, in either habit.
    const lines = written(',').split('\n');
    const evenTrailing = [`${lines[0]},`, `${lines[1]},`, lines[2], lines[2]?.replace('09:02', '09:03')].join('\n');
    const evenNumbered = [`1,${lines[0]}`, `2,${lines[1]}`, lines[2], lines[2]?.replace('09:02', '09:03')].join('\n');
    const bothHabits = written(',', { wrap: (line, index) => `${index + 1},${line},` });
    // Act / Assess
    expect(sniffFormat(evenTrailing, true)).toMatchObject({ format: { dialect: { trailingColumn: false, rowNumbers: false } } });
    expect(sniffFormat(evenNumbered, true)).toMatchObject({ format: { dialect: { trailingColumn: false, rowNumbers: false } } });
    expect(sniffFormat(bothHabits, true)).toMatchObject({ format: { dialect: { trailingColumn: true, rowNumbers: true } } });
  });

  it('reads an eighth column that is not empty, or a first that is not a number, as no habit', () => {
    const lines = written(',').split('\n');
    expect(sniffFormat(lines.map((line) => `${line},x`).join('\n'), true)).toEqual({ ok: false });
    expect(sniffFormat(lines.map((line) => `n,${line}`).join('\n'), true)).toEqual({ ok: false });
    expect(sniffFormat(lines.map((line) => `1,${line},x`).join('\n'), true)).toEqual({ ok: false });
  });

  it.each([
    ['one blank after the comma', '25/08/2021 09:00,Leeds,Ann,"Large Latte - 2.45, Iced latte - 2.35",4.80,CASH,', 'standard'],
    ['two blanks before a size word', '25/08/2021 09:00,Leeds,Ann,"Regular Tea - 1.50,  Large Latte - 2.45",3.95,CASH,', 'standard'],
    ['two blanks before a lower-case size word', '25/08/2021 09:00,Leeds,Ann,"Regular Tea - 1.50,  regular Latte - 2.45",3.95,CASH,', 'standard'],
    ['two blanks before a word that starts like a size', '25/08/2021 09:00,Leeds,Ann,"Regular Tea - 1.50,  Largest Latte - 2.45",3.95,CASH,', 'gen-2020'],
    ['a single quote and a blank before an item', "25/08/2021 09:00;Leeds;Ann;' Iced latte - 2.35';2.35;CASH;", 'gen-2020'],
    ['a double quote, a blank and a size word', '25/08/2021 09:00,Leeds,Ann," Large Latte - 2.45",2.45,CASH,', 'standard'],
  ])('reads the 2020 mark by its blank size slot: %s → %s', (_name, line, layout) => {
    expect(sniffFormat(`${line}\n`, true)).toMatchObject({ ok: true, format: { layout } });
  });

  it.each([
    ['two blanks after a comma', ',  Iced latte - 2.35', 'gen-2020'],
    ['one blank after a comma', ', Iced latte - 2.35', 'standard'],
    ['two blanks before a size word', ',  Large Latte - 2.45', 'standard'],
    ['two blanks before a word that starts like a size', ',  Largest Latte - 2.45', 'gen-2020'],
    ['an item priced with one decimal', ',  Iced latte - 2.3', 'standard'],
    ['an item priced in whole pounds', ',  Iced latte - 2', 'standard'],
    ['a double quote and a blank', '" Iced latte - 2.35"', 'gen-2020'],
    ['a single quote and a blank', "' Iced latte - 2.35'", 'gen-2020'],
    ['a quote and no blank', '"Iced latte - 2.35"', 'standard'],
    ['a digit where the name starts', ',  2 Iced latte - 2.35', 'standard'],
    ['a separator inside the name', ',  Iced;latte - 2.35', 'standard'],
  ])('finds the 2020 mark in a line it does not read as a row: %s → %s', (_name, item, layout) => {
    // Prepare: good standard rows, then a damaged line (six columns) holding the item.
    const damaged = `25/08/2021 09:05,Leeds,Ann,Regular Tea - 1.50${item},3.85,CASH`;
    // Act / Assess
    expect(sniffFormat(`${written(',')}\n${damaged}\n`, true)).toMatchObject({ ok: true, format: { layout } });
  });

  it('takes the legacy layout from the first sale row only', () => {
    const legacy = '2021-02-23 09:00:48,Isle of Wight,Morgan,"Large,Hot chocolate,2.9",CASH,2.90,None';
    expect(sniffFormat(`${written(',')}\n${legacy}\n`, true)).toMatchObject({ format: { layout: 'standard' } });
    expect(sniffFormat(`${legacy}\n${written(',')}\n`, true)).toMatchObject({ format: { layout: 'legacy-2021' } });
  });

  it('finds no decimal comma in a total with three decimals', () => {
    expect(sniffFormat(written(';').replace('3.95', '3,955'), true)).toMatchObject({ format: { dialect: { delimiter: 'semicolon', decimalComma: false } } });
  });

  describe('a tie between separators (rows that split into seven columns by both , and ;)', () => {
    // `D;1,2;3,4;…` is seven fields either way, a date first.
    const rows = Array.from({ length: 3 }, (_, index) => `25/08/2021 09:0${index};a,b;c,d;e,f;g,h;i,j;k,l`).join('\n');
    it.each([
      ['goes to the comma without a hint', rows, 'comma'],
      ["goes to the separator of Excel's sep= line", `sep=;\n${rows}`, 'semicolon'],
      ['goes to the hint whatever its case, with blanks after it', `SEP=; \n${rows}`, 'semicolon'],
      ['is not settled by a first line that only starts like a hint', `sep=;x\n${rows}`, 'comma'],
      ['does not go to the hint when another separator reads more lines as seven columns', 'sep=;\n25/08/2021 09:00,Leeds,Bo;Mo,Large Latte - 2.45,2.45,CASH,', 'comma'],
      ['goes to the separator that also reads a header as seven columns', `Date;Branch;Name;Items;Total;Payment;Card\n${rows}`, 'semicolon'],
    ])('%s', (_name, text, delimiter) => {
      expect(sniffFormat(`${text}\n`, true)).toMatchObject({ ok: true, format: { dialect: { delimiter } } });
    });
  });

  it('reads a file whose one row holds a stray quote as a comma file, for the row to be refused', () => {
    expect(sniffFormat('25/08/2021 09:00,Leeds,Bo "Bob" Example,Large Latte - 2.45,2.45,CASH,\n', true)).toMatchObject({ ok: true, format: { dialect: { delimiter: 'comma' } } });
  });

  it('reads past the first twelve lines when a note among them leaves them unsettled', () => {
    // Prepare: eleven notes and one comma row, then semicolon rows (no comma in them) that outvote it.
    const comma = '25/08/2021 09:00,Leeds,Ann,Large Latte - 2.45,2.45,CASH,';
    const semicolon = `${written(';').split('\n').slice(1).join('\n')}\n`.repeat(4);
    // Act / Assess
    expect(sniffFormat(`${'Note\n'.repeat(11)}${comma}\n${semicolon}`, true)).toMatchObject({ ok: true, format: { dialect: { delimiter: 'semicolon' } } });
  });

  it('takes row numbers of more than one digit', () => {
    const numbered = Array.from({ length: 12 }, (_, index) => `${index + 10},${written(',').split('\n')[1]}`).join('\n');
    expect(sniffFormat(numbered, true)).toMatchObject({ format: { dialect: { rowNumbers: true } } });
  });

  it.each([
    ['one blank slot among sized items', 'Regular Tea - 1.50,  Iced latte - 2.3', 'gen-2020'],
    ['a slot of several blanks', 'Regular Tea - 1.50,   Iced latte - 2.3', 'gen-2020'],
    ['sized items only', 'Regular Tea - 1.50, Large Latte - 2.3', 'standard'],
  ])('reads the 2020 mark in a row whose items the raw text does not show it for: %s', (_name, basket, layout) => {
    // Prices of one decimal: the raw-text mark wants two, so only the row's own items can tell.
    expect(sniffFormat(`25/08/2021 09:00,Leeds,Ann,"${basket}",3.80,CASH,\n`, true)).toMatchObject({ ok: true, format: { layout } });
  });

  it('finds decimal commas when some rows have them', () => {
    const text = `25/08/2021 09:00;Leeds;Ann;Large Latte - 2,45;2,45;CASH;\n25/08/2021 09:01;Leeds;Bo;Large Latte - 2.45;2.45;CASH;\n`;
    expect(sniffFormat(text, true)).toMatchObject({ format: { dialect: { decimalComma: true } } });
  });

  it.each([
    ['eight columns, the last not empty', (line: string) => `${line},x`],
    ['eight columns, the last empty, no date first', (line: string) => `n${line},`],
    ['nine columns, the last empty, no row number', (line: string) => `n,${line},`],
    ['nine columns, a row number, the last not empty', (line: string) => `5,${line},x`],
  ])('keeps the row-number habit of most rows against damaged rows of %s', (_name, damage) => {
    // Prepare: two numbered rows and three damaged ones; a damaged row is no vote for or against a habit.
    const lines = written(',').split('\n');
    const text = [...lines.slice(0, 2).map((line, index) => `${index + 1},${line}`), ...lines.map(damage)].join('\n');
    // Act / Assess
    expect(sniffFormat(text, true)).toMatchObject({ format: { dialect: { rowNumbers: true, trailingColumn: false } } });
  });

  it('counts a first column that only ends or starts with digits as no row number', () => {
    // Prepare: two good rows and three whose first column is not a number, with or without a trailing empty column.
    const lines = written(',').split('\n');
    const good = [lines[1], lines[2]];
    // Act / Assess
    for (const damage of [(line: string) => `n1,${line}`, (line: string) => `1n,${line}`, (line: string) => `n1,${line},`, (line: string) => `1n,${line},`]) {
      expect(sniffFormat([...good, ...lines.map(damage)].join('\n'), true)).toMatchObject({ ok: true, format: { dialect: { rowNumbers: false, trailingColumn: false } } });
    }
  });

  it('takes row numbers of more than one digit along with a trailing column', () => {
    const numbered = written(',', { wrap: (line, index) => `${index + 10},${line},` });
    expect(sniffFormat(numbered, true)).toMatchObject({ format: { dialect: { rowNumbers: true, trailingColumn: true } } });
  });

  it('counts no habit for rows of nine or ten columns that do not have both habits', () => {
    // Prepare: two good rows and three damaged ones: two empty columns after the row, or a row number and two after it.
    const lines = written(',').split('\n');
    const good = [lines[1], lines[2]];
    const twoEmpty = lines.map((line) => `${line},,`);
    const numberedTwoEmpty = lines.map((line, index) => `${index + 1},${line},,`);
    // Act / Assess
    for (const damaged of [twoEmpty, numberedTwoEmpty]) {
      expect(sniffFormat([...good, ...damaged].join('\n'), true)).toMatchObject({ ok: true, format: { dialect: { rowNumbers: false, trailingColumn: false } } });
    }
  });

  it('keeps the double quote on a tie when no field is wrapped in single quotes', () => {
    // Prepare: rows with no separator inside a field, so both quotes read them alike.
    const rows = written(',').split('\n').slice(1).join('\n');
    // Act / Assess: a last line opening a single quote it never closes, a name holding a quoted nickname, a note wrapped only at its start.
    expect(sniffFormat(`${rows}\n'end\n`, true)).toMatchObject({ format: { dialect: { quote: 'double' } } });
    expect(sniffFormat(`${rows.replace('Bo Example', "Bo 'B'")}\n'end\n`, true)).toMatchObject({ format: { dialect: { quote: 'double' } } });
    expect(sniffFormat(`${rows}\n'B' note\n`, true)).toMatchObject({ format: { dialect: { quote: 'double' } } });
  });

  it('keeps the double quote when the single quote reads fewer rows, whatever fields are wrapped in single quotes', () => {
    // Prepare: a name wrapped in single quotes, and a last row whose name opens a single quote it never closes.
    const text = `${written(',').replace('Cy Example', "'Cy'")}\n25/08/2021 09:03,Leeds,'Dee,Large Latte - 2.45,2.45,CASH,\n`;
    // Act / Assess
    expect(sniffFormat(text, true)).toMatchObject({ format: { dialect: { delimiter: 'comma', quote: 'double' } } });
  });

  it('tries the single quote only where one opens a field', () => {
    // A double-quoted field holding a single-quoted name: no field opens with a single quote.
    const lines = written(',').split('\n').slice(1);
    const text = lines.map((line) => line.replace(/(Bo|Cy) Example/, `"'$1'"`)).join('\n');
    expect(sniffFormat(`${text}\n`, true)).toMatchObject({ format: { dialect: { quote: 'double' } } });
  });

  it('finds a single quote opening the first field of any line', () => {
    // Prepare: a header, then rows whose date alone is quoted with '.
    const rows = written(',').split('\n').slice(1).map((line) => line.replace(/^([^,]+)/, "'$1'"));
    const text = rows.map((row) => `Date,Branch,Name,Items,Total,Payment,Card\n${row}\n`).join('');
    // Act / Assess
    expect(sniffFormat(text, true)).toMatchObject({ format: { dialect: { quote: 'single' } } });
  });

  it('stops at the twelfth line when every line read so far is a header or a row', () => {
    // Prepare: a header and eleven comma rows, then semicolon rows (no comma in them) that would outvote them.
    const comma = written(',').split('\n')[1];
    const semicolon = `${written(';').split('\n').slice(1).join('\n')}\n`.repeat(15);
    const text = `Date,Branch,Name,Items,Total,Payment,Card\n${`${comma}\n`.repeat(11)}${semicolon}`;
    // Act / Assess
    expect(sniffFormat(text, true)).toMatchObject({ ok: true, format: { dialect: { delimiter: 'comma' } } });
  });

  it('counts an empty first line among the fifty it reads', () => {
    const short = '25/08/2021 09:00,Leeds,Ann Example,Large Latte - 2.45,2.45,CASH\n';
    expect(sniffFormat(`\n${short.repeat(49)}${written(';')}\n`, true)).toEqual({ ok: false });
    expect(sniffFormat(`N\n${short.repeat(49)}${written(';')}\n`, true)).toEqual({ ok: false });
  });
});

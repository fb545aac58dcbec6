import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_STANDARD_DIR, SAMPLE_VARIANTS_DIR } from '../../samples/paths.js';
import { SHARED_ORIGINALS } from '../../test/helpers/shared-corpus.js';
import { Anonymiser } from './anonymise-csv.js';

// Every name and number here is invented for the test.
const STANDARD = [
  '25/08/2021 09:00,Chesterfield,Quentin Fakename,"Regular Latte - 2.15, Large Latte - 2.45",4.6,CARD,5494000011112222',
  '25/08/2021 09:02,Chesterfield,Wilma Testperson,Regular Latte - 2.15,2.15,CASH,',
  '',
].join('\n');

const fresh = () => new Anonymiser({ key: 'test-key' });

describe('Class: Anonymiser', () => {
  it('replaces the name and card of every data line and keeps every other field', () => {
    // Act
    const output = fresh().file(STANDARD);
    // Assess
    expect(output).not.toContain('Quentin');
    expect(output).not.toContain('Testperson');
    expect(output).not.toContain('5494000011112222');
    const [first, second] = output.split('\n').map((line) => line.split(','));
    expect(first?.slice(0, 2)).toEqual(['25/08/2021 09:00', 'Chesterfield']);
    expect(first?.slice(3)).toEqual(['"Regular Latte - 2.15', ' Large Latte - 2.45"', '4.6', 'CARD', expect.stringMatching(/^5494\d{12}$/)]);
    expect(second?.slice(3)).toEqual(['Regular Latte - 2.15', '2.15', 'CASH', '']);
    expect(output.endsWith('\n')).toBe(true);
  });

  it('gives the same invented name to the same customer in every file of a run, and different ones to different customers', () => {
    // Prepare
    const anonymiser = fresh();
    // Act
    const a = anonymiser.file(STANDARD).split('\n')[0]?.split(',')[2];
    const b = anonymiser.file(STANDARD.replace('09:00', '10:00')).split('\n')[0]?.split(',')[2];
    const other = anonymiser.name('Somebody Else');
    // Assess
    expect(a).toBe(b);
    expect(other).not.toBe(a);
    expect(fresh().file(STANDARD)).toBe(fresh().file(STANDARD));
  });

  it('never gives one invented name to two real ones', () => {
    // Prepare
    const anonymiser = fresh();
    // Act
    const names = new Set(Array.from({ length: 20_000 }, (_, index) => anonymiser.name(`Person Number${index}`)));
    // Assess
    expect(names.size).toBe(20_000);
    expect([...names].every((name) => name.length <= 21)).toBe(true);
  });

  it('keeps CRLF, bare CR and header lines as they were', () => {
    // Prepare
    const text = 'Timestamp,Location,Customer Name,Items,Total,Payment,Card\r\n25/08/2021 09:00,Leeds,Quentin Fakename,Regular Latte - 2.15,2.15,CASH,\r25/08/2021 09:01,Leeds,Wilma Testperson,Regular Latte - 2.15,2.15,CASH,\r\n';
    // Act
    const output = fresh().file(text);
    // Assess
    expect(output.split(/\r\n|\r/)[0]).toBe('Timestamp,Location,Customer Name,Items,Total,Payment,Card');
    expect(output.match(/\r\n/g)).toHaveLength(2);
    expect(output.match(/\r(?!\n)/g)).toHaveLength(1);
    expect(output).not.toMatch(/Quentin|Wilma/);
  });

  it('keeps a fixed-width column as wide as it was', () => {
    // Prepare
    const line = '25/08/2021 09:00 ,Chesterfield ,Quentin Fakename      ,"Regular Latte - 2.15"   ,2.15  ,CASH ,';
    // Act
    const output = fresh().file(line);
    // Assess
    expect(output).toHaveLength(line.length);
    expect(output.split(',')[2]).toHaveLength('Quentin Fakename      '.length);
    expect(output.split(',')[2]).toMatch(/^\S+ \S+ +$/);
  });

  it.each([
    ['scientific notation keeps its significant digits and first four', '5.49E+15', /^5\.49E\+15$/],
    ['six significant digits keep four, invent two', '7.92528E+15', /^7\.925\d\dE\+15$/],
    ['a pandas float is the float the invented digits round to', '9557000011112223.0', /^9557\d{12}\.0$/],
    ['legacy "type,number" keeps its type and length', '"discover,6011000011112222"', /^"discover,6011\d{12}"$/],
    ['legacy None stays None', 'None', /^None$/],
  ])('reproduces the card damage: %s', (_, card, expected) => {
    // Act
    const output = fresh().file(`2021-02-23 09:00:48,Isle of Wight,Quentin Fakename,"Large,Latte,2.45",CARD,2.45,${card}`);
    // Assess
    const field = output.slice(output.lastIndexOf(',', output.endsWith('"') ? output.lastIndexOf(',') - 1 : undefined) + 1);
    expect(field).toMatch(expected);
    if (card.endsWith('.0')) expect(Number(field) % 1).toBe(0);
  });
});

describe('The committed samples', () => {
  const files = [SAMPLE_STANDARD_DIR, SAMPLE_VARIANTS_DIR].flatMap((dir) => readdirSync(dir).filter((name) => name.endsWith('.csv')).map((name) => join(dir, name)));

  it('hold the standard files and one of each other layout', () => {
    expect(readdirSync(SAMPLE_STANDARD_DIR).filter((name) => name.endsWith('.csv'))).toHaveLength(20);
    expect(readdirSync(SAMPLE_VARIANTS_DIR)).toEqual(expect.arrayContaining(['crlf.csv', 'padded.csv', 'legacy-2021.csv', 'sci-notation-card.csv', 'pandas-float-card.csv']));
  });

  // Only where the public originals are at hand: no original name or card survives anonymisation.
  it.skipIf(!SHARED_ORIGINALS)('contain no name or card number of the originals', () => {
    const originals = SHARED_ORIGINALS as string;
    const secrets = new Set<string>();
    for (const dir of ['real', 'variants']) {
      for (const name of readdirSync(join(originals, dir)).filter((file) => file.endsWith('.csv'))) {
        for (const line of readFileSync(join(originals, dir, name), 'latin1').split(/\r?\n/)) {
          const fields = line.split(',');
          if (!/^\s*\d/.test(line) || fields.length < 7) continue;
          secrets.add((fields[2] as string).trim());
          const card = (fields.at(-1) as string).replace(/\D/g, '');
          if (card.length >= 12) secrets.add(card);
        }
      }
    }
    const leaked = files.filter((file) => {
      const text = readFileSync(file, 'latin1');
      return [...secrets].some((secret) => text.includes(secret));
    });
    expect(leaked).toEqual([]);
  });
});

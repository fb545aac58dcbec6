import { describe, expect, it } from 'vitest';
import { summarise, summaryMarkdown, survivorsMarkdown } from './summarise-report.js';

const mutant = (id: string, status: string, mutatorName = 'ConditionalExpression') => ({ id, status, mutatorName, location: { start: { line: 1, column: 1 } } });

describe('Function: summarise', () => {
  it('scores detected (killed, timed out) against undetected (survived, not covered), leaving out compile errors and ignored mutants', () => {
    // Prepare
    const report = {
      files: {
        'contracts/a.ts': { mutants: [mutant('1', 'Killed'), mutant('2', 'Timeout'), mutant('3', 'Survived', 'StringLiteral'), mutant('4', 'CompileError')] },
        'producers/csv-ingest/b.ts': { mutants: [mutant('5', 'Killed'), mutant('6', 'NoCoverage', 'StringLiteral'), mutant('7', 'Ignored')] },
        'producers/shared/c.ts': { mutants: [mutant('8', 'Killed')] },
      },
    };
    // Act
    const summary = summarise(report);
    // Assess
    expect(summary).toMatchObject({ detected: 4, undetected: 2, score: 4 / 6 });
    expect(summary.byFolder).toEqual([
      { folder: 'contracts', detected: 2, undetected: 1 },
      { folder: 'producers/csv-ingest', detected: 1, undetected: 1 },
      { folder: 'producers/shared', detected: 1, undetected: 0 },
    ]);
    expect(summary.byFile).toEqual([
      { file: 'contracts/a.ts', undetected: 1, total: 3 },
      { file: 'producers/csv-ingest/b.ts', undetected: 1, total: 2 },
    ]);
    expect(summary.byMutator).toEqual([{ mutator: 'StringLiteral', undetected: 2 }]);
    expect(summaryMarkdown(summary)).toContain('Mutation score **66.7 %**: 4 of 6 mutants detected');
  });

  it('lists the mutants a comment marked equivalent, with their reasons, apart from the static mutants ignoreStatic left out, and every undetected mutant', () => {
    // Prepare
    const report = {
      files: {
        'contracts/b.ts': {
          mutants: [
            { ...mutant('1', 'Ignored', 'EqualityOperator'), statusReason: 'length is never 0 | here', location: { start: { line: 9, column: 3 } } },
            { ...mutant('2', 'Ignored', 'ObjectLiteral'), statusReason: 'Static mutant (and "ignoreStatic" was enabled)' },
            { ...mutant('3', 'Survived', 'StringLiteral'), replacement: '""', location: { start: { line: 4, column: 1 } } },
          ],
        },
        'contracts/a.ts': { mutants: [{ ...mutant('4', 'NoCoverage', 'BlockStatement'), replacement: '{}', location: { start: { line: 7, column: 1 } } }] },
      },
    };
    // Act
    const summary = summarise(report);
    // Assess
    expect(summary.ignoredStatic).toBe(1);
    expect(summary.equivalents).toEqual([{ file: 'contracts/b.ts', line: 9, mutator: 'EqualityOperator', replacement: '', reason: 'length is never 0 | here' }]);
    expect(summary.survivors.map((row) => `${row.file}:${row.line} ${row.reason}`)).toEqual(['contracts/a.ts:7 NoCoverage', 'contracts/b.ts:4 Survived']);
    const markdown = summaryMarkdown(summary);
    expect(markdown).toContain('Static mutants left out (`ignoreStatic`): 1.');
    expect(markdown).toContain('| `contracts/b.ts:9` | EqualityOperator | length is never 0 \\| here |');
    expect(survivorsMarkdown(summary)).toContain('- `contracts/b.ts:4` StringLiteral (Survived): `""`');
  });

  it('says so when no mutant is marked equivalent', () => {
    expect(summaryMarkdown(summarise({ files: { 'contracts/a.ts': { mutants: [mutant('1', 'Killed')] } } }))).toContain('Equivalent mutants (0), each marked by a `Stryker disable` comment on its line:\n\nNone.');
  });

  it('refuses a document that is not a mutation report', () => {
    expect(() => summarise({ files: { 'a.ts': { mutants: [{ id: 1 }] } } })).toThrow();
  });
});

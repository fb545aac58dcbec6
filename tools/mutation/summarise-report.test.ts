import { describe, expect, it } from 'vitest';
import { summarise, summaryMarkdown } from './summarise-report.js';

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

  it('refuses a document that is not a mutation report', () => {
    expect(() => summarise({ files: { 'a.ts': { mutants: [{ id: 1 }] } } })).toThrow();
  });
});

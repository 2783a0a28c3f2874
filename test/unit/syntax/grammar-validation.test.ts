import { describe, expect, it } from 'vitest';
import { MatrixExprParser } from '../../../grammar/parser.js';
import { createMatrixExprLexer } from '../../../grammar/tokens.js';

// The process-wide lexer and parser skip Chevrotain's definition checks to start faster; the checks
// run here instead, so a grammar or token change that breaks them still fails the suite.
describe('the grammar passes Chevrotain’s own validations', () => {
  it('the lexer', () => {
    const lexer = createMatrixExprLexer({ validate: true });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
  });

  it('the parser', () => {
    expect(() => new MatrixExprParser({ validate: true })).not.toThrow();
    const parser = new MatrixExprParser({ validate: true });
    expect(parser.definitionErrors).toEqual([]);
  });
});

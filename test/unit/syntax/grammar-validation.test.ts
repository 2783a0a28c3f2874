import { describe, expect, it } from 'vitest';
import { MatrixExprParser } from '../../../grammar/parser.js';
import { createMatrixExprLexer, matrixExprLexer } from '../../../grammar/tokens.js';
import { listExamples } from '../../helpers/examples.js';

// The process-wide lexer and parser skip Chevrotain's definition checks to start faster; the checks
// run here instead, so a grammar or token change that breaks them still fails the suite.
describe('the grammar passes Chevrotain’s own validations', () => {
  it('the lexer', () => {
    const lexer = createMatrixExprLexer({ validate: true });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
  });

  it('the parser', () => {
    expect(() => new MatrixExprParser({ validate: true })).not.toThrow();
    // Chevrotain keeps the list on the parser without declaring it in its public type.
    const parser = new MatrixExprParser({ validate: true }) as unknown as { definitionErrors: unknown[] };
    expect(parser.definitionErrors).toEqual([]);
  });
});

// The process-wide lexer runs in Chevrotain's safe mode (no first-character optimisation, which
// costs start-up); it must produce exactly the tokens of the optimised, validated lexer.
describe('the start-up lexer tokenises like the optimised one', () => {
  const optimised = createMatrixExprLexer({ validate: true });
  const inputs = [
    ...listExamples(['notes', 'matrixcalculus', 'cookbook', 'ml', 'errors']).map((e) => e.expression),
    "a'*exp(X*b) + 1e-3 .^ 2 ./ y ⊙ z ⊘ w",
    'Y = σ(WX); ⟨Y, MY⟩ + ‖W₁x‖²_F − tr(X⁻¹) + X⁻ᵀ + Xᵀ + X^T + logdet(S) · 2',
    '‖x‖₁ + |x| + ?A + 𝟙 + θ_1 + W_12 \n x',
  ];
  it(`on ${inputs.length} inputs`, () => {
    const shape = (r: ReturnType<typeof optimised.tokenize>) => ({
      tokens: r.tokens.map((t) => [t.tokenType.name, t.image, t.startOffset]),
      errors: r.errors.map((e) => [e.offset, e.length]),
    });
    for (const text of inputs) expect(shape(matrixExprLexer.tokenize(text)), text).toEqual(shape(optimised.tokenize(text)));
  });
});

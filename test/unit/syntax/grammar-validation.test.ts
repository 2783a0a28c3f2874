import { describe, expect, it } from 'vitest';
import { MatrixExprParser } from '../../../grammar/parser.js';
import fc from 'fast-check';
import { Lexer } from '../../../grammar/chevrotain.js';
import { createMatrixExprLexer, lexedTokens, matrixExprLexer } from '../../../grammar/tokens.js';
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

// The process-wide lexer tries only the tokens each first character can start (the tokens' start_chars_hint);
// it must produce exactly the tokens of a lexer that tries every token in turn (Chevrotain's safe mode).
describe('the start-up lexer tokenises like one that tries every token', () => {
  const everyToken = createMatrixExprLexer({ safeMode: true });
  const shape = (r: ReturnType<typeof everyToken.tokenize>) => ({
    tokens: r.tokens.map((t) => [t.tokenType.name, t.image, t.startOffset, t.payload]),
    errors: r.errors.map((e) => [e.offset, e.length]),
  });
  const inputs = [
    ...listExamples(['notes', 'matrixcalculus', 'cookbook', 'ml', 'errors']).map((e) => e.expression),
    "a'*exp(X*b) + 1e-3 .^ 2 ./ y ⊙ z ⊘ w",
    'Y = σ(WX); ⟨Y, MY⟩ + ‖W₁x‖²_F − tr(X⁻¹) + X⁻ᵀ + Xᵀ + X^T + logdet(S) · 2',
    '‖x‖₁ + |x| + ?A + 𝟙 + θ_1 + W_12 \n x',
  ];
  it(`on ${inputs.length} inputs`, () => {
    for (const text of inputs) expect(shape(matrixExprLexer.tokenize(text)), text).toEqual(shape(everyToken.tokenize(text)));
  });

  // Every hinted character but the letters (a few stand for them), and characters no token starts with.
  const hinted = lexedTokens
    .filter((t) => t.name !== 'IdentifierRun')
    .flatMap((t) => (t.START_CHARS_HINT ?? []).map((c) => (typeof c === 'string' ? c : String.fromCharCode(c))));
  const alphabet = [...new Set([...hinted, 'x', 'T', 'é', 'σ', 'F', '"', '!', '%', '~', '\u2028', '\uDFD9', '\uDFCF'])];
  it('on random strings of every token’s first characters', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }), (chars) => {
        const text = chars.join('');
        expect(shape(matrixExprLexer.tokenize(text)), JSON.stringify(text)).toEqual(shape(everyToken.tokenize(text)));
      }),
      { numRuns: 3000, seed: 16 },
    );
  });

  // The hints must name every character Chevrotain's own analysis of the regular expression finds
  // (a lexer built from the tokens without their hints analyses them; its table is internal).
  it('the hints cover every first character of every pattern', () => {
    const unhinted = lexedTokens.map((t) => (t.PATTERN instanceof RegExp ? { ...t, START_CHARS_HINT: undefined } : t));
    type Table = { defaultMode: ({ tokenType: { name: string } }[] | undefined)[] };
    const table = (lexer: object) => (lexer as unknown as { charCodeToPatternIdxToConfig: Table }).charCodeToPatternIdxToConfig.defaultMode;
    const analysed = table(new Lexer(unhinted, { positionTracking: 'onlyOffset', skipValidations: true }));
    const ours = table(matrixExprLexer);
    expect(analysed.length).toBeGreaterThan(0);
    analysed.forEach((configs, index) => {
      const missing = (configs ?? []).map((c) => c.tokenType.name).filter((name) => !(ours[index] ?? []).some((c) => c.tokenType.name === name));
      expect(missing, `first-character index ${index}`).toEqual([]);
    });
  });
});

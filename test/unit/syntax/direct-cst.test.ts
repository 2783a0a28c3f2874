import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { CstNode, IToken } from '../../../grammar/chevrotain.js';
import { parseProgram } from '../../../src/syntax/parse.js';
import { ExprGen, VARIABLES } from '../../helpers/arbitraries.js';
import { listExamples } from '../../helpers/examples.js';
import { source } from './helpers.js';

// src/syntax/direct-cst.ts builds the CST of the streams that parse fine without Chevrotain. Every
// stream it is handed is also parsed by Chevrotain here: where it answers, Chevrotain must parse the
// stream without an error into the same tree (rule names, keys and their order, the same tokens).
const seen = vi.hoisted(() => ({ direct: 0, declined: 0, differences: [] as string[] }));

vi.mock('../../../src/syntax/direct-cst.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/syntax/direct-cst.js')>();
  const { matrixExprParser } = await import('../../../grammar/parser.js');
  const shown = (cst: CstNode): string => JSON.stringify(cst, (key, value: unknown) => (key === 'tokenType' ? (value as { name: string }).name : key === 'payload' ? undefined : value));
  const compared =
    (direct: (tokens: readonly IToken[]) => CstNode | undefined, rule: 'program' | 'expression' | 'atom') =>
    (tokens: readonly IToken[]): CstNode | undefined => {
      const tree = direct(tokens);
      if (tree === undefined) {
        seen.declined++;
        return tree;
      }
      seen.direct++;
      matrixExprParser.load([...tokens]);
      const reference = matrixExprParser[rule]();
      const errors = matrixExprParser.errors;
      if (errors.length > 0) seen.differences.push(`${rule} ${tokens.map((t) => t.image).join(' ')}: Chevrotain fails (${errors[0]!.message})`);
      else if (shown(reference) !== shown(tree)) seen.differences.push(`${rule} ${tokens.map((t) => t.image).join(' ')}:\n${shown(reference)}\n${shown(tree)}`);
      // Token payloads (a Group's Ast) are the same objects in both trees.
      return tree;
    };
  return {
    directProgram: compared(real.directProgram, 'program'),
    directExpression: compared(real.directExpression, 'expression'),
    directAtom: compared(real.directAtom, 'atom'),
  };
});

function parseAll(texts: readonly string[]): void {
  for (const text of texts) parseProgram(source(text));
}

describe('the direct CST is the one Chevrotain builds', () => {
  it('on every example, the errors included', () => {
    seen.direct = seen.declined = 0;
    seen.differences.length = 0;
    parseAll(listExamples(['notes', 'matrixcalculus', 'cookbook', 'ml', 'matrix-functions', 'derivatives', 'errors']).map((e) => e.expression));
    // The rules' corners, each with a near miss that must fail in both.
    parseAll(['x^--2', 'x^+2', 'x^-T', "X^T'", 'tr -X', 'log det X', 'exp -x^2', 'a‖x‖_F b', '‖x‖‖y‖', '⟨A, B⟩', '⟨A, B, C⟩', "norm(X, 'fro')", 'Y = X; Y\'Y']);
    parseAll(['Y = X\nY = 2', '2 tr AXB', "x'*y/2 z", '|x|', 'a -b', '1/2 x\'x', 'σ(Wx)ᵀ', 'x²⁻¹', '(x)(y)', 'tr(x, y)', 'exp(x, \'a\')', 'x tr', 'tr', 'x +', '()', 'x ^']);
    expect(seen.differences).toEqual([]);
    // The examples are what the direct path is for: it must take nearly all of their streams.
    expect(seen.direct).toBeGreaterThan(9 * seen.declined);
  });

  it('on generated expressions', () => {
    seen.differences.length = 0;
    fc.assert(
      fc.property(new ExprGen(VARIABLES).expr(1, 1, 3), (text) => {
        parseProgram(source(text));
      }),
      { numRuns: 300, seed: 16 },
    );
    expect(seen.differences).toEqual([]);
  });

  // Token soup: mostly malformed, with every bracket, prefix, postfix and separator, so that the
  // streams the direct path declines or accepts by mistake show up.
  const words = ['x', 'A', 'T', 'tr', 'exp ', 'log', 'det', 'norm', '(', ')', '+', '-', '*', '/', ' / ', "'", '^', '.^', '2', '-1', '‖', '‖_F', ',', '⟨', '⟩', 'σ(', 'ᵀ', '²', '⁻¹', ';', '\n', 'Y = ', '|', 'eye', ' ', "'fro'", '[', ']', '1/2'];
  it('on token soup', () => {
    seen.differences.length = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 12 }), (parts) => {
        parseProgram(source(parts.join('')));
      }),
      { numRuns: 4000, seed: 16 },
    );
    expect(seen.differences).toEqual([]);
  });
});

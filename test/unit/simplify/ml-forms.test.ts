import { describe, expect, test } from 'vitest';
import { derivativeViews, gradientViews } from '../../../src/emit/derivative.js';
import { derivative, gradient } from '../../../src/pipeline.js';

/**
 * Textbook forms the simplifier reaches (test/textbook/problems-ml.ts measures them all): each case
 * is the printed ASCII answer, and the numeric check must pass on it.
 */
function grad(expression: string, wrt: string, extra: { dims?: string; assume?: string } = {}): string {
  const result = gradient({ expression, wrt, seed: 1, ...extra });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  expect(result.value.check?.status).toBe('passed');
  return gradientViews(result.value)[0]!.ascii;
}

function second(command: 'hess' | 'jac', expression: string, wrt: string, extra: { dims?: string; assume?: string } = {}): string {
  const result = derivative({ expression, wrt, seed: 1, command, ...extra });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  expect(result.value.check?.status).toBe('passed');
  const label = command === 'hess' ? /^∇²/ : /^∂/;
  return derivativeViews(result.value).lines.find((l) => label.test(l.label))?.ascii ?? '';
}

describe('simp.inverse-product-cancel: (AX)⁻¹A = X⁻¹ for square A', () => {
  const dims = 'A=3x3,X=3x3,B=3x3';
  test.each([
    ['det(A*X)', "det(A*X)*inv(X)'"],
    ['det(X*B)', "det(X*B)*inv(X)'"],
    ['det(A*X*B)', "det(A*X*B)*inv(X)'"],
    ['logdet(A*X*B)', "inv(X)'"],
  ])('∇ %s = %s (Cookbook (51))', (expression, printed) => {
    expect(grad(expression, 'X', { dims })).toBe(printed);
  });

  test('a rectangular factor is not cancelled: logdet(XᵀX) keeps 2X(XᵀX)⁻¹', () => {
    expect(grad("logdet(X'*X)", 'X')).toBe("2*X*inv(X'*X)");
  });
});

describe('simp.diag-merge', () => {
  test('∇² Σ aᵢ²/xᵢ is one diagonal matrix, Diag(2a² ⊘ x³)', () => {
    expect(second('hess', "a'*inv(diag(x))*a", 'x', { assume: 'x:positive' })).toBe('2*diag(a.^2 ./ x.^3)');
  });

  test('∂(Diag(x)⁻¹b)/∂x = −Diag(b ⊘ x²)', () => {
    expect(second('jac', 'inv(diag(x))*b', 'x')).toBe('-diag(b ./ x.^2)');
  });

  test('the centering matrix keeps its 𝟙𝟙ᵀ (a bare 1 would read as a scalar), and xᵀDiag(x)⁻¹x gives 𝟙', () => {
    expect(second('jac', 'x - mean(x)', 'x')).toContain("vector(1)*vector(1)'");
    expect(grad("x'*inv(diag(x))*x", 'x', { assume: 'x:positive' })).toBe('vector(1)');
  });

  test('inside a longer product 𝟙𝟙ᵀ stays as written: 2X𝟙𝟙ᵀ', () => {
    expect(grad("sum_rows(X)'*sum_rows(X)", 'X')).toBe("2*X*vector(1)*vector(1)'");
  });
});

import { describe, expect, it } from 'vitest';
import { derivative, gradient } from '../../../src/pipeline.js';
import type { Report } from '../../../src/report.js';
import * as T from '../../../src/term/factory.js';
import { checkBlock } from '../../../src/verify/derivative-check.js';
import { atDimSizes, chooseDimSizes, reversedDimSizes } from '../../../src/verify/dim-sizes.js';
import { derivativeBlocks } from '../../../src/emit/blocks.js';

/**
 * The one size choice with its retry (verify/dim-sizes.ts): X of n×m gets n = 3 < m = 4 first, where
 * XᵀX is singular at every draw; every check and every module's sample then tries the sizes in
 * reverse, so the same answer is checked, and sampled, whichever command asked.
 */

describe('reversedDimSizes and atDimSizes', () => {
  it('reverses the sizes handed out, or says there is nothing to reverse', () => {
    expect([...reversedDimSizes(chooseDimSizes(['n', 'm', 'k']))!]).toEqual([['n', 2], ['m', 4], ['k', 3]]);
    expect(reversedDimSizes(chooseDimSizes(['n']))).toBeUndefined();
  });

  it('tries the reversed sizes only when the first found no point, and keeps the first when neither did', () => {
    const sizes = chooseDimSizes(['n', 'm']);
    const tried: number[] = [];
    const attempt = (s: ReadonlyMap<string, number>) => (tried.push(s.get('n')!), s.get('n')!);
    expect(atDimSizes(sizes, attempt, () => false)).toBe(3);
    expect(atDimSizes(sizes, attempt, (n) => n === 3)).toBe(4);
    expect(atDimSizes(sizes, attempt, () => true)).toBe(3);
    expect(tried).toEqual([3, 3, 4, 3, 4]);
  });
});

describe('a derivative block whose function is undefined at the first sizes', () => {
  // jac inv(XᵀX)b w.r.t. X of n×m: the engine's block (its differential and its Kronecker form),
  // checked here at the first sizes n = 3 < m = 4.
  const result = derivative({ command: 'jac', expression: "inv(X'*X)*b", wrt: 'X', check: false, sample: false });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  const report = result.value;
  const block = derivativeBlocks(report)[0]!;
  const request = {
    fn: report.f,
    linear: block.linear,
    direction: block.direction,
    variable: 'X',
    denominator: false,
    variables: report.variables,
    assumptions: new Map(),
    dimSizes: chooseDimSizes(['n', 'm']),
    seed: 1,
  };

  it('is checked at the reversed sizes, the differential and the read-off alike', () => {
    expect(block.kron, 'a Kronecker form is read off').toBeDefined();
    const { reports } = checkBlock({ ...request, kron: block.kron! });
    expect(reports.map((r) => r.status)).toEqual(['passed']);
    expect(reports[0]!.sizes).toEqual({ m: 3, n: 4 });
  });

  it('fails a wrong read-off there (it went unchecked when only the differential retried)', () => {
    const { reports } = checkBlock({ ...request, kron: { k: 'scale', c: T.num(2), e: block.kron! } });
    expect(reports.map((r) => r.status)).toContain('failed');
  });

  it('calls a read-off that evaluates at no draw inconclusive, not passed', () => {
    // The differential checks; the "matrix" (its own inverse of a zero matrix) evaluates nowhere.
    const never = { k: 'scale' as const, c: T.inv(T.zero([1, 1])), e: block.kron! };
    const { reports } = checkBlock({ ...request, kron: never });
    expect(reports.map((r) => r.status)).toEqual(['passed', 'inconclusive']);
    expect(reports[1]!.reason).toMatch(/matrix read off for X could not be compared/);
  });
});

describe('XᵀX with n < m declared: every command checks and samples at the sizes where it is defined', () => {
  const cases: [string, () => ReturnType<typeof gradient> | ReturnType<typeof derivative>][] = [
    ["grad logdet(X'*X)", () => gradient({ expression: "logdet(X'*X)", wrt: 'X' })],
    ["hess logdet(X'*X)", () => derivative({ command: 'hess', expression: "logdet(X'*X)", wrt: 'X' })],
    ["jac inv(X'*X)*b", () => derivative({ command: 'jac', expression: "inv(X'*X)*b", wrt: 'X' })],
  ];
  it.each(cases)('%s', (_name, run) => {
    const result = run();
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    const report: Report = result.value;
    expect(report.variables.get('X')).toEqual(['n', 'm']);
    expect(report.check?.status, report.check?.reason).toBe('passed');
    expect(report.check?.sizes).toEqual({ m: 3, n: 4 });
    const sample = report.sample!;
    expect(sample.inputs, 'the inputs a NumPy/PyTorch module embeds').not.toBe('none');
    expect(Object.fromEntries(sample.dimSizes)).toEqual({ n: 4, m: 3 });
  });
});

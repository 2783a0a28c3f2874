import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { gradient } from '../../src/pipeline.js';
import { run, type PlaygroundAnswer, type PlaygroundState } from '../../src/playground/engine.js';

/** The playground's adapter (src/playground/engine.ts) in Node: what it hands the page for each kind of input. */

const state = (s: Partial<PlaygroundState> & Pick<PlaygroundState, 'expr' | 'wrt'>): PlaygroundState => ({ dims: '', assume: '', cmd: 'grad', ...s });

function answer(s: PlaygroundState): PlaygroundAnswer {
  const r = run(s);
  if (!r.ok) throw new Error(r.error);
  return r;
}

describe('the playground engine adapter', () => {
  it('grad: the CLI lines, LaTeX split into read / derivation / result, NumPy and PyTorch modules', () => {
    const a = answer(state({ expr: 'aᵀexp(Xb)', wrt: 'X', dims: 'X=3x4' }));
    expect(a.read).toBe('f = aᵀexp(Xb)');
    expect(a.resultText).toBe('∇_X f = (exp(Xb) ⊙ a)bᵀ');
    expect(a.latex.read).toBe('f = a^\\top\\exp(Xb)');
    expect(a.latex.result).toBe('\\nabla_{X} f = (\\exp(Xb) \\odot a)b^\\top');
    expect(a.latex.derivation).toMatch(/^\\begin\{aligned\}\n\\mathrm\{d\}f &= /);
    expect(a.latexDocument).toBe(`${a.latex.read}\n\n${a.latex.result}\n`);
    expect(a.steps.length).toBeGreaterThan(1);
    expect(a.check.status).toBe('passed');
    expect(a.shapes).toBe('a: 3×1, X: 3×4, b: 4×1');
    const report = gradient({ expression: 'aᵀexp(Xb)', wrt: 'X', dims: 'X=3x4', steps: true, seed: 1 });
    if (!report.ok) throw new Error('no report');
    expect(a.numpy).toBe(FORMATS.numpy!(report.value, { steps: false, standalone: false }));
    expect(a.torch).toContain('import torch');
  });

  it('several variables share one where-block, as in the CLI', () => {
    const a = answer(state({ expr: 'Y = σ(WX); ⟨Y, MY⟩', wrt: 'W,X' }));
    expect(a.resultText.split('\n')).toEqual(['∇_W f = T₁Xᵀ', '∇_X f = WᵀT₁', '  where Y = σ(WX)', '        T₁ = (1 − Y) ⊙ (M + Mᵀ)Y ⊙ Y']);
  });

  it('jac and hess: result lines with captions; NumPy and PyTorch modules', () => {
    const j = answer(state({ expr: 'A*x', wrt: 'x', cmd: 'jac' }));
    expect(j.read).toBe('F = Ax');
    expect(j.resultText).toMatch(/^dF = A dx\n∂F\/∂x = A\n {2}numerator layout/);
    expect(j.torch).toContain('def jacobian_x(');
    expect(j.torch).toContain('import torch');
    expect(j.numpy).toContain('def jacobian_x(');
    const h = answer(state({ expr: 'xᵀAx', wrt: 'x', cmd: 'hess' }));
    expect(h.resultText).toContain('∇²_x f = A + Aᵀ');
    expect(h.latex.derivation).toBeDefined();
    expect(h.torch).toContain('import torch');
  });

  it('errors: rendered as the CLI renders them (no colour), with the caret', () => {
    const r = run(state({ expr: 'A*x + b', wrt: 'x', dims: 'A=3x4,x=3' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBe(
      ['error[MC2001]: cannot multiply A (3×4) by x (3×1): inner dimensions 4 and 3 differ', ' --> <input>:1:2', '  |', '1 | A*x + b', '  |  ^'].join('\n'),
    );
    const bad = run(state({ expr: 'x', wrt: 'x', dims: 'x=3y' }));
    expect(bad.ok).toBe(false);
    const none = run(state({ expr: "x'*x", wrt: ' ' }));
    expect(none).toEqual({ ok: false, error: expect.stringMatching(/^error: say which variable/) });
  });
});

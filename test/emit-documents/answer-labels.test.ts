import { describe, expect, test } from 'vitest';
import { answerLabels, userNames } from '../../src/emit/answer-labels.js';
import { formatHtml, formatLatex } from '../../src/emit/document.js';
import { textAnswer } from '../../src/emit/text-answer.js';
import { derivative, gradient } from '../../src/pipeline.js';
import type { Report } from '../../src/report.js';

/**
 * The answer's labels (f, F, H in `f = …`, `∇_W f`, `H[V]`, `d²f`) are generated names: none may be
 * a name the user wrote — an abstract function, a definition, a variable — or the answer reads
 * ambiguously (`∇_W f = ∇f(WX)Xᵀ`). When the body is the user's own definition (`L = f(Y); L`) the
 * label is that name. Checked in the text answer, LaTeX and HTML.
 */
interface Case {
  readonly command: 'grad' | 'hess' | 'jac';
  readonly expr: string;
  readonly wrt: string;
  readonly functions?: string;
  /** The label expected when the body is the user's definition of that name. */
  readonly own?: string;
}

const CASES: readonly Case[] = [
  { command: 'grad', expr: 'f(W*X)', wrt: 'W', functions: 'f' },
  { command: 'grad', expr: 'Y = W*X; f(Y)', wrt: 'W' },
  { command: 'grad', expr: 'Y = W*X; L = f(Y); L', wrt: 'W', functions: 'f', own: 'L' },
  { command: 'grad', expr: 'Y = W*X; L = f(Y); L', wrt: 'X', functions: 'f', own: 'L' },
  { command: 'grad', expr: "f = x'*x; 2*f", wrt: 'x' },
  { command: 'grad', expr: "f = x'*x; g = f^2; g + f", wrt: 'x' },
  { command: 'grad', expr: "g = x'*x; f = g^2; f", wrt: 'x', own: 'f' },
  { command: 'grad', expr: "f*x'*x", wrt: 'x' },
  { command: 'grad', expr: 'f(W*X) + φ*sum(W)', wrt: 'W', functions: 'f' },
  { command: 'hess', expr: "H = x'*A*x; f = H^2; 3*f", wrt: 'x' },
  { command: 'hess', expr: "H = x'*A*x; H", wrt: 'x', own: 'H' },
  { command: 'hess', expr: "J = A*x; L = J'*J; L + 1", wrt: 'x' },
  // Two variables: the blocks assembled into one matrix carry the label too (∇²_(x, y) ℓ).
  { command: 'hess', expr: "f*x'*A*x + y'*y", wrt: 'x,y' },
  { command: 'jac', expr: 'F = A*x; 2*F', wrt: 'x' },
  { command: 'jac', expr: 'F = A*x; F', wrt: 'x', own: 'F' },
];

function run(c: Case): Report {
  const request = { expression: c.expr, wrt: c.wrt, seed: 1, ...(c.functions ? { functions: c.functions.split(',') } : {}) };
  const result = c.command === 'grad' ? gradient(request) : derivative({ ...request, command: c.command });
  if (!result.ok) throw new Error(`${c.expr}: ${result.diagnostics[0]!.message}`);
  return result.value;
}

describe.each(CASES.map((c) => [`${c.command} ${c.expr} --wrt ${c.wrt}`, c] as const))('%s', (_title, c) => {
  const report = run(c);
  const labels = answerLabels(report);
  const names = userNames(report);

  test('the labels are none of the user names, unless the body is the user’s own definition', () => {
    if (c.own) expect(labels.f).toBe(c.own);
    else expect(names.has(labels.f), `${labels.f} among ${[...names].join(', ')}`).toBe(false);
    expect(names.has(labels.h) || labels.h === labels.f).toBe(false);
    expect(report.check?.status).toBe('passed');
  });

  test('text: the function line and every result line use the label', () => {
    const answer = textAnswer(report);
    expect(answer.function.label).toBe(`${labels.f} = `);
    for (const line of answer.lines) {
      if (/^[∇∂]/.test(line.label)) expect(line.label, line.label).toContain(labels.f);
      // No result is labelled with a user name other than the answer's own (the --wrt variable is its subscript).
      const allowed = new Set([c.own, ...c.wrt.split(','), 'V', 'd']);
      for (const n of names) if (!allowed.has(n)) expect(line.label.split(/[ _/∂∇²ᵀ[\]]/).includes(n), `${line.label} uses ${n}`).toBe(false);
    }
  });

  test('LaTeX and HTML use the label too', () => {
    const latex = formatLatex(report, { steps: false, standalone: false });
    const html = formatHtml(report, { steps: false, standalone: false });
    expect(latex).toContain(`${labels.fLatex} `);
    expect(html).toContain(labels.fLatex.replace(/\\/g, '\\'));
    if (c.command === 'grad') expect(latex).toMatch(new RegExp(`\\\\nabla_\\{[^}]+\\} ${labels.fLatex.replace(/\\/g, '\\\\')} `));
  });
});

import { describe, expect, test } from 'vitest';
import { FORMATS } from '../../../src/emit/formats.js';
import { emitText } from '../../../src/emit/text.js';
import { derivative } from '../../../src/pipeline.js';
import { listRules } from '../../../src/rewrite/listing.js';
import { loadRulebook } from '../../../src/rewrite/load-rules.js';
import type { Report, DerivativeRequest, DerivativeStep } from '../../../src/report.js';
import { derivativeBlocks } from '../../../src/emit/blocks.js';

/**
 * The forward derivations (diff, jac, hess) end with their tidying steps, as a gradient's does
 * (ENGINE.md §3): each line after the substituted differential names identities that `matcalc rules`
 * lists, the last line is the answer the block reports, and every format that shows steps carries
 * the ids.
 */
const book = loadRulebook();
if (!book.ok) throw new Error(book.diagnostics[0]!.message);
const listed = new Set(listRules(book.value).flatMap((g) => g.rules.map((r) => r.id)));

type Case = Pick<DerivativeRequest, 'command' | 'expression' | 'wrt'> & { readonly dims?: string };
const CASES: readonly Case[] = [
  { command: 'diff', expression: 'log(det(X\'*X))', wrt: 'X', dims: 'X=5x3' },
  { command: 'diff', expression: "x'*A*y + sum(exp(x))", wrt: 'x,y' },
  { command: 'diff', expression: '‖A*X‖₂', wrt: 'X' },
  { command: 'jac', expression: 'softmax(W*x)', wrt: 'x' },
  { command: 'jac', expression: 'sum(exp(x))', wrt: 'x' },
  { command: 'jac', expression: 'exp(X*b) .* c', wrt: 'b' },
  { command: 'hess', expression: 'sum(exp(A*x))', wrt: 'x' },
  { command: 'hess', expression: 'logdet(X)', wrt: 'X' },
  { command: 'hess', expression: "-y'*log(sigmoid(X*w)) - (1-y)'*log(1-sigmoid(X*w))", wrt: 'w' },
  { command: 'hess', expression: 'norm2(A*x - y)^2 + λ*xᵀx', wrt: 'x' },
  { command: 'hess', expression: "sum(exp(A*x)) + x'*B*y", wrt: 'x,y' },
];

function reportOf(c: Case): Report {
  const result = derivative({ ...c, steps: true, check: false });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  return result.value;
}

/** Each tidying: its first line ('start') and the lines continuing it. */
function tidyings(steps: readonly DerivativeStep[]): DerivativeStep[][] {
  const out: DerivativeStep[][] = [];
  for (const step of steps) {
    if (step.rule === 'start') out.push([step]);
    else if (out.length > 0 && /^ +=/.test(step.text) && out[out.length - 1]!.length > 0) out[out.length - 1]!.push(step);
  }
  return out;
}

const rightSide = (text: string) => text.slice(text.indexOf(' = ') + 3);

describe.each(CASES.map((c) => [`${c.command} ${c.expression} --wrt ${c.wrt}`, c] as const))('%s', (_name, c) => {
  const report = reportOf(c);
  const blocks = tidyings(report.steps as readonly DerivativeStep[]);

  test('has a tidying, each line named by listed simplification rules', () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      expect(block.length).toBeGreaterThan(1);
      for (const line of block.slice(1)) {
        const ids = line.rule.split(' ');
        for (const id of ids) expect(listed, `${id} in: ${line.text}`).toContain(id);
        expect(ids.every((id) => id.startsWith('simp.'))).toBe(true);
      }
      // Each line changes what the line before showed.
      const texts = block.map((l) => rightSide(l.text));
      expect(new Set(texts).size).toBe(texts.length);
    }
  });

  test('ends each tidying on the answer its block reports', () => {
    const answers = derivativeBlocks(report).map((b) => emitText([b.linear], { names: report.names, differentials: report.differentials, share: 'names' }).main[0]!);
    for (const block of blocks) expect(answers).toContain(rightSide(block[block.length - 1]!.text));
    // A single differential's total would repeat the tidying's last line: it is not printed twice.
    if (c.command !== 'hess' && derivativeBlocks(report).length === 1) expect(report.steps!.some((s) => s.rule === 'total')).toBe(false);
  });

  test('names the rules in LaTeX, HTML and JSON', () => {
    const ids = blocks.flatMap((b) => b.slice(1).map((l) => l.rule));
    const latex = FORMATS.latex!(report, { steps: true, standalone: false });
    const json = JSON.parse(FORMATS.json!(report, { steps: true, standalone: false })) as { steps: { rule: string; text: string }[] };
    const html = FORMATS.html!(report, { steps: true, standalone: false });
    for (const id of ids) {
      expect(latex).toContain(`\\textsf{${id}}`);
      expect(json.steps.map((s) => s.rule)).toContain(id);
    }
    for (const id of ids.flatMap((i) => i.split(' '))) expect(html).toContain(id);
  });
});

test('a differential already tidy when substituted has no tidying lines', () => {
  const report = reportOf({ command: 'diff', expression: 'A*X*B', wrt: 'X' });
  expect(report.steps!.map((s) => s.rule)).toEqual(['product', 'total']);
});

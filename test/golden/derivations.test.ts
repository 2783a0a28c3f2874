import { describe, expect, test } from 'vitest';
import { derivativeViews, gradientViews, shapesText } from '../../src/emit/derivative.js';
import { functionText } from '../../src/emit/command-json.js';
import { emitText } from '../../src/emit/text.js';
import { run } from '../../src/pipeline.js';
import type { Report } from '../../src/report.js';
import { shapeText } from '../../src/term/term.js';
import { DERIVATIVE_DIRS, derivativeRequest, GOLDEN_DIRS, listExamples, type Example } from '../helpers/examples.js';

/**
 * Golden derivations of every command: each example's derivation and results, as text, against a
 * committed snapshot beside it — and every one must also pass the numeric check, so a wrong
 * snapshot can never be blessed. One table: the gradients (examples/notes, matrixcalculus,
 * cookbook, ml) and the differentials, Jacobians and Hessians (examples/derivatives, a `# command:`
 * header each); a snapshot's layout is its command's.
 */
const examples = [...listExamples(GOLDEN_DIRS), ...listExamples(DERIVATIVE_DIRS)];

test('there are examples of every command', () => {
  const commands = new Set(examples.map((e) => e.command ?? 'grad'));
  expect([...commands].sort()).toEqual(['diff', 'grad', 'hess', 'jac']);
});

function gradientLines(report: Report): string[] {
  const lines = [`f = ${functionText(report).text}`];
  report.steps!.forEach((s, i) => lines.push(`${i === 0 ? 'df' : '  '} = ${s.text}${s.rule === 'start' ? '' : `    [${s.rule}]`}`));
  for (const v of gradientViews(report)) {
    lines.push(`∇_${v.name} f = ${v.text}`);
    for (const w of v.where) lines.push(`  where ${w.name} = ${w.text}`);
    lines.push(`  ascii: ${v.ascii}`);
  }
  lines.push(`shapes: ${[...report.typed.variables].map(([n, s]) => `${n}: ${shapeText(s)}`).join(', ')}`);
  return lines;
}

function derivativeLines(report: Report): string[] {
  const lines = [`${report.command} ${emitText([report.f], { names: report.names, share: false }).main[0]} --wrt ${report.wrt.join(',')}`];
  for (const s of report.steps ?? []) lines.push(`  ${s.text}${s.rule === 'total' || s.rule === 'grad' || s.rule === 'start' ? '' : `    [${s.rule}]`}`);
  const views = derivativeViews(report);
  for (const l of views.lines) {
    lines.push(`${l.label} = ${l.text}`);
    if (l.caption) lines.push(`  (${l.caption})`);
  }
  for (const w of views.where) lines.push(`  where ${w.name} = ${w.text}`);
  lines.push(`shapes: ${shapesText(report.variables)}`);
  return lines;
}

function request(example: Example) {
  if (example.command === undefined) {
    return { expression: example.expression, wrt: example.wrt, dims: example.dims, assume: example.assume, steps: true, seed: 1 } as const;
  }
  return derivativeRequest(example);
}

describe.each(examples.map((e) => [e.name, e] as const))('%s', (_name, example) => {
  test('matches the golden file and passes the numeric check', async () => {
    const result = run(request(example));
    if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
    const report: Report = result.value;
    expect(report.check?.status, `${example.name}: ${report.check?.reason ?? ''}`).toBe('passed');
    expect(report.check!.relativeError).toBeLessThan(1e-6);
    const lines = report.command === 'grad' ? gradientLines(report) : derivativeLines(report);
    for (const note of report.notes) lines.push(`note: ${note}`);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot(example.path.replace(/\.mc$/, '.expected.txt'));
  });
});

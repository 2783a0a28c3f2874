import { describe, expect, test } from 'vitest';
import { derivativeViews, shapesText } from '../../src/emit/derivative.js';
import { emitText } from '../../src/emit/text.js';
import { derivative } from '../../src/pipeline.js';
import { DERIVATIVE_DIRS, derivativeRequest, listExamples } from '../helpers/examples.js';

/**
 * Golden derivations of differentials, Jacobians and Hessians (examples/derivatives): the forward
 * derivation and every result, against a committed snapshot beside each example — and every one
 * must pass the numeric check, so a wrong snapshot can never be blessed.
 */
const examples = listExamples(DERIVATIVE_DIRS);

test('there are examples of every command', () => {
  const commands = new Set(examples.map((e) => e.command));
  expect([...commands].sort()).toEqual(['diff', 'hess', 'jac']);
});

describe.each(examples.map((e) => [e.name, e] as const))('%s', (_name, example) => {
  test('matches the golden file and passes the numeric check', async () => {
    const result = derivative(derivativeRequest(example));
    if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
    const report = result.value;
    expect(report.check?.status, `${example.name}: ${report.check?.reason ?? ''}`).toBe('passed');
    const lines: string[] = [];
    lines.push(`${example.command} ${emitText([report.f], { names: report.names, share: false }).main[0]} --wrt ${report.wrt.join(',')}`);
    for (const s of report.steps ?? []) lines.push(`  ${s.text}${s.rule === 'total' || s.rule === 'grad' ? '' : `    [${s.rule}]`}`);
    const views = derivativeViews(report);
    for (const l of views.lines) {
      lines.push(`${l.label} = ${l.text}`);
      if (l.caption) lines.push(`  (${l.caption})`);
    }
    for (const w of views.where) lines.push(`  where ${w.name} = ${w.text}`);
    lines.push(`shapes: ${shapesText(report.variables)}`);
    for (const note of report.notes) lines.push(`note: ${note}`);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot(example.path.replace(/\.mc$/, '.expected.txt'));
  });
});

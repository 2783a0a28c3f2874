import { describe, expect, test } from 'vitest';
import { gradientViews, functionText } from '../../src/emit/report.js';
import { gradient } from '../../src/pipeline.js';
import { shapeText } from '../../src/term/term.js';
import { GOLDEN_DIRS, listExamples } from '../helpers/examples.js';

/**
 * Golden derivations: every example's derivation and gradient, as text, against a committed
 * snapshot beside it — and every one must also pass the numeric check, so a wrong snapshot can
 * never be blessed.
 */
const examples = listExamples(GOLDEN_DIRS);

describe.each(examples.map((e) => [e.name, e] as const))('%s', (_name, example) => {
  test('derivation matches the golden file and passes the numeric check', async () => {
    const result = gradient({ expression: example.expression, wrt: example.wrt, dims: example.dims, assume: example.assume, steps: true, seed: 1 });
    if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
    const report = result.value;
    expect(report.check?.status, `${example.name}: ${report.check?.reason ?? ''}`).toBe('passed');
    expect(report.check!.relativeError).toBeLessThan(1e-6);
    const lines: string[] = [];
    lines.push(`f = ${functionText(report).text}`);
    report.steps!.forEach((s, i) => lines.push(`${i === 0 ? 'df' : '  '} = ${s.text}${s.rule === 'start' ? '' : `    [${s.rule}]`}`));
    for (const v of gradientViews(report)) {
      lines.push(`∇_${v.name} f = ${v.text}`);
      for (const w of v.where) lines.push(`  where ${w.name} = ${w.text}`);
      lines.push(`  ascii: ${v.ascii}`);
    }
    lines.push(`shapes: ${[...report.typed.variables].map(([n, s]) => `${n}: ${shapeText(s)}`).join(', ')}`);
    for (const note of report.notes) lines.push(`note: ${note}`);
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot(example.path.replace(/\.mc$/, '.expected.txt'));
  });
});

import { describe, expect, test } from 'vitest';
import { derivativeViews } from '../../src/emit/derivative.js';
import { gradientViews } from '../../src/emit/derivative.js';
import { textName } from '../../src/emit/text.js';
import { derivative, gradient } from '../../src/pipeline.js';
import { printedSize, viewSize } from '../helpers/printed-size.js';
import { TEXTBOOK_FORMS, type TextbookForm } from './textbook-forms.table.js';

/**
 * The printed answer of each textbook problem (textbook-forms.table.ts) is right (the numeric check
 * passes) and within 1.25× the size of the textbook's form, unless the case says why not.
 */
function printed(form: TextbookForm): { text: string; size: number } {
  if (form.command === 'hess') {
    const result = derivative({ command: 'hess', expression: form.expr, wrt: form.wrt, assume: form.assume, seed: 1 });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    expect(result.value.check?.status).toBe('passed');
    const views = derivativeViews(result.value);
    const line = views.lines.find((l) => l.label.startsWith('∇²'))!;
    const size = printedSize(line.text) + views.where.filter((w) => line.text.includes(w.name)).reduce((n, w) => n + printedSize(w.text), 0);
    return { text: line.text, size };
  }
  const result = gradient({ expression: form.expr, wrt: form.wrt, assume: form.assume, seed: 1 });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  expect(result.value.check?.status).toBe('passed');
  const view = gradientViews(result.value)[0]!;
  const given = new Set([...result.value.names.values()].map((n) => textName(n)));
  return { text: view.text, size: viewSize(view, given) };
}

describe.each(TEXTBOOK_FORMS.map((f) => [`${f.expr} (${f.ref})`, f] as const))('%s', (_name, form) => {
  test(`right, and within 1.25× the size of ${form.textbook}`, () => {
    const { text, size } = printed(form);
    const ratio = size / printedSize(form.textbook);
    if (form.over === undefined) expect(ratio, `${text} (${size} symbols) against ${form.textbook}`).toBeLessThanOrEqual(1.25);
  });
});

test('the table is broad: at least 30 problems from the four books and the notes', () => {
  expect(TEXTBOOK_FORMS.length).toBeGreaterThanOrEqual(30);
  for (const source of ['Cookbook', 'Boyd & Vandenberghe', 'MML', 'PRML', 'notes']) {
    expect(TEXTBOOK_FORMS.some((f) => f.ref.includes(source)), source).toBe(true);
  }
});

import katex from 'katex';
import { expect, test } from 'vitest';
import { commandJson } from '../../src/emit/command-json.js';
import { gradient } from '../../src/pipeline.js';
import { GOLDEN_DIRS, listExamples } from '../helpers/examples.js';

/** The `latex` fields of the JSON output (the function and every gradient) render with KaTeX. */
test.each(listExamples(GOLDEN_DIRS).map((e) => [e.name, e] as const))('%s: JSON latex fields render', (_name, example) => {
  const result = gradient({ expression: example.expression, wrt: example.wrt, dims: example.dims, assume: example.assume, check: false });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  const json = commandJson(result.value) as { function: { latex: string }; gradients: Record<string, { latex: string }> };
  const pieces = [json.function.latex, ...Object.values(json.gradients).map((g) => g.latex)];
  for (const latex of pieces) {
    expect(latex.length).toBeGreaterThan(0);
    expect(() => katex.renderToString(latex, { throwOnError: true, displayMode: true }), latex).not.toThrow();
  }
});

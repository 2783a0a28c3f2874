import { describe, expect, it } from 'vitest';
import { gradientViews } from '../../src/emit/derivative.js';
import { functionText } from '../../src/emit/command-json.js';
import { derivative, gradient } from '../../src/pipeline.js';
import type { Report } from '../../src/report.js';
import type { Shape, Term } from '../../src/term/term.js';
import { Dense } from '../../src/verify/dense.js';
import { evaluateTerms } from '../../src/verify/evaluate.js';
import { drawInDomain } from '../helpers/draws.js';
import { GOLDEN_DIRS, listExamples } from '../helpers/examples.js';

/**
 * Every dialect matcalc prints parses back to the same function: for every golden example, f as
 * text, ASCII, LaTeX (`function.latex`) and NumPy (`function.numpy`), and each gradient as LaTeX
 * and NumPy (`gradient.numpy`, with its `_t1 :=` names), read again with --dims fixed to the sizes
 * of one random draw, evaluate to the same values as the original at that draw.
 */
const examples = listExamples(GOLDEN_DIRS);

/** Gradients whose NumPy text has no NumPy marker, so `*` reads as the plain product. */
const KNOWN_AMBIGUOUS = new Set(['v * y']);

/** --dims for the sizes of a draw: every variable's size, so the re-read has nothing left to infer. */
function dimsOf(values: ReadonlyMap<string, Dense>): string {
  return [...values].map(([name, v]) => (v.cols === 1 ? `${name}=${v.rows}` : `${name}=${v.rows}x${v.cols}`)).join(',');
}

function valueOf(term: Term, values: ReadonlyMap<string, Dense>, dimSizes: ReadonlyMap<string, number> = new Map()): Dense {
  const out = evaluateTerms([term], { values, dimSizes }, { collectIssues: false });
  return out.values[0]!;
}

function expectClose(got: Dense, want: Dense, what: string): void {
  expect([got.rows, got.cols], `${what}: shape`).toEqual([want.rows, want.cols]);
  const scale = Math.max(1, ...Array.from(want.data, Math.abs));
  for (let k = 0; k < want.data.length; k++) expect(Math.abs(got.data[k]! - want.data[k]!), `${what}: entry ${k}`).toBeLessThan(1e-9 * scale);
}

/**
 * LaTeX prints a dimension as its symbol (∇ mean(x) = 𝟙/n). Re-read with every size given (--dims),
 * no dimension is symbolic, so `n` is a scalar variable (grammar/README.md, "A dimension as a
 * number"): its value is the size of the dimension n of the original.
 */
function withDimensionNames(read: ReadonlyMap<string, Shape>, values: ReadonlyMap<string, Dense>, dimSizes: ReadonlyMap<string, number>): Map<string, Dense> {
  const out = new Map(values);
  for (const [name, shape] of read) {
    const size = dimSizes.get(name);
    if (out.has(name) || size === undefined || shape[0] !== 1 || shape[1] !== 1) continue;
    out.set(name, Dense.scalar(size));
  }
  return out;
}

describe.each(examples.map((e) => [e.name, e] as const))('round trip: %s', (_name, example) => {
  const result = gradient({ expression: example.expression, wrt: example.wrt, dims: example.dims, assume: example.assume, check: false });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  const report: Report = result.value;
  const { values, dimSizes } = drawInDomain(report, 7, [report.f, ...report.gradients.map((g) => g.gradient)]);
  const variables = new Map([...values].filter(([name]) => report.variables.has(name)));
  const dims = dimsOf(variables);
  const f = functionText(report);

  for (const form of ['text', 'ascii', 'latex', 'numpy'] as const) {
    it(`f as ${form} reads back: ${f[form]}`, () => {
      const again = gradient({ expression: f[form], wrt: example.wrt, dims, assume: example.assume, check: false });
      expect(again.ok, again.ok ? '' : again.diagnostics[0]!.message).toBe(true);
      if (!again.ok) return;
      expectClose(valueOf(again.value.f, variables), valueOf(report.f, variables, dimSizes), `${form}: ${f[form]}`);
    });
  }

  for (const view of gradientViews(report)) {
    const original = report.gradients.find((g) => g.name === view.name)!.gradient;
    for (const form of ['latex', 'numpy'] as const) {
      it(`∇_${view.name} f as ${form} reads back: ${view[form]}`, () => {
        const again = derivative({ command: 'diff', expression: view[form], wrt: example.wrt, dims, assume: example.assume, check: false });
        if (KNOWN_AMBIGUOUS.has(view[form])) {
          // No NumPy marker (@, np., .T): read as plain notation, where * is a matrix product; refused, never misread.
          expect(again.ok).toBe(false);
          return;
        }
        expect(again.ok, again.ok ? '' : again.diagnostics[0]!.message).toBe(true);
        if (!again.ok) return;
        const want = valueOf(original, variables, dimSizes);
        // A gradient such as exp(tr X)·I leaves the size of I to the reader: it is the gradient's own size.
        const free = new Map(['n', 'm', 'k', 'p'].map((d) => [d, want.rows] as const));
        expectClose(valueOf(again.value.f, withDimensionNames(again.value.variables, variables, dimSizes), free), want, `${form}: ${view[form]}`);
      });
    }
  }
});

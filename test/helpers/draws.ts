import { pythonName } from '../../src/emit/numpy.js';
import { allVariables } from '../../src/emit/report.js';
import type { GradientReport } from '../../src/report.js';
import { collectFreeDims } from '../../src/verify/sample.js';
import type { Term } from '../../src/term/term.js';
import type { Dense } from '../../src/verify/dense.js';
import { evaluateTerms } from '../../src/verify/evaluate.js';
import { createRng } from '../../src/verify/random.js';
import { chooseDimSizes, drawInputs } from '../../src/verify/sample.js';

/**
 * Inputs for a report inside every function's domain (the checker's own draw strategies, tried in
 * order until `terms` evaluate with no issue), with the terms' values there. Tests that run emitted
 * code compare it with these values.
 */
export function drawInDomain(
  report: GradientReport,
  seed: number,
  terms: readonly Term[] = report.gradients.map((g) => g.gradient),
): { values: Map<string, Dense>; evaluated: Dense[]; dimSizes: Map<string, number> } {
  const variables = allVariables(report);
  const dimSizes = chooseDimSizes(collectFreeDims(variables));
  const rng = createRng(seed);
  for (let strategy = 0; strategy < 8; strategy++) {
    const values = drawInputs(variables, report.declarations.assumptions, dimSizes, rng, strategy);
    const out = evaluateTerms(terms, { values, dimSizes });
    if (out.issues.length === 0) return { values, evaluated: out.values, dimSizes };
  }
  throw new Error(`${report.source.text}: no input inside the domain`);
}

/**
 * Drawn inputs as emitted Python code takes them, by their Python names: scalars as floats, vectors
 * and matrices as nested lists (columns stay (n, 1)). Tests pass them to python3 as JSON.
 */
export function pythonInputs(report: GradientReport, values: ReadonlyMap<string, Dense>): Record<string, number[][] | number> {
  const inputs: Record<string, number[][] | number> = {};
  for (const [name, shape] of allVariables(report)) {
    const v = values.get(name)!;
    inputs[pythonName(name)] = shape[0] === 1 && shape[1] === 1 ? v.data[0]! : v.toArray();
  }
  return inputs;
}

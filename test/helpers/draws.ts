import { pythonName } from '../../src/emit/numpy.js';
import type { Report } from '../../src/report.js';
import type { Term } from '../../src/term/term.js';
import type { Dense } from '../../src/verify/dense.js';
import { chooseDimSizes, collectFreeDims, drawInDomain as drawInDomainAt } from '../../src/verify/sample.js';

/**
 * Inputs for a report inside every function's domain (verify's drawInDomain, at the sizes of the
 * variables' dimensions), with the terms' values there. Tests that run emitted
 * code compare it with these values.
 */
export function drawInDomain(
  report: Report,
  seed: number,
  terms: readonly Term[] = report.gradients?.map((g) => g.gradient) ?? [],
): { values: Map<string, Dense>; evaluated: Dense[]; dimSizes: Map<string, number> } {
  const variables = report.variables;
  const dimSizes = chooseDimSizes(collectFreeDims(variables));
  const drawn = drawInDomainAt(variables, report.declarations.assumptions, dimSizes, seed, terms);
  if (!drawn) throw new Error(`${report.source.text}: no input inside the domain`);
  return { ...drawn, dimSizes };
}

/**
 * Drawn inputs as emitted Python code takes them, by their Python names: scalars as floats, vectors
 * and matrices as nested lists (columns stay (n, 1)). Tests pass them to python3 as JSON.
 */
export function pythonInputs(report: Report, values: ReadonlyMap<string, Dense>): Record<string, number[][] | number> {
  const inputs: Record<string, number[][] | number> = {};
  for (const [name, shape] of report.variables) {
    const v = values.get(name)!;
    inputs[pythonName(name)] = shape[0] === 1 && shape[1] === 1 ? v.data[0]! : v.toArray();
  }
  return inputs;
}

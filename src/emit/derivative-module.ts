import type { DerivativeBlock, Report } from '../report.js';
import { derivativeBlocks } from './blocks.js';
import { isFShaped } from '../differentiate/read-off.js';
import type { Dim, Shape, Term } from '../term/term.js';
import { abstractParameters } from './abstract-parameters.js';
import { hessianGrid, type HessianGrid } from './hessian-matrix.js';
import { emitPython } from './numpy.js';
import { checkSummary, ENTRYWISE_MAX, kindOf, sampleOf, type Flavour } from './python-flavour.js';
import { argumentConversion, argumentDoc, docHead, docTail, moduleNoun, pythonModule, selfCheckInputs, type PythonArgument } from './python-layout.js';
import { freeDimParameters, reportIdentifiers } from './report.js';

/** What the self-check compares for one block: the function, its differential function and the matrix's, by name. */
interface BlockCheck {
  readonly fn: string;
  readonly differential: string;
  readonly direction: string;
  readonly variable: string;
  readonly shape: Shape;
  readonly matrix?: string;
  readonly transposed?: string;
}

/**
 * `diff|jac|hess --format numpy|torch` (python-module.ts chooses it for these commands, python-layout.ts
 * lays it out): `f(…)`, and per variable `differential_X(…, dX)` (diff, jac), `jacobian_X(…)` (when
 * the Jacobian is a matrix term), `gradient_X`, `hessian_product_X(…, V)` and `hessian_X(…)` (hess;
 * with several scalar or vector variables also `hessian(…)`, the blocks as one matrix); every function
 * converts its arguments as grad's does (a vector may be 1-D) and returns 2-D arrays. Run as a
 * script, it compares each differential with central differences of f (or of the gradient) at inputs
 * matcalc's sampler drew.
 */
export function derivativeModule(report: Report, flavour: Flavour): string {
  const variables = report.variables;
  const sample = sampleOf(report);
  // One identifier per input and direction, distinct even where two names fold to one (`ſ`, `s`).
  const identifiers = reportIdentifiers(report);
  const pythonName = (name: string): string => identifiers.get(name)!;
  const free = freeDimParameters(variables, sample.dimSizes, identifiers);
  const dimExpr = free.dimExpr;
  const inputs: PythonArgument[] = [...variables].map(([name, shape]) => ({ name, py: pythonName(name), shape, kind: kindOf(shape) }));
  // The callables of the abstract functions the printed terms call (abstract-parameters.ts), after the arrays.
  const printed = [report.f, ...report.gradients.map((g) => g.gradient), ...derivativeBlocks(report).flatMap((b) => (b.matrix ? [b.linear, b.matrix] : [b.linear]))];
  const abstract = abstractParameters(printed);
  const callables = abstract.flatMap((a) => a.params);
  const py = (terms: Parameters<typeof emitPython>[0]) => emitPython(terms, { dimExpr, names: report.names, identifiers }, flavour.dialect);
  const functions: string[][] = [];
  // A function of the module is never named like a callable it takes (`f` of --function f: the module's f is then f_).
  const defined = new Set<string>(callables);
  /** Defines a function; `_` is appended while the name is taken (hessian_product_a_b_c is both (a_b, c) and (a, b_c)). */
  const def = (wanted: string, params: readonly PythonArgument[], expression: string): string => {
    let name = wanted;
    while (defined.has(name)) name += '_';
    defined.add(name);
    // Free dimensions no input carries come last, as keywords with the checked sizes.
    const signature = [...params.map((p) => p.py), ...callables, ...free.params].join(', ');
    functions.push([`def ${name}(${signature}):`, ...[...argumentConversion(params, flavour), `return ${expression}`].map((l) => `    ${l}`)]);
    return name;
  };
  /** A block's direction as an argument: the direction's identifier, its variable's shape. */
  const directionOf = (b: DerivativeBlock): PythonArgument => {
    const name = b.direction.kind === 'var' ? b.direction.name : 'V';
    return { name, py: b.direction.kind === 'var' ? pythonName(name) : 'V', shape: b.shape, kind: kindOf(b.shape) };
  };
  const fName = def('f', inputs, py([report.f])[0]!);
  const checks: BlockCheck[] = [];
  const gradientFunctions = new Map<string, string>();
  for (const b of derivativeBlocks(report)) {
    const x = pythonName(b.wrt);
    const direction = directionOf(b);
    if (b.kind === 'hessian') {
      const ofName = b.of ?? b.wrt;
      const of = pythonName(ofName);
      const g = report.gradients.find((x2) => x2.name === ofName)!;
      const gName = gradientFunctions.get(ofName) ?? def(`gradient_${of}`, inputs, py([g.gradient])[0]!);
      gradientFunctions.set(ofName, gName);
      const suffix = b.of && b.of !== b.wrt ? `${of}_${x}` : x;
      const product = def(`hessian_product_${suffix}`, [...inputs, direction], py([b.linear])[0]!);
      const matrix = b.matrix ? def(`hessian_${suffix}`, inputs, py([b.matrix])[0]!) : undefined;
      checks.push({ fn: gName, differential: product, direction: direction.py, variable: x, shape: b.shape, ...(matrix ? { matrix } : {}) });
    } else {
      const differential = def(`differential_${x}`, [...inputs, direction], py([b.linear])[0]!);
      const matrix = b.matrix ? def(`jacobian_${x}`, inputs, py([b.matrix])[0]!) : undefined;
      // dF/dx of F's shape (a matrix F of a scalar x) is compared by its vec: Mᵀ read row by row.
      const transposed = isFShaped(report.f.shape, b.shape) ? '.T.reshape(-1, 1)' : report.layout === 'denominator' ? '.T' : '';
      checks.push({ fn: fName, differential, direction: direction.py, variable: x, shape: b.shape, ...(matrix ? { matrix, transposed } : {}) });
    }
  }
  // Two or more scalar or vector variables: the blocks as one matrix, the Hessian in the stacked variable.
  const grid = hessianGrid(report);
  const assembled = grid ? def('hessian', inputs, assembledHessian(grid, py, dimExpr, flavour)) : undefined;
  const check: string[] = [`    ${flavour.seedDirections}`, '    worst = 0.0'];
  for (const k of checks) check.push(...blockCheck(k, flavour));
  if (grid && assembled) check.push(...assembledCheck(grid.variables.map(pythonName), grid.variables.map((v) => gradientFunctions.get(v)!), assembled, flavour));
  check.push('    return worst');
  return pythonModule({
    flavour,
    doc: [
      ...docHead(report, flavour, moduleNoun(report), '.'),
      '',
      'Shapes (symbolic dimensions must agree between arguments; a direction dX or V has its variable\'s shape):',
      ...argumentDoc(report, inputs),
      '',
      'Every function returns 2-D arrays (a vector is an (n, 1) column).',
      ...docTail(report, abstract, flavour, checkSummary(report)),
      `Run this file to re-check every differential by central finite differences: entry by entry for a`,
      `variable of at most ${ENTRYWISE_MAX} entries, else along a random direction.`,
    ],
    functions,
    checkDoc: `Each differential against central differences (one Richardson step): along every unit direction (entry by entry) of a variable with at most ${ENTRYWISE_MAX} entries, else along one random direction. Returns the worst relative error.`,
    inputs: selfCheckInputs(report, inputs, sample, flavour, abstract),
    check,
  });
}

/** One block's comparisons: its differential against central differences of the function it differentiates, then its matrix applied to the directions. */
function blockCheck(k: BlockCheck, flavour: Flavour): string[] {
  const lines: string[] = [];
  const input = `inputs[${JSON.stringify(k.variable)}]`;
  // Every entry of a small variable (its unit directions), else one random direction.
  lines.push(`    vs = ${flavour.units(input)} if ${flavour.size(input)} <= ${ENTRYWISE_MAX} else [${flavour.direction(input)}]`);
  lines.push(`    def at(t, v):`);
  lines.push(`        moved = dict(inputs)`);
  lines.push(`        moved[${JSON.stringify(k.variable)}] = ${input} + t * v`);
  lines.push(`        return ${flavour.asArray(`${k.fn}(**moved)`)}`);
  lines.push('    h = 1e-4');
  lines.push('    q = lambda v, s: (at(s, v) - at(-s, v)) / (2 * s)');
  lines.push(`    numeric = ${flavour.stack('[(4 * q(v, h / 2) - q(v, h)) / 3 for v in vs]')}`);
  lines.push(`    symbolic = ${flavour.stack(`[${flavour.asArray(`${k.differential}(**inputs, ${k.direction}=v)`)} for v in vs]`)}`);
  lines.push(`    error = ${flavour.relativeError}`);
  lines.push(`    what = "every entry" if ${flavour.size(input)} <= ${ENTRYWISE_MAX} else "a random direction"`);
  lines.push(`    print(f"${k.differential} ({what}): relative error {error:.2e}")`);
  lines.push('    worst = max(worst, error)');
  if (k.matrix) {
    // The matrix applied to vec(v) must give vec of the differential (vec stacks columns).
    lines.push(`    applied = ${flavour.stack(`[${flavour.applied(k.matrix, k.transposed ?? '')} for v in vs]`)}`);
    lines.push(`    expected = ${flavour.stack(`[${flavour.expected('d')} for d in symbolic]`)}`);
    lines.push(`    error = ${flavour.matrixError}`);
    lines.push(`    print(f"${k.matrix} applied to the directions: relative error {error:.2e}")`);
    lines.push('    worst = max(worst, error)');
  }
  return lines;
}

/** The stacked gradient moved along every variable at once: its change is the whole assembled Hessian applied. */
function assembledCheck(ids: readonly string[], gradientFunctions: readonly string[], assembled: string, flavour: Flavour): string[] {
  const gradients = `(${gradientFunctions.map((g) => `${g}(**moved)`).join(', ')},)`;
  return [
    `    v = {n: ${flavour.direction('inputs[n]')} for n in (${ids.map((i) => JSON.stringify(i)).join(', ')},)}`,
    '    def at(t):',
    '        moved = dict(inputs)',
    '        for n in v:',
    '            moved[n] = inputs[n] + t * v[n]',
    `        return ${flavour.stackVec(gradients)}`,
    '    h = 1e-4',
    '    q = lambda s: (at(s) - at(-s)) / (2 * s)',
    '    numeric = (4 * q(h / 2) - q(h)) / 3',
    `    symbolic = ${flavour.asArray(`${assembled}(**inputs)`)} @ ${flavour.stackVec('v.values()')}`,
    `    error = ${flavour.relativeError}`,
    `    print(f"${assembled} (the blocks as one matrix) along a direction of every variable: relative error {error:.2e}")`,
    '    worst = max(worst, error)',
  ];
}

/** The expression of the assembled Hessian: each block printed in one sharing plan, then assembled by the flavour. */
function assembledHessian(grid: HessianGrid, py: (terms: readonly Term[]) => string[], dimExpr: (d: Dim) => string, flavour: Flavour): string {
  const texts = py(grid.blocks.flat().map((b) => b.matrix!));
  const k = grid.variables.length;
  const rows = grid.variables.map((_, i) => grid.variables.map((__, j) => ({ text: texts[i * k + j]!, rows: dimExpr(grid.sizes[i]!), cols: dimExpr(grid.sizes[j]!) })));
  return flavour.assemble(rows);
}

import { isFShaped } from '../differentiate/read-off.js';
import type { DerivativeBlock, Report } from '../report.js';
import type { Dim, Term } from '../term/term.js';
import { abstractParameters, type AbstractParameter } from './abstract-parameters.js';
import { derivativeBlocks } from './blocks.js';
import type { FormatOptions } from './format-names.js';
import { hessianGrid, type HessianGrid } from './hessian-matrix.js';
import { emitPython } from './numpy.js';
import { checkSummary, ENTRYWISE_MAX, kindOf, NUMPY, sampleOf, TORCH, type Flavour } from './python-flavour.js';
import { argumentConversion, argumentDoc, docHead, docTail, moduleNoun, pythonModule, selfCheckInputs, type PythonArgument } from './python-layout.js';
import { assembledCheck, blockCheck, gradientCheck, type BlockCheck } from './python-checks.js';
import { freeDimParameters, reportIdentifiers } from './report.js';

/**
 * `--format numpy` / `--format torch` of every command: one self-contained Python module in one
 * layout (python-layout.ts), spelled by a flavour (python-flavour.ts). What its functions are follows
 * from the report's blocks: gradients alone (grad) make `f_and_grad_<wrt>(<inputs>) -> (value, grad)`;
 * blocks in a direction (diff, jac, hess) make a function each — `differential_X(…, dX)`,
 * `jacobian_X(…)`, `gradient_X`, `hessian_product_X(…, V)`, `hessian_X(…)`, and with several scalar
 * or vector variables `hessian(…)`, the blocks as one matrix. Run as a script, the module compares
 * its results with central differences at inputs matcalc's own evaluator accepted.
 */

/** A Formatter (formats.ts): the options change nothing in a module. */
export function formatNumpy(report: Report, _options?: FormatOptions): string {
  return reportModule(report, NUMPY);
}

export function formatTorch(report: Report, _options?: FormatOptions): string {
  return reportModule(report, TORCH);
}

/** What every function of a module is built from. */
interface ModuleContext {
  readonly report: Report;
  readonly flavour: Flavour;
  /** One per input, its identifier distinct even where two names fold to one (`ſ`, `s`). */
  readonly identifiers: ReadonlyMap<string, string>;
  readonly inputs: readonly PythonArgument[];
  /** The callables of the abstract functions the printed terms call (abstract-parameters.ts). */
  readonly abstract: readonly AbstractParameter[];
  /** Every signature ends with the callables, then the free dimensions no input carries (with defaults). */
  readonly tail: readonly string[];
  readonly dimExpr: (d: Dim) => string;
  /** Terms printed in one sharing plan. */
  readonly py: (terms: readonly Term[]) => string[];
}

/** What the blocks make of the module: the docstring's own lines, the functions and their self-check. */
interface ModuleBody {
  /** The end of the docstring's first sentence. */
  readonly closing: string;
  /** The line over the arguments' shapes. */
  readonly shapes: string;
  /** How to call the functions and what they return. */
  readonly usage: readonly string[];
  /** matcalc's own check, as a sentence. */
  readonly checked: string;
  /** How running the file re-checks the results. */
  readonly rerun: readonly string[];
  readonly functions: readonly (readonly string[])[];
  readonly constants?: readonly string[];
  readonly checkDoc: string;
  readonly check: readonly string[];
}

function reportModule(report: Report, flavour: Flavour): string {
  const context = moduleContext(report, flavour);
  // Gradients alone are returned with f's value (grad); blocks in a direction get a function each.
  const body = derivativeBlocks(report).length === 0 ? gradientBody(context) : blockBody(context);
  return pythonModule({
    flavour,
    doc: [
      ...docHead(report, flavour, moduleNoun(report), body.closing),
      '',
      body.shapes,
      ...argumentDoc(report, context.inputs),
      '',
      ...body.usage,
      ...docTail(report, context.abstract, flavour, body.checked),
      ...body.rerun,
    ],
    functions: body.functions,
    ...(body.constants ? { constants: body.constants } : {}),
    checkDoc: body.checkDoc,
    inputs: selfCheckInputs(report, context.inputs, sampleOf(report), flavour, context.abstract),
    check: body.check,
  });
}

function moduleContext(report: Report, flavour: Flavour): ModuleContext {
  const identifiers = reportIdentifiers(report);
  const inputs = [...report.variables].map(([name, shape]) => ({ name, py: identifiers.get(name)!, shape, kind: kindOf(shape) }));
  const free = freeDimParameters(report.variables, sampleOf(report).dimSizes, identifiers);
  const printed = [report.f, ...report.gradients.map((g) => g.gradient), ...derivativeBlocks(report).flatMap((b) => (b.matrix ? [b.linear, b.matrix] : [b.linear]))];
  const abstract = abstractParameters(printed);
  // The callables before the free dimensions: those have defaults, and a parameter without one cannot follow them.
  const tail = [...abstract.flatMap((a) => a.params), ...free.params];
  const py = (terms: readonly Term[]) => emitPython(terms, { dimExpr: free.dimExpr, names: report.names, identifiers }, flavour.dialect);
  return { report, flavour, identifiers, inputs, abstract, tail, dimExpr: free.dimExpr, py };
}

/**
 * Gradients alone: `f_and_grad_<wrt>(<inputs>) -> (value, grad)`, each gradient of its argument's
 * shape as passed (a 1-D vector gets a 1-D gradient), and a self-check of every gradient entry (or
 * of a random direction) against central differences of f.
 */
function gradientBody({ report, flavour, identifiers, inputs, tail, py }: ModuleContext): ModuleBody {
  const args = [...inputs.map((e) => e.py), ...tail];
  const wrt = report.gradients.map((g) => ({ name: g.name, py: identifiers.get(g.name)!, kind: kindOf(g.shape) }));
  const fname = `f_and_grad_${wrt.map((w) => w.py).join('_')}`;
  const single = wrt.length === 1;
  const texts = py([report.f, ...report.gradients.map((g) => g.gradient)]);
  const locals = localNames(args, texts);
  const returned = `${locals.value}, ${single ? locals.grad(wrt[0]!.py) : `(${wrt.map((w) => locals.grad(w.py)).join(', ')})`}`;

  // Function body: conversion, assertions, value and gradients (a 1-D vector's back to 1-D).
  const body = [...argumentConversion(inputs, flavour, locals.flat), `${locals.value} = ${texts[0]!}`];
  wrt.forEach((w, i) => {
    const grad = locals.grad(w.py);
    body.push(`${grad} = ${texts[i + 1]!}`);
    if (w.kind === 'column' || w.kind === 'row') body.push(`if ${locals.flat(w.py)}:`, `    ${grad} = ${grad}.reshape(-1)`);
  });
  body.push(`return ${returned}`);
  const structured = new Set(report.gradients.filter((g) => g.structured).map((g) => g.name));

  return {
    closing: `, as ${flavour.library} code.`,
    shapes: 'Shapes (symbolic dimensions must agree between arguments):',
    usage: [`Call ${fname}(${args.join(', ')}) -> (${returned}).`, 'Each gradient has the shape of its argument as passed (a 1-D vector gets a 1-D gradient).'],
    checked: gradientVerification(report),
    rerun: [
      `Run this file to re-check the gradient by central finite differences: entry by entry when the`,
      `variables differentiated have at most ${ENTRYWISE_MAX} entries in all, else along a random direction.`,
    ],
    functions: [[`def ${fname}(${args.join(', ')}):`, ...body.map((l) => `    ${l}`)]],
    constants: [`WRT = (${wrt.map((w) => JSON.stringify(w.py)).join(', ')}${single ? ',' : ''})`],
    checkDoc: `Compares the gradient with central differences (one Richardson step): entry by entry when the variables differentiated have at most ${ENTRYWISE_MAX} entries in all, else along one random direction. Returns the relative error.`,
    check: gradientCheck(fname, wrt.map((w) => ({ ...w, structured: structured.has(w.name) })), flavour),
  };
}

/**
 * Blocks in a direction: `f(…)`, and per block `differential_X(…, dX)` and `jacobian_X(…)` (when the
 * Jacobian is a matrix term), or `gradient_X`, `hessian_product_X(…, V)` and `hessian_X(…)`; every
 * function converts its arguments as the gradient's does (a vector may be 1-D) and returns 2-D
 * arrays. The self-check compares each differential with central differences of f (or of the gradient).
 */
function blockBody({ report, flavour, identifiers, inputs, abstract, tail, dimExpr, py }: ModuleContext): ModuleBody {
  const pythonName = (name: string): string => identifiers.get(name)!;
  const functions: string[][] = [];
  // A function of the module is never named like a callable it takes (`f` of --function f: the module's f is then f_).
  const defined = new Set<string>(abstract.flatMap((a) => a.params));
  /** Defines a function; `_` is appended while the name is taken (hessian_product_a_b_c is both (a_b, c) and (a, b_c)). */
  const def = (wanted: string, params: readonly PythonArgument[], expression: string): string => {
    let name = wanted;
    while (defined.has(name)) name += '_';
    defined.add(name);
    const signature = [...params.map((p) => p.py), ...tail].join(', ');
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
  return {
    closing: '.',
    shapes: "Shapes (symbolic dimensions must agree between arguments; a direction dX or V has its variable's shape):",
    usage: ['Every function returns 2-D arrays (a vector is an (n, 1) column).'],
    checked: checkSummary(report),
    rerun: [
      `Run this file to re-check every differential by central finite differences: entry by entry for a`,
      `variable of at most ${ENTRYWISE_MAX} entries, else along a random direction.`,
    ],
    functions,
    checkDoc: `Each differential against central differences (one Richardson step): along every unit direction (entry by entry) of a variable with at most ${ENTRYWISE_MAX} entries, else along one random direction. Returns the worst relative error.`,
    check,
  };
}

/** The expression of the assembled Hessian: each block printed in one sharing plan, then assembled by the flavour. */
function assembledHessian(grid: HessianGrid, py: (terms: readonly Term[]) => string[], dimExpr: (d: Dim) => string, flavour: Flavour): string {
  const texts = py(grid.blocks.flat().map((b) => b.matrix!));
  const k = grid.variables.length;
  const rows = grid.variables.map((_, i) => grid.variables.map((__, j) => ({ text: texts[i * k + j]!, rows: dimExpr(grid.sizes[i]!), cols: dimExpr(grid.sizes[j]!) })));
  return flavour.assemble(rows);
}

/** The docstring's sentence on matcalc's own check of the gradient. */
function gradientVerification(report: Report): string {
  const c = report.check;
  if (!c) return 'UNVERIFIED: the numeric gradient check was not run (--no-check).';
  const sizes = Object.entries(c.sizes).map(([k, v]) => `${k}=${v}`).join(', ');
  if (c.status === 'passed') {
    return `matcalc verified the gradient numerically: relative error ${c.relativeError.toExponential(1)} over ${c.comparisons} finite-difference comparisons (seed ${c.seed}${sizes ? `, sizes ${sizes}` : ''}).`;
  }
  return `UNVERIFIED: matcalc's numeric gradient check was ${c.status} (seed ${c.seed})${c.reason ? `: ${c.reason}` : ''}.`;
}

/**
 * The generated function's own locals (the value, each gradient, each "was 1-D" flag), named so that
 * none is an argument, a definition or a temporary of the emitted code: an input named `value` or
 * `grad_y` would otherwise be overwritten before the gradient reads it (`value*sum(x)` returned
 * value·𝟙 computed with the function's value in place of the input). A taken name gets a `_` suffix.
 */
function localNames(args: readonly string[], texts: readonly string[]): { value: string; grad: (py: string) => string; flat: (py: string) => string } {
  const taken = new Set<string>(['np', 'torch', 'sys', ...args]);
  for (const text of texts) for (const word of text.matchAll(/[\p{L}_][\p{L}\p{N}_]*/gu)) taken.add(word[0]);
  const chosen = new Map<string, string>();
  const fresh = (wanted: string): string => {
    let name = chosen.get(wanted);
    if (name !== undefined) return name;
    name = wanted;
    while (taken.has(name)) name = `${name}_`;
    taken.add(name);
    chosen.set(wanted, name);
    return name;
  };
  return { value: fresh('value'), grad: (py) => fresh(`grad_${py}`), flat: (py) => fresh(`_${py}_1d`) };
}

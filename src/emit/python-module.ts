import { dimSize } from '../term/dim-product.js';
import { abstractParameters, abstractStandIns, type AbstractParameter } from './abstract-parameters.js';
import { InternalError } from '../diagnostics/diagnostic.js';
import type { GradientReport } from '../report.js';
import type { Dim, Shape } from '../term/term.js';
import { shapeText } from '../term/term.js';
import type { Dense } from '../verify/dense.js';
import { EMBED_MAX_ENTRIES, type InputSample } from '../verify/sample.js';
import { pythonDocText } from './escape.js';
import type { FormatOptions } from './format-names.js';
import { emitPython, NUMPY_DIALECT, pythonIdentifiers, type PythonDialect } from './numpy.js';
import { freeDimParameters, reportIdentifiers } from './report.js';
import { TORCH_DIALECT } from './torch.js';

/**
 * `--format numpy` / `--format torch`: a self-contained Python module with
 * `f_and_grad_<wrt>(<inputs>) -> (value, grad)`, input conversion and shape assertions, and a
 * `__main__` self-check by central differences at inputs matcalc's own evaluator accepted.
 */

export interface Flavour {
  readonly dialect: PythonDialect;
  readonly imports: string;
  readonly library: string;
  /** Convert an input (by its Python name) to a 2-D float array / tensor. */
  readonly asArray: (name: string) => string;
  readonly asScalar: (name: string) => string;
  /** A literal for drawn values: nested rows, or a 1-D list for a vector. */
  readonly literal: (values: string) => string;
  readonly selfCheck: string;
  /** For inputs too large to embed: uniform(0.5, 1.5) entries of a shape, and the identity. */
  readonly uniform: (rows: number, cols: number | undefined) => string;
  readonly eye: (n: number) => string;
  readonly seedRng: string;
}

export const NUMPY: Flavour = {
  dialect: NUMPY_DIALECT,
  imports: 'import sys\n\nimport numpy as np',
  library: 'NumPy',
  asArray: (n) => `np.asarray(${n}, dtype=float)`,
  asScalar: (n) => `float(np.asarray(${n}, dtype=float).reshape(()))`,
  literal: (v) => `np.array(${v}, dtype=float)`,
  uniform: (r, c) => `rng.uniform(0.5, 1.5, ${c === undefined ? r : `(${r}, ${c})`})`,
  eye: (n) => `np.eye(${n})`,
  seedRng: 'rng = np.random.default_rng(1)',
  selfCheck: `    rng = np.random.default_rng(0)
    size = lambda x: int(np.size(x))
    unit = lambda x, j: np.reshape(np.eye(size(x))[j], np.shape(x))
    flat = lambda g: np.ravel(np.asarray(g, dtype=float))
    random = lambda x: rng.standard_normal(np.shape(x))`,
};

export const TORCH: Flavour = {
  dialect: TORCH_DIALECT,
  imports: 'import sys\n\nimport torch',
  library: 'PyTorch',
  asArray: (n) => `torch.as_tensor(${n}, dtype=torch.float64)`,
  asScalar: (n) => `torch.as_tensor(${n}, dtype=torch.float64).reshape(())`,
  literal: (v) => `torch.tensor(${v}, dtype=torch.float64)`,
  uniform: (r, c) => `(0.5 + torch.rand(${c === undefined ? `(${r},)` : `(${r}, ${c})`}, generator=rng, dtype=torch.float64))`,
  eye: (n) => `torch.eye(${n}, dtype=torch.float64)`,
  seedRng: 'rng = torch.Generator().manual_seed(1)',
  selfCheck: `    generator = torch.Generator().manual_seed(0)
    size = lambda x: torch.as_tensor(x).numel()
    unit = lambda x, j: torch.eye(size(x), dtype=torch.float64)[j].reshape(tuple(torch.as_tensor(x).shape))
    flat = lambda g: torch.as_tensor(g, dtype=torch.float64).reshape(-1)
    random = lambda x: torch.randn(tuple(torch.as_tensor(x).shape), generator=generator, dtype=torch.float64)`,
};

export function formatNumpy(report: GradientReport, options?: FormatOptions): string {
  return pythonModule(report, NUMPY, options);
}

export function formatTorch(report: GradientReport, options?: FormatOptions): string {
  return pythonModule(report, TORCH, options);
}

/** The self-checks compare every entry up to this many entries (of the variables, or of one variable in derivative modules); one random direction above. */
export const ENTRYWISE_MAX = 64;

export type Kind = 'scalar' | 'column' | 'row' | 'matrix';
export const kindOf = (s: Shape): Kind =>
  s[0] === 1 && s[1] === 1 ? 'scalar' : s[1] === 1 ? 'column' : s[0] === 1 ? 'row' : 'matrix';

const AXIS = ['rows', 'columns'] as const;


function verification(report: GradientReport): string {
  const c = report.check;
  if (!c) return 'UNVERIFIED: the numeric gradient check was not run (--no-check).';
  const sizes = Object.entries(c.sizes).map(([k, v]) => `${k}=${v}`).join(', ');
  if (c.status === 'passed') {
    return `matcalc verified the gradient numerically: relative error ${c.relativeError.toExponential(1)} over ${c.comparisons} finite-difference comparisons (seed ${c.seed}${sizes ? `, sizes ${sizes}` : ''}).`;
  }
  return `UNVERIFIED: matcalc's numeric gradient check was ${c.status} (seed ${c.seed})${c.reason ? `: ${c.reason}` : ''}.`;
}

/** The report's drawn inputs: a module cannot be written without them (they are the sizes too). */
export function sampleOf(report: { sample?: InputSample }): InputSample {
  if (!report.sample) throw new InternalError('a NumPy/PyTorch module needs the drawn inputs: request the report with sample: true (the default)');
  return report.sample;
}

/**
 * Self-check inputs drawn in Python, for inputs too large to embed: uniform(0.5, 1.5) entries (inside
 * the domains of log and sqrt), a square matrix plus 2n·I (strictly diagonally dominant with a
 * positive diagonal: invertible with det > 0, and SPD once symmetrized).
 */
export function drawnInPython(
  report: { declarations: GradientReport['declarations'] },
  variables: ReadonlyMap<string, Shape>,
  dimSizes: ReadonlyMap<string, number>,
  flavour: Pick<Flavour, 'uniform' | 'eye' | 'seedRng'> = NUMPY,
  names: readonly (readonly [string, string])[] = [...pythonIdentifiers(variables.keys())],
): string[] {
  const size = (d: Dim): number => dimSize(d, dimSizes)!;
  const lines = [
    `    # Too large to embed (over ${EMBED_MAX_ENTRIES} entries): drawn here, uniform(0.5, 1.5) entries, square matrices plus 2n·I.`,
    `    ${flavour.seedRng}`,
    '    inputs = {',
  ];
  for (const [name, py] of names) {
    const shape = variables.get(name)!;
    const [r, c] = [size(shape[0]), size(shape[1])];
    const props = report.declarations.assumptions.get(name) ?? new Set();
    let value: string;
    if (r === 1 && c === 1) value = '1.0';
    else if (c === 1 || r === 1) value = flavour.uniform(Math.max(r, c), undefined);
    else if (r !== c) value = flavour.uniform(r, c);
    else {
      value = `${flavour.uniform(r, c)} + ${2 * r} * ${flavour.eye(r)}`;
      if (props.has('symmetric') || props.has('spd')) value = `(lambda m: (m + m.T) / 2)(${value})`;
      if (props.has('diagonal')) value = `${flavour.eye(r)} * (${value})`;
    }
    // On the simplex: positive entries scaled to sum to 1.
    if (props.has('probability') && !(r === 1 && c === 1)) value = `(lambda v: v / v.sum())(${value})`;
    // Labels ±1: uniform(0.5, 1.5) entries above or below 1 (an entry of exactly 1 is measure zero).
    if (props.has('sign')) value = r === 1 && c === 1 ? '1.0' : `(lambda v: 2.0 * (v > 1.0) - 1.0)(${flavour.uniform(r === 1 || c === 1 ? Math.max(r, c) : r, r === 1 || c === 1 ? undefined : c)})`;
    lines.push(`        ${JSON.stringify(py)}: ${value},`);
  }
  lines.push('    }');
  return lines;
}

/** Drawn values as a literal: a number (scalar), a 1-D list (vector) or nested rows. */
export function literalOf(d: Dense, kind: Kind, flavour: Pick<Flavour, 'literal'>): string {
  const num = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));
  if (kind === 'scalar') return num(d.data[0]!);
  if (kind === 'column' || kind === 'row') return flavour.literal(`[${Array.from(d.data, num).join(', ')}]`);
  const rows: string[] = [];
  for (let i = 0; i < d.rows; i++) rows.push(`[${Array.from(d.data.subarray(i * d.cols, (i + 1) * d.cols), num).join(', ')}]`);
  return flavour.literal(`[${rows.join(', ')}]`);
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

/** What the caller passes for an abstract function, in the module's docstring. */
function abstractDoc(a: AbstractParameter, library: string): string {
  const [fn, derivative] = a.params;
  return a.role === 'scalar'
    ? `${fn}, ${derivative}: the function ${a.name} the expression declares (--function): ${fn}(Y) returns a scalar, ${derivative}(Y) its gradient, a ${library} array of Y's shape.`
    : `${fn}, ${derivative}: the element-wise function ${a.name} the expression declares (--elementwise): ${fn}(Y) and its derivative ${derivative}(Y), entry by entry, ${library} arrays of Y's shape.`;
}

function pythonModule(report: GradientReport, flavour: Flavour, _options?: FormatOptions): string {
  const variables = report.variables;
  // One identifier per input, distinct even where two names fold to one (`ſ`, `s`).
  const identifiers = reportIdentifiers(report);
  const entries = [...variables].map(([name, shape]) => ({ name, py: identifiers.get(name)!, shape, kind: kindOf(shape) }));
  const sample = sampleOf(report);
  const free = freeDimParameters(variables, sample.dimSizes, identifiers);
  const abstract = abstractParameters([report.f, ...report.gradients.map((g) => g.gradient)]);
  const args = [...entries.map((e) => e.py), ...free.params, ...abstract.flatMap((a) => a.params)];
  const wrt = report.gradients.map((g) => ({ name: g.name, py: identifiers.get(g.name)!, kind: kindOf(g.shape) }));
  const fname = `f_and_grad_${wrt.map((w) => w.py).join('_')}`;
  const single = wrt.length === 1;
  const texts = emitPython([report.f, ...report.gradients.map((g) => g.gradient)], { dimExpr: free.dimExpr, names: report.names, identifiers }, flavour.dialect);
  const locals = localNames(args, texts);

  // Docstring.
  const doc: string[] = [];
  doc.push(`Generated by matcalc (--format ${flavour === TORCH ? 'torch' : 'numpy'}): the value and gradient of`);
  doc.push('');
  for (const line of report.source.text.split('\n')) doc.push(`    ${line}`);
  doc.push('');
  doc.push(`with respect to ${report.wrt.join(', ')}, as ${flavour.library} code.`);
  doc.push('');
  doc.push('Shapes (symbolic dimensions must agree between arguments):');
  for (const e of entries) doc.push(`    ${e.py}: ${shapeText(e.shape)}${e.kind === 'column' ? ' (column vector; a 1-D array is accepted)' : e.kind === 'row' ? ' (row vector; a 1-D array is accepted)' : e.kind === 'scalar' ? ' (scalar)' : ''}`);
  doc.push('');
  doc.push(`Call ${fname}(${args.join(', ')}) -> (${locals.value}, ${single ? locals.grad(wrt[0]!.py) : `(${wrt.map((w) => locals.grad(w.py)).join(', ')})`}).`);
  doc.push('Each gradient has the shape of its argument as passed (a 1-D vector gets a 1-D gradient).');
  for (const a of abstract) doc.push(abstractDoc(a, flavour.library));
  doc.push('');
  doc.push(verification(report));
  for (const note of report.notes) doc.push(`Note: ${note}`);
  doc.push(`Run this file to re-check the gradient by central finite differences: entry by entry when the`);
  doc.push(`variables differentiated have at most ${ENTRYWISE_MAX} entries in all, else along a random direction.`);

  // Function body: conversion, assertions, value and gradients.
  const body: string[] = [];
  for (const e of entries) {
    if (e.kind === 'scalar') {
      body.push(`${e.py} = ${flavour.asScalar(e.py)}`);
      continue;
    }
    body.push(`${e.py} = ${flavour.asArray(e.py)}`);
    if (e.kind !== 'matrix') {
      body.push(`${locals.flat(e.py)} = ${e.py}.ndim == 1`);
      body.push(`if ${locals.flat(e.py)}:`);
      body.push(`    ${e.py} = ${e.py}.reshape(${e.kind === 'column' ? '-1, 1' : '1, -1'})`);
    }
    body.push(`assert ${e.py}.ndim == 2, f"${e.py} must be a ${e.kind === 'matrix' ? '2-D array' : '1-D or 2-D array'}, got shape {tuple(${e.py}.shape)}"`);
  }
  const seen = new Map<string, { py: string; axis: number }>();
  for (const e of entries) {
    if (e.kind === 'scalar') continue;
    e.shape.forEach((d: Dim, axis) => {
      const here = `${e.py}.shape[${axis}]`;
      if (typeof d === 'number') {
        const what =
          d === 1 && e.kind === 'column'
            ? `be a column vector, shape (n,) or (n, 1)`
            : d === 1 && e.kind === 'row'
              ? `be a row vector, shape (n,) or (1, n)`
              : `have ${d} ${AXIS[axis]} (--dims)`;
        body.push(`assert ${here} == ${d}, f"${e.py} must ${what}, got shape {tuple(${e.py}.shape)}"`);
        return;
      }
      const first = seen.get(d);
      if (!first) {
        seen.set(d, { py: e.py, axis });
        return;
      }
      const there = `${first.py}.shape[${first.axis}]`;
      const message =
        first.py === e.py
          ? `${e.py} must be square (${d}×${d}), got shape {tuple(${e.py}.shape)}`
          : `${e.py} has {${here}} ${AXIS[axis]} but ${first.py} has {${there}} ${AXIS[first.axis]} (both are ${d})`;
      body.push(`assert ${here} == ${there}, f"${message}"`);
    });
  }
  body.push(`${locals.value} = ${texts[0]!}`);
  wrt.forEach((w, i) => {
    const grad = locals.grad(w.py);
    body.push(`${grad} = ${texts[i + 1]!}`);
    if (w.kind === 'column' || w.kind === 'row') {
      body.push(`if ${locals.flat(w.py)}:`);
      body.push(`    ${grad} = ${grad}.reshape(-1)`);
    }
  });
  body.push(`return ${locals.value}, ${single ? locals.grad(wrt[0]!.py) : `(${wrt.map((w) => locals.grad(w.py)).join(', ')})`}`);

  // The self-check.
  const main: string[] = [];
  main.push(`WRT = (${wrt.map((w) => JSON.stringify(w.py)).join(', ')}${single ? ',' : ''})`);
  main.push('');
  main.push('');
  main.push('def _self_check():');
  main.push(`    """Compares the gradient with central differences (one Richardson step): entry by entry when the variables differentiated have at most ${ENTRYWISE_MAX} entries in all, else along one random direction. Returns the relative error."""`);
  const drawn = sample.inputs;
  if (typeof drawn !== 'string') {
    main.push('    # Inputs drawn by matcalc\'s sampler and accepted by its evaluator (inside every domain, away from kinks).');
    main.push('    inputs = {');
    for (const e of entries) main.push(`        ${JSON.stringify(e.py)}: ${literalOf(drawn.get(e.name)!, e.kind, flavour)},`);
    main.push('    }');
  } else if (drawn === 'too-large') {
    main.push(...drawnInPython(report, variables, sample.dimSizes, flavour, entries.map((e) => [e.name, e.py])));
  } else {
    main.push('    # matcalc found no inputs inside the domain; positive values uniform(0.5, 1.5) instead.');
    main.push('    raise SystemExit("no sample inputs: matcalc could not draw inputs inside the domain")');
  }
  if (abstract.length > 0) {
    main.push('    # Smooth stand-ins for the abstract functions, each with its exact derivative.');
    main.push(...abstractStandIns(abstract, flavour === TORCH ? 'torch' : 'numpy').map((l) => `    ${l}`));
    main.push(`    inputs.update(${abstract.flatMap((a) => a.params).map((p) => `${p}=${p}`).join(', ')})`);
  }
  main.push(`    value, grads = ${fname}(**inputs)`);
  if (single) main.push('    grads = (grads,)');
  main.push(flavour.selfCheck);
  main.push('    h = 1e-4');
  main.push('');
  main.push('    def slope(v):');
  main.push('        """The derivative of f along v (a direction for each variable in WRT)."""');
  main.push('        def f_at(t):');
  main.push('            moved = dict(inputs)');
  main.push('            for n in WRT:');
  main.push('                moved[n] = inputs[n] + t * v[n]');
  main.push(`            return ${fname}(**moved)[0]`);
  main.push('        q = lambda s: (f_at(s) - f_at(-s)) / (2 * s)');
  main.push('        return (4 * q(h / 2) - q(h)) / 3');
  main.push('');
  main.push(`    if sum(size(inputs[n]) for n in WRT) <= ${ENTRYWISE_MAX}:`);
  main.push('        # Every entry of every gradient, each against the slope along its unit direction.');
  main.push('        numeric, symbolic = [], []');
  main.push('        for n, g in zip(WRT, grads):');
  main.push('            for j in range(size(inputs[n])):');
  main.push('                numeric.append(slope({m: unit(inputs[m], j) if m == n else 0 * unit(inputs[m], 0) for m in WRT}))');
  main.push('                symbolic.append(float(flat(g)[j]))');
  main.push('        what = f"{len(numeric)} gradient entries"');
  main.push('    else:');
  main.push('        # Too many entries to take one by one: the directional derivative along one random direction.');
  main.push('        direction = {n: random(inputs[n]) for n in WRT}');
  main.push('        numeric = [slope(direction)]');
  main.push('        symbolic = [sum(float((flat(g) * flat(direction[n])).sum()) for n, g in zip(WRT, grads))]');
  main.push('        what = "the directional derivative along a random direction"');
  main.push('    error = max(abs(s - q) for s, q in zip(symbolic, numeric)) / max(max(abs(x) for x in symbolic + numeric), 1e-6 * (1 + abs(value)))');
  main.push('    print(f"f = {value:.12g}; {what} against central differences: relative error {error:.2e}")');
  main.push('    return error');
  main.push('');
  main.push('');
  main.push('if __name__ == "__main__":');
  main.push('    sys.exit(0 if _self_check() <= 1e-5 else 1)');

  return [
    `"""${pythonDocText(doc.join('\n'))}\n"""`,
    '',
    flavour.imports + scipyImports(body), // erf, logsumexp, expm
    '',
    '',
    `def ${fname}(${args.join(', ')}):`,
    ...body.map((l) => `    ${l}`),
    '',
    '',
    ...main,
    '',
  ].join('\n');
}

/** The scipy modules emitted code calls (erf and logsumexp from scipy.special, expm from scipy.linalg), imported where used. */
export function scipyImports(lines: readonly string[]): string {
  return ['special', 'linalg']
    .filter((m) => lines.some((l) => l.includes(`scipy.${m}.`)))
    .map((m) => `\nimport scipy.${m}`)
    .join('');
}

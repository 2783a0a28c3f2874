import { abstractParameters, abstractStandIns, type AbstractParameter } from './abstract-parameters.js';
import type { GradientReport, Report } from '../report.js';
import type { Dim } from '../term/term.js';
import { shapeText } from '../term/term.js';
import { derivativeModule } from './derivative-module.js';
import { pythonDocText } from './escape.js';
import type { FormatOptions } from './format-names.js';
import { emitPython } from './numpy.js';
import { drawnInPython, ENTRYWISE_MAX, kindOf, literalOf, NUMPY, sampleOf, scipyImports, TORCH, type Flavour } from './python-flavour.js';
import { freeDimParameters, reportIdentifiers } from './report.js';

/**
 * `--format numpy` / `--format torch` of every command: a self-contained Python module. For grad,
 * `f_and_grad_<wrt>(<inputs>) -> (value, grad)` with input conversion and shape assertions; for
 * diff|jac|hess a function per block (derivative-module.ts). Run as a script, either compares its
 * results with central differences at inputs matcalc's own evaluator accepted.
 */

/** A Formatter (formats.ts): the options change nothing in a module. */
export function formatNumpy(report: Report, _options?: FormatOptions): string {
  return report.command === 'grad' ? gradientModule(report, NUMPY) : derivativeModule(report, NUMPY);
}

export function formatTorch(report: Report, _options?: FormatOptions): string {
  return report.command === 'grad' ? gradientModule(report, TORCH) : derivativeModule(report, TORCH);
}

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

function gradientModule(report: GradientReport, flavour: Flavour): string {
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
  doc.push(`Generated by matcalc (--format ${flavour.format}): the value and gradient of`);
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
    main.push(...abstractStandIns(abstract, flavour.format).map((l) => `    ${l}`));
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


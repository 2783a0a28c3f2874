import type { Report } from '../report.js';
import { abstractParameters } from './abstract-parameters.js';
import { emitPython } from './numpy.js';
import { ENTRYWISE_MAX, kindOf, sampleOf, type Flavour } from './python-flavour.js';
import { argumentConversion, argumentDoc, docHead, docTail, moduleNoun, pythonModule, selfCheckInputs, type PythonArgument } from './python-layout.js';
import { freeDimParameters, reportIdentifiers } from './report.js';

/**
 * grad's NumPy/PyTorch module (python-layout.ts lays it out): `f_and_grad_<wrt>(<inputs>) -> (value,
 * grad)`, each gradient of its argument's shape as passed (a 1-D vector gets a 1-D gradient), and a
 * self-check of every gradient entry (or of a random direction) against central differences of f.
 */
export function gradientModule(report: Report, flavour: Flavour): string {
  // One identifier per input, distinct even where two names fold to one (`ſ`, `s`).
  const identifiers = reportIdentifiers(report);
  const entries: PythonArgument[] = [...report.variables].map(([name, shape]) => ({ name, py: identifiers.get(name)!, shape, kind: kindOf(shape) }));
  const sample = sampleOf(report);
  const free = freeDimParameters(report.variables, sample.dimSizes, identifiers);
  const abstract = abstractParameters([report.f, ...report.gradients.map((g) => g.gradient)]);
  // The callables before the free dimensions: those have defaults, and a parameter without one cannot follow them.
  const args = [...entries.map((e) => e.py), ...abstract.flatMap((a) => a.params), ...free.params];
  const wrt = report.gradients.map((g) => ({ name: g.name, py: identifiers.get(g.name)!, kind: kindOf(g.shape) }));
  const fname = `f_and_grad_${wrt.map((w) => w.py).join('_')}`;
  const single = wrt.length === 1;
  const texts = emitPython([report.f, ...report.gradients.map((g) => g.gradient)], { dimExpr: free.dimExpr, names: report.names, identifiers }, flavour.dialect);
  const locals = localNames(args, texts);
  const returned = `${locals.value}, ${single ? locals.grad(wrt[0]!.py) : `(${wrt.map((w) => locals.grad(w.py)).join(', ')})`}`;

  const doc = [
    ...docHead(report, flavour, moduleNoun(report), `, as ${flavour.library} code.`),
    '',
    'Shapes (symbolic dimensions must agree between arguments):',
    ...argumentDoc(report, entries),
    '',
    `Call ${fname}(${args.join(', ')}) -> (${returned}).`,
    'Each gradient has the shape of its argument as passed (a 1-D vector gets a 1-D gradient).',
    ...docTail(report, abstract, flavour, verification(report)),
    `Run this file to re-check the gradient by central finite differences: entry by entry when the`,
    `variables differentiated have at most ${ENTRYWISE_MAX} entries in all, else along a random direction.`,
  ];

  // Function body: conversion, assertions, value and gradients (a 1-D vector's back to 1-D).
  const body = [...argumentConversion(entries, flavour, locals.flat), `${locals.value} = ${texts[0]!}`];
  wrt.forEach((w, i) => {
    const grad = locals.grad(w.py);
    body.push(`${grad} = ${texts[i + 1]!}`);
    if (w.kind === 'column' || w.kind === 'row') body.push(`if ${locals.flat(w.py)}:`, `    ${grad} = ${grad}.reshape(-1)`);
  });
  body.push(`return ${returned}`);

  return pythonModule({
    flavour,
    doc,
    functions: [[`def ${fname}(${args.join(', ')}):`, ...body.map((l) => `    ${l}`)]],
    constants: [`WRT = (${wrt.map((w) => JSON.stringify(w.py)).join(', ')}${single ? ',' : ''})`],
    checkDoc: `Compares the gradient with central differences (one Richardson step): entry by entry when the variables differentiated have at most ${ENTRYWISE_MAX} entries in all, else along one random direction. Returns the relative error.`,
    inputs: selfCheckInputs(report, entries, sample, flavour, abstract),
    check: gradientCheck(report, fname, wrt, flavour),
  });
}

/** The docstring's sentence on matcalc's own check of the gradient. */
function verification(report: Report): string {
  const c = report.check;
  if (!c) return 'UNVERIFIED: the numeric gradient check was not run (--no-check).';
  const sizes = Object.entries(c.sizes).map(([k, v]) => `${k}=${v}`).join(', ');
  if (c.status === 'passed') {
    return `matcalc verified the gradient numerically: relative error ${c.relativeError.toExponential(1)} over ${c.comparisons} finite-difference comparisons (seed ${c.seed}${sizes ? `, sizes ${sizes}` : ''}).`;
  }
  return `UNVERIFIED: matcalc's numeric gradient check was ${c.status} (seed ${c.seed})${c.reason ? `: ${c.reason}` : ''}.`;
}

/**
 * The self-check's comparisons: f's slope along each unit direction of every variable differentiated
 * (or along one random direction of all of them) against the gradients' entries.
 */
function gradientCheck(report: Report, fname: string, wrt: readonly { name: string; py: string; kind: string }[], flavour: Flavour): string[] {
  const main: string[] = [];
  main.push(`    value, grads = ${fname}(**inputs)`);
  if (wrt.length === 1) main.push('    grads = (grads,)');
  main.push(flavour.selfCheck);
  main.push('    h = 1e-4');
  // A structured gradient (--structured) is the derivative with respect to the free entries Xᵢⱼ = Xⱼᵢ
  // (i ≤ j): its directions move both, and along V = Vᵀ it pairs as ⟨(G + I ⊙ G)/2, V⟩.
  const structured = wrt.filter((w) => w.kind === 'matrix' && report.gradients.some((g) => g.structured && g.name === w.name));
  if (structured.length > 0) {
    main.push(`    # The gradient of ${structured.map((w) => w.py).join(', ')} is structured (--structured): the derivative with respect to the free entries`);
    main.push('    # Xᵢⱼ = Xⱼᵢ (i ≤ j), so each direction moves both, and along a symmetric V it pairs as ⟨(G + I ⊙ G)/2, V⟩.');
    main.push(`    STRUCTURED = (${structured.map((w) => JSON.stringify(w.py)).join(', ')}${structured.length === 1 ? ',' : ''})`);
    main.push(`    diagonal = ${flavour.diagonal}`);
    main.push('    along = lambda n, v: v + v.T - diagonal(v) if n in STRUCTURED else v');
    main.push('    paired = lambda n, g: (g + diagonal(g)) / 2 if n in STRUCTURED else g');
  }
  const along = (n: string, v: string) => (structured.length > 0 ? `along(${n}, ${v})` : v);
  const paired = (n: string, g: string) => (structured.length > 0 ? `paired(${n}, ${g})` : g);
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
  main.push(`                numeric.append(slope({m: ${along('m', 'unit(inputs[m], j)')} if m == n else 0 * unit(inputs[m], 0) for m in WRT}))`);
  main.push('                symbolic.append(float(flat(g)[j]))');
  main.push('        what = f"{len(numeric)} gradient entries"');
  main.push('    else:');
  main.push('        # Too many entries to take one by one: the directional derivative along one random direction.');
  main.push(`        direction = {n: ${along('n', 'random(inputs[n])')} for n in WRT}`);
  main.push('        numeric = [slope(direction)]');
  main.push(`        symbolic = [sum(float((flat(${paired('n', 'g')}) * flat(direction[n])).sum()) for n, g in zip(WRT, grads))]`);
  main.push('        what = "the directional derivative along a random direction"');
  main.push('    error = max(abs(s - q) for s, q in zip(symbolic, numeric)) / max(max(abs(x) for x in symbolic + numeric), 1e-6 * (1 + abs(value)))');
  main.push('    print(f"f = {value:.12g}; {what} against central differences: relative error {error:.2e}")');
  main.push('    return error');
  return main;
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

import type { Shape } from '../term/term.js';
import { ENTRYWISE_MAX, type Flavour } from './python-flavour.js';

/**
 * The comparisons of a NumPy/PyTorch module's `_self_check()` (python-module.ts), after the inputs:
 * the gradients' entries (or a random direction) against central differences of f; each block's
 * differential against central differences of the function it differentiates, and its matrix applied
 * to the directions; the assembled Hessian along a direction of every variable.
 */

/**
 * The self-check's comparisons: f's slope along each unit direction of every variable differentiated
 * (or along one random direction of all of them) against the gradients' entries.
 */
export function gradientCheck(fname: string, wrt: readonly { name: string; py: string; kind: string; structured: boolean }[], flavour: Flavour): string[] {
  const main: string[] = [];
  main.push(`    value, grads = ${fname}(**inputs)`);
  if (wrt.length === 1) main.push('    grads = (grads,)');
  main.push(flavour.selfCheck);
  main.push('    h = 1e-4');
  // A structured gradient (--structured) is the derivative with respect to the free entries Xᵢⱼ = Xⱼᵢ
  // (i ≤ j): its directions move both, and along V = Vᵀ it pairs as ⟨(G + I ⊙ G)/2, V⟩.
  const structured = wrt.filter((w) => w.kind === 'matrix' && w.structured);
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

/** What the self-check compares for one block: the function, its differential function and the matrix's, by name. */
export interface BlockCheck {
  readonly fn: string;
  readonly differential: string;
  readonly direction: string;
  readonly variable: string;
  readonly shape: Shape;
  readonly matrix?: string;
  readonly transposed?: string;
}

/** One block's comparisons: its differential against central differences of the function it differentiates, then its matrix applied to the directions. */
export function blockCheck(k: BlockCheck, flavour: Flavour): string[] {
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
export function assembledCheck(ids: readonly string[], gradientFunctions: readonly string[], assembled: string, flavour: Flavour): string[] {
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

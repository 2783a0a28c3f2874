import type { Report } from '../report.js';
import type { OpName } from '../term/ops.js';
import { postOrder } from '../term/traverse.js';
import { emitPython, NUMPY_DIALECT, py, type Py, type PythonDialect } from './numpy.js';
import { kindOf, NUMPY } from './python-flavour.js';
import type { AbstractParameter } from './abstract-parameters.js';
import { callableKeywords, conversion, docHead, docString, freeDimLines, planCallables, SELF_CHECK_MAIN, selfCheckOpening, symmetricNote, tupleOf, vjpMeaning } from './vjp-module.js';
import { nameAllocator, vjpPlan, vjpTexts, type VjpInput } from './vjp-plan.js';

/**
 * `--format jax`: f as a `jax.numpy` function; a `jax.custom_vjp` version whose forward saves the
 * temporaries its backward reads (the residuals) and whose backward is matcalc's vector-Jacobian
 * product (vjp-plan.ts); that product itself as a function (grad: the gradient); and a `__main__`
 * self-check with `jax.test_util.check_grads` and against `jax.vjp` of the plain function.
 *
 * The module does not change JAX's configuration on import (enabling float64 is the program's
 * choice: `jax.config.update("jax_enable_x64", True)`); run as a script, it enables float64 for
 * its self-check.
 */

/** `np.` and `scipy.special.` as the library spells them in JAX (only where they are the library, not a suffix of a name). */
const toJax = (text: string): string =>
  text.replace(/(?<![\p{L}\p{N}_.])np\./gu, 'jnp.').replace(/(?<![\p{L}\p{N}_.])scipy\.(special|linalg)\./gu, 'jax.scipy.$1.');
const jaxPy = (p: Py): Py => py(toJax(p.text), p.prec, p.signed, p.op);

/**
 * The NumPy printer's `jnp` flavour: every entry of numpy.ts's dialect, respelled (jax.numpy keeps
 * NumPy's names and signatures), so an entry added there is here too. A scalar result stays an
 * array: `float()` of a traced value fails under `jax.grad` and `jax.jit`.
 */
export const JAX_DIALECT: PythonDialect = (() => {
  // A printer's result respelled: Py or plain text alike.
  const respell = (print: (...a: unknown[]) => Py | string) => (...args: unknown[]) => {
    const printed = print(...args);
    return typeof printed === 'string' ? toJax(printed) : jaxPy(printed);
  };
  const spelled: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(NUMPY_DIALECT) as [string, unknown][]) {
    if (typeof entry === 'function') spelled[key] = respell(entry as (...a: unknown[]) => Py | string);
    else if (entry !== null && typeof entry === 'object') {
      // A table of printers (the element-wise functions, the ops): each one respelled.
      spelled[key] = Object.fromEntries(
        Object.entries(entry as Record<string, unknown>).map(([name, print]) => [name, typeof print === 'function' ? respell(print as (...a: unknown[]) => Py | string) : print]),
      );
    } else spelled[key] = entry;
  }
  return { ...(spelled as unknown as PythonDialect), scalarResult: (text: string) => `jnp.reshape(jnp.asarray(${text}), ())` };
})();

const AS_ARRAY = (n: string): string => `jnp.asarray(${n}, dtype=float)`;

/**
 * Ops the JAX module cannot compute and differentiate: jax.scipy has no logm, and JAX differentiates
 * neither its sqrtm nor the eigenvectors of a non-symmetric matrix (PyTorch's route, principal-code.ts),
 * so the module's self-check through jax.vjp could not run. The CLI refuses the format for them.
 */
const JAX_LACKS: Partial<Record<OpName, string>> = {
  sqrtm: 'sqrtm', sqrtm_frechet: 'sqrtm', logm: 'logm', logm_frechet: 'logm',
};

/** Why --format jax cannot print this report's function, or undefined. */
export function jaxRefusal(report: Report): string | undefined {
  const lacking = new Set<string>();
  for (const node of postOrder([report.f])) if (node.kind === 'op' && JAX_LACKS[node.op] !== undefined) lacking.add(JAX_LACKS[node.op]!);
  if (lacking.size === 0) return undefined;
  return `--format jax cannot compute ${[...lacking].join(' and ')}: JAX has no logm and differentiates neither its sqrtm nor a non-symmetric eigendecomposition; use --format numpy, torch or torch-autograd`;
}

export function formatJax(report: Report): string {
  const plan = vjpPlan(report);
  const texts = vjpTexts(report, plan, JAX_DIALECT, ['sys', 'jax', 'jnp', 'np']);
  const abstract = planCallables(plan);
  // The abstract functions' callables: parameters after the arrays (the custom VJP closes over them).
  const callables = abstract.flatMap((a) => a.params);
  const fresh = nameAllocator(new Set([...texts.taken, ...callables]));
  const hess = report.command === 'hess';
  const names = {
    plain: fresh('f'),
    custom: fresh(hess ? 'gradient_vjp' : 'f_vjp'),
    product: fresh(report.command === 'grad' ? 'grad_f' : hess ? 'hvp' : 'vjp_f'),
    primal: fresh('primal'),
    fwd: fresh('fwd'),
    bwd: fresh('bwd'),
    residuals: fresh('residuals'),
    cotangent: fresh('cotangent'),
    result: fresh('result'),
  };
  const args = plan.inputs.map((i) => i.py);
  const withCallables = [...args, ...callables];
  // The custom VJP's arguments in --wrt order, the order of the backward's results.
  const wrt = plan.backward.map((b) => b.input);
  const constants = plan.inputs.filter((i) => !i.wrt);
  const seeds: VjpInput[] = plan.seeds.map((s) => ({ name: s.name, py: plan.identifiers.get(s.name)!, shape: s.shape, kind: kindOf(s.shape), wrt: false }));
  const single = (items: readonly string[]): string => (items.length === 1 ? items[0]! : `(${items.join(', ')})`);

  const doc = docHead(report, 'jax', 'JAX code', plan, abstract);
  doc.push('');
  doc.push(...vjpMeaning(report, { fn: names.custom, seeds: seeds.map((s) => s.py) }));
  doc.push(`${names.plain}(${withCallables.join(', ')}) is f as a plain jax.numpy expression; ${names.product}(…) is the product itself.`);
  doc.push('Vectors are (n, 1) columns inside (a 1-D argument is reshaped), scalars 0-d; float64 needs jax.config.update("jax_enable_x64", True).');
  if (constants.length > 0) {
    doc.push(`${constants.map((i) => i.py).join(', ')} ${constants.length === 1 ? 'is' : 'are'} not in --wrt: ${names.custom} closes over ${constants.length === 1 ? 'it' : 'them'}, so JAX refuses to differentiate`);
    doc.push(`with respect to ${constants.length === 1 ? 'it' : 'them'} (an UnexpectedTracerError) rather than return a wrong zero.`);
  }
  doc.push(...symmetricNote(report, plan));
  doc.push('Run this file (float64) to check the custom VJP with jax.test_util.check_grads and against jax.vjp of the plain function.');

  const out: string[] = [docString(doc), '', 'import sys', '', 'import jax', 'import jax.numpy as jnp'];
  // jax.scipy's modules where the code uses them (NumPy's printer writes scipy.special/scipy.linalg).
  for (const sub of ['special', 'linalg']) if ([...texts.outputs, ...texts.backward].some((t) => t.includes(`jax.scipy.${sub}.`))) out.push(`import jax.scipy.${sub}`);
  out.push('import numpy as np', ...freeDimLines(texts.freeDims), '');
  out.push(`__all__ = ${tupleOf([names.plain, names.custom, names.product])}`, '', '');

  const converted = plan.inputs.flatMap((i) => conversion(i, AS_ARRAY)).map((l) => `    ${l}`);
  const plainF = emitPython([plan.f], { dimExpr: texts.dimExpr, names: report.names, identifiers: plan.identifiers }, JAX_DIALECT)[0]!;
  out.push(`def ${names.plain}(${withCallables.join(', ')}):`);
  out.push('    """f as a plain jax.numpy expression (what jax.grad differentiates in the self-check)."""');
  out.push(...converted);
  out.push(`    return ${plainF}`);
  out.push('', '');

  // The custom VJP, built per call around the constants (closed over) so only --wrt inputs are its arguments.
  const params = wrt.map((i) => i.py);
  const residuals = texts.saved.filter((n) => !constants.some((c) => c.py === n));
  out.push(`def ${names.custom}(${withCallables.join(', ')}):`);
  out.push(`    """${hess ? 'The gradient of f' : 'f'} with matcalc's backward as its jax.custom_vjp rule."""`);
  out.push(...converted);
  out.push('');
  out.push('    @jax.custom_vjp');
  out.push(`    def ${names.primal}(${params.join(', ')}):`);
  out.push(`        return ${names.fwd}(${params.join(', ')})[0]`);
  out.push('');
  out.push(`    def ${names.fwd}(${params.join(', ')}):`);
  out.push(`        ${names.result} = ${single(texts.outputs)}`);
  out.push(`        return ${names.result}, (${residuals.join(', ')}${residuals.length === 1 ? ',' : ''})`);
  out.push('');
  out.push(`    def ${names.bwd}(${names.residuals}, ${names.cotangent}):`);
  if (residuals.length > 0) out.push(`        ${residuals.join(', ')}${residuals.length === 1 ? ',' : ''} = ${names.residuals}`);
  out.push(`        ${seeds.map((s) => s.py).join(', ')} = ${names.cotangent}`);
  out.push(`        return (${texts.backward.join(', ')}${texts.backward.length === 1 ? ',' : ''})`);
  out.push('');
  out.push(`    ${names.primal}.defvjp(${names.fwd}, ${names.bwd})`);
  out.push(`    return ${names.primal}(${params.join(', ')})`);
  out.push('', '');

  // The product itself, with the cotangents as arguments (grad: defaults to 1, the gradient).
  const products = emitPython(plan.backward.map((b) => b.term), { dimExpr: texts.dimExpr, names: report.names, identifiers: plan.identifiers }, JAX_DIALECT);
  const seedParams = seeds.map((s) => (report.command === 'grad' ? `${s.py}=1.0` : s.py));
  // The callables before the cotangents: grad's has a default, and a parameter without one cannot follow it.
  out.push(`def ${names.product}(${[...withCallables, ...seedParams].join(', ')}):`);
  out.push(`    """matcalc's vector-Jacobian product for ${params.join(', ')}: ${report.command === 'grad' ? 'the gradient (times the upstream scalar)' : hess ? 'the Hessian applied to the upstream gradients' : 'the pullback of the upstream gradient'}."""`);
  out.push(...converted);
  out.push(...seeds.flatMap((s) => conversion(s, AS_ARRAY)).map((l) => `    ${l}`));
  out.push(`    return ${single(products)}`);
  out.push('', '');
  out.push(...selfCheck(report, plan, names, args, params, seeds.length, abstract));
  return `${out.join('\n')}\n`;
}

function selfCheck(
  report: Report,
  plan: ReturnType<typeof vjpPlan>,
  names: { plain: string; custom: string; product: string },
  args: readonly string[],
  wrt: readonly string[],
  seedCount: number,
  abstract: readonly AbstractParameter[],
): string[] {
  const head = [
    '"""check_grads on the custom VJP, and it against jax.vjp of the plain function; the worst relative difference."""',
    'jax.config.update("jax_enable_x64", True)',
  ];
  const { lines: out, complete } = selfCheckOpening(report, plan, NUMPY, { args, wrt }, head, { abstract, library: 'jax' });
  if (complete) return out;
  const keywords = callableKeywords(abstract);
  // jax.grad of the plain function by position: the callables bound first.
  const plain = abstract.length === 0 ? names.plain : `lambda *values: ${names.plain}(*values, **callables)`;
  out.push('    from jax.test_util import check_grads');
  out.push('    leaves = [jnp.asarray(inputs[n], dtype=float) for n in ARGUMENTS]');
  out.push('    wrt = [leaves[ARGUMENTS.index(n)] for n in WRT]');
  out.push('    positions = tuple(ARGUMENTS.index(n) for n in WRT)');
  out.push('    def arguments(values):');
  out.push('        full = list(leaves)');
  out.push('        for n, v in zip(WRT, values):');
  out.push('            full[ARGUMENTS.index(n)] = v');
  out.push('        return [(v + v.T) / 2 if n in SYMMETRIC else v for n, v in zip(ARGUMENTS, full)]');
  if (report.command === 'hess') {
    // The gradient of a symmetric input counts by its symmetric part (vjp-module.ts symmetricNote).
    out.push('    def symmetric_parts(gradients):');
    out.push('        return tuple((g + g.T) / 2 if n in SYMMETRIC else g for n, g in zip(WRT, gradients))');
    out.push('    def ours(*values):');
    out.push(`        gradients = ${names.custom}(*arguments(values)${keywords})`);
    out.push(`        return symmetric_parts(${seedCount === 1 ? '(gradients,)' : 'gradients'})${seedCount === 1 ? '[0]' : ''}`);
    out.push('    def reference(*values):');
    out.push(`        gradients = jax.grad(${plain}, argnums=positions)(*arguments(values))`);
    out.push(`        return symmetric_parts(gradients)${seedCount === 1 ? '[0]' : ''}`);
  } else {
    out.push('    def ours(*values):');
    out.push(`        return ${names.custom}(*arguments(values)${keywords})`);
    out.push('    def reference(*values):');
    out.push(`        return ${names.plain}(*arguments(values)${keywords})`);
  }
  out.push('    worst = 0.0');
  out.push('    try:');
  // check_grads' default step (1e-4) loses 3–4 digits on sharply curved inputs (an inverse of a
  // matrix near singular, a cube) where the VJP is exact: float64 central differences take 1e-6, as
  // torch.autograd.gradcheck does.
  out.push('        check_grads(ours, wrt, order=1, modes=["rev"], eps=1e-6)');
  out.push('        print("jax.test_util.check_grads: passed")');
  out.push('    except AssertionError as failure:');
  out.push('        print(f"jax.test_util.check_grads: FAILED {failure}")');
  out.push('        worst = float("inf")');
  out.push('    def difference(a, b):');
  out.push('        a, b = np.ravel(np.asarray(a)), np.ravel(np.asarray(b))');
  out.push('        return float(np.max(np.abs(a - b), initial=0.0) / max(float(np.max(np.abs(b), initial=0.0)), 1e-8))');
  out.push('    mine, pull = jax.vjp(ours, *wrt)');
  out.push('    theirs, pull_reference = jax.vjp(reference, *wrt)');
  out.push('    leaves_mine, tree = jax.tree_util.tree_flatten(mine)');
  out.push('    leaves_theirs, tree_theirs = jax.tree_util.tree_flatten(theirs)');
  out.push('    error = max(difference(a, b) for a, b in zip(leaves_mine, leaves_theirs))');
  out.push('    print(f"forward against the plain function: relative difference {error:.2e}")');
  out.push('    worst = max(worst, error)');
  out.push('    rng = np.random.default_rng(0)');
  out.push('    upstream = [jnp.asarray(rng.standard_normal(np.shape(leaf))) for leaf in leaves_mine]');
  out.push('    vjp = pull(jax.tree_util.tree_unflatten(tree, upstream))');
  out.push('    expected = pull_reference(jax.tree_util.tree_unflatten(tree_theirs, [u.reshape(np.shape(t)) for u, t in zip(upstream, leaves_theirs)]))');
  out.push(`    direct = ${names.product}(*arguments(wrt), ${abstract.length === 0 ? '' : '*callables.values(), '}*${report.command === 'hess' ? 'symmetric_parts(upstream)' : 'upstream'})`);
  out.push('    direct = direct if isinstance(direct, tuple) else (direct,)');
  out.push('    for n, m, d, e in zip(WRT, vjp, direct, expected):');
  out.push('        d = jnp.reshape(d, np.shape(e))');
  out.push('        d = (d + d.T) / 2 if n in SYMMETRIC else d  # the chain rule through (P + Pᵀ)/2');
  out.push('        error = max(difference(m, e), difference(d, e))');
  out.push('        print(f"VJP for {n} against jax.vjp of the plain function: relative difference {error:.2e}")');
  out.push('        worst = max(worst, error)');
  out.push(...SELF_CHECK_MAIN);
  return out;
}

import type { Report } from '../report.js';
import { emitPython } from './numpy.js';
import { TORCH } from './python-flavour.js';
import { TORCH_DIALECT } from './torch.js';
import type { AbstractParameter } from './abstract-parameters.js';
import { callableKeywords, conversion, docHead, docString, freeDimLines, planCallables, SELF_CHECK_MAIN, selfCheckOpening, symmetricNote, tupleOf, vjpMeaning } from './vjp-module.js';
import { nameAllocator, vjpPlan, vjpTexts } from './vjp-plan.js';

/**
 * `--format torch-autograd`: a `torch.autograd.Function` whose forward computes f (F; for hess the
 * gradient) and saves the temporaries its backward reads, and whose backward returns matcalc's
 * vector-Jacobian product (vjp-plan.ts) for each input that needs it; a plain function wrapping
 * `.apply` with the argument conventions; the plain expression, for autograd to compare with; and a
 * `__main__` self-check: `torch.autograd.gradcheck` on matcalc's own sample, and the backward
 * against autograd of the plain expression.
 */

/** Inside autograd a scalar result stays a 0-d tensor (python-module.ts's float() would cut the graph). */
const DIALECT = { ...TORCH_DIALECT, scalarResult: (text: string) => `torch.as_tensor(${text}, dtype=torch.float64).reshape(())` };
const AS_TENSOR = (n: string): string => `torch.as_tensor(${n}, dtype=torch.float64)`;

export function formatTorchAutograd(report: Report): string {
  const plan = vjpPlan(report);
  const texts = vjpTexts(report, plan, DIALECT, ['sys', 'torch']);
  const abstract = planCallables(plan);
  // The abstract functions' callables: parameters after the tensors, kept on ctx for the backward.
  const callables = abstract.flatMap((a) => a.params);
  const fresh = nameAllocator(new Set([...texts.taken, ...callables]));
  const hess = report.command === 'hess';
  const names = {
    cls: fresh(hess ? 'Gradient' : 'Function'),
    fn: fresh(hess ? 'gradient' : 'f'),
    plain: fresh('f_plain'),
    refuse: fresh('_refuse'),
    ctx: fresh('ctx'),
    result: fresh('result'),
  };
  const grads = plan.backward.map((b) => fresh(`grad_${b.input.py}`));
  const seeds = plan.seeds.map((s) => plan.identifiers.get(s.name)!);
  const args = plan.inputs.map((i) => i.py);
  const params = [...args, ...callables];
  const constants = plan.inputs.filter((i) => !i.wrt);

  const doc = docHead(report, 'torch-autograd', 'a torch.autograd.Function', plan, abstract);
  doc.push('');
  doc.push(...vjpMeaning(report, { fn: `${names.cls}.apply`, seeds }));
  doc.push(`Call ${names.fn}(${params.join(', ')}); ${names.plain}(${params.join(', ')}) is f as a plain expression.`);
  doc.push('Every argument is converted to a float64 tensor (vectors as (n, 1) columns); the result is 2-D, or 0-d when scalar.');
  if (constants.length > 0) {
    doc.push(`${constants.map((i) => i.py).join(', ')} ${constants.length === 1 ? 'is' : 'are'} not in --wrt: the backward raises if ${constants.length === 1 ? 'it requires' : 'one requires'} grad.`);
  }
  doc.push(...symmetricNote(report, plan));
  doc.push('Run this file to check the backward with torch.autograd.gradcheck and against autograd of the plain expression.');

  const out: string[] = [docString(doc), '', 'import sys', '', 'import torch', ...freeDimLines(texts.freeDims), ''];
  out.push(`__all__ = ${tupleOf([names.fn, names.plain, names.cls])}`, '', '');
  out.push(`def ${names.refuse}(name):`);
  out.push(`    raise RuntimeError(f"matcalc differentiated with respect to ${report.wrt.map((name) => plan.identifiers.get(name)!).join(', ')} only, but {name} requires grad: add it to --wrt")`);
  out.push('', '');

  // The Function: forward saves, backward reads.
  out.push(`class ${names.cls}(torch.autograd.Function):`);
  out.push(`    """${hess ? 'The gradient of f; backward: the Hessian applied to the upstream gradient' : 'f; backward: its symbolic vector-Jacobian product'} (tensors in the 2-D convention)."""`);
  out.push('');
  out.push('    @staticmethod');
  out.push(`    def forward(${[names.ctx, ...params].join(', ')}):`);
  if (callables.length > 0) out.push(`        ${names.ctx}.abstract_functions = (${callables.join(', ')})`);
  if (plan.outputs.length === 1) out.push(`        ${names.result} = ${texts.outputs[0]!}`);
  else out.push(`        ${names.result} = (`, ...texts.outputs.map((t) => `            ${t},`), '        )');
  if (texts.saved.length > 0) out.push(`        ${names.ctx}.save_for_backward(${texts.saved.join(', ')})`);
  out.push(`        return ${names.result}`);
  out.push('');
  out.push('    @staticmethod');
  // The saved temporaries carry no graph back to the inputs: a second derivative through this
  // backward would miss part of their dependence, so it is declared not differentiable itself.
  out.push('    @torch.autograd.function.once_differentiable');
  out.push(`    def backward(${[names.ctx, ...seeds].join(', ')}):`);
  if (texts.saved.length > 0) out.push(`        ${texts.saved.join(', ')}${texts.saved.length === 1 ? ',' : ''} = ${names.ctx}.saved_tensors`);
  if (callables.length > 0) out.push(`        ${callables.join(', ')} = ${names.ctx}.abstract_functions`);
  const position = (py: string): number => args.indexOf(py);
  for (const c of constants) {
    out.push(`        if ${names.ctx}.needs_input_grad[${position(c.py)}]:`);
    out.push(`            ${names.refuse}(${JSON.stringify(c.py)})`);
  }
  plan.backward.forEach((b, i) => {
    const wanted = texts.neededBy[i]!.map((j) => `${names.ctx}.needs_input_grad[${position(plan.backward[j]!.input.py)}]`);
    out.push(`        ${grads[i]!} = None`);
    out.push(`        if ${wanted.join(' or ')}:`);
    out.push(`            ${grads[i]!} = ${texts.backward[i]!}`);
  });
  // A callable has no gradient: None, as for a constant.
  const returned = [...plan.inputs.map((input) => (input.wrt ? grads[plan.backward.findIndex((b) => b.input === input)]! : 'None')), ...callables.map(() => 'None')];
  out.push(`        return ${returned.join(', ')}${returned.length === 1 ? ',' : ''}`);
  out.push('', '');

  // The wrapper and the plain expression.
  const converted = plan.inputs.flatMap((i) => conversion(i, AS_TENSOR)).map((l) => `    ${l}`);
  out.push(`def ${names.fn}(${params.join(', ')}):`);
  out.push(`    """${hess ? 'The gradient of f' : 'f'} through ${names.cls}: differentiable, with matcalc's backward."""`);
  out.push(...converted);
  out.push(`    return ${names.cls}.apply(${params.join(', ')})`);
  out.push('', '');
  const plainF = emitPython([plan.f], { dimExpr: texts.dimExpr, names: report.names, identifiers: plan.identifiers }, DIALECT)[0]!;
  out.push(`def ${names.plain}(${params.join(', ')}):`);
  out.push('    """f as a plain PyTorch expression: what autograd differentiates in the self-check."""');
  out.push(...converted);
  out.push(`    return ${plainF}`);
  out.push('', '');
  out.push(...selfCheck(report, plan, names, args, abstract));
  return `${out.join('\n')}\n`;
}

function selfCheck(report: Report, plan: ReturnType<typeof vjpPlan>, names: { fn: string; plain: string }, args: readonly string[], abstract: readonly AbstractParameter[]): string[] {
  // In --wrt order: the order of a hess Function's outputs.
  const wrt = plan.backward.map((b) => b.input.py);
  const head = ['"""gradcheck on the sample, and the backward against autograd of the plain expression; the worst relative difference."""'];
  const { lines: out, embedded, complete } = selfCheckOpening(report, plan, TORCH, { args, wrt }, head, { abstract, library: 'torch' });
  if (complete) return out;
  const keywords = callableKeywords(abstract);
  out.push('    leaves = [torch.as_tensor(inputs[n], dtype=torch.float64).clone().requires_grad_(n in WRT) for n in ARGUMENTS]');
  out.push('    def arguments(values):');
  out.push('        return [(v + v.T) / 2 if n in SYMMETRIC else v for n, v in zip(ARGUMENTS, values)]');
  // hess: the gradient of a symmetric input counts by its symmetric part (vjp-module.ts symmetricNote).
  const parts = report.command === 'hess' ? 'symmetric_parts' : '';
  if (parts) {
    out.push('    def symmetric_parts(gradients):');
    out.push('        return tuple((g + g.T) / 2 if n in SYMMETRIC else g for n, g in zip(WRT, gradients))');
  }
  out.push('    def ours(*values):');
  out.push(`        result = ${names.fn}(*arguments(values)${keywords})`);
  out.push(`        return ${parts}(result if isinstance(result, tuple) else (result,))`);
  out.push('    def reference(*values):');
  if (report.command === 'hess') {
    out.push('        used = arguments(values)');
    out.push('        wrt = [used[ARGUMENTS.index(n)] for n in WRT]');
    out.push(`        gradients = torch.autograd.grad(${names.plain}(*used${keywords}), wrt, create_graph=True, allow_unused=True)`);
    out.push('        return symmetric_parts(tuple(0 * v if g is None else g for g, v in zip(gradients, wrt)))  # f does not use v: 0, in the graph');
  } else out.push(`        return (${names.plain}(*arguments(values)${keywords}),)`);
  out.push('    wrt = [leaves[ARGUMENTS.index(n)] for n in WRT]');
  out.push('    worst = 0.0');
  if (embedded) {
    out.push('    passed = torch.autograd.gradcheck(ours, tuple(leaves), eps=1e-6, atol=1e-5, rtol=1e-4, raise_exception=False)');
    out.push('    print(f"torch.autograd.gradcheck: {\'passed\' if passed else \'FAILED\'}")');
    out.push('    worst = worst if passed else float("inf")');
  }
  out.push('    def difference(a, b):');
  out.push('        a, b = a.detach().reshape(-1), b.detach().reshape(-1)');
  out.push('        return float((a - b).abs().max()) / max(float(b.abs().max()), 1e-8) if a.numel() else 0.0');
  out.push('    mine, theirs = ours(*leaves), reference(*leaves)');
  out.push('    error = max(difference(m, t) for m, t in zip(mine, theirs))');
  out.push('    print(f"forward against the plain expression: relative difference {error:.2e}")');
  out.push('    worst = max(worst, error)');
  out.push('    generator = torch.Generator().manual_seed(0)');
  out.push('    upstream = [torch.randn(tuple(m.shape), generator=generator, dtype=torch.float64) for m in mine]');
  out.push('    vjp = torch.autograd.grad(mine, wrt, grad_outputs=upstream, allow_unused=True)');
  out.push('    expected = torch.autograd.grad(theirs, wrt, grad_outputs=[u.reshape(t.shape) for u, t in zip(upstream, theirs)], allow_unused=True)');
  out.push('    for n, a, m, t in zip(WRT, wrt, vjp, expected):');
  out.push('        error = difference(torch.zeros_like(a) if m is None else m, torch.zeros_like(a) if t is None else t)');
  out.push('        print(f"backward for {n} against autograd: relative difference {error:.2e}")');
  out.push('        worst = max(worst, error)');
  out.push(...SELF_CHECK_MAIN);
  return out;
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { jaxRefusal } from '../../src/emit/jax.js';
import { pythonName } from '../../src/emit/numpy.js';
import { run } from '../../src/pipeline.js';
import { impliesSymmetric } from '../../src/shape/declarations.js';
import type { Command, Report } from '../../src/report.js';
import { evaluateTerms } from '../../src/verify/evaluate.js';
import { DERIVATIVE_DIRS, GOLDEN_DIRS, listExamples } from './examples.js';
import { JAX_CACHE } from './python-batch.js';
import { python3 } from './python.js';

/**
 * The checks of `--format torch-autograd` and `--format jax` (issue 14 §2; test/emit-code/torch-autograd.test.ts
 * and jax.test.ts, two files so that the two python3 runs can go in parallel) on every golden example (grad, and
 * examples/derivatives' diff, jac and hess) and a table of our own (several inputs, constants,
 * element-wise functions, inv/det/logdet, matrix-valued F, zero gradients, and inputs named like
 * everything a module defines). Per library, one python3 runs:
 * - every module as a script: its self-check is torch.autograd.gradcheck (float64) on matcalc's own
 *   sample and the backward against torch.autograd.grad of the plain expression (jax:
 *   jax.test_util.check_grads, rev, order 1, and jax.vjp of the plain function), exit 0;
 * - the forward at the sample against matcalc's own evaluator (f, or ∇f for hess);
 * - two SGD steps with the emitted function beside plain autograd of the plain expression: the same
 *   parameters (1e-10); in JAX (our own cases: each compile costs), jax.jit(jax.grad) of the custom
 *   VJP against jax.grad of the plain f;
 * - torch: each --wrt input alone requiring grad gets the gradient it gets with all of them (the
 *   backward computes only what ctx.needs_input_grad asks for, and what that needs);
 * - an input not in --wrt: torch raises when it requires grad, JAX refuses to differentiate.
 * A --wrt input declared symmetric is used as (P + Pᵀ)/2 and differentiated with respect to P: its
 * derivatives hold for symmetric directions only (matcalc simplifies with Xᵀ = X); for hess its
 * gradient counts by its symmetric part.
 */

export interface Case {
  readonly label: string;
  readonly command: Command;
  readonly expression: string;
  readonly wrt: string;
  readonly dims?: string;
  readonly assume?: string;
  readonly layout?: 'numerator' | 'denominator';
}

/** Cases of our own, beside the goldens: each command, every kind of shape, and colliding names. */
const OWN: Case[] = [
  { label: 'constants around x', command: 'grad', expression: 'value*sum(exp(A*x))', wrt: 'x', dims: 'value=1,A=3x4' },
  { label: 'quadratic form, three inputs', command: 'grad', expression: "x'*A*x + b'*x", wrt: 'x,A,b', dims: 'A=3x3' },
  { label: 'logdet and inverse', command: 'grad', expression: 'log(det(X)) + tr(inv(X)*B)', wrt: 'X,B', dims: 'X=3x3', assume: 'X:spd' },
  { label: 'sigmoid layer and a norm', command: 'grad', expression: 'sum(sigmoid(W*x)) + norm2(x)^2', wrt: 'W,x', dims: 'W=2x3' },
  { label: 'scalars', command: 'grad', expression: 'a*b + sin(a)*cos(b) + exp(a)', wrt: 'a,b', dims: 'a=1,b=1' },
  { label: 'a --wrt input f does not use', command: 'grad', expression: 'sum(x .* x)', wrt: 'x,z', dims: 'x=3,z=2' },
  { label: 'a backward temporary two VJPs share', command: 'grad', expression: 'sum(v .* tanh(W*x))', wrt: 'W,x', dims: 'W=3x4' },
  { label: 'a free dimension, and an input named like its constant', command: 'grad', expression: "x'*x*dim_m + sum(eye)", wrt: 'x,dim_m', dims: 'x=3,dim_m=1' },
  { label: 'a free dimension', command: 'hess', expression: "x'*x + sum(eye)", wrt: 'x', dims: 'x=3' },
  { label: 'row vector', command: 'grad', expression: 'r*A*x', wrt: 'r,x', dims: 'r=1x3,A=3x2' },
  { label: 'det times a trace', command: 'grad', expression: 'det(X)*tr(X*X)', wrt: 'X', dims: 'X=3x3' },
  {
    label: 'inputs named like the module',
    command: 'grad',
    expression: "ctx'*result + torch*sum(jax) + jnp*lambda + f*grad_output + Function*sum(f_plain) + primal*fwd*bwd + residuals*cotangent + np*sys*float",
    wrt: 'ctx,torch,jax,lambda,f,grad_output,primal,residuals',
    dims: 'ctx=3,result=3,torch=1,jax=2,jnp=1,lambda=1,f=1,grad_output=1,Function=1,f_plain=2,primal=1,fwd=1,bwd=1,residuals=1,cotangent=1,np=1,sys=1,float=1',
  },
  {
    label: 'Greek, keywords and builtins',
    command: 'grad',
    expression: "θ'*x + α*sum(exp(β .* x)) + None*def + tuple*zip + isinstance*max + print*inputs",
    wrt: 'θ,x,α,def,tuple,max',
    dims: 'θ=3,x=3,α=1,β=3,None=1,def=1,tuple=1,zip=1,isinstance=1,max=1,print=1,inputs=1',
  },
  { label: 'exp(Xb), matrix and vector', command: 'jac', expression: 'exp(X*b)', wrt: 'X,b', dims: 'X=3x4' },
  { label: 'inverse', command: 'jac', expression: 'inv(X)', wrt: 'X', dims: 'X=3x3' },
  { label: 'A x for both', command: 'jac', expression: 'A*x', wrt: 'x,A', dims: 'A=3x4' },
  { label: 'tanh layer', command: 'jac', expression: 'tanh(W*x + b)', wrt: 'W,x,b', dims: 'W=3x2' },
  { label: 'outer product', command: 'jac', expression: "x*x'", wrt: 'x', dims: 'x=3' },
  { label: 'det times X, denominator layout', command: 'jac', expression: 'det(X)*X', wrt: 'X', dims: 'X=2x2', layout: 'denominator' },
  { label: 'F named like the seed', command: 'jac', expression: 'G*exp(x*ctx) + jax*x', wrt: 'x,G,ctx', dims: 'G=3x3,ctx=1,jax=1' },
  { label: 'Gram matrix', command: 'diff', expression: "X'*X", wrt: 'X', dims: 'X=4x3' },
  { label: 'log and a Hadamard product', command: 'diff', expression: 'log(x) .* y', wrt: 'x,y', dims: 'x=3', assume: 'x:positive' },
  { label: 'F = x itself', command: 'jac', expression: 'x', wrt: 'x', dims: 'x=3' },
  { label: 'quadratic form with a constant A', command: 'hess', expression: "x'*A*x", wrt: 'x', dims: 'A=3x3' },
  { label: 'two variables', command: 'hess', expression: "sum(exp(A*x)) + x'*y", wrt: 'x,y', dims: 'A=2x3' },
  { label: 'logdet', command: 'hess', expression: 'log(det(X))', wrt: 'X', dims: 'X=3x3', assume: 'X:spd' },
  { label: 'trace with a non-symmetric A, symmetric X', command: 'hess', expression: 'tr(inv(X)*A) + log(det(X))', wrt: 'X', dims: 'X=3x3,A=3x3', assume: 'X:spd' },
  { label: 'scalars', command: 'hess', expression: 'a*b^2 + exp(a)', wrt: 'a,b', dims: 'a=1,b=1' },
  { label: 'a --wrt input f does not use', command: 'hess', expression: 'sum(exp(x))', wrt: 'x,z', dims: 'x=3,z=2' },
  { label: 'a --wrt input F does not use', command: 'jac', expression: 'exp(x)', wrt: 'x,z', dims: 'x=3,z=2' },
  { label: 'gradient is an input', command: 'hess', expression: "x'*y", wrt: 'x,y', dims: 'x=3' },
  { label: 'seed names taken', command: 'hess', expression: "V'*x + sum(exp(V_x .* x))", wrt: 'x,V', dims: 'x=3,V=3,V_x=3' },
];

function cases(): Case[] {
  const golden = listExamples(GOLDEN_DIRS).map((e): Case => ({ label: e.name, command: 'grad', expression: e.expression, wrt: e.wrt, dims: e.dims, assume: e.assume }));
  const derivatives = listExamples(DERIVATIVE_DIRS).map(
    (e): Case => ({ label: e.name, command: e.command as Command, expression: e.expression, wrt: e.wrt, dims: e.dims, assume: e.assume, layout: e.layout === 'denominator' ? 'denominator' : 'numerator' }),
  );
  return [...golden, ...derivatives, ...OWN.map((c) => ({ ...c, label: `own: ${c.command} ${c.label}` }))];
}

export function reportOf(c: Case): Report {
  const base = { expression: c.expression, wrt: c.wrt, ...(c.dims ? { dims: c.dims } : {}), ...(c.assume ? { assume: c.assume } : {}) };
  const result = c.command === 'grad' ? run(base) : run({ ...base, command: c.command, pullback: true, ...(c.layout ? { layout: c.layout } : {}) });
  if (!result.ok) throw new Error(`${c.label}: ${result.diagnostics[0]!.message}`);
  return result.value;
}

/** What the driver needs per module: its path, the sample by Python name, and the forward's values by matcalc. */
interface Job {
  readonly label: string;
  readonly path: string;
  readonly command: Command;
  readonly inputs: Record<string, number[][]>;
  readonly wrt: string[];
  readonly constants: string[];
  /** --wrt inputs declared symmetric: trained as (P + Pᵀ)/2 (their derivatives hold for symmetric directions). */
  readonly symmetric: string[];
  readonly expected: number[][][];
  /** One of our own cases: JAX also compiles jit(grad) for it (XLA compiles cost ~50 ms per new program). */
  readonly own: boolean;
}

function jobs(format: 'torch-autograd' | 'jax', dir: string): Job[] {
  return cases().flatMap((c, i) => {
    const report = reportOf(c);
    // sqrtm and logm: the CLI refuses --format jax for them (emit/jax.ts, jaxRefusal), so no module to run.
    if (format === 'jax' && jaxRefusal(report) !== undefined) return [];
    const path = join(dir, `${format.replace('-', '_')}_${i}.py`);
    writeFileSync(path, FORMATS[format]!(report, { steps: false, standalone: false }));
    const sample = report.sample?.inputs;
    if (sample === undefined || typeof sample === 'string') throw new Error(`${c.label}: no embedded sample (${String(sample)})`);
    const forward = report.command === 'hess' ? (report.gradients ?? []).map((g) => g.gradient) : [report.f];
    const evaluated = evaluateTerms(forward, { values: sample, dimSizes: report.sample!.dimSizes });
    return {
      label: c.label,
      path,
      command: report.command,
      inputs: Object.fromEntries([...report.variables.keys()].map((n) => [pythonName(n), sample.get(n)!.toArray()])),
      wrt: report.wrt.map(pythonName),
      constants: [...report.variables.keys()].filter((n) => !report.wrt.includes(n)).map(pythonName),
      symmetric: report.wrt.filter((n) => impliesSymmetric(report.declarations.assumptions.get(n))).map(pythonName),
      expected: evaluated.values.map((d) => d.toArray()),
      own: c.label.startsWith('own: '),
    };
  });
}

/** Shared by both drivers: load a module without running its __main__, compare arrays. */
const COMMON = String.raw`
import contextlib, io, json, runpy, sys
import numpy as np
def load(path, r):
    """Runs the module as a script (its self-check), then loads it as a module."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            runpy.run_path(path, run_name="__main__")
            status = 0
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else 1
    if status != 0 or "passed" not in out.getvalue():
        r["problems"].append(f"self-check (python3 {path}) exit {status}: {out.getvalue()}")
    return runpy.run_path(path, run_name="matcalc_case")
def symmetric(names, values, which):
    return [(v + v.T) / 2 if n in which else v for n, v in zip(names, values)]
def symmetric_parts(job):
    """hess: the gradient of a symmetric input counts by its symmetric part (the module says so)."""
    if job["command"] != "hess":
        return lambda outputs: outputs
    return lambda outputs: symmetric(job["wrt"], outputs, job["symmetric"])
# Forward values against matcalc's evaluator: a matrix function computed by another algorithm
# (expm's Padé order and scaling, SVDs) agrees to ~1e-8 relative where its entries reach 1e4.
FORWARD_TOLERANCE = 1e-7
def close(got, want, tolerance=1e-9):
    got, want = np.ravel(np.asarray(got, dtype=float)), np.ravel(np.asarray(want, dtype=float))
    return got.shape == want.shape and bool(np.all(np.abs(got - want) <= tolerance * np.maximum(1.0, np.abs(want))))
jobs = json.load(sys.stdin)
results = []
`;

const TORCH_DRIVER = String.raw`
import torch
for job in jobs:
    r = {"label": job["label"], "problems": []}
    try:
        m = load(job["path"], r)
        fn, plain = m[m["__all__"][0]], m[m["__all__"][1]]
        names = list(job["inputs"])
        parts = symmetric_parts(job)
        def fresh(wrt):
            return [torch.tensor(job["inputs"][n], dtype=torch.float64, requires_grad=n in wrt) for n in names]
        out = fn(*fresh(()))
        out = out if isinstance(out, tuple) else (out,)
        for k, (o, e) in enumerate(zip(out, job["expected"])):
            if not close(o.detach().numpy(), e, FORWARD_TOLERANCE):
                r["problems"].append(f"forward output {k}: {o.detach().numpy().tolist()} but matcalc evaluates {e}")
        # Two SGD steps with the emitted function and with autograd of the plain expression.
        generator = torch.Generator().manual_seed(3)
        weights = [torch.randn(tuple(o.shape), generator=generator, dtype=torch.float64) for o in out]
        def loss_ours(args):
            o = fn(*symmetric(names, args, job["symmetric"]))
            o = o if isinstance(o, tuple) else (o,)
            return sum(torch.sum(w * x) for w, x in zip(weights, parts(o)))
        def loss_plain(args):
            args = symmetric(names, args, job["symmetric"])
            if job["command"] == "hess":
                wrt = [args[names.index(n)] for n in job["wrt"]]
                o = torch.autograd.grad(plain(*args), wrt, create_graph=True, allow_unused=True)
                o = [0 * v if g is None else g for g, v in zip(o, wrt)]
            else:
                o = (plain(*args),)
            return sum(torch.sum(w.reshape(x.shape) * x) for w, x in zip(weights, parts(o)))
        trained = []
        # One step size for both, small enough that two steps stay finite where f grows fast (expm):
        # 0.01 divided by the initial gradient's size when that exceeds 1.
        args = fresh(job["wrt"])
        first = torch.autograd.grad(loss_plain(args), [args[names.index(n)] for n in job["wrt"]], allow_unused=True)
        size = max([float(torch.max(torch.abs(g))) for g in first if g is not None] + [1.0])
        for loss in (loss_ours, loss_plain):
            args = fresh(job["wrt"])
            params = [args[names.index(n)] for n in job["wrt"]]
            optimizer = torch.optim.SGD(params, lr=0.01 / size)
            for step in range(2):
                optimizer.zero_grad()
                loss(args).backward()
                optimizer.step()
            trained.append([p.detach().numpy().copy() for p in params])
        for n, a, b in zip(job["wrt"], *trained):
            if not close(a, b, 1e-10):
                r["problems"].append(f"SGD: {n} after two steps is {a.tolist()} with the Function, {b.tolist()} with autograd")
        # One input at a time requiring grad (the backward skips the others' VJPs): the same gradient.
        if len(job["wrt"]) > 1:
            args = fresh(job["wrt"])
            every = torch.autograd.grad(loss_ours(args), [args[names.index(n)] for n in job["wrt"]])
            for n, g in zip(job["wrt"], every):
                args = fresh([n])
                (alone,) = torch.autograd.grad(loss_ours(args), [args[names.index(n)]])
                if not close(alone, g, 1e-12):
                    r["problems"].append(f"{n} alone requiring grad: {alone.tolist()}, with every --wrt input: {g.tolist()}")
        # An input not in --wrt must not get a silent zero gradient.
        for c in job["constants"]:
            args = fresh([c])
            try:
                o = fn(*args)
                o = o if isinstance(o, tuple) else (o,)
                torch.autograd.grad(sum(torch.sum(x) for x in o), [args[names.index(c)]], allow_unused=True)
                r["problems"].append(f"{c} is not in --wrt but its gradient was returned")
            except RuntimeError as e:
                if "add it to --wrt" not in str(e):
                    r["problems"].append(f"{c}: unexpected error {e}")
    except Exception as e:
        r["problems"].append(f"{type(e).__name__}: {e}")
    results.append(r)
print(json.dumps(results))
`;

const JAX_DRIVER = String.raw`
import jax
jax.config.update("jax_platforms", "cpu")
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
for job in jobs:
    r = {"label": job["label"], "problems": []}
    try:
        m = load(job["path"], r)
        plain, custom = m[m["__all__"][0]], m[m["__all__"][1]]
        names = list(job["inputs"])
        parts = symmetric_parts(job)
        args = [jnp.asarray(job["inputs"][n], dtype=float) for n in names]
        out = custom(*args)
        out = out if isinstance(out, tuple) else (out,)
        for k, (o, e) in enumerate(zip(out, job["expected"])):
            if not close(o, e, FORWARD_TOLERANCE):
                r["problems"].append(f"forward output {k}: {np.asarray(o).tolist()} but matcalc evaluates {e}")
        if not job["own"]:
            results.append(r)
            continue
        positions = tuple(names.index(n) for n in job["wrt"])
        weights = [jnp.asarray(np.random.default_rng(3).standard_normal(np.shape(o))) for o in out]
        def loss_ours(*a):
            o = custom(*symmetric(names, a, job["symmetric"]))
            o = o if isinstance(o, tuple) else (o,)
            return sum(jnp.sum(w * x) for w, x in zip(weights, parts(o)))
        def loss_plain(*a):
            a = symmetric(names, a, job["symmetric"])
            if job["command"] == "hess":
                o = jax.grad(plain, argnums=positions)(*a)
            else:
                o = (plain(*a),)
            return sum(jnp.sum(w.reshape(jnp.shape(x)) * x) for w, x in zip(weights, parts(o)))
        ours = jax.jit(jax.grad(loss_ours, argnums=positions))(*args)
        theirs = jax.grad(loss_plain, argnums=positions)(*args)
        for n, a, b in zip(job["wrt"], ours, theirs):
            if not close(a, b, 1e-10):
                r["problems"].append(f"jit(grad) for {n}: {np.asarray(a).tolist()} with the custom VJP, {np.asarray(b).tolist()} with jax.grad of the plain function")
        for c in job["constants"]:
            try:
                jax.grad(loss_ours, argnums=names.index(c))(*args)
                r["problems"].append(f"{c} is not in --wrt but JAX differentiated with respect to it")
            except Exception as e:
                if "Tracer" not in type(e).__name__ and "tracer" not in str(e):
                    r["problems"].append(f"{c}: unexpected {type(e).__name__}: {e}")
    except Exception as e:
        r["problems"].append(f"{type(e).__name__}: {e}")
    results.append(r)
print(json.dumps(results))
`;

/** Writes every case's module into dir and runs the library's checks on all of them in one python3. */
export function checkModules(format: 'torch-autograd' | 'jax', dir: string): void {
  const all = jobs(format, dir);
  const failures: string[] = [];
  // XLA compiles each new program (~50 ms, most of the JAX run's time): JAX_CACHE gives it the cache on
  // disk, by jax.config, so that the fork server serves the run with jax already imported.
  const driven = python3(['-c', COMMON + (format === 'jax' ? JAX_CACHE + JAX_DRIVER : TORCH_DRIVER)], {
    input: JSON.stringify(all),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(driven.status, driven.stderr).toBe(0);
  const results = JSON.parse(driven.stdout) as { label: string; problems: string[] }[];
  expect(results.length).toBe(all.length);
  for (const r of results) for (const p of r.problems) failures.push(`${r.label}: ${p}`);
  expect(failures, failures.join('\n\n')).toEqual([]);
  // The table is broad: every command, and the goldens.
  expect(new Set(all.map((j) => j.command))).toEqual(new Set(['grad', 'diff', 'jac', 'hess']));
  expect(all.length).toBeGreaterThanOrEqual(80);
}

export { hasPython } from './python-probe.js';

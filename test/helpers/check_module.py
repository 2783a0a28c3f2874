"""Checks one generated module (grad|diff|jac|hess, any Python format) against a NumPy truth.

Run by test/emit-code/colliding-names.test.ts through test/helpers/python-batch.ts: a small script
sets SPEC and executes this file. SPEC holds the module's path, the command, the truth (a Python
lambda over the roles a, B, c, s, written by the test), the input values by role, the roles in the
module's argument order and the roles differentiated. The module's own identifiers are read from
its signature, so the check does not depend on how the emitter renamed a colliding input.

Truth: f from the lambda; gradients, Jacobians and differentials by central differences of it;
Hessian blocks by the four-point mixed difference. Prints one JSON line {"checked": n, "failures": [...]}
and exits 1 on a failure.
"""
import inspect
import json
import runpy
import sys

import numpy as np

spec = SPEC  # noqa: F821 (set by the script that runs this file)
ns = runpy.run_path(spec["module"])
truth = eval(spec["truth"], {"np": np})
roles = spec["order"]
values = {r: (float(v) if isinstance(v, (int, float)) else np.array(v, dtype=float)) for r, v in spec["values"].items()}
failures = []
checked = 0


def arr(t):
    if hasattr(t, "detach"):
        t = t.detach().cpu().numpy()
    return np.asarray(t, dtype=float)


def f_at(moved):
    v = dict(values)
    v.update(moved)
    return arr(truth(v["a"], v["B"], v["c"], v["s"]))


def vec(x):
    return np.reshape(arr(x), (-1, 1), order="F")


def shifted(x, k, h):
    """x with entry k (column-major) moved by h."""
    x = np.array(x, dtype=float)
    if x.ndim == 0:
        return float(x) + h
    flat = np.reshape(x, -1, order="F").copy()
    flat[k] += h
    return np.reshape(flat, x.shape, order="F")


def size(role):
    return np.size(values[role])


def jacobian(role, h=1e-6):
    """vec(F) against vec(role), numerator layout, central differences."""
    def at(k, t):
        return vec(f_at({role: shifted(values[role], k, t)}))
    return np.hstack([(at(k, h) - at(k, -h)) / (2 * h) for k in range(size(role))])


def hessian(of, wrt, h=1e-4):
    """d(grad_of f)/d wrt by the four-point mixed difference: rows follow vec(of), columns vec(wrt)."""
    H = np.zeros((size(of), size(wrt)))
    for i in range(size(of)):
        for j in range(size(wrt)):
            def at(si, sj):
                x = shifted(values[of], i, si * h)
                moved = {of: shifted(x, j, sj * h)} if wrt == of else {of: x, wrt: shifted(values[wrt], j, sj * h)}
                return float(np.reshape(f_at(moved), ()))
            H[i, j] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h)
    return H


def compare(what, got, want, rtol):
    global checked
    checked += 1
    got, want = arr(got), arr(want)
    if got.size != want.size:
        failures.append(f"{what}: {got.size} entries, want {want.size}")
        return
    got = np.reshape(got, want.shape) if got.shape != want.shape and got.ndim <= 1 else got
    if got.shape != want.shape and not (got.size == 1 and want.size == 1):
        failures.append(f"{what}: shape {got.shape}, want {want.shape}")
        return
    scale = max(float(np.max(np.abs(want))), 1.0)
    err = float(np.max(np.abs(np.reshape(got, want.shape) - want))) / scale
    if not err <= rtol:
        failures.append(f"{what}: relative error {err:.2e}")


def function(prefix):
    """The module's function of that name (None if the format has none)."""
    fn = ns.get(prefix)
    return fn if callable(fn) else None


def signature_ids(fn):
    return list(inspect.signature(fn).parameters)[: len(roles)]


command = spec["command"]
args = [values[r] for r in roles]
rng = np.random.default_rng(7)
if command == "grad":
    fns = [v for k, v in ns.items() if k.startswith("f_and_grad_") and callable(v)]
    if fns:
        value, grads = fns[0](*args)
        grads = grads if len(spec["wrt"]) > 1 else (grads,)
        compare("value", value, f_at({}), 1e-9)
        for role, g in zip(spec["wrt"], grads):
            compare(f"gradient {role}", g, np.reshape(jacobian(role), np.shape(values[role]), order="F"), 1e-6)
else:
    f = function("f")
    ids = dict(zip(roles, signature_ids(f))) if f else {}
    if f:
        compare("f", f(*args), f_at({}), 1e-9)
    for role in spec["wrt"] if f else []:
        x = ids[role]
        if command in ("diff", "jac"):
            J = jacobian(role)
            d = function(f"differential_{x}")
            if d:
                v = rng.standard_normal(np.shape(values[role])) if np.ndim(values[role]) else float(rng.standard_normal())
                compare(f"differential {role}", vec(d(*args, v)), J @ vec(v), 1e-6)
            j = function(f"jacobian_{x}")
            if j:
                compare(f"jacobian {role}", np.atleast_2d(arr(j(*args))), J, 1e-6)
        else:
            g = function(f"gradient_{x}")
            if g:
                compare(f"gradient {role}", vec(g(*args)), jacobian(role).T, 1e-6)
            for of in spec["wrt"]:
                suffix = x if of == role else f"{ids[of]}_{x}"
                H = hessian(of, role)
                m = function(f"hessian_{suffix}")
                if m:
                    compare(f"hessian {of},{role}", np.atleast_2d(arr(m(*args))), H, 1e-5)
                p = function(f"hessian_product_{suffix}")
                if p:
                    v = rng.standard_normal(np.shape(values[role])) if np.ndim(values[role]) else float(rng.standard_normal())
                    compare(f"hessian product {of},{role}", vec(p(*args, v)), H @ vec(v), 1e-5)
    whole = function("hessian") if f else None
    if command == "hess" and whole:
        # The blocks as one matrix: the Hessian in the stacked variable.
        stacked = np.block([[hessian(of, x) for x in spec["wrt"]] for of in spec["wrt"]])
        compare("hessian (assembled)", np.atleast_2d(arr(whole(*args))), stacked, 1e-5)
print(json.dumps({"checked": checked, "failures": failures}))
sys.exit(1 if failures else 0)

"""Compares a module emitted for colliding names with the same module emitted for plain names.

Run by test/emit-code/colliding-random-names.test.ts through test/helpers/python-batch.ts: a small
script sets SPEC and executes this file. SPEC holds the two modules' paths and the input values by
role (a, B, c, s). The plain module's inputs are named a, B, c, s and its abstract functions P and
Q (--function P, --elementwise Q), names nothing in a module uses; the other module is the same
request with the user's names, which may be anything the emitters themselves write.

Both modules define the same functions in the same order with the same parameters in the same
order (names aside), so each function is called positionally with the same arguments, chosen by the
plain module's parameter names: an input, a callable (P, grad_P, Q, Q_prime, written with operators
and .sum() only, so one definition serves NumPy arrays, tensors and jax arrays), a direction (dX,
V_X) or a cotangent (G). Every returned number must agree. Prints one JSON line
{"compared": n, "failures": [...]} and exits 1 on a failure.
"""
import inspect
import json
import runpy
import sys

import numpy as np

spec = SPEC  # noqa: F821 (set by the script that runs this file)
values = {r: (float(v) if isinstance(v, (int, float)) else np.array(v, dtype=float)) for r, v in spec["values"].items()}
rng = np.random.default_rng(11)
directions = {r: (float(rng.standard_normal()) if isinstance(v, float) else rng.standard_normal(np.shape(v))) for r, v in values.items()}
callables = {
    "P": lambda Y: (Y * Y * Y).sum() / 6 + (Y * Y).sum() / 4,
    "grad_P": lambda Y: Y * Y / 2 + Y / 2,
    "Q": lambda Y: Y * Y * Y / 6 + Y * Y / 4 + Y,
    "Q_prime": lambda Y: Y * Y / 2 + Y / 2 + 1,
}
failures = []
compared = 0


def defined(path):
    """The module's public callables, in definition order (what it imports is not among them)."""
    ns = runpy.run_path(path)
    return [(k, v) for k, v in ns.items() if callable(v) and not k.startswith("_") and getattr(v, "__module__", None) == "<run_path>"]


def numbers(x):
    """Every array in a result, in order (tuples and lists flattened; tensors to NumPy)."""
    if isinstance(x, (tuple, list)):
        return [a for item in x for a in numbers(item)]
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    return [np.asarray(x, dtype=float)]


def parameters(fn):
    return [p for p in inspect.signature(fn).parameters.values() if p.default is inspect.Parameter.empty]


plain = defined(spec["plain"])
odd = defined(spec["module"])
if [len(parameters(f)) for _, f in plain] != [len(parameters(f)) for _, f in odd]:
    failures.append(f"the modules differ: {[(k, len(parameters(f))) for k, f in plain]} against {[(k, len(parameters(f))) for k, f in odd]}")
    plain = []
cotangent = None
for (name, p), (odd_name, o) in zip(plain, odd):
    args = []
    for param in parameters(p):
        n = param.name
        if n in values:
            args.append(values[n])
        elif n in callables:
            args.append(callables[n])
        elif n[:1] == "d" and n[1:] in directions:
            args.append(directions[n[1:]])
        elif n[:2] == "V_" and n[2:] in directions:
            args.append(directions[n[2:]])
        elif n == "G":
            if cotangent is None:
                shape = np.shape(numbers(plain[0][1](*[values[q.name] if q.name in values else callables[q.name] for q in parameters(plain[0][1])]))[0])
                cotangent = rng.standard_normal(shape) if shape else float(rng.standard_normal())
            args.append(cotangent)
        else:
            failures.append(f"{name}: no value for the parameter {n}")
            break
    else:
        want = numbers(p(*args))
        try:
            got = numbers(o(*args))
        except Exception as e:  # the colliding module failed where the plain one ran
            failures.append(f"{odd_name}: {type(e).__name__}: {e}")
            continue
        compared += 1
        if len(got) != len(want):
            failures.append(f"{odd_name}: {len(got)} results, want {len(want)}")
            continue
        for k, (g, w) in enumerate(zip(got, want)):
            if g.size != w.size:
                failures.append(f"{odd_name}[{k}]: {g.size} entries, want {w.size}")
                continue
            err = float(np.max(np.abs(np.reshape(g, -1) - np.reshape(w, -1)), initial=0.0)) / max(float(np.max(np.abs(w), initial=0.0)), 1.0)
            if not err <= 1e-9:
                failures.append(f"{odd_name}[{k}]: relative difference {err:.2e} from {name}")
print(json.dumps({"compared": compared, "failures": failures}))
sys.exit(1 if failures else 0)

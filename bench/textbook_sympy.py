#!/usr/bin/env python3
"""SymPy side of bench/textbook.mjs: the textbook set (bench/textbook-set.json) differentiated with
SymPy's matrix expressions (MatrixSymbol with symbolic sizes, .diff), each case timed in-process
after clear_cache() (as matcalc's "fresh" column forgets its terms), then checked numerically: the
sizes are fixed (n=3, m=2, k=2), the gradient made explicit, and compared with central differences
of f at random inputs. Only the cases SymPy gets right count in the ratio.

Prints one JSON object per line: {"id", "ms" (median, null if .diff failed), "status": "ok" | "wrong" |
"unchecked" (SymPy could not evaluate its own answer) | "error" | "timeout", "detail"?}.
"""
import json
import signal
import sys
import time

import numpy as np
import sympy as sp
from sympy import Determinant, HadamardProduct, Inverse, Lambda, MatrixSymbol, OneMatrix, Trace, exp, log, symbols, tanh
from sympy.core.cache import clear_cache
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

n, m, k = symbols("n m k", positive=True, integer=True)
t = symbols("t")
SIZES = {n: 3, m: 2, k: 2}


def elementwise(f):
    return lambda M: ElementwiseApplyFunction(Lambda(t, f(t)), M)


def namespace():
    ns = {"Determinant": Determinant, "HadamardProduct": HadamardProduct, "Inverse": Inverse, "Trace": Trace, "log": log}
    for name in ["a", "b", "c", "x", "y", "w", "mu"]:
        ns[name] = MatrixSymbol(name, n, 1)
    for name in ["A", "B", "D", "S", "X", "W", "V"]:
        ns[name] = MatrixSymbol(name, n, n)
    ns.update(
        A2=MatrixSymbol("A2", m, n), b2=MatrixSymbol("b2", m, 1), W2=MatrixSymbol("W2", m, m), X2=MatrixSymbol("X2", m, n),
        y2=MatrixSymbol("y2", m, 1), Y2=MatrixSymbol("Y2", m, n), U=MatrixSymbol("U", m, k), V2=MatrixSymbol("V2", n, k),
        lam=symbols("lam"), ones=OneMatrix(n, 1),
        exp_=elementwise(exp), tanh_=elementwise(tanh), sigmoid_=elementwise(lambda s: 1 / (1 + exp(-s))),
    )
    return ns


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def as_number(value):
    """A 1×1 result (matrix or scalar) as a float."""
    if isinstance(value, sp.MatrixBase):
        return float(value[0, 0])
    return float(value)


def random_values(exprs, rng):
    """Random inputs for every symbol of the (sized) expressions: entries in [0.5, 1.5], square
    matrices with a dominant diagonal so inverses and log-determinants are defined."""
    values = {}
    for expr in exprs:
        for s in expr.atoms(MatrixSymbol):
            r, c = int(s.shape[0]), int(s.shape[1])
            M = rng.uniform(0.5, 1.5, size=(r, c))
            if r == c and r > 1:
                M += 3.0 * np.eye(r)
            values[s] = sp.Matrix(M)
        for s in expr.free_symbols:
            if isinstance(s, sp.Symbol) and s not in SIZES and s not in values:
                values[s] = rng.uniform(0.5, 1.5)
    return values


def evaluate(expr, values):
    return sp.N(expr.subs(values).doit())


def check(f, v, grad, rng):
    """Compares SymPy's gradient with central differences of f at random inputs (sizes n=3, m=2, k=2)."""
    fs, gs, vs = f.subs(SIZES), grad.subs(SIZES), v.subs(SIZES)
    values = random_values([fs, gs], rng)
    base = values[vs]
    rows, cols = base.shape
    numeric = np.zeros((rows, cols))
    h = 1e-6
    for i in range(rows):
        for j in range(cols):
            step = sp.zeros(rows, cols)
            step[i, j] = h
            up = dict(values); up[vs] = base + step
            dn = dict(values); dn[vs] = base - step
            numeric[i, j] = (as_number(evaluate(fs, up)) - as_number(evaluate(fs, dn))) / (2 * h)
    g = evaluate(gs, values)
    g = np.array(g, dtype=float) if isinstance(g, sp.MatrixBase) else np.array([[float(g)]])
    if g.shape != numeric.shape and g.T.shape == numeric.shape:
        g = g.T
    if g.shape != numeric.shape:
        return False, f"shape {g.shape} vs {numeric.shape}"
    err = np.max(np.abs(g - numeric)) / (1 + np.max(np.abs(numeric)))
    return bool(err < 1e-5), f"relative error {err:.2e}"


def main():
    cases = json.load(open(sys.argv[1]))["cases"]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    signal.signal(signal.SIGALRM, on_alarm)
    rng = np.random.default_rng(1)
    for case in cases:
        if case.get("sympy") is None:
            continue
        out = {"id": case["id"]}
        try:
            signal.alarm(limit)
            times = []
            for _ in range(repeats):
                clear_cache()
                ns = namespace()
                f, v = eval(case["sympy"], ns)  # the set's own SymPy spelling, from this repository
                t0 = time.perf_counter()
                grad = f.diff(v)
                times.append((time.perf_counter() - t0) * 1000)
            out["ms"] = sorted(times)[len(times) // 2]
            signal.alarm(limit)
            try:
                ok, detail = check(f, v, grad, rng)
                out.update(status="ok" if ok else "wrong", detail=detail)
            except Timeout:
                out.update(status="unchecked", detail=f"evaluating the answer took over {limit} s")
            except Exception as error:  # noqa: BLE001 — SymPy could not evaluate its own answer
                out.update(status="unchecked", detail=f"evaluating the answer: {type(error).__name__}: {str(error)[:100]}")
            signal.alarm(0)
        except Timeout:
            out.update(ms=None, status="timeout", detail=f"over {limit} s")
        except Exception as error:  # noqa: BLE001 — any failure of the peer is a result to print
            signal.alarm(0)
            out.update(ms=None, status="error", detail=f"{type(error).__name__}: {str(error)[:120]}")
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()

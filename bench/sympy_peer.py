#!/usr/bin/env python3
"""SymPy side of `npm run bench`: the families of bench/scaling.mjs, differentiated with SymPy's
matrix expressions (MatrixSymbol and .diff), one case at a time under a time limit.

Prints one JSON object per line:
  {"family": key, "L": L, "ms": median ms, "status": "ok"}
  {"family": key, "L": L, "ms": null, "status": "timeout" | "error" | "wrong", "detail": "..."}
and first {"import_ms": ...} (the time `import sympy` took in this process).
A family stops at its first failure (larger L would fail too, and only cost time).

Environment: BENCH_SYMPY_LIMIT_S (per case, default 10), BENCH_SYMPY_BUDGET_S (per family, default 20),
BENCH_SIZES (comma-separated L, default 1,2,4,…,512), BENCH_FAMILIES (comma-separated keys).
"""
import json
import os
import signal
import sys
import time

t0 = time.perf_counter()
import sympy as sp  # noqa: E402
from sympy import Determinant, Inverse, Lambda, MatrixSymbol, OneMatrix, Trace, exp, log, symbols  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction  # noqa: E402
from sympy.matrices.expressions.hadamard import HadamardProduct  # noqa: E402

IMPORT_MS = (time.perf_counter() - t0) * 1000

n, m = symbols("n m", positive=True, integer=True)
t = symbols("t")
SIGMOID = Lambda(t, 1 / (1 + exp(-t)))


def sigmoid(M):
    return ElementwiseApplyFunction(SIGMOID, M)


def network(L):
    x = MatrixSymbol("x", n, 1)
    Ws = [MatrixSymbol(f"W{i}", n, n) for i in range(1, L + 1)]
    h = x
    for W in Ws:
        h = sigmoid(W * h)
    return OneMatrix(1, n) * h, Ws


def fam_network_w1(L):
    f, Ws = network(L)
    return [f.diff(Ws[0])]


def fam_network_all(L):
    f, Ws = network(L)
    return [f.diff(W) for W in Ws]


def fam_chain(L):
    X = MatrixSymbol("X", n, m)
    M = X
    for i in range(1, L + 1):
        M = MatrixSymbol(f"W{i}", n, n) * M
    return [Trace(M.T * M).diff(X)]


def fam_quadratic(L):
    x = MatrixSymbol("x", n, 1)
    f = sp.Add(*[(x.T * MatrixSymbol(f"A{i}", n, n) * x) for i in range(1, L + 1)])
    return [f.diff(x)]


def fam_power(L):
    X = MatrixSymbol("X", n, n)
    return [Trace(sp.MatMul(*([X] * L))).diff(X)]


def fam_tower(L):
    W = MatrixSymbol("W", n, n)
    X = MatrixSymbol("X", n, m)
    Y = sigmoid(W * X)
    for _ in range(1, L):
        Y = HadamardProduct(Y, Y) + Y
    return [(OneMatrix(1, n) * Y * OneMatrix(m, 1)).diff(W)]


def fam_logdet(L):
    X = MatrixSymbol("X", n, n)
    E = X
    for _ in range(1, L):
        E = X + Inverse(E)
    return [log(Determinant(E)).diff(X)]


FAMILIES = {
    "network-w1": fam_network_w1,
    "network-all": fam_network_all,
    "chain": fam_chain,
    "quadratic": fam_quadratic,
    "power": fam_power,
    "tower": fam_tower,
    "logdet": fam_logdet,
}


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def verdict(results):
    """SymPy answers some inputs with 0 (log det: SymPy 1.14 returns the zero matrix) or an unevaluated
    Derivative: count those as failures, not as fast answers."""
    for r in results:
        if r == 0 or isinstance(r, sp.ZeroMatrix) or r.has(sp.Derivative):
            return f"returned {str(r)[:60]}"
    return None


def main():
    limit = float(os.environ.get("BENCH_SYMPY_LIMIT_S", "10"))
    budget = float(os.environ.get("BENCH_SYMPY_BUDGET_S", "20"))
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1,2,4,8,16,32,64,128,256,512").split(",")]
    wanted = os.environ.get("BENCH_FAMILIES")
    keys = wanted.split(",") if wanted else list(FAMILIES)
    sys.setrecursionlimit(100000)
    signal.signal(signal.SIGALRM, on_alarm)
    print(json.dumps({"import_ms": IMPORT_MS}), flush=True)
    for key in keys:
        make = FAMILIES[key]
        started = time.perf_counter()
        for L in sizes:
            times = []
            status, detail = "ok", None
            for _ in range(3):
                clear_cache()  # a repeat must not be answered from SymPy's cache
                signal.setitimer(signal.ITIMER_REAL, limit)
                try:
                    a = time.perf_counter()
                    results = make(L)
                    times.append((time.perf_counter() - a) * 1000)
                except Timeout:
                    status, detail = "timeout", f"> {limit:g} s"
                except RecursionError:
                    status, detail = "error", "RecursionError"
                except Exception as e:  # noqa: BLE001 — any SymPy failure is a data point
                    status, detail = "error", f"{type(e).__name__}: {str(e)[:80]}"
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                if status != "ok":
                    break
                wrong = verdict(results)
                if wrong:
                    status, detail = "wrong", wrong
                    break
                if times[0] > 1000:
                    break
            row = {"family": key, "L": L, "status": status}
            row["ms"] = sorted(times)[len(times) // 2] if status == "ok" else None
            if detail:
                row["detail"] = detail
            print(json.dumps(row), flush=True)
            if status != "ok" or time.perf_counter() - started > budget:
                break


if __name__ == "__main__":
    main()

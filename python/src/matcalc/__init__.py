"""matcalc from Python and Jupyter: symbolic matrix calculus by the matcalc command line.

    >>> import matcalc
    >>> g = matcalc.grad("aᵀexp(Xb)", wrt="X", dims={"X": (3, 4)})
    >>> g.text
    '(exp(Xb) ⊙ a)bᵀ'

The calls go to one long-lived ``matcalc batch --stream`` process (Node on the PATH, the built CLI
found as ``locate_cli`` says), so each costs milliseconds after the first.
"""

from __future__ import annotations

import subprocess
import threading
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from ._errors import MatcalcError, MatcalcProcessError
from ._process import Process, locate_cli
from ._result import Check, Part, Result, Step

__all__ = [
    "grad",
    "diff",
    "jac",
    "hess",
    "Session",
    "Result",
    "Check",
    "Step",
    "Part",
    "MatcalcError",
    "MatcalcProcessError",
    "locate_cli",
    "close",
]
__version__ = "0.1.0"

Wrt = Union[str, Sequence[str]]
Dims = Union[str, Mapping[str, Any], None]
Assume = Union[str, Mapping[str, Union[str, Iterable[str]]], Iterable[str], None]


class Session:
    """One matcalc process and the calls made through it; thread-safe; a context manager.

    ``cli`` is the command that runs matcalc (a list such as ``["node", "dist/src/cli/matcalc.js"]``,
    or a path to matcalc.js or to a ``matcalc`` executable); by default it is found by
    ``locate_cli``. ``timeout`` (seconds) bounds each answer; the process is ended past it.
    """

    def __init__(self, cli: Union[str, Sequence[str], None] = None, *, timeout: Optional[float] = None) -> None:
        self._process = Process(_command(cli), timeout=timeout)

    # -- the four commands ---------------------------------------------------------------------

    def grad(self, expr: str, wrt: Wrt, *, dims: Dims = None, assume: Assume = None, seed: Optional[int] = None, structured: Optional[bool] = None) -> Result:
        """The gradient of a scalar expression with respect to ``wrt`` (``"X"``, ``"W,b"`` or a list)."""
        return self._call("grad", expr, wrt, dims=dims, assume=assume, seed=seed, structured=structured)

    def diff(self, expr: str, wrt: Wrt, *, dims: Dims = None, assume: Assume = None, seed: Optional[int] = None) -> Result:
        """The differential dF of any expression, linear in the directions dX."""
        return self._call("diff", expr, wrt, dims=dims, assume=assume, seed=seed)

    def jac(self, expr: str, wrt: Wrt, *, dims: Dims = None, assume: Assume = None, seed: Optional[int] = None, layout: Optional[str] = None) -> Result:
        """The Jacobian of a vector or matrix expression (``layout``: "numerator" or "denominator")."""
        return self._call("jac", expr, wrt, dims=dims, assume=assume, seed=seed, layout=layout)

    def hess(self, expr: str, wrt: Wrt, *, dims: Dims = None, assume: Assume = None, seed: Optional[int] = None) -> Result:
        """The Hessian of a scalar expression (or its product H[V] where no matrix is read off)."""
        return self._call("hess", expr, wrt, dims=dims, assume=assume, seed=seed)

    # -- the process ---------------------------------------------------------------------------

    @property
    def pid(self) -> Optional[int]:
        """The running process's id, or None before the first call and after close()."""
        return self._process.pid

    def close(self) -> None:
        """Ends the process (the next call starts another)."""
        self._process.close()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- requests ------------------------------------------------------------------------------

    def _call(self, command: str, expr: str, wrt: Wrt, **options: Any) -> Result:
        if not isinstance(expr, str):
            raise TypeError(f"expr must be a string, got {type(expr).__name__}")
        request: Dict[str, Any] = {"expr": expr, "wrt": _wrt(wrt)}
        if command != "grad":
            request["command"] = command
        dims = _dims_text(options.get("dims"))
        assume = _assume_text(options.get("assume"))
        if dims is not None:
            request["dims"] = dims
        if assume is not None:
            request["assume"] = assume
        for key in ("seed", "layout", "structured"):
            if options.get(key) is not None:
                request[key] = options[key]
        answer = self._process.request(request)
        if "error" in answer:
            raise MatcalcError.from_json(answer["error"], {"expr": expr, "--dims": dims or "", "--assume": assume or ""})
        cache: List[str] = []
        lock = threading.Lock()

        def module() -> str:
            with lock:
                if not cache:
                    cache.append(self._module(command, request))
                return cache[0]

        return _result_from_json(answer, module)

    def _module(self, command: str, request: Mapping[str, Any]) -> str:
        """``matcalc <command> … --format numpy``: one run of its own (batch answers JSON only)."""
        wrt = request["wrt"]
        args = [command, "--wrt", wrt if isinstance(wrt, str) else ",".join(wrt), "--format", "numpy"]
        for key in ("dims", "assume", "seed", "layout"):
            if key in request:
                args += [f"--{key}", str(request[key])]
        if request.get("structured"):
            args.append("--structured")
        args += ["--", request["expr"]]
        run = subprocess.run(self._process.command + args, capture_output=True, encoding="utf-8", timeout=self._process.timeout)
        # Exit 1 is a failed check: the module is still written (its docstring says so).
        if run.returncode not in (0, 1) or not run.stdout.strip():
            raise MatcalcProcessError(f"matcalc {command} --format numpy failed (exit {run.returncode}): {run.stderr.strip()}", id="process/module")
        return run.stdout


def _result_from_json(answer: Mapping[str, Any], module: Any) -> Result:
    from ._result import from_json

    return from_json(answer, module)


def _command(cli: Union[str, Sequence[str], None]) -> Optional[List[str]]:
    if cli is None:
        return None
    if isinstance(cli, str):
        from ._process import _node

        return [_node(), cli] if cli.endswith((".js", ".mjs", ".cjs")) else [cli]
    return list(cli)


def _wrt(wrt: Wrt) -> Union[str, List[str]]:
    if isinstance(wrt, str):
        return wrt
    names = list(wrt)
    if not names or not all(isinstance(n, str) for n in names):
        raise TypeError("wrt must be a name such as 'X', 'W1,W2', or a non-empty list of names")
    return names


def _dims_text(dims: Dims) -> Optional[str]:
    """``{"X": (3, 4), "a": 3, "c": 1}`` → ``"X=3x4,a=3,c=1"``; a string passes as it is."""
    if dims is None or isinstance(dims, str):
        return dims
    entries = []
    for name, size in dims.items():
        if isinstance(size, (tuple, list)):
            if len(size) not in (1, 2):
                raise ValueError(f"dims[{name!r}] must be (rows, cols) or (length,), got {size!r}")
            size = "x".join(str(s) for s in size)
        entries.append(f"{name}={size}")
    return ",".join(entries)


def _assume_text(assume: Assume) -> Optional[str]:
    """``{"S": "spd", "x": ["positive"]}`` or ``["S:spd"]`` → ``"S:spd,x:positive"``."""
    if assume is None or isinstance(assume, str):
        return assume
    if isinstance(assume, Mapping):
        entries = []
        for name, props in assume.items():
            for prop in [props] if isinstance(props, str) else props:
                entries.append(f"{name}:{prop}")
        return ",".join(entries)
    return ",".join(assume)


_default: Optional[Session] = None
_default_lock = threading.Lock()


def session() -> Session:
    """The session the module-level functions use (started on first use)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Session()
        return _default


def close() -> None:
    """Ends the default session's process (it is also ended at interpreter exit)."""
    global _default
    with _default_lock:
        if _default is not None:
            _default.close()
            _default = None


def grad(expr: str, wrt: Wrt, *, dims: Dims = None, assume: Assume = None, seed: Optional[int] = None, structured: Optional[bool] = None) -> Result:
    """The gradient of a scalar expression: ``matcalc.grad("aᵀexp(Xb)", wrt="X", dims={"X": (3, 4)})``."""
    return session().grad(expr, wrt, dims=dims, assume=assume, seed=seed, structured=structured)


def diff(expr: str, wrt: Wrt, *, dims: Dims = None, assume: Assume = None, seed: Optional[int] = None) -> Result:
    """The differential dF of any expression: ``matcalc.diff("X*a", wrt="X")``."""
    return session().diff(expr, wrt, dims=dims, assume=assume, seed=seed)


def jac(expr: str, wrt: Wrt, *, dims: Dims = None, assume: Assume = None, seed: Optional[int] = None, layout: Optional[str] = None) -> Result:
    """The Jacobian of a vector or matrix expression: ``matcalc.jac("exp(A*x)", wrt="x")``."""
    return session().jac(expr, wrt, dims=dims, assume=assume, seed=seed, layout=layout)


def hess(expr: str, wrt: Wrt, *, dims: Dims = None, assume: Assume = None, seed: Optional[int] = None) -> Result:
    """The Hessian of a scalar expression: ``matcalc.hess("xᵀAx", wrt="x")``."""
    return session().hess(expr, wrt, dims=dims, assume=assume, seed=seed)

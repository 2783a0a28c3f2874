"""What a matcalc call returns: the derivative in every notation, the derivation, the check, and its
renderings for a terminal (``repr``) and for Jupyter (``_repr_latex_``, ``_repr_html_``)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

Shape = Tuple[Any, ...]


@dataclass(frozen=True)
class Step:
    """One equality of the derivation: the rule applied and the expression after it."""

    rule: str
    text: str


@dataclass(frozen=True)
class Check:
    """matcalc's numeric check of the derivative against finite differences."""

    passed: bool
    status: str  # "passed", "failed" (the derivative is wrong) or "inconclusive"
    relative_error: Optional[float]
    seed: int
    sizes: Mapping[str, int]
    comparisons: int
    reason: Optional[str] = None

    def __bool__(self) -> bool:
        return self.passed

    def summary(self) -> str:
        error = "n/a" if self.relative_error is None else f"{self.relative_error:.1e}"
        sizes = "; " + ", ".join(f"{k}={v}" for k, v in self.sizes.items()) if self.sizes else ""
        text = f"{self.status}: relative error {error} against finite differences (seed {self.seed}{sizes}; {self.comparisons} comparisons)"
        return f"{text}; {self.reason}" if self.reason else text


@dataclass(frozen=True)
class Part:
    """One derivative line: ``label = text`` (a gradient, a Jacobian, a Hessian, a differential)."""

    role: str
    label: str
    label_latex: str
    text: str
    latex: str
    numpy: Optional[str]
    variable: Optional[str] = None
    shape: Optional[Shape] = None
    caption: Optional[str] = None


@dataclass(frozen=True, eq=False)
class Result:
    """The answer of ``grad``, ``diff``, ``jac`` or ``hess``.

    ``text``, ``latex`` and ``numpy`` are the derivative (for several variables: one line per
    variable, and a NumPy tuple in the order of ``wrt``); ``read`` is what matcalc read
    (``f = …``); ``steps`` the derivation; ``check`` the numeric check; ``parts`` every line the
    CLI prints; ``json`` the CLI's whole JSON object. ``function()`` is the generated NumPy code.
    """

    command: str
    input: str
    wrt: Tuple[str, ...]
    shapes: Mapping[str, Shape]
    read: str
    read_latex: str
    text: str
    latex: str
    numpy: Optional[str]
    parts: Tuple[Part, ...]
    where: Tuple[Tuple[str, str], ...]
    steps: Tuple[Step, ...]
    check: Check
    notes: Tuple[str, ...]
    json: Mapping[str, Any] = field(repr=False)
    _module: Callable[[], str] = field(repr=False)

    # -- the generated code ----------------------------------------------------------------------

    @property
    def module(self) -> str:
        """The Python module of ``matcalc <command> --format numpy`` (fetched once, then cached)."""
        return self._module()

    def function(self, name: Optional[str] = None) -> Callable[..., Any]:
        """A callable from the generated NumPy module, executed in a fresh namespace of its own.

        grad: ``f_and_grad_X(inputs…) -> (value, gradient)`` (a tuple of gradients for several
        variables); diff: the differential ``(inputs…, dX) -> dF``; jac: the Jacobian; hess: the
        Hessian matrix, or the product H[V] where matcalc gives no matrix. ``name`` picks another
        function of the module (``"f"``, ``"gradient_x"``, …); diff, jac and hess of several
        variables have one function per variable, so there ``name`` is needed.
        """
        namespace: Dict[str, Any] = {"__name__": f"matcalc_{self.command}_module"}
        exec(compile(self.module, f"<matcalc {self.command} --format numpy>", "exec"), namespace)
        public = {k: v for k, v in namespace.items() if callable(v) and not k.startswith("_") and getattr(v, "__module__", None) == namespace["__name__"]}
        if name is not None:
            if name not in public:
                raise KeyError(f"the generated module has no function {name!r} (it has {', '.join(sorted(public))})")
            return public[name]
        chosen = [public[k] for k in public if _is_main(self.command, k)]
        if not chosen and self.command == "hess":
            chosen = [public[k] for k in public if k.startswith("hessian_product_")]
        # Several variables give one function per variable (differential_A(A, x, dA), …), with
        # different arguments: which one is meant must be said.
        if len(chosen) != 1 or (len(self.wrt) > 1 and self.command != "grad"):
            raise ValueError(
                f"the generated {self.command} module has several functions ({', '.join(sorted(public))}):"
                " pick one with function(name)"
            )
        return chosen[0]

    # -- renderings ------------------------------------------------------------------------------

    def __str__(self) -> str:
        lines = [self.read]
        lines += [f"{p.label} = {p.text}" for p in self.parts]
        if self.where:
            lines.append("where " + ", ".join(f"{n} = {t}" for n, t in self.where))
        lines.append("check   " + self.check.summary())
        lines += [f"note    {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<matcalc.Result {self.command} {self.input!r} wrt {','.join(self.wrt)}: {self.text!r}; check {self.check.status}>"

    def _latex_lines(self) -> str:
        rows = [_row(self.read_latex)]
        rows += [f"{p.label_latex} &= {p.latex}" for p in self.parts]
        if self.where and self.command != "grad":  # a gradient's LaTeX carries its own "where"
            rows.append(r"&\text{where } " + r",\ ".join(f"{_latex_text(n)} = {_latex_text(t)}" for n, t in self.where))
        return r" \\ ".join(rows)

    def _repr_latex_(self) -> str:
        """The result as display math: what was read, then each derivative (Jupyter, nbconvert)."""
        return f"$$\\begin{{aligned}} {self._latex_lines()} \\end{{aligned}}$$"

    def _repr_html_(self) -> str:
        """The result as math (for MathJax), the check, and the derivation folded in <details>."""
        e = html.escape
        check_class = "passed" if self.check.passed else self.check.status
        out = ['<div class="matcalc-result">']
        out.append(f'<div class="matcalc-math">\\[\\begin{{aligned}} {e(self._latex_lines())} \\end{{aligned}}\\]</div>')
        if self.where:
            out.append("<div>where " + ", ".join(f"<code>{e(n)} = {e(t)}</code>" for n, t in self.where) + "</div>")
        out.append(f'<div class="matcalc-check matcalc-{e(check_class)}">check {e(self.check.summary())}</div>')
        for note in self.notes:
            out.append(f'<div class="matcalc-note">note: {e(note)}</div>')
        if self.steps:
            out.append(f"<details><summary>derivation ({len(self.steps)} steps)</summary><ol>")
            out += [f"<li><code>{e(s.text)}</code> <small>{e(s.rule)}</small></li>" for s in self.steps]
            out.append("</ol></details>")
        shapes = ", ".join(f"{e(n)}: {e(_shape_text(s))}" for n, s in self.shapes.items())
        out.append(f'<div class="matcalc-shapes"><small>shapes {shapes}</small></div>')
        out.append("</div>")
        return "\n".join(out)


def _row(read_latex: str) -> str:
    """``f = …`` as an aligned row: the first '=' becomes the alignment point."""
    return read_latex.replace("=", "&=", 1)


def _latex_text(text: str) -> str:
    """Plain text inside LaTeX math: \\text{…} with LaTeX's special characters escaped."""
    special = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\^{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "~": r"\~{}"}
    return "\\text{" + "".join(special.get(c, c) for c in text) + "}"


def _is_main(command: str, name: str) -> bool:
    prefix = {"grad": "f_and_grad_", "diff": "differential_", "jac": "jacobian_", "hess": "hessian_"}[command]
    return name.startswith(prefix) and not name.startswith("hessian_product_")


def _shape_text(shape: Shape) -> str:
    return "×".join(str(d) for d in shape)


def latex_name(name: str) -> str:
    """A variable name in LaTeX: W1 → W_{1}; anything unusual in \\text{}."""
    m = re.fullmatch(r"([A-Za-z]+)(\d*)", name)
    if m:
        letters, digits = m.groups()
        return letters + (f"_{{{digits}}}" if digits else "")
    return f"\\text{{{name}}}"


def from_json(data: Mapping[str, Any], module: Callable[[], str]) -> Result:
    """The Result of one CLI JSON object (a grad or a diff|jac|hess one)."""
    command = data.get("command", "grad")
    wrt = (data["wrt"],) if isinstance(data["wrt"], str) else tuple(data["wrt"])
    shapes = {k: tuple(v) for k, v in data["shapes"].items()}
    fn = data["function"]
    letter = "F" if command in ("diff", "jac") else "f"
    if command == "grad":
        parts = tuple(_gradient_part(name, g) for name, g in data["gradients"].items())
        # Several gradients may name the same shared definition: each once.
        where = tuple(dict.fromkeys((w["name"], w["text"]) for g in data["gradients"].values() for w in g["where"]))
        main = parts
    else:
        parts = tuple(_derivative_part(r) for r in data["results"])
        where = tuple((w["name"], w["text"]) for w in data["where"])
        main = _main_parts(command, parts, data)
    if len(main) == 1:
        text, latex, numpy = main[0].text, main[0].latex, main[0].numpy
    else:
        text = "\n".join(f"{p.label} = {p.text}" for p in main)
        latex = r"\begin{aligned} " + r" \\ ".join(f"{p.label_latex} &= {p.latex}" for p in main) + r" \end{aligned}"
        numpy = None if any(p.numpy is None for p in main) else "(" + ", ".join(p.numpy for p in main) + ")"  # type: ignore[misc]
    if where:
        text += (" " if len(main) == 1 else "\n") + "where " + ", ".join(f"{n} = {t}" for n, t in where)
    check = data["check"]
    return Result(
        command=command,
        input=data["input"],
        wrt=wrt,
        shapes=shapes,
        read=f"{letter} = {fn['text']}",
        read_latex=f"{letter} = {fn['latex']}",
        text=text,
        latex=latex,
        numpy=numpy,
        parts=parts,
        where=where,
        steps=tuple(Step(s["rule"], s["text"]) for s in data["steps"]),
        check=Check(
            passed=check["passed"],
            status=check["status"],
            relative_error=check["relativeError"],
            seed=check["seed"],
            sizes=dict(check["sizes"]),
            comparisons=check["comparisons"],
            reason=check.get("reason"),
        ),
        notes=tuple(data["notes"]),
        json=data,
        _module=module,
    )


def _gradient_part(name: str, g: Mapping[str, Any]) -> Part:
    return Part(
        role="gradient",
        label=f"∇_{name} f",
        label_latex=f"\\nabla_{{{latex_name(name)}}} f",
        text=g["text"],
        latex=g["latex"],
        numpy=g["numpy"],
        variable=name,
        shape=tuple(g["shape"]),
    )


def _derivative_part(r: Mapping[str, Any]) -> Part:
    role = r["role"]
    var = r.get("variable")
    of = r.get("of", var)
    v = latex_name(var) if var else ""
    labels = {
        "differential": r"\mathrm{d}F",
        "jacobian": f"\\frac{{\\partial F}}{{\\partial {v}}}",
        "gradient": f"\\nabla_{{{v}}} f",
        "hessian": f"\\nabla^2_{{{v}}} f" if of == var else f"\\frac{{\\partial^2 f}}{{\\partial {latex_name(of or '')}\\,\\partial {v}^\\top}}",
        "hessian-product": r"H[V]",
    }
    return Part(
        role=role,
        label=r["label"],
        label_latex=labels.get(role, f"\\text{{{r['label']}}}"),
        text=r["text"],
        latex=r["latex"],
        numpy=r.get("numpy"),
        variable=var,
        shape=tuple(r["shape"]) if "shape" in r else None,
        caption=r.get("caption"),
    )


def _main_parts(command: str, parts: Tuple[Part, ...], data: Mapping[str, Any]) -> Tuple[Part, ...]:
    """The derivative a diff|jac|hess call is for: dF, the Jacobians, the Hessians (or H[V])."""
    role = {"diff": "differential", "jac": "jacobian", "hess": "hessian"}[command]
    main = tuple(p for p in parts if p.role == role)
    if not main and command == "hess":
        main = tuple(p for p in parts if p.role == "hessian-product")
    return main or parts[:1]

"""grad, diff, jac and hess: every view of the answer, the options, and agreement with the CLI."""

import numpy as np
import pytest

import matcalc


def column(*values):
    return np.array(values, dtype=float).reshape(-1, 1)


def central_difference(f, x, h=1e-6):
    """The derivative of the scalar f at x, entry by entry: an independent reference."""
    g = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        g[idx] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def test_grad_views_match_the_cli(cli_json):
    g = matcalc.grad("aᵀexp(Xb)", wrt="X", dims={"X": (3, 4)})
    want = cli_json("grad", "aᵀexp(Xb)", "--wrt", "X", "--dims", "X=3x4")
    assert g.json == want
    assert g.text == want["gradient"]["text"] == "(exp(Xb) ⊙ a)bᵀ"
    assert g.latex == want["gradient"]["latex"]
    assert g.numpy == want["gradient"]["numpy"]
    assert g.read == "f = aᵀexp(Xb)"
    assert g.read_latex == "f = " + want["function"]["latex"]
    assert g.shapes == {"a": (3, 1), "X": (3, 4), "b": (4, 1)}
    assert g.wrt == ("X",)
    assert [s.rule for s in g.steps][0] == "start"
    assert g.steps[-1].text == "⟨(exp(Xb) ⊙ a)bᵀ, dX⟩"
    assert g.check.passed and bool(g.check) and g.check.status == "passed"
    assert 0 <= g.check.relative_error < 1e-6
    assert g.check.seed == 1 and g.check.comparisons > 0


def test_the_numpy_expression_and_the_function_agree_with_finite_differences():
    g = matcalc.grad("aᵀexp(Xb)", wrt="X", dims={"X": (3, 4)})
    rng = np.random.default_rng(5)
    a, X, b = column(*rng.standard_normal(3)), rng.standard_normal((3, 4)), column(*rng.standard_normal(4))
    reference = central_difference(lambda Y: (a.T @ np.exp(Y @ b)).item(), X)
    from_expression = eval(g.numpy, {"np": np, "a": a, "X": X, "b": b})
    assert np.allclose(from_expression, reference, atol=1e-6)
    f = g.function()
    assert f.__name__ == "f_and_grad_X"
    value, gradient = f(a, X, b)
    assert value == pytest.approx((a.T @ np.exp(X @ b)).item())
    assert np.allclose(gradient, reference, atol=1e-6)
    # 1-D vectors are accepted, as the module's docstring says.
    assert np.allclose(f(a.ravel(), X, b.ravel())[1], reference, atol=1e-6)


def test_function_runs_in_a_namespace_of_its_own():
    g = matcalc.grad("xᵀx", wrt="x")
    before = dict(globals())
    f = g.function()
    assert f.__globals__ is not globals()
    assert f.__globals__["__name__"] == "matcalc_grad_module"
    assert dict(globals()).keys() == before.keys()
    assert g.function() is not f  # each call executes the module anew
    assert "def f_and_grad_x" in g.module
    assert g.function("f_and_grad_x")(np.ones(3))[0] == pytest.approx(3.0)
    with pytest.raises(KeyError, match="no function 'nope'"):
        g.function("nope")


def test_several_variables():
    g = matcalc.grad("sum(W*x)", wrt=["W", "x"], dims={"W": (2, 3)})
    assert g.wrt == ("W", "x")
    assert g.text.splitlines() == ["∇_W f = 𝟙xᵀ", "∇_x f = Wᵀ𝟙"]
    assert g.latex.startswith(r"\begin{aligned}") and r"\nabla_{W} f" in g.latex
    W, x = np.arange(6.0).reshape(2, 3), column(1.0, 2.0, 3.0)
    gW, gx = eval(g.numpy, {"np": np, "W": W, "x": x})
    assert np.allclose(gW, np.ones((2, 1)) @ x.T) and np.allclose(gx, W.T @ np.ones((2, 1)))
    value, (fW, fx) = g.function()(W, x)
    assert value == pytest.approx(float(np.sum(W @ x)))
    assert np.allclose(fW, gW) and np.allclose(fx, gx)
    assert matcalc.grad("sum(W*x)", wrt="W,x").text == g.text


def test_diff_jac_hess(cli_json):
    d = matcalc.diff("X*a", wrt="X")
    assert d.command == "diff" and d.text == "dX a" and d.read == "F = Xa" and d.numpy == "dX @ a"
    assert d.json == cli_json("diff", "X*a", "--wrt", "X")
    X, a, dX = np.arange(12.0).reshape(3, 4), column(1, 2, 3, 4), np.ones((3, 4))
    assert np.allclose(d.function()(X, a, dX), dX @ a)

    j = matcalc.jac("exp(A*x)", wrt="x", dims={"A": (3, 4)})
    assert j.json == cli_json("jac", "exp(A*x)", "--wrt", "x", "--dims", "A=3x4")
    assert j.text == "diag(T₁)A where T₁ = exp(Ax)"
    assert j.parts[-1].shape == (3, 4)
    A, x = np.arange(12.0).reshape(3, 4) / 10, column(0.1, -0.2, 0.3, 0.0)
    J = j.function()(A, x)
    reference = np.stack([central_difference(lambda y: np.exp(A @ y)[i, 0], x).ravel() for i in range(3)])
    assert np.allclose(J, reference, atol=1e-6)
    assert np.allclose(eval(j.numpy, {"np": np, "A": A, "x": x}), reference, atol=1e-6)
    denominator = matcalc.jac("exp(A*x)", wrt="x", dims={"A": (3, 4)}, layout="denominator")
    assert denominator.parts[-1].shape == (4, 3)

    h = matcalc.hess("xᵀAx", wrt="x")
    assert h.text == "A + Aᵀ" and h.read == "f = xᵀAx"
    assert [p.role for p in h.parts] == ["gradient", "hessian-product", "hessian"]
    A = np.arange(9.0).reshape(3, 3)
    assert np.allclose(h.function()(np.ones(3), A), A + A.T)
    assert h.function("gradient_x") is not None


def test_several_variables_of_diff_name_their_function():
    d = matcalc.diff("A*x", wrt="A,x", dims={"A": (2, 3)})
    assert d.text == "A dx + dA x"
    with pytest.raises(ValueError, match="differential_A, differential_x, f"):
        d.function()
    A, x = np.arange(6.0).reshape(2, 3), column(1, 2, 3)
    assert np.allclose(d.function("differential_A")(A, x, np.ones((2, 3))), np.ones((2, 3)) @ x)
    assert np.allclose(d.function("differential_x")(A, x, column(1, 0, 0)), A[:, :1])


def test_options_assume_seed_structured():
    assert matcalc.grad("xᵀAx", wrt="x", assume={"A": "symmetric"}).text == "2Ax"
    assert matcalc.grad("xᵀAx", wrt="x", assume="A:symmetric").text == "2Ax"
    assert matcalc.grad("xᵀSx", wrt="x", assume=["S:spd"]).text == "2Sx"
    assert matcalc.grad("xᵀx", wrt="x", seed=7).check.seed == 7
    plain = matcalc.grad("log det S - tr(S*C)", wrt="S", assume={"S": "spd"})
    structured = matcalc.grad("log det S - tr(S*C)", wrt="S", assume={"S": "spd"}, structured=True)
    assert structured.text != plain.text
    assert matcalc.grad("aᵀx", wrt="x", dims={"a": 3, "x": (3,)}).shapes["x"] == (3, 1)
    assert matcalc.grad("aᵀx", wrt="x", dims="a=5").shapes["x"] == (5, 1)


def test_errors_carry_code_message_line_column_and_caret():
    with pytest.raises(matcalc.MatcalcError) as info:
        matcalc.grad("xᵀ(A", wrt="x")
    e = info.value
    assert (e.code, e.id, e.line, e.column) == ("MC1002", "syntax/unclosed", 1, 5)
    assert "expected ')'" in e.message
    assert e.caret == "xᵀ(A\n    ^"
    assert "MC1002" in str(e) and e.caret in str(e)

    with pytest.raises(matcalc.MatcalcError) as info:
        matcalc.grad("W*x", wrt="x")
    assert info.value.code == "MC2005" and info.value.id == "shape/not-scalar"
    assert info.value.caret == "W*x\n^^^"


def test_error_positions_count_code_points_not_utf16_units():
    # 𝟙 is one code point but two UTF-16 units: the caret must still sit under the bad token.
    with pytest.raises(matcalc.MatcalcError) as info:
        matcalc.grad("𝟙ᵀx + @", wrt="x")
    e = info.value
    assert e.column == 7 and e.text[e.start] == "@"
    assert e.caret.splitlines()[1] == " " * 6 + "^"


def test_errors_in_dims_and_assume_point_into_them():
    with pytest.raises(matcalc.MatcalcError) as info:
        matcalc.grad("Xa", wrt="X", dims="X=3x")
    assert info.value.source == "--dims" and info.value.caret.startswith("X=3x\n^")
    with pytest.raises(matcalc.MatcalcError) as info:
        matcalc.grad("xᵀSx", wrt="x", assume={"S": "spdd"})
    assert info.value.id == "shape/bad-assume" and "spdd" in info.value.message


def test_layout_is_checked_by_the_cli():
    with pytest.raises(matcalc.MatcalcError) as info:
        matcalc.jac("A*x", wrt="x", layout="sideways")
    assert info.value.id == "batch/bad-request"
    assert not info.value.message.startswith("line ")
    assert info.value.line is None and info.value.caret is None


def test_type_errors_are_python_errors():
    with pytest.raises(TypeError):
        matcalc.grad(3, wrt="x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        matcalc.grad("xᵀx", wrt=[])


def test_errors_survive_pickling():
    import pickle

    with pytest.raises(matcalc.MatcalcError) as info:
        matcalc.grad("xᵀ(A", wrt="x")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is matcalc.MatcalcError
    assert (copy.code, copy.id, copy.line, copy.column, copy.caret, str(copy)) == (
        info.value.code, info.value.id, info.value.line, info.value.column, info.value.caret, str(info.value))

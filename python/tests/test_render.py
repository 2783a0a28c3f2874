"""The Jupyter renderings: math for _repr_latex_, escaped HTML with the derivation in <details>."""

import dataclasses
from html.parser import HTMLParser

import matcalc
from matcalc import Step


class Tags(HTMLParser):
    """Checks that every opened tag is closed, in order, and collects the text."""

    VOID = {"br", "hr", "img"}

    def __init__(self):
        super().__init__()
        self.stack, self.text, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(markup):
    tags = Tags()
    tags.feed(markup)
    tags.close()
    assert tags.stack == []
    return tags


def test_latex_is_display_math_with_what_was_read_and_the_gradient():
    g = matcalc.grad("aᵀexp(Xb)", wrt="X", dims={"X": (3, 4)})
    latex = g._repr_latex_()
    assert latex.startswith("$$") and latex.endswith("$$")
    assert r"f &= a^\top\exp(Xb)" in latex
    assert r"\nabla_{X} f &= " + g.latex in latex


def test_html_has_the_math_the_check_and_a_foldable_derivation():
    g = matcalc.grad("aᵀexp(Xb)", wrt="X")
    page = g._repr_html_()
    tags = parse(page)
    assert "details" in tags.tags and "summary" in tags.tags
    text = "".join(tags.text)
    assert g.latex in text  # MathJax reads the text: the LaTeX survives escaping
    assert f"derivation ({len(g.steps)} steps)" in text
    for step in g.steps:
        assert step.text in text
    assert "check passed" in text


def test_html_escapes_everything_it_shows():
    g = matcalc.grad("xᵀx", wrt="x")
    hostile = dataclasses.replace(
        g,
        steps=(Step("rule<b>", "<script>alert(1)</script>"),),
        notes=("a & b <i>",),
        where=(("T<1>", "x & y"),),
        shapes={"<x>": (3, 1)},
    )
    page = hostile._repr_html_()
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page and "<x>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tags = parse(page)
    assert set(tags.tags) <= {"div", "details", "summary", "ol", "li", "code", "small"}
    assert "a & b <i>" in "".join(tags.text)


def test_derivative_commands_render_every_line():
    j = matcalc.jac("exp(A*x)", wrt="x")
    latex = j._repr_latex_()
    assert r"\frac{\partial F}{\partial x} &= \operatorname{diag}(T_{1})A" in latex
    assert r"\text{where }" in latex
    h = matcalc.hess("xᵀAx", wrt="x")
    assert r"\nabla^2_{x} f &= A + A^\top" in h._repr_latex_()
    parse(h._repr_html_())


def test_str_reads_like_the_cli():
    g = matcalc.grad("aᵀexp(Xb)", wrt="X")
    lines = str(g).splitlines()
    assert lines[0] == "f = aᵀexp(Xb)"
    assert lines[1] == "∇_X f = (exp(Xb) ⊙ a)bᵀ"
    assert lines[2].startswith("check   passed: relative error")
    assert "(exp(Xb) ⊙ a)bᵀ" in repr(g)

import { expect, test } from 'vitest';
import { texProse } from '../../../src/emit/latex-document.js';
import { latexName } from '../../../src/emit/latex.js';

/** Prose and names in a pdflatex document: every character as something pdflatex can set (issue 17). */

test.each([
  ['G + Gᵀ − I ⊙ G', 'G + $G^{\\top}$ $-$ I $\\odot$ G'],
  ['the free entries Sᵢⱼ, i ≤ j', 'the free entries $S_{ij}$, i $\\le$ j'],
  ['(Matrix Cookbook, §2.8.2)', '(Matrix Cookbook, \\S{}2.8.2)'],
  ['--structured gives', '-{}-structured gives'],
  ['K[m×n]·vec(A) = vec(Aᵀ)', 'K[m$\\times$n]$\\cdot$vec(A) = vec($A^{\\top}$)'],
  ['X⁻¹ and x²', '$X^{-1}$ and $x^{2}$'],
  ['50% of a_b & {c} $d #e ^f ~g \\h', '50\\% of a\\_b \\& \\{c\\} \\$d \\#e \\textasciicircum{}f \\textasciitilde{}g \\textbackslash{}h'],
  ['a < b > c | d "e"', "a \\textless{} b \\textgreater{} c \\textbar{} d ''e''"],
  ['café, Ж, …', "caf\\'{e}, \\texttt{U+0416}, \\ldots{}"],
  ['α and Α', '$\\alpha$ and $\\mathrm{A}$'],
])('%s', (text, tex) => {
  expect(texProse(text)).toBe(tex);
  expect(texProse(text)).toMatch(/^[\x20-\x7e]*$/);
});

test.each([
  ['Α', '\\mathrm{A}'],
  ['Ω₂', '\\Omega_{2}'],
  ['Ŷ', '\\hat{Y}'],
  ['x̂1', '\\hat{x}_{1}'],
  ['Ж', '\\text{U+0416}'],
])('latexName(%s) = %s: ASCII only, Greek capitals as upright Latin where TeX has no macro', (name, tex) => {
  expect(latexName(name)).toBe(tex);
});

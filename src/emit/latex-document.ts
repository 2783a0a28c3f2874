import { dimText } from '../term/dim-product.js';
import type { DerivationStep } from '../differentiate/derivation.js';
import type { Report } from '../report.js';
import { isScalar, type Shape, type Term } from '../term/term.js';
import { answerLabels } from './answer-labels.js';
import { emitLatex, GREEK_CHARS, latexName } from './latex.js';
import { texCommentLines } from './escape.js';

/**
 * The LaTeX pieces of the documents (document.ts lays them out for every command): the function as
 * read, the where-lines of shared definitions (`\quad\text{where } Y = …`), a gradient's derivation
 * as an `aligned` block in the style of the notes, the shapes, the check as a sentence, TeX-safe
 * prose, and the compilable article `--standalone` wraps them in.
 */

/** Text for `\text{…}`: TeX specials escaped. */
export function texText(text: string): string {
  return text.replace(/[\\{}_^#$%&~]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\textbackslash{}';
      case '^':
        return '\\textasciicircum{}';
      case '~':
        return '\\textasciitilde{}';
      // c is one of the regular expression's characters, a string rather than a union: the rest ({}_#$%&) take a backslash.
      default:
        return `\\${c}`;
    }
  });
}

/** The where-block of display math: one `\\quad\\text{where } Y = …` row per definition. */
export function whereLines(where: readonly { name: string; text: string }[]): string[] {
  // One where-block: the word once, the other definitions lined up under the first.
  return where.map((w, i) => `&\\quad${i === 0 ? '\\text{where }' : '\\phantom{\\text{where }}'} ${w.name} = ${w.text}`);
}

/** An `aligned` block, or the single line itself when there is nothing to align. */
export function alignedBlock(rows: readonly string[]): string {
  return `\\begin{aligned}\n${rows.join(' \\\\\n')}\n\\end{aligned}`;
}

/** `f = …` (`F = …` for a vector or matrix function) as read, with the user's definitions as where-rows; every command's first block. */
export function functionBlock(f: Term, names: ReadonlyMap<Term, string>, label?: string): string {
  // The body is written out even when it is a definition of its own (g = qᵀq; g): not `g = g`.
  const own = names.has(f) ? new Map([...names].filter(([t]) => t !== f)) : names;
  const e = emitLatex([f], { names: own, share: 'names', explicit: true });
  const F = label ?? (isScalar(f) ? 'f' : 'F');
  if (e.where.length === 0) return `${F} = ${e.main[0]!}`;
  return alignedBlock([`${F} &= ${e.main[0]!}`, ...whereLines(e.where)]);
}

/** Nodes whose differential needs no parentheses: `\mathrm{d}X`, `\mathrm{d}Y`, `\mathrm{d}\exp(Xb)`. */
function atomicDifferential(node: Term, names: ReadonlyMap<Term, string>): boolean {
  if (node.kind === 'var' || names.has(node)) return true;
  return node.kind === 'fn' || node.kind === 'trace' || node.kind === 'det' || node.kind === 'logdet';
}

/** Derivation lines whose rule is not named beside them: a first line, a summary line, an elision. */
const UNTAGGED_RULES = new Set(['start', 'grad', 'total', 'elided']);

/** A derivation line's rule ids at its right, as the text shows them after the line. */
export function ruleTag(rule: string): string {
  return UNTAGGED_RULES.has(rule) ? '' : ` && \\scriptstyle\\textsf{${texText(rule)}}`;
}

/** A gradient's derivation in the style of the notes: `\mathrm{d}f &= \langle 1, \mathrm{d}(…) \rangle \\ &= …`. */
export function gradientDerivationBlock(report: Pick<Report, 'names' | 'f' | 'typed' | 'variables'>, steps: readonly DerivationStep[]): string {
  const names = report.names;
  // One emission for every step: the user's definitions print by name and are defined once.
  const all = steps.flatMap((s) => s.terms.flatMap((t) => [t.coefficient, t.node]));
  const e = emitLatex(all, { names, share: 'names' });
  let k = 0;
  const rows: string[] = [];
  steps.forEach((step, i) => {
    const lead = i === 0 ? `\\mathrm{d}${answerLabels(report).fLatex} &= ` : '&= ';
    if (step.rule === 'elided') {
      rows.push(`&\\quad\\text{${texText(step.text.replace('…', '...'))}}`);
      return;
    }
    const parts = step.terms.map((t) => {
      const coefficient = e.main[k++]!;
      const node = e.main[k++]!;
      const d = atomicDifferential(t.node, names) ? `\\mathrm{d}${node}` : `\\mathrm{d}(${node})`;
      return `\\langle ${coefficient}, ${d} \\rangle`;
    });
    rows.push(`${lead}${parts.length === 0 ? '0' : parts.join(' + ')}${ruleTag(step.rule)}`);
  });
  rows.push(...whereLines(e.where));
  return alignedBlock(rows);
}

/** `n \times 1` → `\mathbb{R}^{n \times 1}` for a variable's shape. */
export function shapeLatex(shape: Shape): string {
  const dim = (d: string | number) => dimText(d, latexName, ' ');
  return `\\mathbb{R}^{${dim(shape[0])} \\times ${dim(shape[1])}}`;
}

/** The shapes as one line of math: `a \\in \\mathbb{R}^{n \\times 1},\\; X \\in …`. */
export function shapesLatex(variables: ReadonlyMap<string, Shape>): string {
  return [...variables].map(([name, shape]) => `${latexName(name)} \\in ${shapeLatex(shape)}`).join(',\\; ');
}

/** The numeric check as one sentence of plain text (Unicode). */
export function checkSentence(report: Pick<Report, 'check'>, what = 'gradient'): { status: 'passed' | 'inconclusive' | 'failed' | 'skipped'; text: string } {
  const c = report.check;
  if (!c) return { status: 'skipped', text: 'skipped (--no-check)' };
  const sizes = Object.entries(c.sizes)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const detail = `seed ${c.seed}${sizes ? `; ${sizes}` : ''}; ${c.comparisons} comparisons`;
  if (c.status === 'passed') {
    return { status: 'passed', text: `passed: relative error ${c.relativeError.toExponential(1)} against finite differences (${detail})` };
  }
  if (c.status === 'inconclusive') return { status: 'inconclusive', text: `inconclusive: ${c.reason ?? ''} (${detail})` };
  const error = Number.isFinite(c.relativeError) ? c.relativeError.toExponential(2) : 'NaN';
  return {
    status: 'failed',
    text: `CHECK FAILED: the ${what} disagrees with finite differences: ${c.reason ?? ''} (relative error ${error}; ${detail}). Do not use it.`,
  };
}

/** Unicode in prose that is mathematics: typeset in math mode (`Gᵀ` → `$G^{\top}$`). */
const PROSE_MATH: Readonly<Record<string, string>> = {
  '×': '\\times', '−': '-', '⊙': '\\odot', '⊗': '\\otimes', '⊘': '\\oslash', '∘': '\\circ', '·': '\\cdot', '≤': '\\le',
  '≥': '\\ge', '≠': '\\ne', '⟨': '\\langle', '⟩': '\\rangle', '‖': '\\|', '∇': '\\nabla', '∂': '\\partial', '→': '\\to',
  '∈': '\\in', '√': '\\surd', '𝟙': '\\mathbf{1}', 'ℝ': '\\mathbb{R}', '∑': '\\sum',
};
/** Superscript and subscript characters: collected into one `^{…}` or `_{…}` per run. */
const PROSE_SUPERSCRIPTS: Readonly<Record<string, string>> = {
  'ᵀ': '\\top', '⁻': '-', '⁺': '+', '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9',
};
const PROSE_SUBSCRIPTS: Readonly<Record<string, string>> = {
  'ᵢ': 'i', 'ⱼ': 'j', 'ₖ': 'k', 'ₙ': 'n', 'ₘ': 'm', '₀': '0', '₁': '1', '₂': '2', '₃': '3', '₄': '4', '₅': '5', '₆': '6', '₇': '7', '₈': '8', '₉': '9',
};
/** Unicode in prose that is text: its LaTeX (OT1 has no ‘…’ glyph, `--` is a dash, `<` prints ¡). */
const PROSE_TEXT: Readonly<Record<string, string>> = {
  '…': '\\ldots{}', '§': '\\S{}', '–': '--', '—': '---', '‘': '`', '’': "'", '“': '``', '”': "''",
  '<': '\\textless{}', '>': '\\textgreater{}', '|': '\\textbar{}', '"': "''", '\u00a0': '~',
};
/** Accents on Latin letters, in text: é → \'{e}. */
const TEXT_ACCENTS: Readonly<Record<string, string>> = {
  '\u0300': '\\`', '\u0301': "\\'", '\u0302': '\\^', '\u0303': '\\~', '\u0304': '\\=', '\u0306': '\\u', '\u0307': '\\.', '\u0308': '\\"',
  '\u030c': '\\v', '\u0327': '\\c',
};

type ProsePiece = { readonly math: boolean; readonly tex: string };

/** One character of prose as text or math. */
function prosePiece(c: string): ProsePiece {
  const math = PROSE_MATH[c] ?? GREEK_CHARS[c];
  if (math !== undefined) return { math: true, tex: math };
  if (PROSE_SUPERSCRIPTS[c] !== undefined) return { math: true, tex: `^{${PROSE_SUPERSCRIPTS[c]}}` };
  if (PROSE_SUBSCRIPTS[c] !== undefined) return { math: true, tex: `_{${PROSE_SUBSCRIPTS[c]}}` };
  if (PROSE_TEXT[c] !== undefined) return { math: false, tex: PROSE_TEXT[c]! };
  if (/^[\x20-\x7e]$/.test(c)) return { math: false, tex: texText(c) };
  const [base, ...marks] = [...c.normalize('NFD')];
  if (base !== undefined && /^[A-Za-z]$/.test(base) && marks.length > 0 && marks.every((m) => TEXT_ACCENTS[m] !== undefined)) {
    return { math: false, tex: marks.reduce((inner, m) => `${TEXT_ACCENTS[m]}{${inner}}`, base) };
  }
  return { math: false, tex: `\\texttt{U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}` };
}

/**
 * Prose (a note, the check sentence) for the body of a pdflatex document: mathematics in `$…$`
 * (a name before a superscript moves in with it, runs of super- and subscripts become one `^{…}`
 * or `_{…}`), every other character as text pdflatex can set — never a raw code point, and never
 * `--` (an en dash) where the text meant two hyphens (`--structured`).
 */
export function texProse(text: string): string {
  const pieces: ProsePiece[] = [];
  for (const c of text.replace(/--/g, '-\u0000-')) {
    if (c === '\u0000') {
      pieces.push({ math: false, tex: '{}' });
      continue;
    }
    const piece = prosePiece(c);
    const last = pieces[pieces.length - 1];
    // ᵀ after a name: the name is the base (`$G^{\top}$`), and `_{i}_{j}` is one subscript `_{ij}`.
    if (piece.math && /^[\^_]/.test(piece.tex) && last && !last.math) {
      const name = /[A-Za-z][A-Za-z0-9]*$/.exec(last.tex)?.[0];
      if (name && !/\\[A-Za-z]*$/.test(last.tex.slice(0, -name.length))) {
        pieces[pieces.length - 1] = { math: false, tex: last.tex.slice(0, -name.length) };
        pieces.push({ math: true, tex: name });
      }
    }
    const tail = pieces[pieces.length - 1];
    if (tail && tail.math === piece.math) {
      const merged = piece.math ? mergeScripts(tail.tex, piece.tex) : tail.tex + piece.tex;
      pieces[pieces.length - 1] = { math: piece.math, tex: merged };
    } else pieces.push(piece);
  }
  return pieces.map((p) => (p.math ? `$${p.tex}$` : p.tex)).join('');
}

/** Appends math, joining `^{a}` + `^{b}` into `^{ab}` (a double superscript is a TeX error). */
function mergeScripts(left: string, right: string): string {
  const script = /([\^_])\{([^{}]*)\}$/.exec(left);
  const next = /^([\^_])\{([^{}]*)\}$/.exec(right);
  if (script && next && script[1] === next[1]) return `${left.slice(0, -script[0].length)}${script[1]}{${script[2]}${next[2]}}`;
  // A control word before a letter needs a space (`\cdot` then `x`).
  return /\\[A-Za-z]+$/.test(left) && /^[A-Za-z]/.test(right) ? `${left} ${right}` : left + right;
}

/** What a standalone document holds; grad and diff|jac|hess documents differ only in these. */
export interface DocumentContent {
  readonly source: string;
  /** The comment line after the input: "With respect to: X". */
  readonly header: string;
  readonly function: string;
  readonly shapes: string;
  readonly derivation?: string;
  readonly resultTitle: string;
  readonly result: string;
  /** Values at the point (--at): a display block, and the point as a line of math. */
  readonly at?: { readonly point: string; readonly block: string };
  readonly check: { readonly status: string; readonly text: string };
  readonly notes: readonly string[];
}

/** A compilable amsmath/amssymb article: the input as a comment, ASCII outside math. */
export function standaloneLatex(c: DocumentContent): string {
  // A display wider than the text is scaled down to the line (\fitwidth below): a formula cannot be
  // broken across lines, and an overfull box would run into the margin.
  const display = (block: string) => `\\[\n\\fitwidth{%\n${block}}\n\\]`;
  const out: string[] = [
    '% Generated by matcalc.',
    '% Input:',
    // Every line break TeX honours (LF, CR, CRLF) starts a new comment line: no part of the input
    // can end the comment and land in the preamble.
    ...texCommentLines(c.source),
    ...texCommentLines(c.header, '% '),
    '\\documentclass{article}',
    '\\usepackage{amsmath}',
    '\\usepackage{amssymb}',
    '\\usepackage{graphicx}',
    '\\newsavebox{\\matcalcbox}',
    '\\newcommand{\\fitwidth}[1]{\\sbox{\\matcalcbox}{$\\displaystyle #1$}%',
    '  \\ifdim\\wd\\matcalcbox>\\linewidth\\resizebox{\\linewidth}{!}{\\usebox{\\matcalcbox}}\\else\\usebox{\\matcalcbox}\\fi}',
    // Prose (notes quoting formulas) stretches its spaces rather than running into the margin.
    '\\sloppy',
    '\\begin{document}',
    '',
    '\\section*{Function}',
    display(c.function),
    // The shapes may break after each comma (TeX breaks inline math only after operators).
    `Shapes: $${c.shapes.replaceAll(',\\;', ',\\allowbreak\\;')}$.`,
    '',
  ];
  if (c.derivation) out.push('\\section*{Derivation}', display(c.derivation), '');
  out.push(`\\section*{${c.resultTitle}}`, display(c.result), '');
  if (c.at) out.push('\\section*{At the point}', `At $${c.at.point}$:`, display(c.at.block), '');
  const checkText = texProse(c.check.text);
  out.push(`\\noindent Numeric check: ${c.check.status === 'failed' ? `\\textbf{${checkText}}` : checkText}`, '');
  for (const note of c.notes) out.push(`\\noindent Note: ${texProse(note)}`, '');
  out.push('\\end{document}');
  return `${out.join('\n')}\n`;
}

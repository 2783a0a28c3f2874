import * as T from '../term/factory.js';
import { dimText } from '../term/dim-product.js';
import type { Block, DerivativeBlock, GradientBlock, Report } from '../report.js';
import { derivativeBlocks } from './blocks.js';
import { isFShaped } from '../differentiate/read-off.js';
import { shapeText, type Dim, type Shape, type Term } from '../term/term.js';
import { answerLabels, type AnswerLabels } from './answer-labels.js';
import { asciiProgram, emitAscii } from './ascii.js';
import { emitLatex, latexName } from './latex.js';
import { mapLatex, mapText } from './linear-map.js';
import { jacobianMatrix, type JacobianMatrix } from './jacobian-matrix.js';
import { blockMatrixLatex, blockMatrixText, hessianGrid, sumSizes, vecSize, type HessianGrid } from './hessian-matrix.js';
import { emitNumpy, emitPython, NUMPY_DIALECT } from './numpy.js';
import { dimExpressions, reportIdentifiers } from './report.js';
import { emitText, textName } from './text.js';
import { columnsCaption } from './columns-caption.js';

/**
 * The views of any command's report that every output shares: one line per result (a gradient, a
 * differential, a Jacobian, a Hessian block), each with its label and value in text and LaTeX (and
 * ASCII and NumPy where it is a term), the conventions stated next to them. The CLI paints these;
 * the JSON of diff|jac|hess, LaTeX and HTML lay them out.
 */
export interface ResultLine {
  /** What the line is, for JSON: differential, jacobian, hessian, hessian-product, gradient. */
  readonly role: 'differential' | 'jacobian' | 'hessian' | 'hessian-product' | 'gradient' | 'linear' | 'hessian-matrix' | 'jacobian-matrix';
  readonly variable?: string;
  readonly of?: string;
  readonly label: string;
  readonly labelLatex: string;
  readonly text: string;
  readonly latex: string;
  readonly ascii?: string;
  readonly numpy?: string;
  /** The matrix's shape, or the map's (for a vec-Jacobian: the sizes of vec dF and vec dX). */
  readonly shape?: readonly [Dim, Dim];
  /** A remark printed after the value: the layout, the vec convention. */
  readonly caption?: string;
  /** The caption in LaTeX (text mode parts in \text{…}). */
  readonly captionLatex?: string;
}

export interface DerivativeViews {
  readonly lines: readonly ResultLine[];
  readonly where: readonly { readonly name: string; readonly text: string }[];
  readonly whereLatex: readonly { readonly name: string; readonly text: string }[];
}

function dimLatex(d: Dim): string {
  return dimText(d, latexName, ' ');
}

/** A result line before it is printed: its term (or Kronecker map), printed with the others. */
type Pending = Omit<ResultLine, 'text' | 'latex'> & { term?: Term; map?: DerivativeBlock['kron'] };

/** What the views read of a report: its function, names and blocks (gradientViews passes one gradient at a time). */
export type ViewedReport = Pick<Report, 'f' | 'names' | 'variables' | 'typed' | 'blocks' | 'layout' | 'differentials' | 'differential'>;

/** The labels a block's lines are written with: the answer's own names (answer-labels.ts), f or F and H. */
interface Labels {
  readonly F: string;
  readonly FL: string;
  readonly H: string;
  readonly HL: string;
}

/**
 * `code: false` leaves out the ASCII and NumPy of each line (the text answer and the documents do
 * not print them, and a large gradient's code costs as much again as its text).
 */
export function derivativeViews(report: ViewedReport, { code = true }: { readonly code?: boolean } = {}): DerivativeViews {
  // With `latex`, every line has its LaTeX.
  return printViews(report, { code, latex: true, labels: answerLabels(report) }) as DerivativeViews;
}

/** What the text answer prints of a result line: the line without its LaTeX and code. */
export type TextLine = Omit<ResultLine, 'latex' | 'ascii' | 'numpy'>;

export interface TextViews {
  readonly lines: readonly TextLine[];
  readonly where: readonly { readonly name: string; readonly text: string }[];
}

/** The views in text alone: the text answer prints no LaTeX, which cost as much again as the text. */
export function derivativeTextViews(report: ViewedReport, labels: AnswerLabels = answerLabels(report)): TextViews {
  return printViews(report, { code: false, latex: false, labels });
}

/** A result line as printViews makes it: the LaTeX only when asked. */
type PrintedLine = TextLine & { readonly latex?: string; readonly ascii?: string; readonly numpy?: string };

function printViews(report: ViewedReport, { code, latex: withLatex, labels: answer }: { code: boolean; latex: boolean; labels: AnswerLabels }) {
  const names = report.names;
  // Direction variables print as differentials (dX); a gradient's report has none.
  const options = { names, differentials: report.differentials };
  // What a line's ASCII and NumPy need, made only when they are printed: the text answer does not
  // print them, and the Python identifiers of non-ASCII names compile a Unicode pattern (python-text.ts).
  const forCode = code ? codeContext(report) : undefined;
  const { f: F, fLatex: FL, h: H, hLatex: HL } = answer;
  const labels: Labels = { F, FL, H, HL };
  const pending: Pending[] = [];
  if (report.differential) pending.push({ role: 'differential', label: `d${FL}`, labelLatex: `\\mathrm{d}${FL}`, term: report.differential });
  const single = derivativeBlocks(report).length === 1;
  for (const b of report.blocks) pending.push(...blockLines(report, b, single, labels));

  // Terms print together, so a node they share is defined once for all of them.
  const terms = pending.filter((p) => p.term).map((p) => p.term!);
  const text = emitText(terms, options);
  const latex = withLatex ? emitLatex(terms, options) : undefined;
  let at = 0;
  const where = [...text.where];
  const whereLatex = latex ? [...latex.where] : [];
  const lines: PrintedLine[] = pending.map((p) => {
    const { term, map, ...rest } = p;
    if (term) {
      const i = at++;
      const printed = { ...rest, text: text.main[i]!, ...(latex ? { latex: latex.main[i]! } : {}) };
      if (!forCode) return printed;
      const { witnesses, dimExpr, identifiers } = forCode;
      // The differentials option only renames direction variables, which only differentials contain.
      const ascii = asciiProgram(emitAscii([term], { ...options, witnesses }));
      const numpy = emitNumpy(term, { dimExpr, names, identifiers });
      return { ...printed, ascii, numpy };
    }
    const t = mapText(map!, { names });
    for (const w of t.where) if (!where.some((x) => x.name === w.name)) where.push(w);
    if (!withLatex) return { ...rest, text: t.text };
    const l = mapLatex(map!, { names });
    for (const w of l.where) if (!whereLatex.some((x) => x.name === w.name)) whereLatex.push(w);
    return { ...rest, text: t.text, latex: l.text };
  });
  const grid = hessianGrid(report);
  if (grid) lines.push(assembledHessian(report, grid, lines, forCode, withLatex, { F, FL }));
  const jacobian = jacobianMatrix(report);
  if (jacobian) {
    // Printed whole, entry by entry: the columns above name what they share, the matrix repeats it.
    const { term, ...rest } = assembledJacobian(jacobian, F);
    const whole = { ...options, share: false };
    const printed = { ...rest, text: emitText([term!], whole).main[0]!, ...(withLatex ? { latex: emitLatex([term!], whole).main[0]! } : {}) };
    lines.push(forCode ? { ...printed, ascii: asciiProgram(emitAscii([term!], whole)), numpy: emitNumpy(term!, { dimExpr: forCode.dimExpr, names, identifiers: forCode.identifiers }) } : printed);
  }
  return { lines, where, whereLatex };
}

/** The Python identifier of each name, the input's variables (for the ASCII of a dimension printed as a number, nrows(X)) and the NumPy of each dimension. */
function codeContext(report: ViewedReport) {
  const identifiers = reportIdentifiers(report);
  const witnesses = [...report.variables].map(([name, shape]) => T.variable(name, shape));
  return { identifiers, witnesses, dimExpr: dimExpressions(report.variables, identifiers) };
}

/** What a view's lines print code with, made once per view (codeContext). */
type CodeContext = ReturnType<typeof codeContext>;

/** The lines of one block: a gradient's, a Jacobian's, a Hessian block's (with its product), a differential's part. */
function blockLines(report: ViewedReport, b: Block, single: boolean, labels: Labels): Pending[] {
  switch (b.kind) {
    case 'gradient':
      return [{ role: 'gradient', variable: b.name, label: `∇_${textName(b.name)} ${labels.F}`, labelLatex: `\\nabla_{${latexName(b.name)}} ${labels.FL}`, term: b.gradient }];
    case 'jacobian':
      return [jacobianLine(report, b, labels)];
    case 'hessian':
      return hessianLines(report, b, labels);
    case 'differential': {
      // One variable's part of dF, when there are several (with one, it is dF itself).
      if (single) return [];
      const x = textName(b.wrt);
      return [{ role: 'linear', variable: b.wrt, label: `d${labels.FL} (${x} only)`, labelLatex: `\\mathrm{d}${labels.FL}\\big|_{${latexName(b.wrt)}}`, term: b.linear }];
    }
  }
}

/** A Jacobian block: dF/dx of F's shape, a matrix in the report's layout, a Kronecker form, or the linear map. */
function jacobianLine(report: ViewedReport, b: DerivativeBlock, { F, FL }: Labels): Pending {
  const x = textName(b.wrt);
  const xl = latexName(b.wrt);
  const vector = (s: Shape) => s[1] === 1 || s[0] === 1;
  if (b.matrix && isFShaped(report.f.shape, b.shape)) {
    // A matrix F of a scalar x: dF/dx has F's shape (Matrix Cookbook §2.2), in either layout.
    const [p, q] = report.f.shape;
    return {
      role: 'jacobian',
      variable: b.wrt,
      label: `∂${F}/∂${x}`,
      labelLatex: `\\frac{\\partial ${FL}}{\\partial ${xl}}`,
      term: b.matrix,
      shape: [p, q],
      caption: `${p}×${q}, the shape of ${F}: d${F} = (∂${F}/∂${x})·d${x}`,
      captionLatex: `${dimLatex(p)} \\times ${dimLatex(q)}\\text{, the shape of } ${FL}`,
    };
  }
  if (b.matrix) {
    const [m, n] = [vecSize(report.f.shape), vecSize(b.shape)];
    const caption =
      report.layout === 'numerator'
        ? `numerator layout: ${m}×${n}, rows follow ${F}, columns follow ${x}`
        : `denominator layout: ${n}×${m}, rows follow ${x}, columns follow ${F} (the transpose of the numerator layout)`;
    const [ml, nl] = [dimLatex(m), dimLatex(n)];
    const captionLatex =
      report.layout === 'numerator'
        ? `\\text{numerator layout: } ${ml} \\times ${nl}\\text{, rows follow } ${FL}\\text{, columns follow } ${xl}`
        : `\\text{denominator layout: } ${nl} \\times ${ml}\\text{, rows follow } ${xl}\\text{, columns follow } ${FL}`;
    const both = vector(report.f.shape) && vector(b.shape);
    return {
      role: 'jacobian',
      variable: b.wrt,
      label: both ? `∂${F}/∂${x}` : `∂vec(${F})/∂vec(${x})`,
      labelLatex: both ? `\\frac{\\partial ${FL}}{\\partial ${xl}}` : `\\frac{\\partial \\operatorname{vec} ${FL}}{\\partial \\operatorname{vec} ${xl}}`,
      term: b.matrix,
      shape: report.layout === 'numerator' ? [m, n] : [n, m],
      ...withColumns(b.matrix, caption, captionLatex),
    };
  }
  if (b.kron) {
    return {
      role: 'jacobian',
      variable: b.wrt,
      label: `∂vec(${F})/∂vec(${x})`,
      labelLatex: `\\frac{\\partial \\operatorname{vec} ${FL}}{\\partial \\operatorname{vec} ${xl}}`,
      map: b.kron,
      shape: [vecSize(report.f.shape), vecSize(b.shape)],
      caption: `numerator layout: vec(d${F}) = J·vec(d${x})${report.layout === 'denominator' ? '; --layout denominator is its transpose' : ''}`,
      captionLatex: `\\text{numerator layout: } \\operatorname{vec}(\\mathrm{d}${FL}) = J \\operatorname{vec}(\\mathrm{d}${xl})`,
    };
  }
  return {
    role: 'linear',
    variable: b.wrt,
    label: `d${x} ↦ d${F}`,
    labelLatex: `\\mathrm{d}${xl} \\mapsto \\mathrm{d}${FL}`,
    term: b.linear,
    caption: `no matrix read off: ${b.unreadable ?? 'not expressible'}; the linear map is exact`,
    // Text mode: TeX specials dropped, the · of diag(·) as math (pdflatex reads no Unicode there).
    captionLatex: `\\text{no matrix read off: ${(b.unreadable ?? 'not expressible').replace(/[\\{}_^#$%&~]/g, ' ').replace(/·/g, '$\\cdot$')}}`,
  };
}

/** A Hessian block: the product H[V], then the matrix (or its vec form) when one was read off. */
function hessianLines(report: ViewedReport, b: DerivativeBlock, { F, FL, H, HL }: Labels): Pending[] {
  const x = textName(b.wrt);
  const xl = latexName(b.wrt);
  const v = b.direction.kind === 'var' ? b.direction.name : 'V';
  const mixed = b.of !== undefined && b.of !== b.wrt;
  const sub = mixed ? `${textName(b.of!)}${x}` : '';
  const subLatex = mixed ? `${latexName(b.of!)}${xl}` : '';
  const of = b.of ? { of: b.of } : {};
  const lines: Pending[] = [
    {
      role: 'hessian-product',
      variable: b.wrt,
      ...of,
      label: `${H}${sub ? `_${sub}` : ''}[${v}]`,
      labelLatex: `${HL}${subLatex ? `_{${subLatex}}` : ''}[${latexName(v)}]`,
      term: b.linear,
      caption: mixed ? `d(∇_${textName(b.of!)} ${F}) along d${x} = ${v}` : `d²${F} = ⟨${v}, ${H}[${v}]⟩ for d${x} = ${v}`,
      captionLatex: mixed
        ? `\\mathrm{d}(\\nabla_{${latexName(b.of!)}} ${FL})\\text{ along } \\mathrm{d}${xl} = ${latexName(v)}`
        : `\\mathrm{d}^2 ${FL} = \\langle ${latexName(v)}, ${HL}[${latexName(v)}] \\rangle\\text{ for } \\mathrm{d}${xl} = ${latexName(v)}`,
    },
  ];
  const label = mixed ? `∂²${F}/∂${textName(b.of!)}∂${x}ᵀ` : `∇²_${x} ${F}`;
  const labelLatex = mixed ? `\\frac{\\partial^2 ${FL}}{\\partial ${latexName(b.of!)}\\,\\partial ${xl}^\\top}` : `\\nabla^2_{${xl}} ${FL}`;
  const shape = [vecSize(b.of ? report.variables.get(b.of)! : b.shape), vecSize(b.shape)] as const;
  if (b.matrix) lines.push({ role: 'hessian', variable: b.wrt, ...of, label, labelLatex, term: b.matrix, shape, ...withColumns(b.matrix) });
  else if (b.kron) {
    lines.push({
      role: 'hessian',
      variable: b.wrt,
      ...of,
      label,
      labelLatex,
      map: b.kron,
      shape,
      caption: `vec form: vec(${H}[${v}]) = ${H}·vec(${v})`,
      captionLatex: `\\text{vec form: } \\operatorname{vec}(${HL}[${latexName(v)}]) = ${HL} \\operatorname{vec}(${latexName(v)})`,
    });
  }
  return lines;
}

/** jac of a vector in several scalars: the columns above as one matrix (jacobian-matrix.ts). */
function assembledJacobian(jacobian: JacobianMatrix, F: string): Pending {
  const stacked = jacobian.variables.map(textName).join(', ');
  const stackedLatex = jacobian.variables.map(latexName).join(', ');
  const [k, m] = jacobian.term.shape;
  return {
    role: 'jacobian-matrix',
    label: `∂${F}/∂(${stacked})`,
    labelLatex: `\\frac{\\partial ${F}}{\\partial (${stackedLatex})}`,
    term: jacobian.term,
    shape: [k, m],
    caption: `the columns above as one matrix: rows follow ${F}, columns follow (${stacked})`,
    captionLatex: `\\text{the columns above as one matrix: rows follow } ${F}\\text{, columns follow } (${stackedLatex})`,
  };
}

/** hess with several scalar or vector variables: the blocks above as one matrix (hessian-matrix.ts). */
function assembledHessian(report: ViewedReport, grid: HessianGrid, lines: readonly PrintedLine[], forCode: CodeContext | undefined, withLatex: boolean, { F, FL }: { F: string; FL: string }): PrintedLine {
  const block = (of: string, x: string) => lines.find((l) => l.role === 'hessian' && l.variable === x && (l.of ?? x) === of)!;
  const rows = grid.variables.map((of) => grid.variables.map((x) => block(of, x)));
  const stacked = grid.variables.map(textName).join(', ');
  const stackedLatex = grid.variables.map(latexName).join(', ');
  const n = sumSizes(grid.sizes);
  return {
    role: 'hessian-matrix',
    label: `∇²_(${stacked}) ${F}`,
    labelLatex: `\\nabla^2_{(${stackedLatex})} ${FL}`,
    text: blockMatrixText(rows.map((r) => r.map((l) => l.text))),
    ...(forCode ? { ascii: blockMatrixText(rows.map((r) => r.map((l) => l.ascii!))) } : {}),
    ...(withLatex ? { latex: blockMatrixLatex(rows.map((r) => r.map((l) => l.latex!))) } : {}),
    ...(forCode ? { numpy: assembledNumpy(report, grid, forCode) } : {}),
    shape: [n, n],
    caption: `the blocks above as one matrix: rows and columns follow (${stacked}) stacked`,
    captionLatex: `\\text{the blocks above as one matrix: rows and columns follow } (${stackedLatex})\\text{ stacked}`,
  };
}

/** The blocks' NumPy in one sharing plan: a temporary defined in one block is named in the later ones, left to right. */
function assembledNumpy(report: ViewedReport, grid: HessianGrid, { dimExpr, identifiers }: CodeContext): string {
  const texts = emitPython(grid.blocks.flat().map((b) => b.matrix!), { dimExpr, names: report.names, identifiers }, NUMPY_DIALECT);
  const k = grid.variables.length;
  return `np.block([${grid.variables.map((_, i) => `[${texts.slice(i * k, (i + 1) * k).join(', ')}]`).join(', ')}])`;
}

/** Each gradient of a grad report on its own (grad's JSON prints them so): text with its own definitions, ASCII, NumPy, LaTeX. */
export interface GradientViews {
  readonly name: string;
  readonly shape: Shape;
  readonly text: string;
  readonly where: readonly { readonly name: string; readonly text: string }[];
  readonly ascii: string;
  readonly numpy: string;
  /** LaTeX (KaTeX-compatible), with shared definitions after `\quad\text{where}`. */
  readonly latex: string;
}

export function gradientViews(report: Pick<Report, 'f' | 'names' | 'variables' | 'typed' | 'gradients'>): GradientViews[] {
  return report.gradients.map((g: GradientBlock) => {
    // The views of the report with this gradient alone: its own definitions, none of the others'.
    const views = derivativeViews({ f: report.f, names: report.names, variables: report.variables, typed: report.typed, blocks: [g], layout: 'numerator', differentials: new Map() });
    const line = views.lines[0]!;
    const where = views.whereLatex.map((w) => `${w.name} = ${w.text}`).join(',\\ ');
    return {
      name: g.name,
      shape: g.shape,
      text: line.text,
      where: views.where,
      ascii: line.ascii!,
      numpy: line.numpy!,
      latex: where ? `${line.latex} \\quad\\text{where } ${where}` : line.latex,
    };
  });
}

/** `X: m×m, n: integer`: an integer parameter (the exponent of Xⁿ) says so rather than `scalar`. */
export function shapesText(variables: ReadonlyMap<string, Shape>, integers: ReadonlySet<string> = new Set(), absent: ReadonlySet<string> = new Set()): string {
  return [...variables].map(([name, shape]) => `${name}: ${integers.has(name) ? 'integer' : shapeText(shape)}${absent.has(name) ? ' (does not occur)' : ''}`).join(', ');
}

/** A line's caption with what columns(B, V) means appended, when its matrix reads a part column by column. */
function withColumns(term: Term, caption?: string, captionLatex?: string): { caption?: string; captionLatex?: string } {
  const note = columnsCaption(term);
  if (note === undefined) return { ...(caption !== undefined ? { caption } : {}), ...(captionLatex !== undefined ? { captionLatex } : {}) };
  return { caption: caption ? `${caption}; ${note.text}` : note.text, captionLatex: captionLatex ? `${captionLatex}\\text{; }${note.latex}` : note.latex };
}

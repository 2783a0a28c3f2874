import type { Command, Report } from '../report.js';
import { isForwardDerivation, isReverseDerivation } from './blocks.js';
import { answerLabels } from './answer-labels.js';
import { atLatexLines } from './at-values.js';
import { derivativeViews } from './derivative.js';
import { reportGraph } from './graph/from-report.js';
import { graphToSvg } from './graph/svg.js';
import type { FormatOptions } from './format-names.js';
import { htmlPage } from './html.js';
import { alignedBlock, checkSentence, functionBlock, gradientDerivationBlock, ruleTag, shapesLatex, standaloneLatex, whereLines } from './latex-document.js';
import { RESULT_NOUN } from './text-answer.js';

/**
 * `--format latex` and `--format html` of every command: one document, whose display-math blocks
 * (the function as read, the derivation, the results) and captions come from the report's kind.
 * The page and the .tex file lay them out alike (html.ts, latex-document.ts).
 */
interface DocumentParts {
  /** `f = …`, with the user's definitions as where-lines. */
  readonly function: string;
  /** The derivation as an `aligned` block (with steps, when recorded). */
  readonly derivation?: string;
  /** The results with their where-lines. */
  readonly result: string;
  /** The variables' shapes as one line of math. */
  readonly shapes: string;
  /** The .tex file's line under the title. */
  readonly header: string;
  /** The results' section title. */
  readonly resultTitle: string;
  /** The symbol in the page's title: ∇, d, ∂. */
  readonly symbol: string;
}

function documentParts(report: Report, steps: boolean): DocumentParts {
  const derivation = steps ? derivationBlock(report) : undefined;
  return {
    function: functionBlock(report.f, report.names, answerLabels(report).fLatex),
    ...(derivation ? { derivation } : {}),
    result: resultBlock(report),
    shapes: shapesLatex(report.variables),
    header: `${HEADINGS[report.command].header}${report.wrt.join(', ')}`,
    resultTitle: HEADINGS[report.command].title,
    symbol: HEADINGS[report.command].symbol,
  };
}

/** Each command's words in a document: the .tex file's line under the title (before the variables), the results' title, the page's symbol. */
const HEADINGS: Readonly<Record<Command, { readonly header: string; readonly title: string; readonly symbol: string }>> = {
  grad: { header: 'With respect to: ', title: 'Gradient', symbol: '∇' },
  diff: { header: 'Command: diff, with respect to ', title: 'Differential', symbol: 'd' },
  jac: { header: 'Command: jac, with respect to ', title: 'Jacobian', symbol: '∂' },
  hess: { header: 'Command: hess, with respect to ', title: 'Hessian', symbol: '∂' },
};

/** One row per result line (derivative.ts's views), captions aligned after them, then the definitions they share. */
function resultBlock(report: Report): string {
  const views = derivativeViews(report, { code: false });
  const rows = views.lines.map((l) => `${l.labelLatex} &= ${l.latex}${l.captionLatex ? ` && ${l.captionLatex}` : ''}`);
  // A lone gradient with nothing to align is one line of math.
  if (rows.length === 1 && views.lines[0]!.role === 'gradient' && views.whereLatex.length === 0) return rows[0]!.replace(' &= ', ' = ');
  return alignedBlock([...rows, ...whereLines(views.whereLatex)]);
}

/** The derivation: a gradient's reverse sweep (latex-document.ts), or the forward sweep's LaTeX rows. */
function derivationBlock(report: Report): string | undefined {
  const steps = report.steps;
  if (!steps) return undefined;
  if (isReverseDerivation(steps)) return gradientDerivationBlock(report, steps);
  if (isForwardDerivation(steps)) return alignedBlock(steps.map((s) => `${s.latex.includes('&') ? s.latex : `&${s.latex}`}${ruleTag(s.rule)}`));
  return undefined;
}

/** `--format latex`: the blocks as display math, or with `--standalone` a compilable article. */
/** Values at the point as LaTeX: the point, and an aligned block of f and each result there. */
function atParts(report: Report): { point: string; block: string } | undefined {
  if (!report.at) return undefined;
  const { point, lines } = atLatexLines(report.at, answerLabels(report).fLatex);
  return { point, block: alignedBlock(lines.map((line) => line.replace(' = ', ' &= '))) };
}

/** f's computational graph, drawn now (dagre, no script), and what was collapsed if it was large. */
function graphPart(report: Report): { svg: string; note?: string } {
  const graph = reportGraph(report);
  return { svg: graphToSvg(graph), ...(graph.collapsedNote ? { note: graph.collapsedNote } : {}) };
}

export function formatLatex(report: Report, options: FormatOptions): string {
  const parts = documentParts(report, options.steps);
  const at = atParts(report);
  // The function as read comes first, as in the text answer (issue 11: always show what was read).
  if (!options.standalone) {
    const atBlock = at ? `\\text{at } ${at.point}:\n${at.block}` : undefined;
    return `${[parts.function, parts.derivation, parts.result, atBlock].filter((b): b is string => b !== undefined).join('\n\n')}\n`;
  }
  return standaloneLatex({
    source: report.source.text,
    header: parts.header,
    function: parts.function,
    shapes: parts.shapes,
    ...(parts.derivation ? { derivation: parts.derivation } : {}),
    resultTitle: parts.resultTitle,
    result: parts.result,
    ...(at ? { at } : {}),
    check: checkSentence(report, RESULT_NOUN[report.command]),
    notes: report.notes,
  });
}

/** `--format html`: one offline page, the derivation always shown. */
export function formatHtml(report: Report, options?: FormatOptions): string {
  void options;
  const parts = documentParts(report, true);
  const what = RESULT_NOUN[report.command];
  return htmlPage({
    what,
    wrt: report.wrt,
    source: report.source.text,
    function: parts.function,
    shapes: parts.shapes,
    ...(parts.derivation ? { derivation: parts.derivation } : {}),
    result: parts.result,
    ...(atParts(report) ? { at: atParts(report)! } : {}),
    graph: graphPart(report),
    check: checkSentence(report, what),
    notes: report.notes,
    symbol: parts.symbol,
  });
}

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostic } from '../diagnostics/render.js';
import { commandJson } from '../emit/command-json.js';
import { reportGraph } from '../emit/graph/from-report.js';
import { graphToSvg } from '../emit/graph/svg.js';
import { FORMATS, type FormatOptions } from '../emit/formats.js';
import { checkSentence } from '../emit/latex-document.js';
import { textAnswer, whereBlock } from '../emit/text-answer.js';
import { run as runCommand } from '../pipeline.js';
import type { Report } from '../report.js';

/**
 * The playground's ONE door into the library: the page (ui.ts) calls run() and shows what it
 * returns, and knows nothing of reports, formatters or diagnostics. When the report API changes
 * (gradient()/derivative() unified, FORMATS/DERIVATIVE_FORMATS merged), this file is the one to
 * adapt. What the page shows is what the CLI prints for the same input: the `f = …` line and the
 * result lines are built from the same views as the CLI's text answer (so an end-to-end test can
 * compare them), the rest comes from the JSON views and the LaTeX/NumPy/PyTorch formatters.
 */

/** The commands the page offers (protocol.ts lists them for the page's menu). */
export type Command = 'grad' | 'diff' | 'jac' | 'hess';

/** What the page's inputs hold (and its URL hash). */
export interface PlaygroundState {
  readonly expr: string;
  readonly wrt: string;
  readonly dims: string;
  readonly assume: string;
  readonly cmd: Command;
}

export interface PlaygroundAnswer {
  readonly ok: true;
  /** `f = …` as the CLI's first line (F for a matrix function). */
  readonly read: string;
  /** The result lines as the CLI's text answer prints them: `∇_x f = …`, captions and where-lines indented. */
  readonly resultText: string;
  /** Display-math blocks (LaTeX): what was read, the derivation (if any), the result. */
  readonly latex: { readonly read: string; readonly derivation?: string; readonly result: string };
  /** What `--format latex` prints: the blocks without the derivation. */
  readonly latexDocument: string;
  /** The derivation, one line per step, as the CLI's --steps prints it. */
  readonly steps: readonly { readonly text: string; readonly rule: string }[];
  readonly shapes: string;
  readonly check: { readonly status: string; readonly text: string };
  readonly notes: readonly string[];
  /** The `--format numpy` module. */
  readonly numpy: string;
  /** The `--format torch` module. */
  readonly torch: string;
  /** f's computational graph as an SVG picture (the HTML page's), with the adjoints on its edges; every text in it escaped. */
  readonly graph: { readonly svg: string; readonly note?: string };
}

export interface PlaygroundError {
  readonly ok: false;
  /** The diagnostics as the CLI renders them without colour: message, position, line, caret. */
  readonly error: string;
}

export type PlaygroundResult = PlaygroundAnswer | PlaygroundError;

const NO_STEPS: FormatOptions = { steps: false, standalone: false };
const WITH_STEPS: FormatOptions = { steps: true, standalone: false };

/** Runs one command on the page's state; never throws (a bug in matcalc is an error text too). */
export function run(state: PlaygroundState): PlaygroundResult {
  if (state.wrt.trim() === '') return { ok: false, error: 'error: say which variable(s) to differentiate by (wrt), e.g. x or W1,W2' };
  try {
    const request = {
      expression: state.expr,
      wrt: state.wrt,
      ...(state.dims.trim() ? { dims: state.dims } : {}),
      ...(state.assume.trim() ? { assume: state.assume } : {}),
      steps: true,
      check: true,
      seed: 1,
    };
    const result = state.cmd === 'grad' ? runCommand({ ...request, command: 'grad' }) : runCommand({ ...request, command: state.cmd, layout: 'numerator' });
    return result.ok ? answer(result.value) : { ok: false, error: renderAll(result.diagnostics) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `internal error (a bug in matcalc, please report this input): ${message}` };
  }
}

function renderAll(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => renderDiagnostic(d)).join('\n');
}

/** Splits a formatter's LaTeX (blocks separated by blank lines) into what was read, derivation and result, by comparing the outputs with and without steps. */
function latexParts(withSteps: string, withoutSteps: string): PlaygroundAnswer['latex'] {
  const plain = withoutSteps.replace(/\n$/, '');
  const cut = plain.indexOf('\n\n');
  const read = plain.slice(0, cut);
  const result = plain.slice(cut + 2);
  const full = withSteps.replace(/\n$/, '');
  const middle = full.slice(read.length + 2, full.length - result.length - 2);
  return { read, ...(middle.trim() ? { derivation: middle } : {}), result };
}

/** Every command's answer from its one report: the CLI's text answer, JSON view and formatters. */
function answer(report: Report): PlaygroundAnswer {
  const json = commandJson(report) as { steps: { rule: string; text: string }[]; notes: string[] };
  const text = textAnswer(report);
  const lines: string[] = [];
  for (const line of text.lines) {
    lines.push(`${line.label} = ${line.text}`);
    if (line.caption) lines.push(`  ${line.caption}`);
  }
  lines.push(...whereBlock(text.where));
  const latexDocument = FORMATS.latex!(report, NO_STEPS);
  return {
    ok: true,
    read: `${text.function.label}${text.function.text}`,
    resultText: lines.join('\n'),
    latex: latexParts(FORMATS.latex!(report, WITH_STEPS), latexDocument),
    latexDocument,
    steps: json.steps,
    shapes: text.shapes,
    check: checkSentence(report, text.what),
    notes: json.notes,
    numpy: FORMATS.numpy!(report, NO_STEPS),
    torch: FORMATS.torch!(report, NO_STEPS),
    graph: graphOf(report),
  };
}

/** The graph the HTML page draws (emit/graph), laid out now, in the engine: the page only inserts it. */
function graphOf(report: Report): PlaygroundAnswer['graph'] {
  const graph = reportGraph(report);
  return { svg: graphToSvg(graph), ...(graph.collapsedNote ? { note: graph.collapsedNote } : {}) };
}

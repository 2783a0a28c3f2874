import type { Command, DerivativeBlock, Report } from '../report.js';
import type { Dim, Shape } from '../term/term.js';
import { asciiProgram, emitAscii } from './ascii.js';
import { derivativeBlocks } from './blocks.js';
import { atJson } from './at-values.js';
import { derivativeViews, gradientViews, type GradientViews, type ResultLine } from './derivative.js';
import { jsonText } from './escape.js';
import { hessianGrid } from './hessian-matrix.js';
import { emitNumpy } from './numpy.js';
import { dimExpressions, functionTextLatex, reportIdentifiers } from './report.js';

/** `--format json`: the report as indented JSON, ending with a newline. */
export function formatJson(report: Report): string {
  return `${jsonText(commandJson(report), 2)}\n`;
}

/**
 * The object of `<command> --format json` (and of a batch line), one layout for every command's
 * report (schema.ts, `result`): what was read, the function, every result line with the shared
 * definitions, the command's own objects (grad's `gradient`/`gradients`, each gradient with its own
 * definitions; jac's `jacobians`; hess's `hessians`), the derivation, the check and the notes
 * (jsonEnvelope). Key order is fixed so the output is byte-identical for the same input and seed.
 */
export function commandJson(report: Report): Record<string, unknown> {
  const views = derivativeViews(report);
  const own = COMMAND_JSON[report.command];
  const out: Record<string, unknown> = { function: functionText(report) };
  if (own.layout) out.layout = report.layout;
  if (own.directions) out.directions = Object.fromEntries(derivativeBlocks(report).map((b) => [b.wrt, b.direction.kind === 'var' ? b.direction.name : '']));
  out.results = views.lines.map((l) => ({
    role: l.role,
    ...(l.variable ? { variable: l.variable } : {}),
    ...(l.of ? { of: l.of } : {}),
    label: l.label,
    text: l.text,
    latex: l.latex,
    ...(l.ascii ? { ascii: l.ascii } : {}),
    ...(l.numpy && l.role !== 'linear' ? { numpy: l.numpy } : {}),
    ...(l.shape ? { shape: [...l.shape] } : {}),
    ...(l.caption ? { caption: l.caption } : {}),
  }));
  out.where = views.where.map((w) => ({ name: w.name, text: w.text }));
  for (const section of own.sections) Object.assign(out, section(report, views.lines));
  const json = jsonEnvelope(report, out);
  // Values at a point only when asked (--at): without one, the output is as it was.
  return report.at ? { ...json, at: atJson(report.at) } : json;
}

/** f in every notation (text and LaTeX as read, ASCII, NumPy) and its shape, for any command. */
export function functionText(report: Report): { text: string; latex: string; ascii: string; numpy: string; shape: [Dim, Dim] } {
  const names = report.names;
  const identifiers = reportIdentifiers(report);
  const { text, latex } = functionTextLatex(report.f, names);
  const numpy = emitNumpy(report.f, { dimExpr: dimExpressions(report.variables, identifiers), names, identifiers });
  return { text, latex, ascii: asciiProgram(emitAscii([report.f], { names })), numpy, shape: shapeJson(report.f.shape) };
}

function shapeJson(shape: Shape): [Dim, Dim] {
  return [shape[0], shape[1]];
}

/** A command's own objects in its JSON, from the report and its result lines. */
type Section = (report: Report, lines: readonly ResultLine[]) => Record<string, unknown>;

/** grad's own objects: each gradient with its own definitions (`gradient` when there is one variable). */
function gradientsJson(report: Report): Record<string, unknown> {
  const views = gradientViews(report);
  const gradientJson = (v: GradientViews) => ({
    text: v.text,
    where: v.where.map((w) => ({ name: w.name, text: w.text })),
    ascii: v.ascii,
    numpy: v.numpy,
    latex: v.latex,
    shape: shapeJson(v.shape),
  });
  const body: Record<string, unknown> = {};
  if (views.length === 1) body.gradient = gradientJson(views[0]!);
  body.gradients = Object.fromEntries(views.map((v) => [v.name, gradientJson(v)]));
  return body;
}

/**
 * Every command's JSON around its results: the command, what was read (the input, wrt, the
 * variables' shapes) first, then `body` (the function and the results), then the derivation, the
 * check and the notes.
 */
export function jsonEnvelope(report: Report, body: Record<string, unknown>): Record<string, unknown> {
  const shapes: Record<string, [Dim, Dim]> = {};
  for (const [name, shape] of report.variables) shapes[name] = shapeJson(shape);
  return {
    command: report.command,
    input: report.source.text,
    wrt: report.wrt.length === 1 ? report.wrt[0] : [...report.wrt],
    shapes,
    ...body,
    steps: (report.steps ?? []).map((s) => ({ rule: s.rule, text: s.text })),
    check: checkJson(report.check),
    notes: [...report.notes],
  };
}

/** The numeric check as JSON (null when it was skipped); the same object for every command. */
export function checkJson(c: Report['check']): Record<string, unknown> | null {
  if (!c) return null;
  return {
    passed: c.status === 'passed',
    status: c.status,
    relativeError: Number.isFinite(c.relativeError) ? c.relativeError : null,
    seed: c.seed,
    sizes: c.sizes,
    comparisons: c.comparisons,
    ...(c.reason ? { reason: c.reason } : {}),
  };
}

const line = (lines: readonly ResultLine[], role: ResultLine['role'], variable?: string) => lines.find((l) => l.role === role && (variable === undefined || l.variable === variable));
const form = (b: DerivativeBlock) => (b.matrix ? 'matrix' : b.kron ? 'kronecker' : 'operator');

/** diff's and jac's dF, with the definitions the results share. */
function differentialJson(_report: Report, lines: readonly ResultLine[]): Record<string, unknown> {
  const d = line(lines, 'differential');
  return d ? { differential: { text: d.text, latex: d.latex, ascii: d.ascii, numpy: d.numpy } } : {};
}

/** jac's Jacobian per variable (`jacobian`: the first). */
function jacobiansJson(report: Report, lines: readonly ResultLine[]): Record<string, unknown> {
  const jacobianJson = (b: DerivativeBlock) => {
    const j = line(lines, 'jacobian', b.wrt) ?? line(lines, 'linear', b.wrt);
    return {
      variable: b.wrt,
      text: j?.text ?? '',
      latex: j?.latex ?? '',
      ...(j?.numpy && b.matrix ? { numpy: j.numpy } : {}),
      ...(j?.shape ? { shape: [...j.shape] } : {}),
      layout: report.layout,
      form: form(b),
    };
  };
  const blocks = derivativeBlocks(report);
  return { jacobian: jacobianJson(blocks[0]!), jacobians: blocks.map(jacobianJson) };
}

/** hess's gradient as its first result line prints it (with the definitions the results share). */
function hessianGradientJson(_report: Report, lines: readonly ResultLine[]): Record<string, unknown> {
  const g = line(lines, 'gradient');
  return g ? { gradient: { text: g.text, latex: g.latex, ascii: g.ascii, numpy: g.numpy } } : {};
}

/** hess's blocks (`hessian`: the first), each with its product H[V]. */
function hessiansJson(report: Report, lines: readonly ResultLine[]): Record<string, unknown> {
  const hessianJson = (b: DerivativeBlock) => {
    const at = (role: ResultLine['role']) => lines.find((l) => l.role === role && l.variable === b.wrt && l.of === b.of);
    const h = at('hessian');
    const p = at('hessian-product');
    return {
      of: b.of ?? b.wrt,
      variable: b.wrt,
      ...(h ? { text: h.text, latex: h.latex } : {}),
      ...(h?.numpy && b.matrix ? { numpy: h.numpy } : {}),
      ...(h?.shape ? { shape: [...h.shape] } : {}),
      form: form(b),
      product: p ? { direction: b.direction.kind === 'var' ? b.direction.name : 'V', text: p.text, latex: p.latex, numpy: p.numpy } : null,
    };
  };
  const blocks = derivativeBlocks(report);
  return { hessian: hessianJson(blocks[0]!), hessians: blocks.map(hessianJson) };
}

/** hess with several scalar or vector variables: the blocks as one matrix. */
function hessianMatrixJson(report: Report, lines: readonly ResultLine[]): Record<string, unknown> {
  const assembled = line(lines, 'hessian-matrix');
  const grid = hessianGrid(report);
  if (!assembled || !grid) return {};
  return { hessianMatrix: { variables: grid.variables, text: assembled.text, ascii: assembled.ascii, latex: assembled.latex, numpy: assembled.numpy, shape: [...assembled.shape!] } };
}

/**
 * What each command's JSON adds to the common layout (schema.ts): jac states its layout, the
 * commands with directions name them, and each has its own objects after the results, in this order.
 */
const COMMAND_JSON: Readonly<Record<Command, { readonly layout: boolean; readonly directions: boolean; readonly sections: readonly Section[] }>> = {
  grad: { layout: false, directions: false, sections: [gradientsJson] },
  diff: { layout: false, directions: true, sections: [differentialJson] },
  jac: { layout: true, directions: true, sections: [differentialJson, jacobiansJson] },
  hess: { layout: false, directions: true, sections: [hessianGradientJson, hessiansJson, hessianMatrixJson] },
};

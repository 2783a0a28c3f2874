import type { DerivativeBlock, DerivativeReport, GradientReport, Report } from '../report.js';
import type { Dim, Shape } from '../term/term.js';
import { asciiProgram, emitAscii } from './ascii.js';
import { atJson } from './at-values.js';
import { derivativeViews, gradientViews, type GradientViews, type ResultLine } from './derivative.js';
import { hessianGrid } from './hessian-matrix.js';
import { emitNumpy } from './numpy.js';
import { dimExpressions, functionTextLatex, reportIdentifiers } from './report.js';

/**
 * The object of `<command> --format json` (and of a batch line), one layout for every command's
 * report (schema.ts, `result`): what was read, the function, every result line with the shared
 * definitions, the command's own objects (grad's `gradient`/`gradients`, each gradient with its own
 * definitions; jac's `jacobians`; hess's `hessians`), the derivation, the check and the notes
 * (jsonEnvelope). Key order is fixed so the output is byte-identical for the same input and seed.
 */
export function commandJson(report: Report): Record<string, unknown> {
  const views = derivativeViews(report);
  const out: Record<string, unknown> = { function: functionText(report) };
  if (report.command === 'jac') out.layout = report.layout;
  if (report.command !== 'grad') out.directions = Object.fromEntries(report.blocks.map((b) => [b.wrt, b.direction.kind === 'var' ? b.direction.name : '']));
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
  Object.assign(out, report.command === 'grad' ? gradientsJson(report) : derivativeJson(report, views.lines));
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

/** grad's own objects: each gradient with its own definitions (`gradient` when there is one variable). */
function gradientsJson(report: GradientReport): Record<string, unknown> {
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
export function checkJson(c: GradientReport['check']): Record<string, unknown> | null {
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

/** diff|jac|hess's own objects: dF, each Jacobian or Hessian block, the assembled Hessian. */
function derivativeJson(report: DerivativeReport, lines: readonly ResultLine[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const line = (role: ResultLine['role'], variable?: string) => lines.find((l) => l.role === role && (variable === undefined || l.variable === variable));
  if (report.command === 'diff') {
    const d = line('differential');
    if (d) out.differential = { text: d.text, latex: d.latex, ascii: d.ascii, numpy: d.numpy };
  }
  if (report.command === 'jac') {
    const d = line('differential');
    if (d) out.differential = { text: d.text, latex: d.latex, ascii: d.ascii, numpy: d.numpy };
    const jacobianJson = (b: DerivativeBlock) => {
      const j = line('jacobian', b.wrt) ?? line('linear', b.wrt);
      return {
        variable: b.wrt,
        text: j?.text ?? '',
        latex: j?.latex ?? '',
        ...(j?.numpy && b.matrix ? { numpy: j.numpy } : {}),
        ...(j?.shape ? { shape: [...j.shape] } : {}),
        layout: report.layout,
        form: b.matrix ? 'matrix' : b.kron ? 'kronecker' : 'operator',
      };
    };
    out.jacobian = jacobianJson(report.blocks[0]!);
    out.jacobians = report.blocks.map(jacobianJson);
  }
  if (report.command === 'hess') {
    const g = line('gradient');
    if (g) out.gradient = { text: g.text, latex: g.latex, ascii: g.ascii, numpy: g.numpy };
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
        form: b.matrix ? 'matrix' : b.kron ? 'kronecker' : 'operator',
        product: p ? { direction: b.direction.kind === 'var' ? b.direction.name : 'V', text: p.text, latex: p.latex, numpy: p.numpy } : null,
      };
    };
    out.hessian = hessianJson(report.blocks[0]!);
    out.hessians = report.blocks.map(hessianJson);
    const assembled = line('hessian-matrix');
    const grid = hessianGrid(report);
    if (assembled && grid) {
      out.hessianMatrix = { variables: grid.variables, text: assembled.text, ascii: assembled.ascii, latex: assembled.latex, numpy: assembled.numpy, shape: [...assembled.shape!] };
    }
  }
  return out;
}


import type { DerivativeReport } from '../report.js';
import { type Shape } from '../term/term.js';
import type { Dense } from '../verify/dense.js';
import { derivativeJson, derivativeViews } from './derivative.js';
import { jsonText, pythonDocText } from './escape.js';
import type { FormatOptions } from './formats.js';
import { htmlPage } from './html.js';
import { emitLatex, latexName } from './latex.js';
import { checkSentence, shapeLatex, standaloneLatex } from './latex-document.js';
import { emitPython, NUMPY_DIALECT, pythonName, type PythonDialect } from './numpy.js';
import { freeDimParameters } from './report.js';
import { drawnInPython, sampleOf, TORCH_DRAW } from './python-module.js';
import { TORCH_DIALECT } from './torch.js';

/**
 * `diff|jac|hess --format json|latex|html|numpy|torch`: the same layouts as grad's, fed by the derivative
 * views (derivative.ts). Each returns the complete output, ending with a newline.
 */
export type DerivativeFormatter = (report: DerivativeReport, options: FormatOptions) => string;

const WHAT = { diff: 'differential', jac: 'Jacobian', hess: 'Hessian' } as const;

interface Blocks {
  function: string;
  derivation?: string;
  results: string;
}

function aligned(rows: readonly string[]): string {
  return `\\begin{aligned}\n${rows.join(' \\\\\n')}\n\\end{aligned}`;
}

function latexBlocks(report: DerivativeReport, steps: boolean): Blocks {
  const f = emitLatex([report.f], { names: report.names, share: 'names', explicit: true });
  const F = report.f.shape[0] === 1 && report.f.shape[1] === 1 ? 'f' : 'F';
  const functionBlock =
    f.where.length === 0 ? `${F} = ${f.main[0]!}` : aligned([`${F} &= ${f.main[0]!}`, ...f.where.map((w) => `&\\quad\\text{where } ${w.name} = ${w.text}`)]);
  const views = derivativeViews(report);
  const rows = views.lines.map((l) => `${l.labelLatex} &= ${l.latex}${l.captionLatex ? ` && ${l.captionLatex}` : ''}`);
  rows.push(...views.whereLatex.map((w) => `&\\quad\\text{where } ${w.name} = ${w.text}`));
  const derivation =
    steps && report.steps && report.steps.length > 0 ? aligned(report.steps.map((s) => (s.latex.includes('&') ? s.latex : `&${s.latex}`))) : undefined;
  return { function: functionBlock, ...(derivation ? { derivation } : {}), results: aligned(rows) };
}

function shapesLatex(variables: ReadonlyMap<string, Shape>): string {
  return [...variables].map(([name, shape]) => `${latexName(name)} \\in ${shapeLatex(shape)}`).join(',\\; ');
}

function formatLatex(report: DerivativeReport, options: FormatOptions): string {
  const blocks = latexBlocks(report, options.steps);
  // The function as read comes first, as in the text answer (issue 11: always show what was read).
  if (!options.standalone) return `${[blocks.function, blocks.derivation, blocks.results].filter(Boolean).join('\n\n')}\n`;
  return standaloneLatex({
    source: report.source.text,
    header: `Command: ${report.command}, with respect to ${report.wrt.join(', ')}`,
    function: blocks.function,
    shapes: shapesLatex(report.variables),
    ...(blocks.derivation ? { derivation: blocks.derivation } : {}),
    resultTitle: report.command === 'diff' ? 'Differential' : report.command === 'jac' ? 'Jacobian' : 'Hessian',
    result: blocks.results,
    check: checkSentence(report, WHAT[report.command]),
    notes: report.notes,
  });
}

function formatHtml(report: DerivativeReport): string {
  const blocks = latexBlocks(report, true);
  const what = WHAT[report.command];
  return htmlPage({
    what,
    wrt: report.wrt,
    source: report.source.text,
    function: blocks.function,
    shapes: shapesLatex(report.variables),
    ...(blocks.derivation ? { derivation: blocks.derivation } : {}),
    result: blocks.results,
    check: checkSentence(report, what),
    notes: report.notes,
    symbol: report.command === 'diff' ? 'd' : '∂',
  });
}

/** What differs between the NumPy and the PyTorch module: the library's spelling of each step. */
interface ModuleFlavour {
  readonly format: 'numpy' | 'torch';
  readonly dialect: PythonDialect;
  readonly imports: string;
  /** An argument as a 2-D float array / float64 tensor. */
  readonly asArray: (p: string) => string;
  /** A drawn matrix as a literal (nested rows). */
  readonly literal: (rows: string) => string;
  /** For inputs too large to embed (python-module.ts's drawnInPython). */
  readonly draw: Parameters<typeof drawnInPython>[3];
  readonly seedDirections: string;
  /** A random direction shaped like an input. */
  readonly direction: (input: string) => string;
  /** The relative error of `symbolic` against `numeric`, as a float. */
  readonly relativeError: string;
  /** The matrix applied to vec(v) (vec stacks columns), `t` its transpose or ''. */
  readonly applied: (matrix: string, t: string) => string;
  readonly expected: string;
  readonly matrixError: string;
}

const NUMPY_MODULE: ModuleFlavour = {
  format: 'numpy',
  dialect: NUMPY_DIALECT,
  imports: 'import numpy as np',
  asArray: (p) => `np.asarray(${p}, dtype=float)`,
  literal: (rows) => `np.array(${rows}, dtype=float)`,
  draw: undefined,
  seedDirections: 'rng = np.random.default_rng(0)',
  direction: (input) => `rng.standard_normal(np.shape(${input}))`,
  relativeError: 'float(np.max(np.abs(symbolic - numeric)) / max(float(np.max(np.abs(numeric))), float(np.max(np.abs(symbolic))), 1e-8))',
  applied: (m, t) => `np.atleast_2d(np.asarray(${m}(**inputs), dtype=float))${t} @ np.reshape(v, (-1, 1), order="F")`,
  expected: 'np.reshape(symbolic, (-1, 1), order="F")',
  matrixError: 'float(np.max(np.abs(applied - expected)) / max(float(np.max(np.abs(expected))), 1e-8))',
};

const TORCH_MODULE: ModuleFlavour = {
  format: 'torch',
  dialect: TORCH_DIALECT,
  imports: 'import torch',
  asArray: (p) => `torch.as_tensor(${p}, dtype=torch.float64)`,
  literal: (rows) => `torch.tensor(${rows}, dtype=torch.float64)`,
  draw: TORCH_DRAW,
  seedDirections: 'rng = torch.Generator().manual_seed(0)',
  direction: (input) => `torch.randn(tuple(torch.as_tensor(${input}).shape), generator=rng, dtype=torch.float64)`,
  relativeError:
    'float(torch.max(torch.abs(symbolic - numeric)) / max(float(torch.max(torch.abs(numeric))), float(torch.max(torch.abs(symbolic))), 1e-8))',
  // vec stacks columns: the transpose read row by row.
  applied: (m, t) => `torch.atleast_2d(torch.as_tensor(${m}(**inputs), dtype=torch.float64))${t} @ torch.atleast_2d(v).T.reshape(-1, 1)`,
  expected: 'torch.atleast_2d(symbolic).T.reshape(-1, 1)',
  matrixError: 'float(torch.max(torch.abs(applied - expected)) / max(float(torch.max(torch.abs(expected))), 1e-8))',
};

/**
 * A NumPy or PyTorch module: `f(…)`, and per variable `differential_X(…, dX)` (diff, jac),
 * `jacobian_X(…)` (when the Jacobian is a matrix term), `gradient_X`, `hessian_product_X(…, V)` and
 * `hessian_X(…)` (hess); every argument as a 2-D array (vectors as columns). Run as a script, it
 * compares each differential with central differences of f (or of the gradient) at inputs
 * matcalc's sampler drew.
 */
function pythonModule(report: DerivativeReport, flavour: ModuleFlavour): string {
  const variables = report.variables;
  const sample = sampleOf(report);
  const free = freeDimParameters(variables, sample.dimSizes);
  const dimExpr = free.dimExpr;
  const args = [...variables.keys()].map(pythonName);
  const py = (terms: Parameters<typeof emitPython>[0]) => emitPython(terms, { dimExpr, names: report.names }, flavour.dialect);
  const lines: string[] = [];
  const what = WHAT[report.command];
  lines.push(`"""Generated by matcalc (${report.command} --format ${flavour.format}): the ${what} of`);
  lines.push('');
  for (const l of pythonDocText(report.source.text).split('\n')) lines.push(`    ${l}`);
  lines.push('');
  lines.push(`with respect to ${report.wrt.join(', ')}. Every argument is a 2-D array (a vector is an (n, 1) column).`);
  const c = report.check;
  lines.push(c ? `matcalc's numeric check: ${c.status} (relative error ${Number.isFinite(c.relativeError) ? c.relativeError.toExponential(1) : 'n/a'}, seed ${c.seed}).` : 'UNVERIFIED: the numeric check was not run (--no-check).');
  lines.push('Run this file to re-check every differential by central finite differences.');
  lines.push('"""');
  lines.push('');
  lines.push('import sys');
  lines.push('');
  lines.push(flavour.imports);
  lines.push('');
  const def = (name: string, params: readonly string[], expression: string) => {
    lines.push('');
    // Free dimensions no input carries come last, as keywords with the checked sizes.
    lines.push(`def ${name}(${[...params, ...free.params].join(', ')}):`);
    for (const p of params) lines.push(`    ${p} = ${flavour.asArray(p)}`);
    lines.push(`    return ${expression}`);
    lines.push('');
  };
  def('f', args, py([report.f])[0]!);
  const checks: { fn: string; differential: string; direction: string; variable: string; shape: Shape; matrix?: string; transposed?: string }[] = [];
  for (const b of report.blocks) {
    const x = pythonName(b.wrt);
    const dir = b.direction.kind === 'var' ? pythonName(b.direction.name) : 'V';
    if (report.command === 'hess') {
      const of = pythonName(b.of ?? b.wrt);
      const g = report.gradients?.find((x2) => x2.name === (b.of ?? b.wrt));
      const gName = `gradient_${of}`;
      if (g && !lines.some((l) => l.startsWith(`def ${gName}(`))) def(gName, args, py([g.gradient])[0]!);
      const suffix = b.of && b.of !== b.wrt ? `${of}_${x}` : x;
      def(`hessian_product_${suffix}`, [...args, dir], py([b.linear])[0]!);
      if (b.matrix) def(`hessian_${suffix}`, args, py([b.matrix])[0]!);
      checks.push({ fn: gName, differential: `hessian_product_${suffix}`, direction: dir, variable: x, shape: b.shape, ...(b.matrix ? { matrix: `hessian_${suffix}` } : {}) });
    } else {
      def(`differential_${x}`, [...args, dir], py([b.linear])[0]!);
      if (b.matrix) def(`jacobian_${x}`, args, py([b.matrix])[0]!);
      const transposed = report.layout === 'denominator' ? '.T' : '';
      checks.push({ fn: 'f', differential: `differential_${x}`, direction: dir, variable: x, shape: b.shape, ...(b.matrix ? { matrix: `jacobian_${x}`, transposed } : {}) });
    }
  }
  const drawn = sample.inputs;
  lines.push('');
  lines.push('def _self_check():');
  lines.push('    """Each differential against a central difference (one Richardson step) along a random direction; the worst relative error."""');
  if (drawn === 'none') {
    lines.push('    raise SystemExit("no sample inputs: matcalc could not draw inputs inside the domain")');
  } else {
    if (drawn !== 'too-large') {
      lines.push("    # Inputs drawn by matcalc's sampler and accepted by its evaluator.");
      lines.push('    inputs = {');
      for (const [name] of variables) lines.push(`        ${JSON.stringify(pythonName(name))}: ${literal(drawn.get(name)!, flavour)},`);
      lines.push('    }');
    } else lines.push(...drawnInPython(report, report.variables, sample.dimSizes, flavour.draw, [...variables.keys()].map((n) => [n, pythonName(n)])));
    lines.push(`    ${flavour.seedDirections}`);
    lines.push('    worst = 0.0');
    for (const k of checks) {
      lines.push(`    v = ${flavour.direction(`inputs[${JSON.stringify(k.variable)}]`)}`);
      lines.push(`    def at(t):`);
      lines.push(`        moved = dict(inputs)`);
      lines.push(`        moved[${JSON.stringify(k.variable)}] = inputs[${JSON.stringify(k.variable)}] + t * v`);
      lines.push(`        return ${flavour.asArray(`${k.fn}(**moved)`)}`);
      lines.push('    h = 1e-4');
      lines.push('    q = lambda s: (at(s) - at(-s)) / (2 * s)');
      lines.push('    numeric = (4 * q(h / 2) - q(h)) / 3');
      lines.push(`    symbolic = ${flavour.asArray(`${k.differential}(**inputs, ${k.direction}=v)`)}`);
      lines.push(`    error = ${flavour.relativeError}`);
      lines.push(`    print(f"${k.differential}: relative error {error:.2e}")`);
      lines.push('    worst = max(worst, error)');
      if (k.matrix) {
        // The matrix applied to vec(v) must give vec of the differential (vec stacks columns).
        lines.push(`    applied = ${flavour.applied(k.matrix, k.transposed ?? '')}`);
        lines.push(`    expected = ${flavour.expected}`);
        lines.push(`    error = ${flavour.matrixError}`);
        lines.push(`    print(f"${k.matrix} applied to the direction: relative error {error:.2e}")`);
        lines.push('    worst = max(worst, error)');
      }
    }
    lines.push('    return worst');
  }
  lines.push('');
  lines.push('');
  lines.push('if __name__ == "__main__":');
  lines.push('    sys.exit(0 if _self_check() <= 1e-5 else 1)');
  return `${lines.join('\n')}\n`;
}

function literal(d: Dense, flavour: ModuleFlavour): string {
  const num = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));
  const rows: string[] = [];
  for (let i = 0; i < d.rows; i++) rows.push(`[${Array.from(d.data.subarray(i * d.cols, (i + 1) * d.cols), num).join(', ')}]`);
  return flavour.literal(`[${rows.join(', ')}]`);
}

export const DERIVATIVE_FORMATS: Readonly<Record<string, DerivativeFormatter>> = {
  json: (report) => `${jsonText(derivativeJson(report), 2)}\n`,
  latex: formatLatex,
  html: (report) => formatHtml(report),
  numpy: (report) => pythonModule(report, NUMPY_MODULE),
  torch: (report) => pythonModule(report, TORCH_MODULE),
};

import { dimSize } from '../term/dim-product.js';
import { InternalError } from '../diagnostics/diagnostic.js';
import type { Report } from '../report.js';
import type { Dim, Shape } from '../term/term.js';
import type { Dense } from '../verify/dense.js';
import { EMBED_MAX_ENTRIES, type InputSample } from '../verify/sample.js';
import { NUMPY_DIALECT, pythonIdentifiers, type PythonDialect } from './numpy.js';
import { TORCH_DIALECT } from './torch.js';

/**
 * What every generated Python module spells alike: each library's spelling of conversion, literals,
 * drawing and the self-check's arithmetic (a Flavour: NUMPY, TORCH), the report's drawn inputs as
 * literals or as Python that draws them, the check's summary line and the scipy imports. The
 * modules themselves: python-layout.ts (numpy, torch, every command), vjp-module.ts (torch-autograd, jax).
 */

export interface Flavour {
  /** The --format that prints this flavour's module. */
  readonly format: 'numpy' | 'torch';
  readonly dialect: PythonDialect;
  readonly imports: string;
  readonly library: string;
  /** Convert an input (by its Python name) to a 2-D float array / tensor. */
  readonly asArray: (name: string) => string;
  readonly asScalar: (name: string) => string;
  /** A literal for drawn values: nested rows, or a 1-D list for a vector. */
  readonly literal: (values: string) => string;
  readonly selfCheck: string;
  /** The diagonal of a square matrix as a matrix (the self-check's symmetric directions). */
  readonly diagonal: string;
  /** For inputs too large to embed: uniform(0.5, 1.5) entries of a shape, and the identity. */
  readonly uniform: (rows: number, cols: number | undefined) => string;
  readonly eye: (n: number) => string;
  readonly seedRng: string;
  // The self-check of a module of blocks in a direction (python-checks.ts blockCheck):
  readonly seedDirections: string;
  /** A random direction shaped like an input. */
  readonly direction: (input: string) => string;
  /** The relative error of `symbolic` against `numeric`, as a float. */
  readonly relativeError: string;
  /** The matrix applied to vec(v) (vec stacks columns), `t` its transpose or ''. */
  readonly applied: (matrix: string, t: string) => string;
  /** vec of a differential (a variable's name), as a column. */
  readonly expected: (symbolic: string) => string;
  readonly matrixError: string;
  /** Arrays of one shape stacked along a new first axis. */
  readonly stack: (items: string) => string;
  /** The unit directions of an input (a Python expression): one per entry. */
  readonly units: (input: string) => string;
  readonly size: (input: string) => string;
  /** The Hessian blocks (texts and sizes) as one matrix (hessian-matrix.ts). */
  readonly assemble: (rows: readonly (readonly { text: string; rows: string; cols: string }[])[]) => string;
  /** Arrays as one column, each vec'd (columns stacked). */
  readonly stackVec: (items: string) => string;
}

export const NUMPY: Flavour = {
  format: 'numpy',
  dialect: NUMPY_DIALECT,
  imports: 'import sys\n\nimport numpy as np',
  library: 'NumPy',
  asArray: (n) => `np.asarray(${n}, dtype=float)`,
  asScalar: (n) => `float(np.asarray(${n}, dtype=float).reshape(()))`,
  literal: (v) => `np.array(${v}, dtype=float)`,
  uniform: (r, c) => `rng.uniform(0.5, 1.5, ${c === undefined ? r : `(${r}, ${c})`})`,
  eye: (n) => `np.eye(${n})`,
  seedRng: 'rng = np.random.default_rng(1)',
  seedDirections: 'rng = np.random.default_rng(0)',
  direction: (input) => `rng.standard_normal(np.shape(${input}))`,
  relativeError: 'float(np.max(np.abs(symbolic - numeric)) / max(float(np.max(np.abs(numeric))), float(np.max(np.abs(symbolic))), 1e-8))',
  applied: (m, t) => `np.atleast_2d(np.asarray(${m}(**inputs), dtype=float))${t} @ np.reshape(v, (-1, 1), order="F")`,
  expected: (d) => `np.reshape(${d}, (-1, 1), order="F")`,
  stack: (items) => `np.stack(${items})`,
  units: (x) => `[np.reshape(e, np.shape(${x})) for e in np.eye(np.size(${x}))]`,
  size: (x) => `np.size(${x})`,
  matrixError: 'float(np.max(np.abs(applied - expected)) / max(float(np.max(np.abs(expected))), 1e-8))',
  assemble: (rows) => `np.block([${rows.map((r) => `[${r.map((b) => b.text).join(', ')}]`).join(', ')}])`,
  stackVec: (items) => `np.vstack([np.reshape(np.asarray(g, dtype=float), (-1, 1), order="F") for g in ${items}])`,
  selfCheck: `    rng = np.random.default_rng(0)
    size = lambda x: int(np.size(x))
    unit = lambda x, j: np.reshape(np.eye(size(x))[j], np.shape(x))
    flat = lambda g: np.ravel(np.asarray(g, dtype=float))
    random = lambda x: rng.standard_normal(np.shape(x))`,
  diagonal: 'lambda x: np.diag(np.diag(x))',
};

export const TORCH: Flavour = {
  format: 'torch',
  dialect: TORCH_DIALECT,
  imports: 'import sys\n\nimport torch',
  library: 'PyTorch',
  asArray: (n) => `torch.as_tensor(${n}, dtype=torch.float64)`,
  asScalar: (n) => `torch.as_tensor(${n}, dtype=torch.float64).reshape(())`,
  literal: (v) => `torch.tensor(${v}, dtype=torch.float64)`,
  uniform: (r, c) => `(0.5 + torch.rand(${c === undefined ? `(${r},)` : `(${r}, ${c})`}, generator=rng, dtype=torch.float64))`,
  eye: (n) => `torch.eye(${n}, dtype=torch.float64)`,
  seedRng: 'rng = torch.Generator().manual_seed(1)',
  seedDirections: 'rng = torch.Generator().manual_seed(0)',
  direction: (input) => `torch.randn(tuple(torch.as_tensor(${input}).shape), generator=rng, dtype=torch.float64)`,
  relativeError:
    'float(torch.max(torch.abs(symbolic - numeric)) / max(float(torch.max(torch.abs(numeric))), float(torch.max(torch.abs(symbolic))), 1e-8))',
  // vec stacks columns: the transpose read row by row.
  applied: (m, t) => `torch.atleast_2d(torch.as_tensor(${m}(**inputs), dtype=torch.float64))${t} @ torch.atleast_2d(v).T.reshape(-1, 1)`,
  expected: (d) => `torch.atleast_2d(${d}).T.reshape(-1, 1)`,
  stack: (items) => `torch.stack(${items})`,
  units: (x) => `[e.reshape(tuple(torch.as_tensor(${x}).shape)) for e in torch.eye(torch.as_tensor(${x}).numel(), dtype=torch.float64)]`,
  size: (x) => `torch.as_tensor(${x}).numel()`,
  matrixError: 'float(torch.max(torch.abs(applied - expected)) / max(float(torch.max(torch.abs(expected))), 1e-8))',
  // torch.cat needs tensors of one rank: a scalar block (a Python float) becomes 1×1.
  assemble: (rows) =>
    `torch.cat([${rows.map((r) => `torch.cat([${r.map((b) => `torch.as_tensor(${b.text}, dtype=torch.float64).reshape(${b.rows}, ${b.cols})`).join(', ')}], dim=1)`).join(', ')}], dim=0)`,
  stackVec: (items) => `torch.cat([torch.atleast_2d(torch.as_tensor(g, dtype=torch.float64)).T.reshape(-1, 1) for g in ${items}])`,
  selfCheck: `    generator = torch.Generator().manual_seed(0)
    size = lambda x: torch.as_tensor(x).numel()
    unit = lambda x, j: torch.eye(size(x), dtype=torch.float64)[j].reshape(tuple(torch.as_tensor(x).shape))
    flat = lambda g: torch.as_tensor(g, dtype=torch.float64).reshape(-1)
    random = lambda x: torch.randn(tuple(torch.as_tensor(x).shape), generator=generator, dtype=torch.float64)`,
  diagonal: 'lambda x: torch.diag(torch.diag(torch.as_tensor(x, dtype=torch.float64)))',
};

/** The self-checks compare every entry up to this many entries (of the variables, or of one variable in derivative modules); one random direction above. */
export const ENTRYWISE_MAX = 64;

export type Kind = 'scalar' | 'column' | 'row' | 'matrix';
export const kindOf = (s: Shape): Kind =>
  s[0] === 1 && s[1] === 1 ? 'scalar' : s[1] === 1 ? 'column' : s[0] === 1 ? 'row' : 'matrix';

/** The report's drawn inputs: a module cannot be written without them (they are the sizes too). */
export function sampleOf(report: { sample?: InputSample }): InputSample {
  if (!report.sample) throw new InternalError('a NumPy/PyTorch module needs the drawn inputs: request the report with sample: true (the default)');
  return report.sample;
}

/**
 * Self-check inputs drawn in Python, for inputs too large to embed: uniform(0.5, 1.5) entries (inside
 * the domains of log and sqrt), a square matrix plus 2n·I (strictly diagonally dominant with a
 * positive diagonal: invertible with det > 0, and SPD once symmetrized).
 */
export function drawnInPython(
  report: { declarations: Report['declarations'] },
  variables: ReadonlyMap<string, Shape>,
  dimSizes: ReadonlyMap<string, number>,
  flavour: Pick<Flavour, 'uniform' | 'eye' | 'seedRng'> = NUMPY,
  names: readonly (readonly [string, string])[] = [...pythonIdentifiers(variables.keys())],
): string[] {
  const size = (d: Dim): number => dimSize(d, dimSizes)!;
  const lines = [
    `    # Too large to embed (over ${EMBED_MAX_ENTRIES} entries): drawn here, uniform(0.5, 1.5) entries, square matrices plus 2n·I.`,
    `    ${flavour.seedRng}`,
    '    inputs = {',
  ];
  for (const [name, py] of names) {
    const shape = variables.get(name)!;
    const [r, c] = [size(shape[0]), size(shape[1])];
    const props = report.declarations.assumptions.get(name) ?? new Set();
    let value: string;
    if (r === 1 && c === 1) value = '1.0';
    else if (c === 1 || r === 1) value = flavour.uniform(Math.max(r, c), undefined);
    else if (r !== c) value = flavour.uniform(r, c);
    else {
      value = `${flavour.uniform(r, c)} + ${2 * r} * ${flavour.eye(r)}`;
      if (props.has('symmetric') || props.has('spd')) value = `(lambda m: (m + m.T) / 2)(${value})`;
      if (props.has('diagonal')) value = `${flavour.eye(r)} * (${value})`;
    }
    // On the simplex: positive entries scaled to sum to 1.
    if (props.has('probability') && !(r === 1 && c === 1)) value = `(lambda v: v / v.sum())(${value})`;
    // Each row (column) on the simplex: a matrix's lines scaled; a vector drawn 1-D is one line
    // (a column's entries for column-stochastic n×1) or entries that are lines of their own (ones).
    const simplex = props.has('row-stochastic') ? 'rows' : props.has('column-stochastic') ? 'columns' : undefined;
    if (simplex !== undefined && !(r === 1 && c === 1)) value = `(lambda v: ${simplexLines(simplex, r, c)})(${value})`;
    // Labels ±1: uniform(0.5, 1.5) entries above or below 1 (an entry of exactly 1 is measure zero).
    if (props.has('sign')) value = r === 1 && c === 1 ? '1.0' : `(lambda v: 2.0 * (v > 1.0) - 1.0)(${flavour.uniform(r === 1 || c === 1 ? Math.max(r, c) : r, r === 1 || c === 1 ? undefined : c)})`;
    lines.push(`        ${JSON.stringify(py)}: ${value},`);
  }
  lines.push('    }');
  return lines;
}

/** Drawn values as a literal: a number (scalar), a 1-D list (vector) or nested rows. */
export function literalOf(d: Dense, kind: Kind, flavour: Pick<Flavour, 'literal'>): string {
  const num = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));
  if (kind === 'scalar') return num(d.data[0]!);
  if (kind === 'column' || kind === 'row') return flavour.literal(`[${Array.from(d.data, num).join(', ')}]`);
  const rows: string[] = [];
  for (let i = 0; i < d.rows; i++) rows.push(`[${Array.from(d.data.subarray(i * d.cols, (i + 1) * d.cols), num).join(', ')}]`);
  return flavour.literal(`[${rows.join(', ')}]`);
}

/** The module docstring's line on matcalc's own check. */
export function checkSummary(report: Pick<Report, 'check'>): string {
  const c = report.check;
  return c
    ? `matcalc's numeric check: ${c.status} (relative error ${Number.isFinite(c.relativeError) ? c.relativeError.toExponential(1) : 'n/a'}, seed ${c.seed}).`
    : 'UNVERIFIED: the numeric check was not run (--no-check).';
}

/** The scipy modules emitted code calls (erf and logsumexp from scipy.special, expm from scipy.linalg): their import lines. */
export function scipyModules(lines: readonly string[]): string[] {
  return ['special', 'linalg'].filter((m) => lines.some((l) => l.includes(`scipy.${m}.`))).map((m) => `import scipy.${m}`);
}

/** The same, each on a line of its own after the library's imports. */
export const scipyImports = (lines: readonly string[]): string => scipyModules(lines).map((l) => `\n${l}`).join('');

/** The expression scaling v's rows (columns) to sum to 1, for NumPy and PyTorch alike. */
function simplexLines(lines: 'rows' | 'columns', r: number, c: number): string {
  if (r > 1 && c > 1) return lines === 'rows' ? 'v / v.sum(1)[:, None]' : 'v / v.sum(0)[None, :]';
  const along = (lines === 'rows' && r === 1) || (lines === 'columns' && c === 1);
  return along ? 'v / v.sum()' : 'v / v';
}

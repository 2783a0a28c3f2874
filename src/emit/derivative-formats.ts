import type { DerivativeReport } from '../report.js';
import { isFShaped } from '../differentiate/read-off.js';
import type { Dim, Shape, Term } from '../term/term.js';
import { hessianGrid, type HessianGrid } from './hessian-matrix.js';
import { pythonDocText } from './escape.js';
import { emitPython } from './numpy.js';
import { freeDimParameters, reportIdentifiers } from './report.js';
import { RESULT_NOUN as WHAT } from './text-answer.js';
import { drawnInPython, ENTRYWISE_MAX, literalOf, NUMPY, sampleOf, TORCH, type Flavour } from './python-module.js';

/**
 * `diff|jac|hess --format numpy|torch`: a module with a function per block and a self-check, fed by
 * the report's blocks and drawn inputs. Each returns the complete output, ending with a newline.
 */

/**
 * What differs between the NumPy and the PyTorch module: the library's spelling of each step. The
 * spelling both module kinds share (imports, conversion, literals, drawing) is python-module.ts's.
 */
interface ModuleFlavour {
  readonly format: 'numpy' | 'torch';
  readonly base: Flavour;
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

const NUMPY_MODULE: ModuleFlavour = {
  format: 'numpy',
  base: NUMPY,
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
};

const TORCH_MODULE: ModuleFlavour = {
  format: 'torch',
  base: TORCH,
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
};

/**
 * A NumPy or PyTorch module: `f(…)`, and per variable `differential_X(…, dX)` (diff, jac),
 * `jacobian_X(…)` (when the Jacobian is a matrix term), `gradient_X`, `hessian_product_X(…, V)` and
 * `hessian_X(…)` (hess; with several scalar or vector variables also `hessian(…)`, the blocks as one
 * matrix); every argument as a 2-D array (vectors as columns). Run as a script, it
 * compares each differential with central differences of f (or of the gradient) at inputs
 * matcalc's sampler drew.
 */
function pythonModule(report: DerivativeReport, flavour: ModuleFlavour): string {
  const variables = report.variables;
  const sample = sampleOf(report);
  // One identifier per input and direction, distinct even where two names fold to one (`ſ`, `s`).
  const identifiers = reportIdentifiers(report);
  const pythonName = (name: string): string => identifiers.get(name)!;
  const free = freeDimParameters(variables, sample.dimSizes, identifiers);
  const dimExpr = free.dimExpr;
  const args = [...variables.keys()].map(pythonName);
  const py = (terms: Parameters<typeof emitPython>[0]) => emitPython(terms, { dimExpr, names: report.names, identifiers }, flavour.base.dialect);
  const lines: string[] = [];
  const what = WHAT[report.command];
  lines.push(`"""Generated by matcalc (${report.command} --format ${flavour.format}): the ${what} of`);
  lines.push('');
  for (const l of pythonDocText(report.source.text).split('\n')) lines.push(`    ${l}`);
  lines.push('');
  lines.push(`with respect to ${report.wrt.join(', ')}. Every argument is a 2-D array (a vector is an (n, 1) column).`);
  const c = report.check;
  lines.push(c ? `matcalc's numeric check: ${c.status} (relative error ${Number.isFinite(c.relativeError) ? c.relativeError.toExponential(1) : 'n/a'}, seed ${c.seed}).` : 'UNVERIFIED: the numeric check was not run (--no-check).');
  lines.push(`Run this file to re-check every differential by central finite differences: entry by entry for a`);
  lines.push(`variable of at most ${ENTRYWISE_MAX} entries, else along a random direction.`);
  lines.push('"""');
  lines.push('');
  lines.push(flavour.base.imports);
  const imports = lines.length; // scipy.special is imported here when erf is used (below)
  lines.push('');
  const defined = new Set<string>();
  /** Defines a function; `_` is appended while the name is taken (hessian_product_a_b_c is both (a_b, c) and (a, b_c)). */
  const def = (wanted: string, params: readonly string[], expression: string): string => {
    let name = wanted;
    while (defined.has(name)) name += '_';
    defined.add(name);
    lines.push('');
    // Free dimensions no input carries come last, as keywords with the checked sizes.
    lines.push(`def ${name}(${[...params, ...free.params].join(', ')}):`);
    for (const p of params) lines.push(`    ${p} = ${flavour.base.asArray(p)}`);
    lines.push(`    return ${expression}`);
    lines.push('');
    return name;
  };
  def('f', args, py([report.f])[0]!);
  const checks: { fn: string; differential: string; direction: string; variable: string; shape: Shape; matrix?: string; transposed?: string }[] = [];
  const gradientFunctions = new Map<string, string>();
  for (const b of report.blocks) {
    const x = pythonName(b.wrt);
    const dir = b.direction.kind === 'var' ? pythonName(b.direction.name) : 'V';
    if (report.command === 'hess') {
      const ofName = b.of ?? b.wrt;
      const of = pythonName(ofName);
      const g = report.gradients!.find((x2) => x2.name === ofName)!;
      const gName = gradientFunctions.get(ofName) ?? def(`gradient_${of}`, args, py([g.gradient])[0]!);
      gradientFunctions.set(ofName, gName);
      const suffix = b.of && b.of !== b.wrt ? `${of}_${x}` : x;
      const product = def(`hessian_product_${suffix}`, [...args, dir], py([b.linear])[0]!);
      const matrix = b.matrix ? def(`hessian_${suffix}`, args, py([b.matrix])[0]!) : undefined;
      checks.push({ fn: gName, differential: product, direction: dir, variable: x, shape: b.shape, ...(matrix ? { matrix } : {}) });
    } else {
      const differential = def(`differential_${x}`, [...args, dir], py([b.linear])[0]!);
      const matrix = b.matrix ? def(`jacobian_${x}`, args, py([b.matrix])[0]!) : undefined;
      // dF/dx of F's shape (a matrix F of a scalar x) is compared by its vec: Mᵀ read row by row.
      const transposed = isFShaped(report.f.shape, b.shape) ? '.T.reshape(-1, 1)' : report.layout === 'denominator' ? '.T' : '';
      checks.push({ fn: 'f', differential, direction: dir, variable: x, shape: b.shape, ...(matrix ? { matrix, transposed } : {}) });
    }
  }
  // Two or more scalar or vector variables: the blocks as one matrix, the Hessian in the stacked variable.
  const grid = hessianGrid(report);
  const assembled = grid ? def('hessian', args, assembledHessian(grid, py, dimExpr, flavour)) : undefined;
  const drawn = sample.inputs;
  lines.push('');
  lines.push('def _self_check():');
  lines.push(`    """Each differential against central differences (one Richardson step): along every unit direction (entry by entry) of a variable with at most ${ENTRYWISE_MAX} entries, else along one random direction. Returns the worst relative error."""`);
  if (drawn === 'none') {
    lines.push('    raise SystemExit("no sample inputs: matcalc could not draw inputs inside the domain")');
  } else {
    if (drawn !== 'too-large') {
      lines.push("    # Inputs drawn by matcalc's sampler and accepted by its evaluator.");
      lines.push('    inputs = {');
      for (const [name] of variables) lines.push(`        ${JSON.stringify(pythonName(name))}: ${literalOf(drawn.get(name)!, 'matrix', flavour.base)},`);
      lines.push('    }');
    } else lines.push(...drawnInPython(report, report.variables, sample.dimSizes, flavour.base, [...variables.keys()].map((n) => [n, pythonName(n)])));
    lines.push(`    ${flavour.seedDirections}`);
    lines.push('    worst = 0.0');
    for (const k of checks) {
      const input = `inputs[${JSON.stringify(k.variable)}]`;
      // Every entry of a small variable (its unit directions), else one random direction.
      lines.push(`    vs = ${flavour.units(input)} if ${flavour.size(input)} <= ${ENTRYWISE_MAX} else [${flavour.direction(input)}]`);
      lines.push(`    def at(t, v):`);
      lines.push(`        moved = dict(inputs)`);
      lines.push(`        moved[${JSON.stringify(k.variable)}] = ${input} + t * v`);
      lines.push(`        return ${flavour.base.asArray(`${k.fn}(**moved)`)}`);
      lines.push('    h = 1e-4');
      lines.push('    q = lambda v, s: (at(s, v) - at(-s, v)) / (2 * s)');
      lines.push(`    numeric = ${flavour.stack('[(4 * q(v, h / 2) - q(v, h)) / 3 for v in vs]')}`);
      lines.push(`    symbolic = ${flavour.stack(`[${flavour.base.asArray(`${k.differential}(**inputs, ${k.direction}=v)`)} for v in vs]`)}`);
      lines.push(`    error = ${flavour.relativeError}`);
      lines.push(`    what = "every entry" if ${flavour.size(input)} <= ${ENTRYWISE_MAX} else "a random direction"`);
      lines.push(`    print(f"${k.differential} ({what}): relative error {error:.2e}")`);
      lines.push('    worst = max(worst, error)');
      if (k.matrix) {
        // The matrix applied to vec(v) must give vec of the differential (vec stacks columns).
        lines.push(`    applied = ${flavour.stack(`[${flavour.applied(k.matrix, k.transposed ?? '')} for v in vs]`)}`);
        lines.push(`    expected = ${flavour.stack(`[${flavour.expected('d')} for d in symbolic]`)}`);
        lines.push(`    error = ${flavour.matrixError}`);
        lines.push(`    print(f"${k.matrix} applied to the directions: relative error {error:.2e}")`);
        lines.push('    worst = max(worst, error)');
      }
    }
    if (grid && assembled) {
      // The stacked gradient moved along every variable at once: its change is the whole matrix applied.
      const ids = grid.variables.map(pythonName);
      const gradients = `(${grid.variables.map((v) => `${gradientFunctions.get(v)!}(**moved)`).join(', ')},)`;
      lines.push(`    v = {n: ${flavour.direction('inputs[n]')} for n in (${ids.map((i) => JSON.stringify(i)).join(', ')},)}`);
      lines.push('    def at(t):');
      lines.push('        moved = dict(inputs)');
      lines.push('        for n in v:');
      lines.push('            moved[n] = inputs[n] + t * v[n]');
      lines.push(`        return ${flavour.stackVec(gradients)}`);
      lines.push('    h = 1e-4');
      lines.push('    q = lambda s: (at(s) - at(-s)) / (2 * s)');
      lines.push('    numeric = (4 * q(h / 2) - q(h)) / 3');
      lines.push(`    symbolic = ${flavour.base.asArray(`${assembled}(**inputs)`)} @ ${flavour.stackVec('v.values()')}`);
      lines.push(`    error = ${flavour.relativeError}`);
      lines.push(`    print(f"${assembled} (the blocks as one matrix) along a direction of every variable: relative error {error:.2e}")`);
      lines.push('    worst = max(worst, error)');
    }
    lines.push('    return worst');
  }
  lines.push('');
  lines.push('');
  lines.push('if __name__ == "__main__":');
  lines.push('    sys.exit(0 if _self_check() <= 1e-5 else 1)');
  for (const m of ['linalg', 'special']) if (lines.some((l) => l.includes(`scipy.${m}.`))) lines.splice(imports, 0, `import scipy.${m}`);
  return `${lines.join('\n')}\n`;
}


/** The expression of the assembled Hessian: each block printed in one sharing plan, then assembled by the flavour. */
function assembledHessian(grid: HessianGrid, py: (terms: readonly Term[]) => string[], dimExpr: (d: Dim) => string, flavour: ModuleFlavour): string {
  const texts = py(grid.blocks.flat().map((b) => b.matrix!));
  const k = grid.variables.length;
  const rows = grid.variables.map((_, i) => grid.variables.map((__, j) => ({ text: texts[i * k + j]!, rows: dimExpr(grid.sizes[i]!), cols: dimExpr(grid.sizes[j]!) })));
  return flavour.assemble(rows);
}

/** The NumPy and PyTorch modules of diff, jac and hess. */
export const formatDerivativeNumpy = (report: DerivativeReport): string => pythonModule(report, NUMPY_MODULE);
export const formatDerivativeTorch = (report: DerivativeReport): string => pythonModule(report, TORCH_MODULE);

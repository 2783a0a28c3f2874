import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { emitAscii } from '../../src/emit/ascii.js';
import { emitLatex } from '../../src/emit/latex.js';
import { emitPython, NUMPY_DIALECT } from '../../src/emit/numpy.js';
import { emitText } from '../../src/emit/text.js';
import { TORCH_DIALECT } from '../../src/emit/torch.js';
import { headKey, loadRulebook } from '../../src/rewrite/load-rules.js';
import { inferShapes } from '../../src/shape/infer.js';
import { parseProgram } from '../../src/syntax/parse.js';
import * as T from '../../src/term/factory.js';
import { NAMED_OP_NAMES, opDeclaration, type OpName, type Term } from '../../src/term/term.js';
import { Dense } from '../../src/verify/dense.js';
import { evaluateTerm } from '../../src/verify/evaluate.js';
import { createRng } from '../../src/verify/random.js';
import { python3 } from '../helpers/python.js';

/**
 * Every op of term/ops.ts is a complete function of matcalc, checked row by row of the table (so a
 * new op is covered here with no new test): it has a pullback rule (its numeric soundness is
 * soundness.test.ts's, generated from the rule), its own name reads as it, the text and ASCII
 * printers write something that reads back as the same term, its LaTeX renders in KaTeX, and the
 * NumPy and PyTorch code of it computes the evaluator's value (all ops in one python3 per format).
 * The ops of abstract functions are read under a declared name and call what the caller passes, so
 * test/abstract/abstract-functions.test.ts covers them instead.
 */

const SIZES: Record<string, number> = {};
/** A letter's size (2–4, by first use); a product's (kron's m·p) is its letters'. */
const size = (d: string | number): number =>
  typeof d === 'number' ? d : d.split('·').reduce((n, l) => n * (SIZES[l] ??= 2 + (Object.keys(SIZES).length % 3)), 1);

/** The op applied to variables whose shapes fit its signature: lowercase names for columns and scalars. */
function applied(op: OpName): { term: Term; dims: Map<string, readonly [number, number]> } {
  const dims = new Map<string, readonly [number, number]>();
  const args = opDeclaration(op).args.map((signature, i) => {
    const shape = [signature[0], signature[1]] as const;
    const name = (shape[1] === 1 ? 'uvw' : 'UVW')[i]!;
    dims.set(name, [size(shape[0]), size(shape[1])]);
    return T.variable(name, [size(shape[0]), size(shape[1])]);
  });
  return { term: T.op(op, args), dims };
}

function read(text: string, dims: ReadonlyMap<string, readonly [number, number]>): Term {
  const source = { name: '<op>', text };
  const parsed = parseProgram(source, { knownNames: new Set(dims.keys()) });
  if (!parsed.ok) throw new Error(`${text}: ${parsed.diagnostics[0]!.message}`);
  const typed = inferShapes(parsed.value, source, { dims });
  if (!typed.ok) throw new Error(`${text}: ${typed.diagnostics[0]!.message}`);
  return typed.value.term;
}

function valuesFor(term: Term, seed: number): Map<string, Dense> {
  const rng = createRng(seed);
  const values = new Map<string, Dense>();
  for (const a of (term as Extract<Term, { kind: 'op' }>).args) {
    if (a.kind !== 'var') continue;
    const d = new Dense(size(a.shape[0]), size(a.shape[1]));
    for (let i = 0; i < d.data.length; i++) d.data[i] = rng.normal();
    values.set(a.name, d);
  }
  // sqrtm and logm are defined off the closed negative real axis: their first argument 3I + N has its
  // eigenvalues in a disc about 3 (a normal draw may have a negative one).
  const first = (term as Extract<Term, { kind: 'op' }>).args[0];
  if (opDeclaration((term as Extract<Term, { kind: 'op' }>).op).domain === 'principal' && first?.kind === 'var') {
    const a = values.get(first.name)!;
    for (let i = 0; i < a.rows; i++) a.data[i * a.cols + i]! += 3;
  }
  // An integer parameter (the n of Xⁿ) is drawn as the check draws it: an integer 1…4 (2, 3, 4, 1, … by op).
  const op = term as Extract<Term, { kind: 'op' }>;
  for (const index of opDeclaration(op.op).integer ?? []) {
    const n = op.args[index]!;
    if (n.kind === 'var') values.get(n.name)!.data[0] = 1 + (seed % 4);
  }
  return values;
}

const book = loadRulebook();
if (!book.ok) throw new Error(book.diagnostics[0]!.message);
const rulebook = book.value;

describe.each(NAMED_OP_NAMES.map((op) => [op] as const))('op %s', (op) => {
  const { term, dims } = applied(op);

  it('has a pullback rule', () => {
    expect(rulebook.pullbacks.get(headKey({ kind: 'op', fn: op }))?.length ?? 0).toBeGreaterThan(0);
  });

  it('is read from its own name', () => {
    expect(read(`${op}(${[...dims.keys()].join(', ')})`, dims)).toBe(term);
  });

  it('prints as text and ASCII that read back as the same term, and as LaTeX that KaTeX renders', () => {
    expect(read(emitAscii([term]).main[0]!, dims)).toBe(term);
    // A dimension as a number (nrows) prints in text as the dimension: here a number, read back as it.
    const shapeValue = opDeclaration(op).shapeValue?.((term as Extract<Term, { kind: 'op' }>).args.map((a) => a.shape));
    expect(read(emitText([term]).main[0]!, dims)).toBe(shapeValue === undefined ? term : T.num(Number(shapeValue)));
    expect(() => katex.renderToString(emitLatex([term]).main[0]!, { throwOnError: true })).not.toThrow();
  });
});

describe('the NumPy and PyTorch code of every op', () => {
  const cases = NAMED_OP_NAMES.map((op, i) => {
    const { term } = applied(op);
    const values = valuesFor(term, 100 + i);
    const expected = evaluateTerm(term, { values, dimSizes: new Map(Object.entries(SIZES)) });
    return { op, term, values, expected };
  });

  it.each(['numpy', 'torch'] as const)('computes the evaluator’s value (%s)', (format) => {
    const dialect = format === 'numpy' ? NUMPY_DIALECT : TORCH_DIALECT;
    const lines = [format === 'numpy' ? 'import numpy as np\nimport scipy.special\nimport scipy.linalg' : 'import torch', 'import json', 'out = []'];
    const array = (d: Dense) => (format === 'numpy' ? `np.array(${JSON.stringify(d.toArray())}, dtype=float)` : `torch.tensor(${JSON.stringify(d.toArray())}, dtype=torch.float64)`);
    for (const c of cases) {
      for (const [name, value] of c.values) lines.push(`${name} = ${array(value)}`);
      const [code] = emitPython([c.term], { dimExpr: (d) => String(size(d)) }, dialect);
      lines.push(`out.append(${format === 'numpy' ? 'np.asarray' : 'torch.as_tensor'}(${code}${format === 'numpy' ? '' : ', dtype=torch.float64'}).tolist())`);
    }
    lines.push('print(json.dumps(out))');
    const run = python3(['-c', lines.join('\n')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as unknown[];
    cases.forEach((c, i) => {
      const got = [results[i]].flat(3) as number[];
      const want = [...c.expected.data];
      expect(got.length, c.op).toBe(want.length);
      got.forEach((g, j) => expect(Math.abs(g - want[j]!), `${c.op} entry ${j}`).toBeLessThan(1e-9 * (1 + Math.abs(want[j]!))));
    });
  });
});

import { boundDependence } from './columns-code.js';
import { InternalError } from '../diagnostics/diagnostic.js';
import { isScalar, type Dim, type Term, type TermOf } from '../term/term.js';
import { chainItems, chainOrder, type ChainItem } from './chain-order.js';
import { applyInverseSums } from './inverse-sums.js';
import { solveChain, type SolvePrinter } from './python-solve.js';
import { reuseSubproducts } from './reuse-products.js';
import { definitionOf, EVALUATION_MIN_SIZE, planSharing } from './sharing.js';
import { splitProduct, sumTerms } from './layout.js';
import { ATOM, expandShared, joinRope, MARK_CLOSE, MARK_OPEN, POWER, PRIMARY, PRODUCT, py, pyNumber, pythonName, SUM, UNARY, wrap, type Py } from './python-text.js';

import { NUMPY_DIALECT, type PythonDialect } from './numpy-dialect.js';

// The Python text primitives are python-text.ts's, the dialects' tables numpy-dialect.ts's; the
// dialects and the modules import them from here too.
export { abstractParameter, call, PRIMARY, py, pythonIdentifiers, pythonName, type Py } from './python-text.js';
export { ABSTRACT_CALLS, NUMPY_DIALECT, type OpContext, type PythonDialect } from './numpy-dialect.js';

/**
 * One Python expression over the inputs and `np` that evaluates a term: vectors are (n, 1) columns,
 * a scalar input is a Python float, a scalar result is a Python float. Matrix chains use `@`; a
 * [1, 1] factor of a product is a scalar multiple (`*`), so a (1, 1) array such as `x.T @ y` works
 * as a scale by broadcasting and never enters an `@` chain.
 *
 * Shared nodes (sharing.ts, with the evaluation threshold: any repeated computation) are computed
 * once, with the walrus operator at their first occurrence in Python's left-to-right evaluation
 * order, `(_t1 := np.exp(X @ b))`, and referred to by name afterwards. The printer composes texts
 * bottom-up with a private-use marker in place of each shared reference; one left-to-right pass over
 * the final text then writes the definition at the first marker of each node and the name elsewhere.
 */
export interface NumpyOptions {
  /** The Python text of a dimension: a symbol (e.g. `X.shape[0]`) or a number. */
  readonly dimExpr: (dim: string | number) => string;
  readonly names?: ReadonlyMap<Term, string>;
  /** The Python identifier of each input (pythonIdentifiers); pythonName for a name not in it. */
  readonly identifiers?: ReadonlyMap<string, string>;
  /** false: no walrus definitions; every occurrence is computed. Default true. */
  readonly share?: boolean;
  /** false: products do not reuse other products of the DAG as sub-words (reuse-products.ts). Default true. */
  readonly reuseProducts?: boolean;
}

/**
 * The library a Python printer calls: NumPy here, PyTorch in torch.ts. Each entry returns the text
 * of one call; the operator layout (`@`, `*`, `.T`, `**`, sharing) is the same for both.
 */
/**
 * `a op b op c` at the product level: the first operand unparenthesised only under the same operator
 * (`A @ B @ x`, not `np.exp(z) * a @ b.T`, which is right but hides the order), the others tighter.
 */
function chainOf(operands: readonly Py[], op: string): Py {
  if (operands.length === 1) return operands[0]!;
  const head = operands[0]!;
  const first = head.prec > PRODUCT || (head.prec === PRODUCT && head.op === op) ? head : wrap(head, ATOM);
  return py(joinRope(operands.map((p, i) => (i === 0 ? first : wrap(p, POWER)).text), op), PRODUCT, first.signed, op);
}

export function emitNumpy(root: Term, options: NumpyOptions): string {
  return emitPython([root], options, NUMPY_DIALECT)[0]!;
}

/**
 * Several roots printed together (e.g. a function and its gradients), in the given dialect: one
 * sharing plan, so a node they share is defined (walrus) in the first text that uses it and named in
 * the later ones. Evaluate the texts in order, in one scope (statements of one function body).
 */
export function emitPython(given: readonly Term[], options: NumpyOptions, dialect: PythonDialect): string[] {
  let roots = given;
  let userNames = options.names;
  // A sum of inverses applied to something is solved term by term, where the dialect solves (inverse-sums.ts).
  if (dialect.solve) {
    const applied = applyInverseSums(roots, (t) => userNames?.has(t) ?? false);
    roots = applied.roots;
    if (userNames !== undefined && applied.replaced.size > 0) userNames = new Map([...userNames].map(([t, name]) => [applied.replaced.get(t) ?? t, name]));
  }
  // A product containing another product of the DAG reuses it: T₁(T₂T₃T₂)T₁ (reuse-products.ts).
  if (options.reuseProducts !== false && options.share !== false) {
    const reused = reuseSubproducts(roots);
    roots = reused.roots;
    if (userNames !== undefined && reused.replaced.size > 0) {
      userNames = new Map([...userNames].map(([t, name]) => [reused.replaced.get(t) ?? t, name]));
    }
  }
  // A node with the variable columns(B, V) binds has a value per column: a definition (walrus) in one
  // comprehension would be read in another with the last column's value.
  const unshared = boundDependence(roots);
  const plan = planSharing(roots, { names: userNames, share: options.share, minSize: EVALUATION_MIN_SIZE, ...(unshared ? { unshared } : {}) });
  const dim = (d: Dim): string => options.dimExpr(d);
  const identifier = (name: string): string => options.identifiers?.get(name) ?? pythonName(name);
  const named = (t: Term): boolean => definitionOf(plan, t) >= 0;
  // By post-order position: the nodes printed so far.
  const printed: Py[] = [];
  const ref = (t: Term): Py => {
    const at = plan.position(t);
    const i = at < 0 ? -1 : plan.definitionAt[at]!;
    if (i >= 0) return py(`${MARK_OPEN}${i}${MARK_CLOSE}`, ATOM);
    if (at < 0 || at >= printed.length) throw new InternalError(`emitNumpy: node ${t.id} used before it was printed`);
    return printed[at]!;
  };

  /** With concrete sizes a chain is grouped for the fewest operations (chain-order.ts): A @ (B @ x). */
  const plainChain = (chain: readonly Term[]): Py => {
    const order = chainOrder(chain.map((f) => f.shape));
    const item = (it: ChainItem): Py => (typeof it === 'number' ? ref(chain[it]!) : chainOf(it.map(item), ' @ '));
    return order === undefined ? chainOf(chain.map(ref), ' @ ') : chainOf(chainItems(order).map(item), ' @ ');
  };
  const solvePrinter: SolvePrinter<Py> = {
    plain: plainChain,
    ref,
    matmul: (a, b) => chainOf([a, b], ' @ '),
    transpose: (p) => py(`${wrap(p, PRIMARY).text}.T`, PRIMARY),
    solve: (a, b) => dialect.solve!(a.text, b.text),
  };

  /** A product: `c * s * (A @ B)`, scalar factors s^-k as `/ s ** k`; `strip` drops a negative sign, `broadcast` the 𝟙. */
  const product = (term: TermOf<'mul'>, strip: boolean, broadcast: boolean): Py => {
    const { coefficient, scalars, chain, denominators } = splitProduct(term, named, broadcast);
    const negative = !strip && coefficient !== undefined && coefficient < 0;
    const parts: Py[] = [];
    if (coefficient !== undefined && (Math.abs(coefficient) !== 1 || scalars.length + chain.length === 0)) {
      parts.push(pyNumber(Math.abs(coefficient)));
    }
    parts.push(...scalars.map(ref));
    // An inverse applied to a vector or matrix is a solve (python-solve.ts), where the dialect has one.
    if (chain.length > 0) parts.push(dialect.solve ? solveChain(chain, solvePrinter) : plainChain(chain));
    if (parts.length === 0) parts.push(pyNumber(1));
    // Every factor of a scale is parenthesised unless it binds tighter than *: 2 * s * (A @ x).
    let p = parts.length === 1 ? parts[0]! : py(joinRope(parts.map((q) => wrap(q, POWER).text), ' * '), PRODUCT, false, ' * ');
    // -(a * b) is (-a) * b: the sign may attach to the first factor of a product.
    if (negative) p = p.prec === PRODUCT && !p.signed ? py(`-${p.text}`, PRODUCT, true, p.op) : py(`-${wrap(p, POWER).text}`, UNARY, true);
    for (const { base, exponent } of denominators) {
      const b = ref(base);
      const d = exponent === 1 ? b : py(`${wrap(b, PRIMARY).text} ** ${pyNumber(exponent).text}`, POWER);
      const top = wrap(p, PRODUCT);
      p = py(`${top.text} / ${wrap(d, POWER).text}`, PRODUCT, top.signed, ' / ');
    }
    return p;
  };

  const sum = (term: TermOf<'add'>): Py => {
    let text = '';
    let signed = false;
    sumTerms(term, named).forEach(({ term: t, negative, broadcast }, i) => {
      let p: Py;
      if (t.kind === 'num' && negative) p = pyNumber(-t.value);
      else if (t.kind === 'mul' && (negative || broadcast)) p = product(t, negative, broadcast);
      else if (t.kind === 'ones' && broadcast) p = pyNumber(1);
      else p = ref(t);
      if (i === 0) {
        text += p.text;
        signed = p.signed;
      } else {
        text += (negative ? ' - ' : ' + ') + wrap(p, p.signed ? ATOM : PRODUCT).text;
      }
    });
    return py(text, SUM, signed);
  };

  const node = (term: Term): Py => {
    switch (term.kind) {
      case 'var':
        return py(identifier(term.name), ATOM);
      case 'num':
        return pyNumber(term.value);
      case 'zero':
        return dialect.zeros(dim(term.shape[0]), dim(term.shape[1]));
      case 'ones':
        return dialect.ones(dim(term.shape[0]), dim(term.shape[1]));
      case 'eye':
        return dialect.eye(dim(term.shape[0]));
      case 'add':
        return sum(term);
      case 'mul':
        return product(term, false, false);
      case 'hmul':
        return chainOf(term.factors.map(ref), ' * ');
      case 'hdiv':
        return chainOf([ref(term.left), ref(term.right)], ' / ');
      case 'inner':
        return dialect.sum(chainOf([ref(term.left), ref(term.right)], ' * ').text);
      case 'epow':
        return py(`${wrap(ref(term.base), PRIMARY).text} ** ${wrap(ref(term.exponent), UNARY).text}`, POWER);
      case 'fn':
        return dialect.functions[term.fn](ref(term.operand));
      case 'sum':
        return dialect.sum(ref(term.operand).text);
      case 'norm1':
        return dialect.sum(dialect.abs(ref(term.operand).text).text);
      case 'op':
        return dialect.ops[term.op](term.args.map(ref), { node: term, dim });
      case 'transpose':
      case 'inv':
      case 'mpow':
      case 'trace':
      case 'det':
      case 'logdet':
      case 'norm2':
      case 'diag':
      case 'diagm':
        break; // the matrix operations, below
    }
    // The matrix operations; a [1, 1] operand may be a Python float, which has no .T, inverse or diagonal.
    const row = term.kind === 'transpose' && dialect.hstack ? blockRow(term.operand) : undefined;
    if (row !== undefined) return dialect.hstack!(row);
    const operand = ref(term.operand);
    const scalar = isScalar(term.operand);
    switch (term.kind) {
      case 'transpose':
        return scalar ? operand : py(`${wrap(operand, PRIMARY).text}.T`, PRIMARY);
      case 'inv':
        return scalar ? py(`1 / ${wrap(operand, POWER).text}`, PRODUCT) : dialect.inv(operand.text);
      case 'mpow':
        return scalar
          ? py(`${wrap(operand, PRIMARY).text} ** ${term.exponent}`, POWER)
          : dialect.matrixPower(operand.text, String(term.exponent));
      case 'trace':
        return scalar ? operand : dialect.trace(operand.text);
      case 'det':
        return scalar ? operand : dialect.det(operand.text);
      case 'logdet':
        return scalar ? dialect.log(dialect.abs(operand.text).text) : dialect.logdet(operand.text);
      case 'norm2':
        return scalar ? dialect.abs(operand.text) : dialect.norm(operand.text);
      case 'diag':
        return scalar ? operand : dialect.diag(operand.text);
      case 'diagm':
        return scalar ? operand : dialect.diagm(operand.text);
    }
  };

  /**
   * The blocks of a row [A, B], which terms spell (vstack(Aᵀ, Bᵀ))ᵀ (term/ops.ts), printed side by
   * side rather than as three copies (`np.vstack([A.T, B.T]).T`); an identity or zero block (the
   * selection [I, 0] of a block's gradient) is its own transpose. Only where the stack is not a
   * named node and no block is a scalar (np.hstack of floats is 1-D).
   */
  const blockRow = (t: Term): readonly Py[] | undefined => {
    if (t.kind !== 'op' || t.op !== 'vstack' || t.args.length < 2 || named(t)) return undefined;
    const block = (a: Term): Py | undefined => {
      if (isScalar(a) || named(a)) return undefined;
      if (a.kind === 'transpose') return ref(a.operand);
      if (a.kind === 'eye') return ref(a);
      if (a.kind === 'zero') return dialect.zeros(dim(a.shape[1]), dim(a.shape[0]));
      return undefined;
    };
    const blocks = t.args.map(block);
    return blocks.every((b) => b !== undefined) ? (blocks as Py[]) : undefined;
  };

  for (const term of plan.order) printed.push(node(term));

  const taken = new Set<string>();
  for (const term of plan.order) if (term.kind === 'var') taken.add(identifier(term.name));
  const names = plan.definitions.map((d) => {
    let name = d.user ? `_${pythonName(d.name)}` : `_t${d.name.slice(1)}`;
    while (taken.has(name)) name += '_';
    taken.add(name);
    return name;
  });
  const bodies = plan.definitions.map((d) => printed[plan.position(d.term)]!.text);
  const defined = new Uint8Array(names.length);
  return roots.map((root) => {
    const text = expandShared(ref(root).text, names, bodies, defined);
    return isScalar(root) ? dialect.scalarResult(text) : text;
  });
}

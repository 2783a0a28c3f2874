import * as T from '../term/factory.js';
import { childrenOf, isScalar, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';

/**
 * Names the user defined stay names in the answer, as the notes write it: with q = Wx, the gradient
 * of ‖q‖² is 2Wᵀq, not 2WᵀWx. The simplifier flattens products (that is how like terms meet), so a
 * definition's product is spread out in the answer; this pass, for display only, finds each
 * definition's run of factors (or its transpose's) inside the answer's products and puts the
 * defined term back in their place. The printer prints a defined term by its name (emit/sharing.ts)
 * and lists its definition in the `where` block. A definition's own body is folded onto the shorter
 * definitions first, so a network's layers print as H₂ = W₂ᵀH₁, not W₂ᵀW₁ᵀX.
 *
 * The result is the same value, only grouped differently (nested products, a transpose of a sum), so
 * the numeric check and code emitted from it are unchanged in meaning.
 */
export interface Definition {
  readonly name: string;
  /** The definition's normal form (as printed). */
  readonly term: Term;
  /** The normal form of its transpose. */
  readonly transposed: Term;
}

export interface FoldedDefinitions {
  readonly roots: Term[];
  /** The defined terms as they now stand in the answer, by name: the printer's names for them. */
  readonly names: ReadonlyMap<Term, string>;
}

/**
 * The answers folded onto the user's definitions (raw definition term → name), with each folded
 * definition added to `names` (the printer's names) — `normalForm` is the simplifier's printed form
 * of terms under the caller's assumptions (a definition's and its transpose's).
 */
export function foldOntoDefinitions(
  answers: readonly Term[],
  definitionNames: ReadonlyMap<Term, string>,
  names: Map<Term, string>,
  normalForm: (terms: readonly Term[]) => Term[],
): Term[] {
  const definitions = [...definitionNames]
    .filter(([term]) => !isScalar(term))
    .map(([term, name]) => {
      const [canonical, transposed] = normalForm([term, T.transpose(term)]);
      return { name, term: canonical!, transposed: transposed! };
    });
  const folded = foldDefinitions(answers, definitions);
  for (const [term, name] of folded.names) if (!names.has(term)) names.set(term, name);
  return folded.roots;
}

/** A definition whose product can be recognised as a run of factors. */
interface Chain {
  readonly name: string;
  readonly factors: readonly Term[];
  readonly transposedFactors: readonly Term[] | undefined;
  /** What replaces the run: the definition, itself folded onto shorter ones. */
  folded: Term;
}

export function foldDefinitions(roots: readonly Term[], definitions: readonly Definition[]): FoldedDefinitions {
  const chains = definitions
    .filter((d) => isChain(d.term))
    .map((d): Chain => ({ name: d.name, factors: factorsOf(d.term), transposedFactors: isChain(d.transposed) ? factorsOf(d.transposed) : undefined, folded: d.term }))
    .sort((a, b) => a.factors.length - b.factors.length);
  if (chains.length === 0) return { roots: [...roots], names: new Map() };
  const names = new Map<Term, string>();
  // Shortest first: each body is folded onto the definitions shorter than itself (the index holds
  // exactly those when the body is folded).
  const index: ChainIndex = new Map();
  let i = 0;
  while (i < chains.length) {
    const length = chains[i]!.factors.length;
    let j = i;
    for (; j < chains.length && chains[j]!.factors.length === length; j++) {
      const chain = chains[j]!;
      // The body's own product only, not the terms below it: a network's bodies nest, and walking
      // each one's whole DAG would make this quadratic in the number of layers.
      chain.folded = foldProduct(chain.folded as Extract<Term, { kind: 'mul' }>, index);
      names.set(chain.folded, chain.name);
    }
    for (const chain of chains.slice(i, j)) addToIndex(index, chain);
    i = j;
  }
  return { roots: roots.map((r) => foldTerm(r, index)), names };
}

/**
 * The runs to look for, by their first factor, longest first: a lookup per factor of the answer,
 * not a scan of every definition (a network of 2,000 layers has 2,000 chains).
 */
type ChainIndex = Map<Term, { readonly run: readonly Term[]; readonly term: () => Term }[]>;

function addToIndex(index: ChainIndex, chain: Chain): void {
  const add = (run: readonly Term[], term: () => Term) => {
    const list = index.get(run[0]!) ?? [];
    list.push({ run, term });
    list.sort((a, b) => b.run.length - a.run.length);
    index.set(run[0]!, list);
  };
  add(chain.factors, () => chain.folded);
  if (chain.transposedFactors) add(chain.transposedFactors, () => T.transpose(chain.folded));
}

/** A product of two or more matrix factors, with no numeric or scalar factor. */
function isChain(t: Term): boolean {
  return t.kind === 'mul' && !isScalar(t) && t.factors.length >= 2 && t.factors.every((f) => !isScalar(f));
}

function factorsOf(t: Term): readonly Term[] {
  return (t as Extract<Term, { kind: 'mul' }>).factors;
}

/** The term with every product's runs replaced (longest definition first), rebuilt bottom-up. */
function foldTerm(root: Term, index: ChainIndex): Term {
  if (index.size === 0) return root;
  const done = new Map<Term, Term>();
  for (const node of postOrder([root])) {
    const kids = childrenOf(node).map((c) => done.get(c)!);
    let rebuilt = kids.some((k, i) => k !== childrenOf(node)[i]) ? T.withChildren(node, kids) : node;
    if (rebuilt.kind === 'mul') rebuilt = foldProduct(rebuilt, index);
    else if (rebuilt.kind === 'add' && rebuilt !== node) rebuilt = transposeOutOfSum(rebuilt);
    done.set(node, rebuilt);
  }
  return done.get(root)!;
}

function foldProduct(product: Extract<Term, { kind: 'mul' }>, index: ChainIndex): Term {
  const factors = product.factors;
  const out: Term[] = [];
  let changed = false;
  for (let i = 0; i < factors.length; ) {
    const hit = index.get(factors[i]!)?.find((c) => startsWith(factors, i, c.run));
    if (hit === undefined) {
      out.push(factors[i++]!);
      continue;
    }
    out.push(hit.term());
    i += hit.run.length;
    changed = true;
  }
  if (!changed) return product;
  return out.length === 1 ? out[0]! : T.mul(out);
}

function startsWith(factors: readonly Term[], i: number, run: readonly Term[]): boolean {
  if (i + run.length > factors.length) return false;
  for (let k = 0; k < run.length; k++) if (factors[i + k] !== run[k]) return false;
  return true;
}

/** Ŷᵀ − Yᵀ = (Ŷ − Y)ᵀ: a sum of transposes (some negated), once folding has made one, under one transpose. */
function transposeOutOfSum(sum: Extract<Term, { kind: 'add' }>): Term {
  const inner: Term[] = [];
  for (const t of sum.terms) {
    if (t.kind === 'transpose') inner.push(t.operand);
    else if (t.kind === 'mul' && t.factors.length === 2 && t.factors[0]!.kind === 'num' && t.factors[1]!.kind === 'transpose') {
      inner.push(T.mul([t.factors[0]!, t.factors[1]!.operand]));
    } else return sum;
  }
  return T.transpose(T.add(inner));
}

/**
 * User definitions print by name wherever they appear, also in their simplified form: the typed
 * program's names, and each definition's normal form (`tidy`: simplified and presented) by the same name.
 */
export function definitionNames(definitionNames: ReadonlyMap<Term, string>, tidy: (terms: readonly Term[]) => Term[]): Map<Term, string> {
  const names = new Map(definitionNames);
  for (const [term, name] of definitionNames) {
    const [canonical] = tidy([term]);
    if (canonical && !names.has(canonical) && childrenOf(canonical).length > 0) names.set(canonical, name);
  }
  return names;
}

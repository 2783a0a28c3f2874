import { kronTerms, type Kron } from '../differentiate/kronecker-form.js';
import type { Dim, Term } from '../term/term.js';
import { emitLatex } from './latex.js';
import { emitText, type EmitOptions } from './text.js';

/**
 * Prints a vec-Jacobian (differentiate/kronecker-form.ts) in the textbook's notation:
 * `(Bᵀ ⊗ A)`, `Diag(vec(H))`, `K[m×n]`, `vec(I)ᵀ`, in text or LaTeX. The core terms inside are
 * printed by the term printers, all together so that shared definitions are named once.
 */
export interface PrintedMap {
  readonly text: string;
  readonly where: readonly { readonly name: string; readonly text: string }[];
}

interface Spelling {
  kron: string;
  identity: string;
  commutation(rows: Dim, cols: Dim): string;
  diag(inner: string): string;
  vec(inner: string): string;
  transposed(inner: string): string;
  ones: string;
  join: string;
  minusOne: string;
}

const TEXT: Spelling = {
  kron: ' ⊗ ',
  identity: 'I',
  commutation: (r, c) => `K[${r}×${c}]`,
  diag: (x) => `Diag(${x})`,
  vec: (x) => `vec(${x})`,
  transposed: (x) => `${x}ᵀ`,
  ones: '𝟙',
  join: ' ',
  minusOne: '−',
};

const LATEX: Spelling = {
  kron: ' \\otimes ',
  identity: 'I',
  commutation: (r, c) => `K_{${r},${c}}`,
  diag: (x) => `\\operatorname{Diag}(${x})`,
  vec: (x) => `\\operatorname{vec}(${x})`,
  transposed: (x) => `${x}^\\top`,
  ones: '\\mathbb{1}',
  join: '\\,',
  minusOne: '-',
};

export function mapText(e: Kron, options: EmitOptions = {}): PrintedMap {
  return printMap(e, TEXT, (terms) => emitText(terms, { ...options, share: 'names' }));
}

export function mapLatex(e: Kron, options: EmitOptions = {}): PrintedMap {
  return printMap(e, LATEX, (terms) => emitLatex(terms, { ...options, share: 'names' }));
}

function printMap(
  e: Kron,
  s: Spelling,
  emit: (terms: Term[]) => { main: readonly string[]; where: readonly { name: string; text: string }[] },
): PrintedMap {
  const terms = kronTerms(e);
  const printed = emit(terms);
  const textOf = new Map<Term, string>();
  terms.forEach((t, i) => textOf.set(t, printed.main[i]!));
  const term = (t: Term, wrapSums = true): string => {
    const x = textOf.get(t)!;
    return wrapSums && (t.kind === 'add' || (t.kind === 'mul' && t.factors[0]?.kind === 'num' && t.factors[0].value < 0)) ? `(${x})` : x;
  };
  const isVector = (t: Term) => t.shape[1] === 1;
  const go = (x: Kron, inProduct: boolean): string => {
    switch (x.k) {
      case 'identity':
        return s.identity;
      case 'matrix':
        return term(x.t, inProduct);
      case 'vec': {
        if (x.t.kind === 'ones') return x.row ? s.transposed(s.ones) : s.ones;
        const inner = isVector(x.t) ? term(x.t) : s.vec(term(x.t, false));
        return x.row ? s.transposed(inner) : inner;
      }
      case 'kron':
        return `(${term(x.a)}${s.kron}${term(x.b)})`;
      case 'commutation':
        return s.commutation(x.rows, x.cols);
      case 'diagvec':
        return s.diag(isVector(x.t) ? term(x.t, false) : s.vec(term(x.t, false)));
      case 'product':
        return x.factors.map((f) => go(f, true)).join(s.join);
      case 'sum': {
        const body = x.terms.map((t) => go(t, false)).join(' + ');
        return inProduct ? `(${body})` : body;
      }
      case 'scale': {
        if (x.c.kind === 'num' && x.c.value === -1) return `${s.minusOne}${go(x.e, true)}`;
        return `${term(x.c)}${s.join}${go(x.e, true)}`;
      }
    }
  };
  return { text: go(e, false), where: printed.where };
}

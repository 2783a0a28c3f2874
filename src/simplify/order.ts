import { onTermsReset } from '../term/factory.js';
import { childrenOf, type Dim, type Shape, type Term, type TermKind } from '../term/term.js';
import { ByTerm, NumberByTerm } from './by-term.js';

/**
 * The canonical order of commutative operands (sum terms, Hadamard factors, scalar factors) and of
 * trace rotations. It is a total order on structure alone — never on term ids, which number terms
 * in creation order and so depend on everything the process built before (a library user's earlier
 * calls) — so the same input prints the same whatever came before it. It is also chosen to read
 * well: constants first, then by the leftmost variable's name (A before Aᵀ before B), shallower
 * before deeper, and between terms that tie on both, lexicographically by structure (below).
 */
const leadCache = new ByTerm<string>();
const heightCache = new NumberByTerm();
onTermsReset(() => {
  leadCache.clear();
  heightCache.clear();
});

/** The name of the leftmost leaf ('' for constants). O(1) per node with memoisation. */
export function leadName(t: Term): string {
  const hit = leadCache.get(t);
  if (hit !== undefined) return hit;
  let name: string;
  if (t.kind === 'var') name = t.name;
  else {
    const kids = childrenOf(t);
    name = kids.length === 0 ? '' : leadName(kids[0]!);
  }
  leadCache.set(t, name);
  return name;
}

export function height(t: Term): number {
  const hit = heightCache.get(t);
  if (hit !== undefined) return hit;
  let h = 0;
  // Indexed, not for…of: these measures run at every node, and an iterator allocates when the
  // recursion keeps V8 from optimising it away.
  const kids = childrenOf(t);
  for (let i = 0; i < kids.length; i++) h = Math.max(h, height(kids[i]!) + 1);
  heightCache.set(t, h);
  return h;
}

/**
 * The total order. Terms are hash-consed, so two distinct terms differ somewhere: after the leading
 * name and the height, they are compared by kind, by their own data (name, value, function,
 * exponent, shape) and then by their first differing child, in this same order. That descends one
 * path only (each step at least one level lower), so it costs at most the height, and it is a loop:
 * deep terms cannot overflow the stack.
 */
export function compareTerms(a: Term, b: Term): number {
  for (;;) {
    if (a === b) return 0;
    const la = leadName(a);
    const lb = leadName(b);
    if (la !== lb) return compareNames(la, lb);
    const ha = height(a);
    const hb = height(b);
    if (ha !== hb) return ha - hb;
    const own = compareOwnData(a, b);
    if (own !== 0) return own;
    const ca = childrenOf(a);
    const cb = childrenOf(b);
    if (ca.length !== cb.length) return ca.length - cb.length;
    let i = 0;
    while (i < ca.length && ca[i] === cb[i]) i++;
    // Same kind, data and children: only a term from before resetTerms() can get here.
    if (i === ca.length) return 0;
    a = ca[i]!;
    b = cb[i]!;
  }
}

/** The order of kinds where two terms tie on leading name and height. */
const KIND_RANK: Readonly<Record<TermKind, number>> = {
  num: 0,
  var: 1,
  zero: 2,
  ones: 3,
  eye: 4,
  transpose: 5,
  mul: 6,
  hmul: 7,
  hdiv: 8,
  add: 9,
  inv: 10,
  mpow: 11,
  epow: 12,
  fn: 13,
  trace: 14,
  det: 15,
  logdet: 16,
  sum: 17,
  norm1: 18,
  norm2: 19,
  inner: 20,
  diag: 21,
  diagm: 22,
  op: 23,
};

/** Compares what a term holds besides its children: kind, name, value, function, exponent, shape. */
function compareOwnData(a: Term, b: Term): number {
  if (a.kind !== b.kind) return KIND_RANK[a.kind] - KIND_RANK[b.kind];
  let c = 0;
  if (a.kind === 'var' && b.kind === 'var') c = compareNames(a.name, b.name);
  else if (a.kind === 'num' && b.kind === 'num') c = a.value - b.value;
  else if (a.kind === 'fn' && b.kind === 'fn') c = a.fn < b.fn ? -1 : a.fn > b.fn ? 1 : 0;
  else if (a.kind === 'mpow' && b.kind === 'mpow') c = a.exponent - b.exponent;
  else if (a.kind === 'op' && b.kind === 'op') c = a.op < b.op ? -1 : a.op > b.op ? 1 : 0;
  return c !== 0 ? c : compareShapes(a.shape, b.shape);
}

function compareShapes(a: Shape, b: Shape): number {
  return compareDims(a[0], b[0]) || compareDims(a[1], b[1]);
}

/** Numbers before symbols; numbers by value, symbols by name. */
function compareDims(a: Dim, b: Dim): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return compareNames(a, b);
}

/** Words (a trace's rotations) in lexicographic order of their factors. */
export function compareWords(a: readonly Term[], b: readonly Term[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareTerms(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Warms the caches children-first, so that leadName/height never recurse deeply
 * (a 100,000-deep term would otherwise overflow the stack on first use).
 */
export function warmOrderCaches(order: readonly Term[]): void {
  for (const t of order) {
    leadName(t);
    height(t);
  }
}

/** Names in natural order, the same on every machine: A2 before A10, then by code unit. */
export function compareNames(a: string, b: string): number {
  // Without digits a name is one run of non-digits: code-unit order (most names; no arrays made).
  if (!hasDigit(a) && !hasDigit(b)) return a === b ? 0 : a < b ? -1 : 1;
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function hasDigit(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

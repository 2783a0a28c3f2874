import { onTermsReset } from '../term/factory.js';
import { NumberMemo, StringMemo } from '../term/memo.js';
import { childrenOf, type Term } from '../term/term.js';

/**
 * The canonical order of commutative operands (sum terms, Hadamard factors, scalar factors).
 * It must be a total order that depends only on structure-derived facts and term ids, so equal
 * inputs give equal outputs; it is also chosen to read well: constants first, then by the leftmost
 * variable's name (A before Aᵀ before B), shallower before deeper.
 */
const leadCache = new StringMemo();
const heightCache = new NumberMemo();
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
  for (const c of childrenOf(t)) h = Math.max(h, height(c) + 1);
  heightCache.set(t, h);
  return h;
}

export function compareTerms(a: Term, b: Term): number {
  if (a === b) return 0;
  const la = leadName(a);
  const lb = leadName(b);
  if (la !== lb) return compareNames(la, lb);
  const ha = height(a);
  const hb = height(b);
  if (ha !== hb) return ha - hb;
  return a.id - b.id;
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

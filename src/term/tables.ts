import type { Term, TermKind, TermOf } from './types.js';

/**
 * Every table the term layer keeps for the life of the process, in one module with one reset
 * (resetTerms): the ids handed out, the generation they belong to, the hash-consing tables of the
 * factory (factory.ts builds terms through intern and internList) and the children arrays of
 * childrenOf (term.ts). Caches of other modules that hold terms register what they forget with
 * onTermsReset; per-term caches (memo.ts) index by localIndex.
 */

// ── Ids and generations ─────────────────────────────────────────────────────────────────────────

let nextId = 0;

/**
 * The first term id of the current generation (resetTerms). Ids are never handed out twice, so a
 * term of an earlier generation that a caller still holds (a report) stays a valid term; tables
 * indexed by id index by id − base and keep earlier terms aside, so they stay as small as the
 * current generation.
 */
export const generation = { base: 0 };

/** Where a term's entry lives in an id-indexed table of the current generation; −1 for an earlier one. */
export function localIndex(id: number): number {
  return id - generation.base;
}

/** How many ids the current generation has handed out (the size id-indexed tables grow to). */
export function generationSize(): number {
  return nextId - generation.base;
}

// ── Interning ───────────────────────────────────────────────────────────────────────────────────

/**
 * Interning tables, one per operator (and function name): keyed by the operand's id, or by both
 * operands' ids packed into one number, or (n-ary with more than 2 operands, leaves) by a string.
 * Number keys avoid building and hashing a string per node (most of a 1 MB expression's nodes).
 */
const tables = new Map<string, Map<string | number, Term>>();
/** n-ary nodes of more than 2 operands, by a hash of their operands' ids (internList). */
const listTables = new Map<string, Map<number, Term[]>>();
let internedTerms = 0;
const PACK = 2 ** 26;

/** Number of distinct terms interned in this generation (for limits, the generation policy and benchmarks). */
export function internedCount(): number {
  return internedTerms;
}

function tableFor(tag: string): Map<string | number, Term> {
  let t = tables.get(tag);
  if (t === undefined) {
    t = new Map();
    tables.set(tag, t);
  }
  return t;
}

/** Below this many ids in a generation, a pair of them packs into a small integer (a Smi, below 2³⁰). */
const SMALL_PACK = 2 ** 15;

/**
 * The key of a node of two operands: their ids of this generation packed into one number when they
 * fit. Both ids below 2¹⁵ (every id of a call of ordinary size) give a small integer, which V8 hashes
 * and compares ~3× faster as a Map key than a heap number; larger ones are offset past every small
 * key, so the two packings never meet.
 */
export function pairKey(a: Term, b: Term): string | number {
  const i = localIndex(a.id);
  const j = localIndex(b.id);
  if (i >= 0 && j >= 0 && i < SMALL_PACK && j < SMALL_PACK) return i * SMALL_PACK + j;
  return i >= 0 && j >= 0 && i < PACK && j < PACK ? SMALL_PACK * SMALL_PACK + i * PACK + j : `${a.id},${b.id}`;
}

/** The node interned under `tag` and `key`, built (with the next id, frozen) when it is new. */
export function intern<K extends TermKind>(tag: string, key: string | number, build: (id: number) => Omit<TermOf<K>, never>): TermOf<K> {
  const table = tableFor(tag);
  const existing = table.get(key);
  if (existing !== undefined) return existing as TermOf<K>;
  const term = Object.freeze(build(nextId++)) as unknown as TermOf<K>;
  table.set(key, term);
  internedTerms++;
  return term;
}

/**
 * Interns an n-ary node (sum, product, Hadamard product). Two operands: by the packed pair of ids.
 * More: by a 32-bit hash of the operands' ids, in buckets whose operand lists are compared entry by
 * entry — no string is built per node (long products are rebuilt at every level of a deep adjoint).
 */
export function internList<K extends 'add' | 'mul' | 'hmul'>(tag: K, children: readonly Term[], build: (id: number) => Omit<TermOf<K>, never>): TermOf<K> {
  if (children.length === 2) return intern<K>(tag, pairKey(children[0]!, children[1]!), build);
  let table = listTables.get(tag);
  if (table === undefined) {
    table = new Map();
    listTables.set(tag, table);
  }
  let h = children.length | 0;
  for (const c of children) h = Math.imul(h ^ c.id, 0x9e3779b1) ^ (h >>> 15);
  const bucket = table.get(h);
  if (bucket !== undefined) {
    for (const t of bucket) if (sameOperands(operandsOf(t), children)) return t as TermOf<K>;
  }
  const term = Object.freeze(build(nextId++)) as unknown as TermOf<K>;
  if (bucket !== undefined) bucket.push(term);
  else table.set(h, [term]);
  internedTerms++;
  return term;
}

function operandsOf(t: Term): readonly Term[] {
  return t.kind === 'add' ? t.terms : t.kind === 'mul' || t.kind === 'hmul' ? t.factors : [];
}

function sameOperands(a: readonly Term[], b: readonly Term[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ── Children arrays ─────────────────────────────────────────────────────────────────────────────

/**
 * The children arrays of unary and binary nodes made so far (childrenOf), by local id: every walk
 * over the DAG asks for them at each step. An entry is used only when it holds exactly this node's
 * children, so an id of an earlier generation never returns another node's children.
 */
const childArrays: (readonly Term[] | undefined)[] = [];

function slotFor(id: number): boolean {
  const i = localIndex(id);
  if (i < 0) return false;
  while (childArrays.length <= i) childArrays.push(undefined);
  return true;
}

/** The one-element children array of node `id`. */
export function singleOf(id: number, operand: Term): readonly Term[] {
  const hit = childArrays[localIndex(id)];
  if (hit !== undefined && hit.length === 1 && hit[0] === operand) return hit;
  const cached = slotFor(id);
  const made = [operand];
  if (cached) childArrays[localIndex(id)] = made;
  return made;
}

/** The two-element children array of node `id`. */
export function pairOf(id: number, left: Term, right: Term): readonly Term[] {
  const hit = childArrays[localIndex(id)];
  if (hit !== undefined && hit.length === 2 && hit[0] === left && hit[1] === right) return hit;
  const cached = slotFor(id);
  const made = [left, right];
  if (cached) childArrays[localIndex(id)] = made;
  return made;
}

// ── The reset ───────────────────────────────────────────────────────────────────────────────────

const resetHooks: (() => void)[] = [];

/** Registers what a module must forget when the terms are reset (its caches of terms or term ids). */
export function onTermsReset(hook: () => void): void {
  resetHooks.push(hook);
}

/**
 * Forgets every term: a new generation of terms starts. Terms built before stay valid terms — ids
 * are never handed out twice, and tables indexed by id keep earlier terms aside — but they are no
 * longer canonical: a term built now is a different object from an equal earlier one. The pipeline
 * starts a new generation on its own when the tables grow past a size (generations.ts), and reports
 * it handed out before still print and evaluate. Output never depends on ids (every canonical order
 * is structural, simplify/order.ts), so this is about memory only: the tables never shrink
 * otherwise, and `matcalc batch` resets before each request so that a long batch does not keep
 * every earlier request's terms.
 */
export function resetTerms(): void {
  // New tables rather than cleared ones. Map.clear() gives a table that lives in V8's old generation
  // a new table there too, and leaves the entries in the old one, which is garbage only a full
  // collection finds: every term of the call before stayed reachable from it at each scavenge, was
  // promoted, and the next call's terms went the same way (~0.6 – 1.3 MB promoted per scavenge on a
  // loop of fresh small gradients). A new Map's table is young and dies young with its terms.
  for (const [tag, table] of tables) if (table.size > 0) tables.set(tag, new Map());
  for (const [tag, table] of listTables) if (table.size > 0) listTables.set(tag, new Map());
  childArrays.length = 0;
  // Ids go on from here, never back to 0: terms a caller still holds keep ids no new term has.
  generation.base = nextId;
  internedTerms = 0;
  for (const hook of resetHooks) hook();
}

import * as T from '../term/factory.js';
import { isScalarShape, type Shape, type Term } from '../term/term.js';
import { SIMPLIFY_BUDGET } from './budget.js';
import { treeSize } from './measures.js';
import type { Entry, Simplifier } from './simplifier-types.js';
import { splitCoefficient } from './sums.js';

/**
 * Factoring a sum, directed: one round pulls out the factor shared by the largest group of terms,
 * and sums.ts repeats rounds while one applies. Every round makes the sum strictly shorter, so it
 * never loops, and it never expands anything (ENGINE.md §4: "Never expand to simplify"). Which
 * factor comes out first decides the printed form, so the choice is a fixed order (below), not a
 * cost search: the largest group; on a tie the side ranked first, then the group noted first.
 */
/**
 * Pulls out the factor shared by the largest group (≥ 2) of terms: a common rightmost matrix
 * factor (simp.factor-right: ΣAᵢX = (ΣAᵢ)X), leftmost factor (simp.factor-left: XA + XB = X(A + B)),
 * scalar factor (simp.factor-scalar: sA + sB = s(A + B)) or Hadamard factor (simp.factor-hadamard:
 * G ⊙ a + G ⊙ b = G ⊙ (a + b)). Only groups whose remainders are non-empty, so no identity matrix
 * is ever introduced.
 */
/** The identity each side of factoring applies. */
const FACTOR_RULES = {
  right: 'simp.factor-right',
  left: 'simp.factor-left',
  scalar: 'simp.factor-scalar',
  hadamard: 'simp.factor-hadamard',
} as const;

/** The order of the sides on a tie between groups of one size. */
const SIDE_RANK = { right: 0, left: 1, scalar: 2, hadamard: 3 } as const;

export function factorOnce(s: Simplifier, entries: readonly Entry[], shape: Shape, sumsOnly = false): Entry[] | undefined {
  const partsOf = entries.map((e) => s.parts(e.rest));
  type Candidate = { side: 'right' | 'left' | 'scalar' | 'hadamard'; key: Term; members: number[] };
  // One map per side, keyed by the factor itself (no string per factor: a Hadamard product's
  // factors are all noted, at every level of a deep adjoint).
  // Made at a side's first factor: most sums note none on some sides.
  const groups: Record<Candidate['side'], Map<Term, Candidate> | undefined> = { right: undefined, left: undefined, scalar: undefined, hadamard: undefined };
  const note = (side: Candidate['side'], key: Term, index: number) => {
    const bySide = (groups[side] ??= new Map());
    const g = bySide.get(key);
    if (g) {
      if (g.members[g.members.length - 1] !== index) g.members.push(index);
    } else bySide.set(key, { side, key, members: [index] });
  };
  partsOf.forEach((p, i) => {
    if (sumsOnly) {
      // Only a sum G standing alone and as a Hadamard factor elsewhere.
      const only = p.chain.length === 1 ? p.chain[0]! : undefined;
      if (only?.kind === 'hmul') for (const f of only.factors) if (f.kind === 'add') note('hadamard', f, i);
      if (only?.kind === 'add') note('hadamard', only, i);
      return;
    }
    if (p.chain.length >= 2) {
      note('right', p.chain[p.chain.length - 1]!, i);
      note('left', p.chain[0]!, i);
    }
    if (p.scalars.length >= 1 && p.scalars.length + p.chain.length >= 2) {
      for (const s of p.scalars) note('scalar', s, i);
    }
    // G ⊙ a + G ⊙ b = G ⊙ (a + b), and G ⊙ a + G = G ⊙ (a + 𝟙) for a large G
    // (simp.factor-hadamard-one): without this a residual chain Yₖ₊₁ = f(Yₖ) + Yₖ would flatten its
    // adjoints into ever longer sums.
    if (!isScalarShape(shape) && p.chain.length === 1) {
      const only = p.chain[0]!;
      if (only.kind === 'hmul') for (const f of only.factors) note('hadamard', f, i);
      else if (treeSize(only) >= SIMPLIFY_BUDGET.hadamardFactorMinSize) note('hadamard', only, i);
    }
  });
  let best: Candidate | undefined;
  const rank = SIDE_RANK;
  // The largest group; on equal size the side ranked first, then the group noted first.
  for (const bySide of [groups.right, groups.left, groups.scalar, groups.hadamard]) {
    if (bySide === undefined) continue;
    for (const g of bySide.values()) {
      if (g.members.length < 2) continue;
      if (!best || g.members.length > best.members.length || (g.members.length === best.members.length && rank[g.side] < rank[best.side])) {
        best = g;
      }
    }
  }
  if (!best) return undefined;
  const chosen = best;
  // G ⊙ a + G: a member that is the key itself (no Hadamard product) is G ⊙ 𝟙.
  const withOne = chosen.side === 'hadamard' && chosen.members.some((i) => partsOf[i]!.chain[0] === chosen.key);
  // sG + tG with no Hadamard factor at all: the remainders are scalars, (s + t)G, not G ⊙ (s𝟙𝟙ᵀ + t𝟙𝟙ᵀ).
  const plain = withOne && chosen.members.every((i) => partsOf[i]!.chain[0] === chosen.key);
  s.applied(plain ? FACTOR_RULES.right : withOne ? 'simp.factor-hadamard-one' : FACTOR_RULES[chosen.side]);
  const members = new Set(chosen.members);
  const remainders = chosen.members.map((i) => {
    const p = partsOf[i]!;
    const e = entries[i]!;
    let scalars = p.scalars;
    let chain = p.chain;
    if (chosen.side === 'right') chain = chain.slice(0, -1);
    else if (chosen.side === 'left') chain = chain.slice(1);
    else if (plain) chain = [];
    else if (chosen.side === 'hadamard') {
      const only = chain[0]!;
      // Remove one occurrence of the key only: Y ⊙ Y (a symbolic power stays two factors) keeps one Y.
      const others = only.kind === 'hmul' ? [...only.factors] : [];
      const at = others.indexOf(chosen.key);
      if (at >= 0) others.splice(at, 1);
      chain = [others.length === 0 ? T.ones(only.shape) : others.length === 1 ? others[0]! : T.hmul(others)];
    } else {
      const at = scalars.indexOf(chosen.key);
      scalars = scalars.filter((_, j) => j !== at);
    }
    return s.mul([T.num(e.c * p.coef), ...scalars, ...chain]);
  });
  const innerShape: Shape = remainders[0]!.shape;
  const inner = s.add(remainders, innerShape);
  let factored: Term;
  if (chosen.side === 'right' || plain) factored = s.mul([inner, chosen.key]);
  else if (chosen.side === 'hadamard') factored = s.hmul([chosen.key, inner], chosen.key.shape);
  else factored = s.mul([chosen.key, inner]);
  if (factored.kind === 'zero') return entries.filter((_, i) => !members.has(i)).map((e) => ({ ...e }));
  const [c, rest] = splitCoefficient(factored);
  const out = entries.filter((_, i) => !members.has(i)).map((e) => ({ ...e }));
  const same = out.find((e) => e.rest === rest);
  if (same) same.c += c;
  else out.push({ rest, c });
  return out.filter((e) => e.c !== 0);
}

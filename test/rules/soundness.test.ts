import { dimSymbols } from '../../src/term/dim-product.js';
import { describe, expect, test } from 'vitest';
import { forwardSweep } from '../../src/differentiate/forward-sweep.js';
import { ruleContributions } from '../../src/differentiate/reverse-sweep.js';
import { checkDifferential } from '../../src/verify/linear-map.js';
import type { Source } from '../../src/diagnostics/span.js';
import { guardShapes, loadRulebook } from '../../src/rewrite/load-rules.js';
import { NATIVE_LHS_TEXT } from '../../src/rewrite/native-rules.js';
import type { PullbackRule, SimplifyRule } from '../../src/rewrite/rule.js';
import { inferShapes } from '../../src/shape/infer.js';
import { simplify } from '../../src/simplify/simplify.js';
import type { Ast } from '../../src/syntax/ast.js';
import { parseExpressionAt } from '../../src/syntax/parse.js';
import { integerParameters } from '../../src/term/integer-parameters.js';
import * as T from '../../src/term/factory.js';
import { childrenOf, opDeclaration, type Shape, type Term } from '../../src/term/term.js';
import { postOrder } from '../../src/term/traverse.js';
import { checkGradient } from '../../src/verify/finite-difference.js';
import { createRng } from '../../src/verify/random.js';
import { drawInDomain } from '../../src/verify/sample.js';
import { maxAbs, subtract } from '../../src/verify/dense.js';
import { withOnesBound } from '../helpers/ones-guards.js';

/**
 * Generated from rules/: every rule is checked numerically, at several random shapes and values.
 * - A pullback rule ⟨G, d(op(A, B))⟩ = Σ ⟨Cᵢ, dXᵢ⟩ says that Cᵢ is the gradient of ⟨G, op(A, B)⟩
 *   with respect to Xᵢ: that is checked against finite differences.
 * - A simplification identity lhs = rhs is checked by evaluating both sides.
 */
const book = loadRulebook();
if (!book.ok) throw new Error(book.diagnostics.map((d) => d.message).join('\n'));
const rules = book.value.rules;
const SEEDS = [11, 23, 47];

function variablesOf(term: Term): Map<string, Shape> {
  const out = new Map<string, Shape>();
  for (const node of postOrder([term])) if (node.kind === 'var') out.set(node.name, node.shape);
  return out;
}

function freeDims(variables: ReadonlyMap<string, Shape>): string[] {
  const dims: string[] = [];
  // A product (kron's m·p) is sized by its symbols.
  for (const s of variables.values()) for (const d of s) for (const x of dimSymbols(d)) if (!dims.includes(x)) dims.push(x);
  return dims;
}

/** Sizes 2–5 drawn per seed, so each seed tries other shapes. */
function sizesFor(dims: readonly string[], seed: number): Map<string, number> {
  const rng = createRng(seed * 7919);
  return new Map(dims.map((d) => [d, 2 + Math.floor(rng.next() * 4)]));
}

function lhsOf(rule: PullbackRule): { ast: Ast; source: Source } {
  const text = NATIVE_LHS_TEXT.get(rule.id);
  if (!text) return { ast: rule.lhs, source: rule.source };
  const source = { name: rule.id, text };
  const parsed = parseExpressionAt(source, 0, text.length, { patterns: true });
  if (!parsed.ok) throw new Error(parsed.diagnostics[0]!.message);
  return { ast: parsed.value, source };
}

/** The operands a rule with contributions gives none (expm_frechet2's A, whose derivative is beyond its rules). */
function leftOut(rule: PullbackRule, operands: readonly Term[]): Term[] {
  if (rule.native || rule.contributions.length === 0) return [];
  return operands.filter((_, i) => !rule.contributions.some((c) => c.operand === rule.operands[i]));
}

/** The exponents of matrix powers Xⁿ (OpDeclaration.integer), drawn as integers as the check draws them. */
function integersOf(t: Term): Map<string, ReadonlySet<'integer'>> {
  return new Map([...integerParameters([t])].map((name) => [name, new Set(['integer'] as const)]));
}

const pullbacks = rules.filter((r): r is PullbackRule => r.family === 'pullback');
const identities = rules.filter((r): r is SimplifyRule => r.family === 'simplify');

describe.each(pullbacks.map((r) => [r.id, r] as const))('pullback %s', (_id, rule) => {
  test.each(SEEDS)('matches finite differences (seed %i)', (seed) => {
    const { ast, source } = lhsOf(rule);
    if (ast.kind !== 'inner' || ast.right.kind !== 'call') throw new Error(`${rule.id}: unexpected left side`);
    // ⟨G, d(P)⟩ → the function ⟨G, P⟩ of the operands.
    const body: Ast = { kind: 'inner', left: ast.left, right: ast.right.arg, span: ast.span };
    const typed = inferShapes({ definitions: [], body }, source, { patternShapes: guardShapes(rule.guards) });
    if (!typed.ok) throw new Error(`${rule.id}: ${typed.diagnostics[0]!.message}`);
    const f = typed.value.term;
    if (f.kind !== 'inner') throw new Error(`${rule.id}: expected ⟨G, P⟩`);
    const g = f.left;
    const p = f.right;
    const operands = p.kind === 'mpow' ? [p.operand, T.num(p.exponent)] : childrenOf(p);
    // An operand a rule leaves out (expm_frechet2's A) is held constant here; the sweeps refuse it (MC3004).
    const contributions = ruleContributions(rule, operands, g, (t) => !leftOut(rule, operands).includes(t));
    expect(contributions.size, `${rule.id} contributes to no operand`).toBeGreaterThan(rule.contributions.length > 0 || rule.native ? 0 : -1);
    const gradients = new Map<string, Term>();
    for (const [index, coefficient] of contributions) {
      const operand = operands[index]!;
      if (operand.kind !== 'var') throw new Error(`${rule.id}: operand ${index} is not a pattern variable`);
      gradients.set(operand.name, coefficient);
    }
    const variables = variablesOf(f);
    const report = checkGradient({ f, gradients, variables, assumptions: integersOf(f), dimSizes: sizesFor(freeDims(variables), seed), seed });
    if (rule.contributions.length === 0 && !rule.native) {
      // A zero derivative (sign, step): ⟨G, P⟩ must be locally constant.
      expect(gradients.size).toBe(0);
      return;
    }
    expect(report.status, `${rule.id} seed=${seed}: ${report.reason ?? ''}`).toBe('passed');
    expect(report.relativeError).toBeLessThan(1e-6);
  });
});

describe.each(identities.map((r) => [r.id, r] as const))('identity %s', (_id, rule) => {
  const body: Ast = { kind: 'inner', left: rule.lhs, right: rule.rhs, span: rule.lhs.span };
  const typed = inferShapes({ definitions: [], body }, rule.source, { patternShapes: guardShapes(rule.guards) });
  if (!typed.ok) throw new Error(`${rule.id}: ${typed.diagnostics[0]!.message}`);
  const both = typed.value.term;
  if (both.kind !== 'inner') throw new Error(`${rule.id}: expected two sides`);
  // 𝟙 itself for a variable guarded ones(?o) (test/helpers/ones-guards.ts).
  const [lhs, rhs] = withOnesBound(rule.guards, [both.left, both.right]) as [Term, Term];

  test.each(SEEDS)('both sides agree numerically (seed %i)', (seed) => {
    const variables = variablesOf(both);
    // The dimensions of every node: a rule without variables (det(I) = 1) still has the identity's size.
    const dimSizes = sizesFor(freeDims(new Map(postOrder([both]).map((node, i) => [String(i), node.shape]))), seed);
    const drawn = drawInDomain(variables, integersOf(both), dimSizes, seed, [lhs, rhs]);
    if (!drawn) throw new Error(`${rule.id}: no draw inside the domain`);
    const [l, r] = drawn.evaluated;
    const scale = 1 + maxAbs(l!);
    expect(maxAbs(subtract(l!, r!)) / scale, `${rule.id} seed=${seed}`).toBeLessThan(1e-9);
  });

  test('the simplifier gives both sides one normal form', () => {
    const [a, b] = simplify([lhs, rhs]);
    expect(a, `${rule.id}: simplify(lhs) ≠ simplify(rhs)`).toBe(b);
  });
});

test('every rule has a unique id, a description and a test above', () => {
  const ids = rules.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const r of rules) expect(r.doc.length).toBeGreaterThan(3);
  expect(pullbacks.length).toBeGreaterThanOrEqual(30);
});

/**
 * The forward sweep reads every pullback rule backwards (d(op(A, B)) = Σ ∇_G ⟨Cᵢ(G), dXᵢ⟩): each
 * derived forward rule is checked too, as the differential of op(A, B) in each operand's direction.
 */
describe.each(pullbacks.map((r) => [r.id, r] as const))('forward rule from %s', (_id, rule) => {
  test.each(SEEDS)('the differential matches finite differences (seed %i)', (seed) => {
    const { ast, source } = lhsOf(rule);
    if (ast.kind !== 'inner' || ast.right.kind !== 'call') throw new Error(`${rule.id}: unexpected left side`);
    const typed = inferShapes({ definitions: [], body: ast.right.arg }, source, { patternShapes: guardShapes(rule.guards) });
    if (!typed.ok) throw new Error(`${rule.id}: ${typed.diagnostics[0]!.message}`);
    const p = typed.value.term;
    const variables = variablesOf(p);
    const dimSizes = sizesFor(freeDims(variables), seed);
    const skipped = leftOut(rule, p.kind === 'mpow' ? [] : childrenOf(p));
    for (const [name, shape] of variables) {
      const direction = T.variable(`d${name}`, shape);
      if (skipped.some((t) => t.kind === 'var' && t.name === name)) {
        // An argument that gives only the shape (unvec's X) has derivative 0; any other is refused.
        const index = childrenOf(p).findIndex((t) => t.kind === 'var' && t.name === name);
        const constant = p.kind === 'op' ? [...(opDeclaration(p.op).shapeOnly ?? []), ...(opDeclaration(p.op).integer ?? [])] : [];
        if (constant.includes(index)) {
          expect(forwardSweep(p, new Map([[name, direction]]), book.value).differential.kind, `${rule.id} d${name}`).toBe('zero');
        } else {
          expect(() => forwardSweep(p, new Map([[name, direction]]), book.value), `${rule.id} d${name}`).toThrow(/no derivative of/);
        }
        continue;
      }
      const sweep = forwardSweep(p, new Map([[name, direction]]), book.value);
      const report = checkDifferential({
        f: p,
        differential: sweep.differential,
        variable: name,
        direction,
        variables,
        assumptions: integersOf(p),
        dimSizes,
        seed,
      });
      if (rule.contributions.length === 0 && !rule.native) {
        // sign, step: the derivative is 0 wherever it exists.
        expect(sweep.differential.kind === 'zero' || (sweep.differential.kind === 'num' && sweep.differential.value === 0)).toBe(true);
        continue;
      }
      expect(report.status, `${rule.id} d${name} seed=${seed}: ${report.reason ?? ''}`).toBe('passed');
    }
  });
});

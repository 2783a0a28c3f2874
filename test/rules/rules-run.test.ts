import { describe, expect, it } from 'vitest';
import { reverseSweep } from '../../src/differentiate/reverse-sweep.js';
import type { Source } from '../../src/diagnostics/span.js';
import { listRules } from '../../src/rewrite/listing.js';
import { guardShapes, loadRulebook } from '../../src/rewrite/load-rules.js';
import { NATIVE_LHS_TEXT } from '../../src/rewrite/native-rules.js';
import type { Guard } from '../../src/rewrite/rule.js';
import { inferShapes } from '../../src/shape/infer.js';
import { simplifyWithSteps } from '../../src/simplify/simplify.js';
import type { Ast } from '../../src/syntax/ast.js';
import { parseExpressionAt } from '../../src/syntax/parse.js';
import * as T from '../../src/term/factory.js';
import type { Shape, Term } from '../../src/term/term.js';
import { postOrder } from '../../src/term/traverse.js';
import { withOnesBound } from '../helpers/ones-guards.js';

/**
 * `matcalc rules` lists exactly the rules that run (src/rewrite/listing.ts): every listed id is
 * applied on some input — the sweep's tape and simplifyWithSteps() record the ids they apply — and
 * every id applied is listed. The inputs are each rule's own sides, and a table for the identities
 * whose sides are already in normal form.
 */
const book = loadRulebook();
if (!book.ok) throw new Error(book.diagnostics.map((d) => d.message).join('\n'));
const rulebook = book.value;
const listed: string[] = listRules(rulebook).flatMap((g) => g.rules.map((r) => r.id));

function typed(ast: Ast, source: Source, guards: readonly Guard[]): Term {
  const result = inferShapes({ definitions: [], body: ast }, source, { patternShapes: guardShapes(guards) });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  return result.value.term;
}

function parsed(text: string): { ast: Ast; source: Source } {
  const source = { name: 'table', text };
  const result = parseExpressionAt(source, 0, text.length, { patterns: true });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  return { ast: result.value, source };
}

/** Inputs on which the simplifier applies identities whose own sides are normal forms already. */
const TABLE: readonly { text: string; shapes: Record<string, 'scalar' | 'vector' | 'square' | 'matrix'> }[] = [
  { text: '?B + ?A', shapes: { A: 'square', B: 'square' } },
  { text: '?B .* ?A', shapes: { A: 'matrix', B: 'matrix' } },
  { text: '<?B, ?A>', shapes: { A: 'matrix', B: 'matrix' } },
  { text: "tr(?B * ?A * ?C)", shapes: { A: 'square', B: 'square', C: 'square' } },
  { text: "(?A + ?A')'", shapes: { A: 'square' } },
  { text: "(exp(?A') .* ?B)'", shapes: { A: 'matrix', B: 'matrix' } },
  { text: "tr(2 * ?A * ?B' * ?c)", shapes: { A: 'matrix', B: 'matrix', c: 'scalar' } },
  // The logistic loss's adjoint collapses only when distributed: (1 − y) ⊙ σ − (1 − σ) ⊙ y = σ − y.
  { text: '(1 - ?y) .* ?s - (1 - ?s) .* ?y', shapes: { s: 'vector', y: 'vector' } },
  // A scalar-valued chain met inside a scalar product (a negated one) stands last: −c·aᵀb.
  { text: "-(?a' * ?b * ?c)", shapes: { a: 'vector', b: 'vector', c: 'scalar' } },
];

/**
 * Nodes over 1×1 operands that the shape stage never builds (it writes inv(c) as c.^−1) but a
 * library user can, with the factory.
 */
function scalarNodes(): Term[] {
  const [a, b] = [T.variable('a', T.SCALAR), T.variable('b', T.SCALAR)];
  return [T.inv(a), T.hdiv(a, b), T.mpow(a, 3), T.hmul([a, b]), T.diag(a), T.diagm(b)];
}

function simplifyRulesApplied(): Set<string> {
  const used = new Set<string>();
  const inputs: Term[] = [];
  for (const rule of rulebook.simplify) {
    inputs.push(...withOnesBound(rule.guards, [typed(rule.lhs, rule.source, rule.guards), typed(rule.rhs, rule.source, rule.guards)]));
  }
  for (const entry of TABLE) {
    const { ast, source } = parsed(entry.text);
    const guards: Guard[] = Object.entries(entry.shapes).flatMap(([variable, shape]) =>
      shape === 'matrix' ? [] : [{ predicate: shape, variable, span: { start: 0, end: 0 } }],
    );
    inputs.push(typed(ast, source, guards));
  }
  inputs.push(...scalarNodes());
  for (const t of inputs) for (const step of simplifyWithSteps(t).steps) used.add(step.rule);
  return used;
}

function pullbackRulesApplied(): Set<string> {
  const used = new Set<string>();
  for (const rule of rulebook.rules) {
    if (rule.family !== 'pullback') continue;
    const native = NATIVE_LHS_TEXT.get(rule.id);
    const { ast, source } = native ? parsed(native) : { ast: rule.lhs, source: rule.source };
    if (ast.kind !== 'inner' || ast.right.kind !== 'call') throw new Error(`${rule.id}: unexpected left side`);
    // ⟨G, d(P)⟩ → the function ⟨G, P⟩, swept with respect to P's operands.
    const f = typed({ kind: 'inner', left: ast.left, right: ast.right.arg, span: ast.span }, source, rule.guards);
    const variables = new Map<string, Shape>();
    for (const node of postOrder([f])) if (node.kind === 'var') variables.set(node.name, node.shape);
    // An operand a rule gives no contribution (expm_frechet2's A: beyond its rules) is held constant.
    const covered = (name: string) => rule.native || rule.contributions.length === 0 || rule.contributions.some((c) => c.operand === name);
    const wrt = [...variables.keys()].filter((name) => name !== rule.adjoint && covered(name));
    for (const entry of reverseSweep(f, wrt, variables, rulebook).tape) for (const id of entry.rules) used.add(id);
  }
  return used;
}

describe('matcalc rules lists exactly the rules that run', () => {
  const used = new Set([...simplifyRulesApplied(), ...pullbackRulesApplied()]);

  it('lists every rule of the rulebook once', () => {
    expect([...listed].sort()).toEqual(rulebook.rules.map((r) => r.id).sort());
  });

  it('every listed rule is applied on some input', () => {
    expect(listed.filter((id) => !used.has(id))).toEqual([]);
  });

  it('every rule applied is listed', () => {
    expect([...used].filter((id) => !listed.includes(id))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { buildDirect, findLocalRule, indexLocalRules, instantiateLocal } from '../../../src/rewrite/local-rules.js';
import { instantiate } from '../../../src/rewrite/instantiate.js';
import { buildRulebook, guardShapes, loadRulebook } from '../../../src/rewrite/load-rules.js';
import { inferShapes } from '../../../src/shape/infer.js';
import { postOrder } from '../../../src/term/traverse.js';
import { parseRuleFile } from '../../../src/rewrite/parse-rules.js';
import type { PullbackRule, SimplifyRule } from '../../../src/rewrite/rule.js';
import * as T from '../../../src/term/factory.js';
import type { Term } from '../../../src/term/term.js';

/**
 * Local simplification rules (`local` in a rule file): compiled from the left side's syntax to a
 * pattern over term kinds, indexed by head, matched against a node's operands in file order, the
 * first whose guards hold winning; the loader refuses what cannot be matched node by node.
 */
function rules(text: string): SimplifyRule[] {
  const parsed = parseRuleFile({ name: 'test.rules', text }, 'simplify');
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join('\n'));
  return parsed.value as SimplifyRule[];
}

function problems(text: string, family: 'pullback' | 'simplify' = 'simplify'): string[] {
  const parsed = parseRuleFile({ name: 'test.rules', text }, family);
  return parsed.ok ? [] : parsed.diagnostics.map((d) => d.message);
}

const A = T.variable('A', ['n', 'n']);
const a = T.variable('a', ['n', 1]);
const c = T.variable('c', [1, 1]);

describe('local rules', () => {
  it('compile the left side to term kinds: diag of a vector is Diag, matrix(1) is 𝟙, a literal exponent stays', () => {
    const [diagOfDiag, ones, power] = rules(
      [
        'rule t.diag "diag(Diag(a)) = a" local',
        '  diag(diag(?a)) => ?a',
        '  when vector(?a)',
        'rule t.ones "⟨𝟙, A⟩ = sum(A)" local',
        '  <matrix(1), ?A> => sum(?A)',
        'rule t.power "(A²)ᵀ" local',
        "  (?A ^ 2)' => (?A')^2",
        '  when square(?A)',
      ].join('\n'),
    );
    expect(diagOfDiag!.applied).toBe('file');
    expect(diagOfDiag!.pattern).toEqual({
      type: 'node',
      head: { kind: 'diag' },
      operands: [{ type: 'node', head: { kind: 'diagm' }, operands: [{ type: 'variable', name: 'a' }] }],
    });
    expect(ones!.pattern).toMatchObject({ head: { kind: 'inner' }, operands: [{ type: 'constant', kind: 'ones' }, { type: 'variable' }] });
    expect(power!.pattern).toMatchObject({ head: { kind: 'transpose' }, operands: [{ head: { kind: 'mpow', exponent: 2 } }] });
  });

  it('a rule without `local` is applied by code and has no pattern', () => {
    const [rule] = rules('rule t.code "A + B = B + A"\n  ?A + ?B => ?B + ?A');
    expect(rule!.applied).toBe('code');
    expect(rule!.pattern).toBeUndefined();
  });

  it('are refused when the left side is not an operator on patterns, or in a pullback file', () => {
    expect(problems('rule t.bare "A = A" local\n  ?A => ?A')[0]).toMatch(/operator applied to patterns/);
    expect(problems('rule t.neg "−(−A)" local\n  -(-?A) => ?A')[0]).toMatch(/not a pattern node/);
    expect(problems('rule pull.x "⟨G, dA⟩" local\n  <?G, d(?A\')> => <?G\', d(?A)>', 'pullback')[0]).toMatch(/only simplification rules can be local/);
  });

  it('match in file order, bind a variable to one term, and respect guards', () => {
    const index = indexLocalRules(
      rules(
        [
          'rule t.scalar "aᵀ = a" local',
          "  ?c' => ?c",
          '  when scalar(?c)',
          'rule t.involution "(Aᵀ)ᵀ = A" local',
          "  (?A')' => ?A",
          'rule t.same "⟨A, A⟩ = sum(A ⊙ A)" local',
          '  <?A, ?A> => sum(?A .* ?A)',
        ].join('\n'),
      ),
    );
    const transposeRules = index.rulesFor('transpose')!;
    expect(findLocalRule(transposeRules, T.transpose(A))?.rule.id).toBe('t.involution');
    expect(findLocalRule(transposeRules, c)?.rule.id).toBe('t.scalar');
    expect(findLocalRule(transposeRules, A)).toBeUndefined();
    const innerRules = index.rulesFor('inner')!;
    const same = findLocalRule(innerRules, A, A);
    expect(same?.bindings.get('A')).toBe(A);
    expect(findLocalRule(innerRules, A, T.transpose(A))).toBeUndefined();
    expect(instantiateLocal(same!, T.SCALAR)).toBe(T.reduce('sum', T.hmul([A, A])));
    expect(index.rulesFor('inv')).toBeUndefined();
  });

  it('index element-wise functions by name', () => {
    const index = indexLocalRules(rules('rule t.log "log∘exp" local\n  log(exp(?A)) => ?A'));
    expect(index.rulesFor('fn', 'log')).toHaveLength(1);
    expect(index.rulesFor('fn', 'exp')).toBeUndefined();
    const match = findLocalRule(index.rulesFor('fn', 'log')!, T.fn('exp', a));
    expect(match && instantiateLocal(match, a.shape)).toBe(a);
  });
});

describe('the right side of a local rule', () => {
  const book = loadRulebook();
  if (!book.ok) throw new Error(book.diagnostics[0]!.message);
  const local = book.value.simplify.filter((r) => r.applied === 'file');

  it.each(local.map((r) => [r.id, r] as const))('%s: built directly, it is the term instantiate() builds', (_id, rule) => {
    // The pattern variables bound to themselves, at shapes the guards imply.
    const typed = inferShapes({ definitions: [], body: rule.lhs }, rule.source, { patternShapes: guardShapes(rule.guards) });
    if (!typed.ok) throw new Error(typed.diagnostics[0]!.message);
    const bindings = new Map<string, Term>();
    for (const node of postOrder([typed.value.term])) if (node.kind === 'var') bindings.set(node.name, node);
    const shape = typed.value.term.shape;
    const direct = buildDirect(rule.rhs, bindings, shape, true);
    const templated = rule.rhs.kind === 'pattern' ? bindings.get(rule.rhs.name) : instantiate(rule.rhs, rule.source, bindings, shape);
    expect(direct).toBe(templated);
  });
});

describe('a pullback rule\'s coefficients', () => {
  const book = loadRulebook();
  if (!book.ok) throw new Error(book.diagnostics[0]!.message);
  const pullbacks = book.value.rules.filter((r) => r.family === 'pullback' && !r.native) as PullbackRule[];

  // The reverse sweep builds them directly where it can (reverse-sweep.ts, ruleContributions): the
  // same term instantiate() builds, or instantiate() itself when the direct build has another shape.
  it.each(pullbacks.map((r) => [r.id, r] as const))('%s: built directly, it is the term instantiate() builds', (_id, rule) => {
    // At the shapes the guards imply, and with each operand the guards leave free a scalar instead
    // (where the shape stage reads * as a scalar multiple).
    const guarded = guardShapes(rule.guards);
    const scalars = new Map(guarded);
    for (const name of rule.operands) if (!scalars.has(name)) scalars.set(name, 'scalar');
    for (const patternShapes of [guarded, scalars]) {
      const typed = inferShapes({ definitions: [], body: rule.lhs }, rule.source, { patternShapes });
      if (!typed.ok) continue;
      const bindings = new Map<string, Term>();
      for (const node of postOrder([typed.value.term])) if (node.kind === 'var') bindings.set(node.name, node);
      for (const { operand, coefficient } of rule.contributions) {
        const shape = bindings.get(operand)!.shape;
        const templated = instantiate(coefficient, rule.source, bindings, shape);
        const direct = buildDirect(coefficient, bindings, shape, true);
        if (direct === undefined || !T.sameShape(direct.shape, shape)) continue;
        expect(direct).toBe(templated);
      }
    }
  });

  it('are built directly for most rules (the sweep skips the shape stage there)', () => {
    let direct = 0;
    let all = 0;
    for (const rule of pullbacks) {
      const typed = inferShapes({ definitions: [], body: rule.lhs }, rule.source, { patternShapes: guardShapes(rule.guards) });
      if (!typed.ok) throw new Error(typed.diagnostics[0]!.message);
      const bindings = new Map<string, Term>();
      for (const node of postOrder([typed.value.term])) if (node.kind === 'var') bindings.set(node.name, node);
      for (const { operand, coefficient } of rule.contributions) {
        all++;
        if (buildDirect(coefficient, bindings, bindings.get(operand)!.shape, true) !== undefined) direct++;
      }
    }
    expect(direct / all).toBeGreaterThan(0.5);
  });
});

describe('the rulebook across resets', () => {
  it('holds no terms: building it interns none, so the one built stays in use after resetTerms()', () => {
    const book = loadRulebook();
    if (!book.ok) throw new Error(book.diagnostics[0]!.message);
    T.resetTerms();
    const before = T.internedCount();
    expect(buildRulebook(book.value.rules).ok).toBe(true);
    expect(T.internedCount()).toBe(before);
    expect(loadRulebook()).toBe(book);
  });
});

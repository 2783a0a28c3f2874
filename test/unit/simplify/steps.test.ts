import { describe, expect, it } from 'vitest';
import { gradient } from '../../../src/pipeline.js';
import { simplify, simplifyWithSteps } from '../../../src/simplify/simplify.js';
import * as T from '../../../src/term/factory.js';
import { childrenOf } from '../../../src/term/term.js';
import { postOrder } from '../../../src/term/traverse.js';
import { GOLDEN_DIRS, listExamples } from '../../helpers/examples.js';
import { difference, termOf } from '../../helpers/simplify-terms.js';

/**
 * simplifyWithSteps(): the rewrites the simplifier applies, by rule id, in order, with the term
 * before and after each; the result is simplify()'s.
 */
describe('simplifyWithSteps', () => {
  it('records a local identity with the matched term and its replacement', () => {
    const t = termOf("(?A')'", { A: 'square' });
    const { result, steps } = simplifyWithSteps(t);
    expect(result).toBe(termOf('?A', { A: 'square' }));
    expect(steps).toEqual([{ rule: 'simp.transpose-involution', before: t, after: result }]);
  });

  it('records the rewrites in the order they apply, children first', () => {
    const t = termOf('log(exp(det(inv(?A))))', { A: 'square' });
    const { result, steps } = simplifyWithSteps(t);
    expect(steps.map((s) => s.rule)).toEqual(['simp.det-inverse', 'simp.log-exp']);
    expect(steps[0]!.before).toBe(termOf('det(inv(?A))', { A: 'square' }));
    expect(steps[steps.length - 1]!.after).toBe(result);
  });

  it('records the identities of a normal form applied by code', () => {
    const t = termOf('?A * ?B + ?C * ?B + ?A * ?B', { A: 'square', B: 'square', C: 'square' });
    const rules = simplifyWithSteps(t).steps.map((s) => s.rule);
    expect(rules).toContain('simp.collect-like');
    expect(rules).toContain('simp.factor-right');
  });

  it('gives the result simplify() gives, also for a term simplify() has seen', () => {
    const inputs = [
      termOf("tr(?a * ?b')", { a: 'vector', b: 'vector' }),
      termOf("<eye, 2 * ?A'> + sum(?A .* ?A)", { A: 'square' }),
      termOf('diag(diag(?a)) ./ exp(log(?a))', { a: 'vector' }),
      termOf("inv(inv(?A')') * ?A", { A: 'square' }),
    ];
    for (const t of inputs) {
      const [plain] = simplify([t]);
      const traced = simplifyWithSteps(t);
      expect(traced.result).toBe(plain);
      expect(simplifyWithSteps(t).steps).toEqual(traced.steps);
      expect(traced.steps.length).toBeGreaterThan(0);
    }
  });

  it('records nothing for a normal form (a fixed point)', () => {
    const [normal] = simplify([termOf("?A' * ?x + ?x", { A: 'square', x: 'vector' })]);
    expect(simplifyWithSteps(normal!).steps).toEqual([]);
  });

  it('every step is an identity: before and after have the same value', () => {
    const t = termOf("tr(inv(?A') * ?A) + logdet(inv(?A)') + <?x, ?x> - sum(?x' .* ?x')", { A: 'square', x: 'vector' });
    const { steps } = simplifyWithSteps(t);
    expect(steps.length).toBeGreaterThan(3);
    for (const step of steps) expect(difference(step.before, step.after), step.rule).toBeLessThan(1e-9);
  });
});

/**
 * Every rewrite has an id: wherever the simplifier changes a node (its operands already simplified),
 * it records at least one step. Checked node by node over the raw gradients of every golden example.
 */
describe('every rewrite records the id of its identity', () => {
  it('no node of a golden example changes without a step', () => {
    const silent: string[] = [];
    let changed = 0;
    for (const example of listExamples(GOLDEN_DIRS)) {
      const result = gradient({ expression: example.expression, wrt: example.wrt, dims: example.dims, assume: example.assume, check: false });
      if (!result.ok) throw new Error(`${example.name}: ${result.diagnostics[0]!.message}`);
      for (const { raw } of result.value.gradients) {
        for (const node of postOrder([raw])) {
          const rebuilt = T.withChildren(node, simplify(childrenOf(node)));
          const traced = simplifyWithSteps(rebuilt);
          if (traced.result === rebuilt) continue;
          changed++;
          if (traced.steps.length === 0) silent.push(`${example.name}: a ${rebuilt.kind} node`);
        }
      }
    }
    expect(changed).toBeGreaterThan(100);
    expect(silent).toEqual([]);
  });
});

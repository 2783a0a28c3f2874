import { dimProduct } from '../../../src/term/dim-product.js';
import { signatureFactors } from '../../../src/term/ops.js';
import { describe, expect, it } from 'vitest';
import { compareTerms } from '../../../src/simplify/order.js';
import * as T from '../../../src/term/factory.js';
import { ARITY_LETTER, childrenOf, OP_NAMES, opDeclaration, type OpName, type Shape, type Signature, type Term } from '../../../src/term/term.js';
import { postOrder } from '../../../src/term/traverse.js';

/**
 * The op kind (term/ops.ts) is handled by the term layer generically: its arguments are its
 * children for interning, traversal, rebuilding, dependency tests and the canonical order. Every
 * op of the table is checked, so a new row is covered without a new test.
 */

/** A signature dimension as a built term's: letter L is the symbol 'L', a product m·p its canonical form, 1 is 1. */
const dimOf = (d: string | 1) => (d === 1 ? 1 : dimProduct(signatureFactors(d)));

/** Arguments that fit an op's signature (dimensions as dimOf); named by `tag`. */
function argumentsFor(op: OpName, tag: string): Term[] {
  return opDeclaration(op).args.map((signature: Signature, i) => {
    const shape = signature.map(dimOf) as unknown as Shape;
    return T.variable(`${tag}${i}`, shape);
  });
}

describe.each(OP_NAMES.map((op) => [op] as const))('op %s', (op) => {
  const args = argumentsFor(op, 'a');
  const node = T.op(op, args);

  it('is interned: the same op of the same arguments is the same object', () => {
    expect(T.op(op, argumentsFor(op, 'a'))).toBe(node);
    expect(T.op(op, argumentsFor(op, 'b'))).not.toBe(node);
  });

  it('has its arguments as children, in order, for every walk', () => {
    expect(childrenOf(node)).toEqual(args);
    const order = postOrder([node]);
    expect(order[order.length - 1]).toBe(node);
    for (const a of args) expect(order).toContain(a);
    expect(T.withChildren(node, argumentsFor(op, 'b'))).toBe(T.op(op, argumentsFor(op, 'b')));
  });

  it('depends on exactly the variables of its arguments', () => {
    expect(T.dependsOn(node, 'a0')).toBe(true);
    expect(T.dependsOn(node, 'b0')).toBe(false);
    expect(node.constant).toBe(false);
    expect(T.op(op, args.map((a) => T.ones(a.shape))).constant).toBe(true);
  });

  it('takes its shape from the signature', () => {
    const declaration = opDeclaration(op);
    // A variadic op's result has a row per argument (ARITY_LETTER).
    const count = (d: string | 1) => (declaration.variadic !== undefined && d === ARITY_LETTER ? args.length : dimOf(d));
    expect(node.shape).toEqual(declaration.result.map(count));
  });

  it('refuses arguments that do not fit the signature (a bug: the shape stage checks first)', () => {
    const signatures = opDeclaration(op).args;
    const misfit = args.map((a) => T.variable(`${(a as { name: string }).name}_wrong`, ['p', 'q']));
    // An op of any m×n matrices of one shape (softmax_rows(X), ‖X‖₂, polar(X, D)) has no misfit of that kind.
    // Nor has an op of any two matrices (A ⊗ B): every letter of its signatures is distinct; nor a
    // contraction of G (mp×nq) by B (p×q), which reads G of B's shape as one block (m = n = 1).
    // (The Kronecker table checks their refusals: test/derivatives/kronecker.test.ts.)
    const letters = signatures.flat();
    const anyMatrix =
      signatures.every(([r, c]) => r !== 1 && c !== 1 && r !== c && r === signatures[0]![0] && c === signatures[0]![1]) ||
      (letters.every((d) => d !== 1 && signatureFactors(d).length === 1) && new Set(letters).size === letters.length) ||
      (op === 'kron_contract_left' || op === 'kron_contract_right') ||
      // Nor has vstack, whose blocks may have any rows (a block matrix [A; B]); blocks of two widths are refused.
      op === 'vstack';
    if (op === 'vstack') expect(() => T.op(op, [misfit[0]!, T.variable('wide', ['p', 'r'])])).toThrow(/columns wide/);
    if (anyMatrix) expect(() => T.op(op, misfit)).not.toThrow();
    else expect(() => T.op(op, misfit)).toThrow(/does not fit/);
    if (opDeclaration(op).variadic === undefined) expect(() => T.op(op, [...args, args[0]!])).toThrow(/arguments/);
    else expect(() => T.op(op, [])).toThrow(/arguments/);
  });

  it('is ordered by structure: by name among ops, then by arguments', () => {
    const other = T.op(op, argumentsFor(op, 'b'));
    expect(compareTerms(node, other)).toBeLessThan(0);
    expect(compareTerms(other, node)).toBeGreaterThan(0);
    expect(compareTerms(node, node)).toBe(0);
  });
});

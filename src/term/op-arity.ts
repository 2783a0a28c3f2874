import { opDeclaration, type OpName, type Signature } from './ops.js';

/**
 * How many arguments an op takes and the signature of each: its declaration's, or for a variadic op
 * (vstack, OpDeclaration.variadic) its one signature repeated, any positive number of times, with the
 * result's letter ARITY_LETTER bound to the count. The factory, the shape stage and the reader ask here.
 */

/** Whether an op takes `count` arguments: its arity, or any positive number for a variadic op. */
export function acceptsArity(op: OpName, count: number): boolean {
  const declaration = opDeclaration(op);
  return declaration.variadic !== undefined ? count >= 1 : count === declaration.args.length;
}

/** The signature of each of `count` arguments (a variadic op repeats its one signature). */
export function argumentSignatures(op: OpName, count: number): readonly Signature[] {
  const declaration = opDeclaration(op);
  return declaration.variadic !== undefined ? Array.from({ length: count }, () => declaration.args[0]!) : declaration.args;
}

/** The words for argument i's shape error. */
export function argumentWords(op: OpName, i: number): string {
  const words = opDeclaration(op).argWords;
  return words[Math.min(i, words.length - 1)]!;
}

/** The letter a variadic op's result binds to its argument count ('k' of vstack's k×n). */
export const ARITY_LETTER = 'k';

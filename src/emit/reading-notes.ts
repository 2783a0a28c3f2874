import type { Declarations } from '../shape/declarations.js';
import type { TypedProgram } from '../shape/program-types.js';
import type { Program } from '../syntax/ast.js';
import { shapeText, type Shape } from '../term/term.js';
import { domainNotes } from './domain-notes.js';

/**
 * The notes on how the input was read, as every command prints them (in this order): the parser's
 * warnings and the reading of an undeclared f(…), the names read as dimensions, the rows broadcast;
 * then a --wrt variable the expression does not have; then --assume names that do not occur, and
 * where the answer holds (domain-notes.ts).
 */
export function readingNotes(program: Program, typed: TypedProgram, letterNote: string | undefined): string[] {
  const notes = [...(program.warnings ?? []).map((w) => `warning: ${w.message}`), ...(letterNote === undefined ? [] : [letterNote])];
  for (const [name, what] of typed.dimensionNames ?? []) notes.push(`${name} is read as the dimension ${name}, ${what} (declare it with --dims ${name}=1 for a scalar variable)`);
  for (const row of typed.broadcasts) {
    notes.push(`broadcast: ${row} is added to every row (read as 𝟙·${row}, as NumPy broadcasts it), so a gradient through it sums over the rows (Gᵀ𝟙)`);
  }
  return notes;
}

/** A --wrt variable the expression does not have: its result (gradient, differential, …) is zero. */
export const absentNote = (name: string, noun: string, shape: Shape): string => `the expression does not depend on ${name}: its ${noun} is 0 (${shapeText(shape)})`;

/** --assume names that do not occur, and the conditions where the answer holds. */
export function declarationNotes(declarations: Declarations, variables: ReadonlyMap<string, Shape>, f: TypedProgram['term']): string[] {
  const notes = [...declarations.assumptions.keys()].filter((name) => !variables.has(name)).map((name) => `--assume names ${name}, which does not occur in the expression`);
  return [...notes, ...probabilityMatrixNotes(declarations, variables), ...domainNotes(f)];
}

/**
 * `probability` of a matrix means what it means of a vector, its entries ≥ 0 summing to 1: a joint
 * distribution. Batch labels (a distribution per row) are row-stochastic; the answer is right either
 * way, but it is the textbook's softmax_rows(XW) − Y only under that property, so the note says so.
 */
function probabilityMatrixNotes(declarations: Declarations, variables: ReadonlyMap<string, Shape>): string[] {
  const notes: string[] = [];
  for (const [name, properties] of declarations.assumptions) {
    const shape = variables.get(name);
    if (shape === undefined || shape[0] === 1 || shape[1] === 1 || !properties.has('probability')) continue;
    notes.push(`${name}:probability: all entries of the matrix ${name} are ≥ 0 and sum to 1 (one distribution); for a distribution in each row (batch labels) write ${name}:row-stochastic, in each column ${name}:column-stochastic`);
  }
  return notes;
}

/** The exponents of matrix powers Xⁿ (integer parameters): what the answer assumes and the check draws. */
export const integerNote = (names: readonly string[]): string =>
  `${names.join(', ')} ${names.length === 1 ? 'is an integer exponent' : 'are integer exponents'} (Xⁿ for n = 0, 1, 2, …): never differentiated; the check draws ${names.length === 1 ? 'it' : 'them'} from 0…4`;

/** jac with a Kronecker form: how to read it (vec, K), said once under the answer. */
export const KRONECKER_NOTE =
  'matrix arguments or values: the Jacobian is the matrix J with vec(dF) = J·vec(dX) (vec stacks columns; K[m×n] is the commutation matrix, K·vec(A) = vec(Aᵀ))';

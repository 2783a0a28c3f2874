/**
 * Abstract functions: `f(Y)` for a scalar function f the user names but does not define (the notes'
 * backprop lesson, L = f(Y), Y = WX, whose answer keeps ∇f(Y) as a symbol), and element-wise ones
 * `g(Y)` whose answer keeps g′(Y).
 *
 * Each is an op of term/ops.ts whose first argument is the function's *name*, written as a number
 * literal: `absfn(⌜f⌝, Y)`. Carrying the name as an ordinary [1, 1] constant child is what lets every
 * stage treat them as plain ops: interning tells f(Y) from h(Y), a pullback rule in rules/ binds the
 * name like any operand (`<?G, d(absfn(?f, ?Y))> => <?G * absgrad(?f, ?Y), d(?Y)>` keeps the name in
 * ∇f), the simplifier leaves a literal alone, and the printers read the name back from the literal.
 * The code packs up to 8 characters of [A-Za-z0-9_] in base 64 — below 2⁵³, so it is exact in a double.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_';
const BASE = 64;
export const MAX_FUNCTION_NAME = 8;

/** Names an abstract function may have: an ASCII letter, then letters, digits or _, at most 8 characters. */
export function isAbstractFunctionName(name: string): boolean {
  return name.length <= MAX_FUNCTION_NAME && /^[A-Za-z][A-Za-z0-9_]*$/.test(name);
}

/** The number that stands for a name (digit k of the name is ALPHABET index + 1, least significant first). */
export function encodeFunctionName(name: string): number {
  if (!isAbstractFunctionName(name)) throw new Error(`not an abstract function name: ${name}`);
  let code = 0;
  for (let i = name.length - 1; i >= 0; i--) code = code * BASE + ALPHABET.indexOf(name[i]!) + 1;
  return code;
}

/** The name a code stands for, or undefined when the number is no name's code (a sampled value, say). */
export function decodeFunctionName(code: number): string | undefined {
  if (!Number.isSafeInteger(code) || code <= 0) return undefined;
  let name = '';
  for (let rest = code; rest > 0; rest = Math.floor(rest / BASE)) {
    const digit = rest % BASE;
    if (digit === 0) return undefined;
    name += ALPHABET[digit - 1]!;
  }
  return isAbstractFunctionName(name) ? name : undefined;
}

/** The name an abstract function's op carries in its first argument (`f` when it is no name's code). */
export function abstractFunctionName(args: readonly { readonly kind: string; readonly value?: number }[]): string {
  const first = args[0];
  return (first?.kind === 'num' && first.value !== undefined ? decodeFunctionName(first.value) : undefined) ?? 'f';
}

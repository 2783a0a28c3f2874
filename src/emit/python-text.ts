import { isAscii } from './ascii-first.js';
import { formatNumber } from './layout.js';

/**
 * Python expression text, as every Python printer composes it (numpy.ts and its dialects): a text
 * with its precedence level (Py), calls joined as ropes, numbers, identifiers for the user's names
 * (never a keyword or a name the emitted code reads), and the walrus definitions of shared nodes
 * written in at their first occurrence (expandShared).
 */

/** Python's levels, lowest to highest: + −, * @ /, unary −, **, primary (x.T, f(x), x[i]), atom. */
export const SUM = 1;
export const PRODUCT = 2;
export const UNARY = 3;
export const POWER = 4;
export const PRIMARY = 5;
export const ATOM = 6;

export interface Py {
  readonly text: string;
  readonly prec: number;
  /** Starts with a minus sign (kept as a flag: reading the first character of a rope would flatten it). */
  readonly signed: boolean;
  /** The top-level binary operator, if any. */
  readonly op?: string;
}

export const py = (text: string, prec: number, signed = false, op?: string): Py => ({ text, prec, signed, op });
export const wrap = (p: Py, min: number): Py => (p.prec >= min ? p : py(`(${p.text})`, ATOM));
/**
 * Joins with `+=`, which V8 keeps as a rope; Array.prototype.join copies, and copying a child's text
 * into every ancestor is quadratic on deep input.
 */
export function joinRope(texts: readonly string[], separator: string): string {
  let out = '';
  texts.forEach((t, i) => {
    if (i > 0) out += separator;
    out += t;
  });
  return out;
}

export const call = (fn: string, ...args: readonly string[]): Py => py(fn + '(' + joinRope(args, ', ') + ')', PRIMARY);

export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def',
  'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is',
  'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
  // Names the emitted functions read (modules, builtins): an input so named would hide them.
  'np', 'float', 'torch', 'sys', 'jax', 'jnp', 'scipy', 'math', 'tuple',
]);

/**
 * The Python identifier for an input name: the name itself when it is a valid identifier (after the
 * NFKC folding Python applies to source, so `W₁` is `W1`), else `_v_` and a spelling of it. Two
 * names may fold to one identifier (`ſ` and `s`): bind a function's inputs with pythonIdentifiers.
 */
export function pythonName(name: string): string {
  const n = name.normalize('NFKC');
  if (isPythonIdentifier(n) && !PYTHON_KEYWORDS.has(n)) return n;
  return `_v_${[...n].map((c) => (/[A-Za-z0-9_]/.test(c) ? c : `_${c.codePointAt(0)!.toString(16)}_`)).join('')}`;
}

/**
 * Python's identifier syntax (after NFKC), ASCII first (ascii-first.ts): only a name with a non-ASCII
 * character asks the Unicode pattern, written as alternatives of single properties (the same set as
 * [\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*, ~0.5 ms to compile instead of ~0.8 ms).
 */
const ASCII_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const UNICODE_IDENTIFIER = /^(?:\p{L}|\p{Nl}|_)(?:\p{L}|\p{Nl}|\p{Mn}|\p{Mc}|\p{Nd}|\p{Pc})*$/u;

function isPythonIdentifier(n: string): boolean {
  return ASCII_IDENTIFIER.test(n) || (!isAscii(n) && UNICODE_IDENTIFIER.test(n));
}

/**
 * Distinct Python identifiers for the names of one module, in order: pythonName, with `_` appended
 * while the identifier is taken (a user's name never ends in `_`, so the suffix cannot meet one).
 */
export function pythonIdentifiers(names: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    if (out.has(name)) continue;
    let id = pythonName(name);
    while (taken.has(id)) id += '_';
    taken.add(id);
    out.set(name, id);
  }
  return out;
}

/**
 * The module parameter that an abstract function's op calls: f, grad_f, g, g_prime — through
 * pythonName like an input's name, so a function named like a keyword (`as`, `from`) or like a name
 * the emitted code reads (`float`, `np`) becomes `_v_as`, `_v_float` instead of breaking or
 * shadowing it. A user's variable cannot start with `_`, so the spelled form meets no input.
 */
export function abstractParameter(role: 'absfn' | 'absgrad' | 'absew' | 'absewd', name: string): string {
  return pythonName(role === 'absgrad' ? `grad_${name}` : role === 'absewd' ? `${name}_prime` : name);
}

export function pyNumber(value: number): Py {
  return value < 0 ? py(formatNumber(value), UNARY, true) : py(formatNumber(value), ATOM);
}

/**
 * Replaces the shared-node markers, left to right: the first occurrence of a node becomes
 * `(name := body)` (its body expanded the same way, so nested first occurrences are defined there),
 * later ones `name`. An explicit stack, so nesting depth costs no call stack.
 */
export function expandShared(text: string, names: readonly string[], bodies: readonly string[], defined: Uint8Array): string {
  const out: string[] = [];
  const stack: { text: string; at: number; close: boolean }[] = [{ text, at: 0, close: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const open = top.text.indexOf(MARK_OPEN, top.at);
    if (open < 0) {
      out.push(top.text.slice(top.at));
      if (top.close) out.push(')');
      stack.pop();
      continue;
    }
    const close = top.text.indexOf(MARK_CLOSE, open);
    const i = Number(top.text.slice(open + 1, close));
    out.push(top.text.slice(top.at, open));
    top.at = close + 1;
    if (defined[i] === 1) {
      out.push(names[i]!);
    } else {
      defined[i] = 1;
      out.push(`(${names[i]!} := `);
      stack.push({ text: bodies[i]!, at: 0, close: true });
    }
  }
  return out.join('');
}

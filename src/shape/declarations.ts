import { diag, DiagnosticError, type Result, catchDiagnostics } from '../diagnostics/diagnostic.js';
import type { Source } from '../diagnostics/span.js';
import { isCombiningMark, isDigit, isLetter, isSubscriptDigit } from '../../grammar/tokens.js';
import { canonicalName } from '../syntax/identifiers.js';

/** Subscripts written W₁ or W_1 name the same variable as W1, in options as in expressions. */
export { canonicalName };

/** Properties a variable may be assumed to have (--assume). */
/** `probability`: entries ≥ 0 summing to 1 (a distribution y in a cross-entropy −yᵀlog p). */
/**
 * `row-stochastic`: each row ≥ 0 summing to 1 (a batch of label distributions, one row per example:
 * Y𝟙 = 𝟙); `column-stochastic`: each column so (𝟙ᵀY = 𝟙ᵀ). `rows-probability` and
 * `cols-probability` are read as these (PROPERTY_SPELLINGS).
 */
/** `sign`: entries ±1 (labels y ∈ {−1, +1}ⁿ of a logistic loss): y ⊙ y = 𝟙; a constant, never a --wrt variable. */
/** `integer`: never written by the user: the exponent n of a matrix power Xⁿ (the pipeline adds it; drawn as 0…4). */
export type Property = 'symmetric' | 'spd' | 'positive' | 'diagonal' | 'probability' | 'row-stochastic' | 'column-stochastic' | 'sign' | 'integer';
export const PROPERTIES: readonly Property[] = ['symmetric', 'spd', 'positive', 'diagonal', 'probability', 'row-stochastic', 'column-stochastic', 'sign'];
/** Other names people write for a property. */
export const PROPERTY_SPELLINGS: ReadonlyMap<string, Property> = new Map([
  ['rows-probability', 'row-stochastic'],
  ['cols-probability', 'column-stochastic'],
]);

export interface Declarations {
  /** --dims: name → [rows, cols]. */
  readonly dims: ReadonlyMap<string, readonly [number, number]>;
  /** --assume: name → properties. */
  readonly assumptions: ReadonlyMap<string, ReadonlySet<Property>>;
}

/**
 * A name an expression can write: a letter, then letters, digits, subscript digits, combining
 * accents (`x̂`) or `_` before a letter or digit (the lexer's identifier run). The lexer's own
 * character tests decide, so a Greek-block sign that is no letter (`΄`, `;`) is no name, and every
 * emitter can rely on that.
 */
export function isValidName(name: string): boolean {
  const codes = [...name].map((c) => c.codePointAt(0)!);
  if (codes.length === 0 || !isLetter(codes[0]!)) return false;
  return codes.every((code, i) => {
    if (isLetter(code) || isDigit(code) || isSubscriptDigit(code) || isCombiningMark(code)) return true;
    const next = codes[i + 1];
    return code === 0x5f && next !== undefined && (isLetter(next) || isDigit(next));
  });
}

/** Splits "X=3x4, a=3" into entries with their offsets, for carets under the bad one. */
function entries(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (const piece of text.split(',')) {
    const lead = piece.length - piece.trimStart().length;
    if (piece.trim() !== '') out.push({ text: piece.trim(), start: start + lead });
    start += piece.length + 1;
  }
  return out;
}

/** The span of the first empty entry (`x,`, `x,,y`, `,,,`): a typo, not nothing, in every option list. */
function emptyEntry(text: string): { start: number; end: number } | undefined {
  let offset = 0;
  for (const piece of text.split(',')) {
    if (piece.trim() === '') return { start: offset, end: offset + piece.length };
    offset += piece.length + 1;
  }
  return undefined;
}

/** Parses --dims "X=3x4,a=3,b=4,c=1": one number is a column vector of that length, 1 is a scalar. */
export function parseDims(text: string): Result<Map<string, readonly [number, number]>> {
  const source: Source = { name: '--dims', text };
  return catchDiagnostics(() => {
    const dims = new Map<string, readonly [number, number]>();
    const empty = text.trim() === '' ? undefined : emptyEntry(text);
    if (empty) throw new DiagnosticError(diag('shape/bad-dims', { source, span: empty }, text, 'an empty entry between commas'));
    for (const entry of entries(text)) {
      const at = { source, span: { start: entry.start, end: entry.start + entry.text.length } };
      const m = /^([^=\s]+)\s*=\s*(\d+)(?:\s*[x×*]\s*(\d+))?$/.exec(entry.text);
      if (!m) throw new DiagnosticError(diag('shape/bad-dims', at, entry.text, "expected NAME=ROWSxCOLS or NAME=LENGTH (e.g. X=3x4, a=3, c=1)"));
      const name = canonicalName(m[1]!);
      if (!isValidName(name)) throw new DiagnosticError(diag('shape/bad-dims', at, entry.text, `'${m[1]}' is not a variable name`));
      const rows = Number(m[2]);
      const cols = m[3] === undefined ? 1 : Number(m[3]);
      if (rows < 1 || cols < 1 || rows > 100000 || cols > 100000) {
        throw new DiagnosticError(diag('shape/bad-dims', at, entry.text, 'sizes must be between 1 and 100000'));
      }
      if (dims.has(name)) throw new DiagnosticError(diag('shape/bad-dims', at, entry.text, `${name} is given twice`));
      dims.set(name, [rows, cols]);
    }
    return dims;
  });
}

/** Parses --assume "S:spd,W:symmetric,x:positive" (several properties: "S:symmetric:positive"). */
export function parseAssume(text: string): Result<Map<string, Set<Property>>> {
  const source: Source = { name: '--assume', text };
  return catchDiagnostics(() => {
    const assumptions = new Map<string, Set<Property>>();
    const empty = text.trim() === '' ? undefined : emptyEntry(text);
    if (empty) throw new DiagnosticError(diag('shape/bad-assume', { source, span: empty }, text, 'an empty entry between commas'));
    for (const entry of entries(text)) {
      const at = { source, span: { start: entry.start, end: entry.start + entry.text.length } };
      const parts = entry.text.split(':').map((p) => p.trim());
      if (parts.length < 2 || parts.some((p) => p === '')) {
        throw new DiagnosticError(diag('shape/bad-assume', at, entry.text, `expected NAME:PROPERTY, with PROPERTY one of ${PROPERTIES.join(', ')}`));
      }
      const name = canonicalName(parts[0]!);
      if (!isValidName(name)) throw new DiagnosticError(diag('shape/bad-assume', at, entry.text, `'${parts[0]}' is not a variable name`));
      const set = assumptions.get(name) ?? new Set<Property>();
      for (const written of parts.slice(1)) {
        const p = PROPERTY_SPELLINGS.get(written) ?? written;
        if (!(PROPERTIES as readonly string[]).includes(p)) {
          throw new DiagnosticError(diag('shape/bad-assume', at, entry.text, `unknown property '${written}' (known: ${PROPERTIES.join(', ')})`));
        }
        set.add(p as Property);
      }
      if (set.has('sign') && set.size > 1) {
        throw new DiagnosticError(diag('shape/bad-assume', at, entry.text, `sign (entries ±1) cannot be combined with ${[...set].filter((p) => p !== 'sign').join(', ')}`));
      }
      assumptions.set(name, set);
    }
    return assumptions;
  });
}

/** Parses --wrt "X" or "W1,W2,b". */
export function parseWrt(text: string): Result<string[]> {
  const source: Source = { name: '--wrt', text };
  return catchDiagnostics(() => {
    const list = entries(text);
    if (list.length === 0) throw new DiagnosticError(diag('shape/bad-wrt', { source, span: { start: 0, end: text.length } }, text, 'name at least one variable'));
    const empty = emptyEntry(text);
    if (empty) throw new DiagnosticError(diag('shape/bad-wrt', { source, span: empty }, text, 'an empty name between commas'));
    const names: string[] = [];
    for (const entry of list) {
      const at = { source, span: { start: entry.start, end: entry.start + entry.text.length } };
      const name = canonicalName(entry.text);
      if (!isValidName(name)) throw new DiagnosticError(diag('shape/bad-wrt', at, entry.text, 'not a variable name'));
      if (!names.includes(name)) names.push(name);
    }
    return names;
  });
}

/** Whether an assumption makes the variable square. */
export function impliesSquare(properties: ReadonlySet<Property> | undefined): boolean {
  return !!properties && (properties.has('symmetric') || properties.has('spd') || properties.has('diagonal'));
}

export function impliesSymmetric(properties: ReadonlySet<Property> | undefined): boolean {
  return impliesSquare(properties);
}

import { diag, DiagnosticError, type Result, catchDiagnostics } from '../diagnostics/diagnostic.js';
import type { Source } from '../diagnostics/span.js';
import { canonicalName, isValidName } from './declarations.js';

/**
 * A point to evaluate at (`--at "x=-2, y=5"`, `--at-file values.json`): each variable's value as a
 * matrix. With a point, sizes come from the values, so the point doubles as `--dims`.
 *
 * How a value is written, and what it means (the notes and NumPy agree on all of these):
 *   -2, 1.5e-3          a scalar
 *   [1, 2, 3]           a column vector (3×1) — a vector is a column everywhere in matcalc
 *   [[1, 2], [3, 4]]    a matrix, row by row; [[1, 2, 3]] is a 1×3 row
 *   [1 2; 3 4]          a matrix in MATLAB's spelling (rows by ';'); [1; 2; 3] a column
 * `[1 2 3]` is refused: MATLAB reads it as a row and NumPy users as a vector, and matcalc never
 * picks one reading silently.
 */
export interface PointValue {
  readonly rows: number;
  readonly cols: number;
  /** Row-major entries. */
  readonly data: readonly number[];
}

export type Point = ReadonlyMap<string, PointValue>;

/** More entries than this in one --at value is not a point a person typed; checked before parsing numbers. */
export const MAX_POINT_ENTRIES = 1_000_000;

/** The sizes a point gives its variables, in the form --dims gives them. */
export function pointDims(point: Point): Map<string, readonly [number, number]> {
  return new Map([...point].map(([name, value]) => [name, [value.rows, value.cols] as const]));
}

/** Parses --at "x=-2, y=[1,2], W=[[1,2],[3,4]]". */
export function parsePoint(text: string): Result<Map<string, PointValue>> {
  const source: Source = { name: '--at', text };
  return catchDiagnostics(() => {
    const point = new Map<string, PointValue>();
    for (const entry of splitEntries(text, source)) {
      const at = { source, span: { start: entry.start, end: entry.start + entry.text.length } };
      const eq = entry.text.indexOf('=');
      if (eq < 0) throw new DiagnosticError(diag('shape/bad-at', at, entry.text, 'expected NAME=VALUE (e.g. x=-2, a=[1,2,3], W=[[1,2],[3,4]])'));
      const written = entry.text.slice(0, eq).trim();
      const name = canonicalName(written);
      if (!isValidName(name)) throw new DiagnosticError(diag('shape/bad-at', at, entry.text, `'${written}' is not a variable name`));
      if (point.has(name)) throw new DiagnosticError(diag('shape/bad-at', at, entry.text, `${name} is given twice`));
      const value = readValue(entry.text.slice(eq + 1).trim());
      if (typeof value === 'string') throw new DiagnosticError(diag('shape/bad-at', at, entry.text, value));
      point.set(name, value);
    }
    if (point.size === 0) throw new DiagnosticError(diag('shape/bad-at', { source, span: { start: 0, end: text.length } }, text, 'give at least one value'));
    return point;
  });
}

/** Parses a --at-file: a JSON object of name → number | list of numbers (a column) | list of rows. */
export function parsePointJson(text: string, fileName: string): Result<Map<string, PointValue>> {
  const source: Source = { name: fileName, text };
  const whole = { source, span: { start: 0, end: Math.min(text.length, 1) } };
  return catchDiagnostics(() => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new DiagnosticError(diag('shape/bad-at', whole, fileName, `not JSON (${(error as Error).message})`));
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new DiagnosticError(diag('shape/bad-at', whole, fileName, 'expected a JSON object of name → value, e.g. {"x": [1, 2, 3], "W": [[1, 2], [3, 4]]}'));
    }
    const point = new Map<string, PointValue>();
    for (const [written, raw] of Object.entries(json as Record<string, unknown>)) {
      const name = canonicalName(written);
      if (!isValidName(name)) throw new DiagnosticError(diag('shape/bad-at', whole, written, `'${written}' is not a variable name`));
      if (point.has(name)) throw new DiagnosticError(diag('shape/bad-at', whole, written, `${name} is given twice`));
      const value = jsonValue(raw);
      if (typeof value === 'string') throw new DiagnosticError(diag('shape/bad-at', whole, written, value));
      point.set(name, value);
    }
    if (point.size === 0) throw new DiagnosticError(diag('shape/bad-at', whole, fileName, 'give at least one value'));
    return point;
  });
}

/** Splits at the commas outside brackets, keeping offsets for carets. */
function splitEntries(text: string, source: Source): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let depth = 0;
  let start = 0;
  const push = (end: number): void => {
    const piece = text.slice(start, end);
    const lead = piece.length - piece.trimStart().length;
    if (piece.trim() === '') {
      if (text.trim() !== '') throw new DiagnosticError(diag('shape/bad-at', { source, span: { start, end } }, text, 'an empty entry between commas'));
    } else {
      out.push({ text: piece.trim(), start: start + lead });
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
    if (depth < 0) throw new DiagnosticError(diag('shape/bad-at', { source, span: { start: i, end: i + 1 } }, text, "a ']' without its '['"));
  }
  if (depth > 0) throw new DiagnosticError(diag('shape/bad-at', { source, span: { start: text.length, end: text.length } }, text, "a '[' is not closed"));
  push(text.length);
  return out;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number as written, or why not. */
function readNumber(text: string): number | string {
  const t = text.trim().replace(/^−/, '-');
  if (!NUMBER.test(t)) return t === '' ? 'a missing number' : `'${t.length > 20 ? `${t.slice(0, 20)}…` : t}' is not a number`;
  const value = Number(t);
  return Number.isFinite(value) ? value : `'${t}' is not a finite number`;
}

/** One value as written after NAME=, or the reason it cannot be read. */
function readValue(text: string): PointValue | string {
  if (!text.startsWith('[')) {
    const value = readNumber(text);
    return typeof value === 'string' ? value : { rows: 1, cols: 1, data: [value] };
  }
  if (!text.endsWith(']')) return "a list must end with ']'";
  const inner = text.slice(1, -1).trim();
  if (inner === '') return 'an empty list';
  if (inner.length / 2 > MAX_POINT_ENTRIES) return `more than ${MAX_POINT_ENTRIES} entries`;
  if (inner.startsWith('[')) return readNestedRows(inner);
  if (inner.includes('[')) return "a list mixes numbers and lists";
  if (inner.includes(';')) return readMatlabRows(inner);
  const pieces = inner.split(',');
  if (pieces.length === 1 && /\S\s+\S/.test(inner)) {
    return `'[${inner}]' could be a row (as MATLAB reads it) or a column vector; write [${inner.trim().split(/\s+/).join(', ')}] for a column vector or [[${inner.trim().split(/\s+/).join(', ')}]] for a 1×${inner.trim().split(/\s+/).length} row`;
  }
  return column(pieces);
}

/** [1, 2, 3]: a column vector. */
function column(pieces: readonly string[]): PointValue | string {
  const data: number[] = [];
  for (const piece of pieces) {
    const value = readNumber(piece);
    if (typeof value === 'string') return value;
    data.push(value);
  }
  return { rows: data.length, cols: 1, data };
}

/** [[1, 2], [3, 4]] (the outer brackets already removed): rows. */
function readNestedRows(inner: string): PointValue | string {
  const rows: number[][] = [];
  let rest = inner;
  while (rest !== '') {
    if (!rest.startsWith('[')) return `expected '[' to start a row, found '${rest[0]}'`;
    const close = rest.indexOf(']');
    if (close < 0) return "a row is not closed with ']'";
    const body = rest.slice(1, close);
    if (body.includes('[')) return 'a value nests lists more than two deep';
    const row = column(body.split(','));
    if (typeof row === 'string') return row;
    rows.push([...row.data]);
    rest = rest.slice(close + 1).trim();
    if (rest.startsWith(',')) rest = rest.slice(1).trim();
    else if (rest !== '') return `expected ',' between rows, found '${rest[0]}'`;
  }
  return fromRows(rows);
}

/** [1 2; 3 4] (MATLAB): rows by ';', entries by spaces or commas. */
function readMatlabRows(inner: string): PointValue | string {
  const rows: number[][] = [];
  for (const line of inner.split(';')) {
    const pieces = line.trim().split(/[\s,]+/).filter((p) => p !== '');
    const row = column(pieces);
    if (typeof row === 'string') return row;
    rows.push([...row.data]);
  }
  return fromRows(rows);
}

function fromRows(rows: readonly (readonly number[])[]): PointValue | string {
  const cols = rows[0]?.length ?? 0;
  if (cols === 0) return 'an empty row';
  const ragged = rows.findIndex((row) => row.length !== cols);
  if (ragged >= 0) return `row ${ragged + 1} has ${rows[ragged]!.length} entries, row 1 has ${cols}`;
  return { rows: rows.length, cols, data: rows.flat() };
}

/** A JSON value: a number, a list of numbers (a column) or a list of rows. */
function jsonValue(raw: unknown): PointValue | string {
  if (typeof raw === 'number') return Number.isFinite(raw) ? { rows: 1, cols: 1, data: [raw] } : 'not a finite number';
  if (!Array.isArray(raw) || raw.length === 0) return 'expected a number, a list of numbers or a list of rows';
  if (raw.length > MAX_POINT_ENTRIES) return `more than ${MAX_POINT_ENTRIES} entries`;
  if (raw.every((x) => typeof x === 'number')) {
    if (!raw.every(Number.isFinite)) return 'an entry is not a finite number';
    return { rows: raw.length, cols: 1, data: [...raw] };
  }
  if (!raw.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number' && Number.isFinite(x)))) {
    return 'expected a number, a list of numbers or a list of rows of numbers';
  }
  return fromRows(raw as number[][]);
}

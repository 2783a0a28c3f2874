import type { AtMatrix, AtValues } from '../report.js';
import { latexName } from './latex.js';
import { textName } from './text.js';

/**
 * Values at a point (`--at`) in each notation: a line (or a small matrix, rows aligned) in the
 * terminal, `pmatrix` in LaTeX, arrays in JSON. The layout mirrors the input: a scalar is a number,
 * a column vector a list, a matrix a list of rows — so an `--at-file` and the JSON read the same way.
 */

/** Six significant digits, no trailing zeros, no −0: what a reader compares with the notes' figures. */
export function formatNumber(value: number): string {
  if (Object.is(value, -0) || value === 0) return '0';
  return String(Number(value.toPrecision(6)));
}

function rowsOf(m: AtMatrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => [...m.data.slice(i * m.cols, (i + 1) * m.cols)]);
}

/** A value inline, as --at takes it: -2, [1, 2, 3] (a column), [[1, 2], [3, 4]]. */
export function inlineValue(m: AtMatrix): string {
  if (m.rows === 1 && m.cols === 1) return formatNumber(m.data[0]!);
  if (m.cols === 1) return `[${m.data.map(formatNumber).join(', ')}]`;
  return `[${rowsOf(m).map((row) => `[${row.map(formatNumber).join(', ')}]`).join(', ')}]`;
}

/** A matrix as aligned rows, `[ 1  -2 ]`, each column right-aligned. */
function matrixLines(m: AtMatrix): string[] {
  const cells = rowsOf(m).map((row) => row.map(formatNumber));
  const widths = Array.from({ length: m.cols }, (_, j) => Math.max(...cells.map((row) => row[j]!.length)));
  return cells.map((row) => `[ ${row.map((c, j) => c.padStart(widths[j]!)).join('  ')} ]`);
}

/** The terminal's lines: `at x=-2, y=5:  f = -12,  ∇_x f = -4`; a matrix result on its own rows. */
export function atTextLines(at: AtValues, f = 'f'): string[] {
  const point = [...at.point].map(([name, v]) => `${textName(name)}=${inlineValue(v)}`).join(', ');
  const label = (l: string): string => l.replace(/_([^ ]+)/, (_, n: string) => `_${textName(n)}`);
  const inline: string[] = [`${f} = ${inlineValue(at.f)}`];
  const blocks: string[] = [];
  const scalar = (m: AtMatrix) => m.rows === 1 && m.cols === 1;
  if (!scalar(at.f)) {
    inline.length = 0;
    blocks.push(...labelled(f, matrixLines(at.f)));
  }
  for (const r of at.results) {
    if (scalar(r.value)) inline.push(`${label(r.label)} = ${formatNumber(r.value.data[0]!)}`);
    else blocks.push(...labelled(label(r.label), matrixLines(r.value)));
  }
  return [`at ${point}:${inline.length > 0 ? `  ${inline.join(',  ')}` : ''}`, ...blocks];
}

/** `  ∇_W f = [ 1  2 ]` then the other rows under the first, aligned. */
function labelled(label: string, rows: readonly string[]): string[] {
  const head = `  ${label} = `;
  const pad = ' '.repeat([...head].length);
  return rows.map((row, i) => `${i === 0 ? head : pad}${row}`);
}

/** A value as JSON: a number, a list (a column vector) or a list of rows. */
export function jsonValue(m: AtMatrix): number | number[] | number[][] {
  if (m.rows === 1 && m.cols === 1) return m.data[0]!;
  if (m.cols === 1) return [...m.data];
  return rowsOf(m);
}

/** `"at": {"point": …, "f": …, "gradient": {"x": …}}` (jacobian, hessian for the other commands). */
export function atJson(at: AtValues): Record<string, unknown> {
  const point: Record<string, unknown> = {};
  for (const [name, v] of at.point) point[name] = jsonValue(v);
  const out: Record<string, unknown> = { point, f: jsonValue(at.f) };
  for (const r of at.results) {
    const group = (out[r.kind] ??= {}) as Record<string, unknown>;
    group[r.name] = jsonValue(r.value);
  }
  return out;
}

/** A value in LaTeX: a number, or a `pmatrix`. */
export function latexValue(m: AtMatrix): string {
  if (m.rows === 1 && m.cols === 1) return formatNumber(m.data[0]!);
  return `\\begin{pmatrix} ${rowsOf(m).map((row) => row.map(formatNumber).join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
}

const LATEX_LABEL: Record<AtValues['results'][number]['kind'], (name: string, f: string) => string> = {
  gradient: (name, f) => `\\nabla_{${latexName(name)}} ${f}`,
  jacobian: (name, f) => `\\frac{\\partial ${f}}{\\partial ${latexName(name)}}`,
  hessian: (name, f) => {
    const [a, b] = name.split(',');
    return b === undefined ? `\\nabla^2 ${f}` : `\\frac{\\partial^2 ${f}}{\\partial ${latexName(a!)}\\,\\partial ${latexName(b)}}`;
  },
};

/** The values as LaTeX display lines: the point, then `f = …`, then each result. */
export function atLatexLines(at: AtValues, f = 'f'): { point: string; lines: string[] } {
  const point = [...at.point].map(([name, v]) => `${latexName(name)} = ${latexValue(v)}`).join(',\\; ');
  const lines = [`${f} = ${latexValue(at.f)}`, ...at.results.map((r) => `${LATEX_LABEL[r.kind](r.name, f)} = ${latexValue(r.value)}`)];
  return { point, lines };
}

import type { Diagnostic } from './diagnostic.js';
import { locate } from './span.js';

export interface RenderStyle {
  /** Wraps the severity word and code ("error[MC1001]"). */
  readonly severity?: (text: string) => string;
  /** Wraps the caret line. */
  readonly caret?: (text: string) => string;
  readonly dim?: (text: string) => string;
}

const plain = (text: string) => text;

/**
 * Renders a diagnostic clang/esbuild style:
 *
 *   error[MC1002]: expected ')' to close '(' at 1:5
 *    --> <input>:1:9
 *     |
 *   1 | tr(A*(X
 *     |         ^
 */
export function renderDiagnostic(d: Diagnostic, style: RenderStyle = {}): string {
  const sev = style.severity ?? plain;
  const caretStyle = style.caret ?? plain;
  const dim = style.dim ?? plain;
  const lines = [`${sev(`${d.severity}[${d.code}]`)}: ${d.message}`];
  if (d.source && d.span) {
    lines.push(...renderSnippet(d.source.text, d.source.name, d.span.start, d.span.end, caretStyle, dim));
  }
  for (const note of d.notes) {
    lines.push(`${dim('note')}: ${note.message}`);
    if (d.source && note.span) {
      lines.push(...renderSnippet(d.source.text, d.source.name, note.span.start, note.span.end, caretStyle, dim));
    }
  }
  return lines.join('\n');
}

function renderSnippet(
  text: string,
  name: string,
  start: number,
  end: number,
  caretStyle: (t: string) => string,
  dim: (t: string) => string,
): string[] {
  const where = locate(text, start);
  const gutter = String(where.line);
  const pad = ' '.repeat(gutter.length);
  // Long lines (a 1 MB expression) are windowed around the caret so the message stays readable.
  const window = 100;
  // Tabs would shift the line against the caret line; one space each keeps the columns aligned.
  let lineText = where.lineText.replace(/\t/g, ' ');
  let caretColumn = where.column - 1;
  const lineChars = [...lineText];
  let prefix = '';
  if (lineChars.length > window) {
    const from = Math.max(0, caretColumn - window / 2);
    const to = Math.min(lineChars.length, from + window);
    prefix = from > 0 ? '…' : '';
    lineText = prefix + lineChars.slice(from, to).join('') + (to < lineChars.length ? '…' : '');
    caretColumn = caretColumn - from + prefix.length;
  }
  const endOnLine = Math.min(end, where.lineStart + where.lineText.length);
  const width = Math.max(1, Math.min(window, [...text.slice(start, endOnLine)].length));
  return [
    `${pad}${dim('-->')} ${name}:${where.line}:${where.column}`,
    `${pad} ${dim('|')}`,
    `${dim(gutter)} ${dim('|')} ${lineText}`,
    `${pad} ${dim('|')} ${' '.repeat(caretColumn)}${caretStyle('^'.repeat(width))}`,
  ];
}

/** "1:5" for a span start, used inside messages that refer to another position. */
export function positionOf(text: string, offset: number): string {
  const where = locate(text, offset);
  return `${where.line}:${where.column}`;
}

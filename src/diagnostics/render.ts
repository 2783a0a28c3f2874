import type { Diagnostic } from './diagnostic.js';
import { visibleControls, visibleLine } from './visible.js';
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
  // Everything quoted from the input is shown with its control characters as U+XXXX: an ESC or a
  // BEL in an expression, an option or a file name must not act on the terminal that shows it.
  const lines = [`${sev(`${d.severity}[${d.code}]`)}: ${visibleControls(d.message)}`];
  if (d.source && d.span) {
    lines.push(...renderSnippet(d.source.text, d.source.name, d.span.start, d.span.end, caretStyle, dim));
  }
  for (const note of d.notes) {
    lines.push(`${dim('note')}: ${visibleControls(note.message)}`);
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
  // A control character shows as U+XXXX (six columns), so the caret moves with what precedes it.
  const shown = (s: string) => [...visibleLine(s.replace(/\t/g, ' '))].length;
  caretColumn = shown([...lineText].slice(0, caretColumn).join(''));
  const width = Math.max(1, Math.min(window, shown(text.slice(start, endOnLine))));
  return [
    `${pad}${dim('-->')} ${visibleLine(name)}:${where.line}:${where.column}`,
    `${pad} ${dim('|')}`,
    `${dim(gutter)} ${dim('|')} ${visibleLine(lineText)}`,
    `${pad} ${dim('|')} ${' '.repeat(caretColumn)}${caretStyle('^'.repeat(width))}`,
  ];
}

/** "1:5" for a span start, used inside messages that refer to another position. */
export function positionOf(text: string, offset: number): string {
  const where = locate(text, offset);
  return `${where.line}:${where.column}`;
}

/** A region of source text as UTF-16 offsets into the source string: [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The text a diagnostic points into. `name` is shown in messages ("<input>", "rules/pullback.rules"). */
export interface Source {
  readonly name: string;
  readonly text: string;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

/** The smallest span covering both. */
export function joinSpans(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** 1-based line and column (in code points) of an offset, with the text of that line. */
export function locate(text: string, offset: number): { line: number; column: number; lineText: string; lineStart: number } {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  const column = [...text.slice(lineStart, clamped)].length + 1;
  return { line, column, lineText: text.slice(lineStart, lineEnd), lineStart };
}

/**
 * Escapes for each language matcalc writes, in one place, so that every emitter quoting user text
 * (the expression as typed, a file name, a message) uses the same rule for the same consumer.
 * Names need none of these: the library boundary (src/request.ts) admits only names the grammar
 * can write. What the user typed can hold anything, so each consumer gets its own escape.
 */

/**
 * Characters a terminal or editor may act on instead of showing: C0 and C1 controls (ESC starts
 * an escape sequence, CR rewrites the line, BEL rings), DEL, the line and paragraph separators,
 * bidirectional overrides and isolates (which reorder what is shown), the BOM and zero-width marks.
 */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

/** U+001B for an invisible or control character, the way the issue tracker and Unicode name them. */
export function codePointLabel(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Text for a terminal: every control character shown as U+XXXX (tab and newline stay). */
export function visibleControls(text: string): string {
  return text.replace(INVISIBLE, codePointLabel);
}

/** The same, for one line of text (a comment, a title): line breaks of any kind are shown too. */
export function visibleLine(text: string): string {
  return visibleControls(text).replace(/[\n\t]/g, codePointLabel);
}

/**
 * JSON.stringify, with the characters it leaves raw but a terminal or a JavaScript parser may act
 * on (C1 controls, U+2028/U+2029, bidi controls) written as \uXXXX: the same value, safe to print.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(INVISIBLE, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/**
 * The lines of a TeX comment (`% …`) quoting user text: split at every line break TeX or an editor
 * honours (LF, CR, CRLF, U+2028, …), so no part of the text ends the comment and lands in the
 * document; other controls are shown as U+XXXX.
 */
export function texCommentLines(text: string, prefix = '%   '): string[] {
  return text.split(/\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/).map((line) => `${prefix}${visibleControls(line)}`.trimEnd());
}

/** Text inside a Python """docstring""": backslashes doubled, quotes broken up, controls escaped. */
export function pythonDocText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"""/g, '\\"\\"\\"')
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`)
    .replace(/"$/, '\\"');
}

/** Text and attribute values in HTML and SVG (XML): the five characters markup gives a meaning. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

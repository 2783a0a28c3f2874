/**
 * Showing user text on a terminal without letting it act there. Diagnostics quote what the user
 * typed (a line of source, a name), so this sits at the bottom with them; the emitters' escapes for
 * other consumers (JSON, TeX, Python) build on it in src/emit/escape.ts.
 */

/**
 * Characters a terminal or editor may act on instead of showing: C0 and C1 controls (ESC starts
 * an escape sequence, CR rewrites the line, BEL rings), DEL, the line and paragraph separators,
 * bidirectional overrides and isolates (which reorder what is shown), the BOM and zero-width marks.
 */
export const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

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

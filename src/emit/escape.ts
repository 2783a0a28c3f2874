/**
 * Escapes for each language matcalc writes, in one place, so that every emitter quoting user text
 * (the expression as typed, a file name, a message) uses the same rule for the same consumer.
 * Names need none of these: the library boundary (src/request.ts) admits only names the grammar
 * can write. What the user typed can hold anything, so each consumer gets its own escape.
 */

import { INVISIBLE, visibleControls } from '../diagnostics/visible.js';

/** Terminal text (controls shown as U+XXXX) is the diagnostics' rule; emitters use the same one. */
export { codePointLabel, visibleControls, visibleLine } from '../diagnostics/visible.js';

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

/*
 * Why the printers test ASCII text first. V8 compiles a regular expression when it first runs it, and
 * the start-up snapshot keeps no compiled pattern; a Unicode-property class costs that once per
 * process, from ICU: [\p{L}\p{Nl}_][…]* ~0.84 ms, [\p{Lu}\p{Ll}\p{Lt}\p{Lo}\p{Nd}_] ~0.75 ms, a single
 * \p{L} ~0.11 ms, [A-Za-z] ~0.03 ms (median of 15 fresh processes), and a text answer ran two or three
 * of them. So the word edges (printed.ts), the Python identifiers (python-text.ts) and the names'
 * subscripts (text.ts, latex.ts) decide ASCII text, most of what they see, with ASCII patterns, and
 * ask the Unicode ones only for the rest, written as single properties where that is the same set.
 */

const ASCII = /^[\x00-\x7f]*$/;

/** Whether a text is all ASCII (then no Unicode-property pattern need decide anything about it). */
export function isAscii(text: string): boolean {
  return ASCII.test(text);
}

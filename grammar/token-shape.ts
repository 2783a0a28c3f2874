/**
 * Gives Chevrotain's token objects untyped number fields before Chevrotain is evaluated (import this
 * module before Chevrotain, for its effect only).
 *
 * V8 gives every object literal with the same property names, in the same order, one hidden class,
 * and records per field what kind of value it has held. Chevrotain makes its end-of-input token at
 * load with NaN offsets (`createTokenInstance(EOF, "", NaN, …)`), and the token passes make tokens the
 * same way (syntax/dialects/edit.ts, syntax/token-passes.ts): NaN turned the token class's number fields
 * into unboxed doubles. From then on every token held its offsets in boxes of their own (an allocation
 * each), read back as boxed numbers, and each span made from one (`{ start, end }`) turned the span
 * class to doubles too: every span of every AST node and rule cost two boxes more. This object, made
 * first, stores null in those fields, so V8 keeps them as plain tagged values, where a small integer
 * needs no box and NaN is one shared number. The values read are the same; only the storage differs.
 */
const shape = Object.freeze({
  image: '',
  startOffset: null,
  endOffset: null,
  startLine: null,
  endLine: null,
  startColumn: null,
  endColumn: null,
  tokenTypeIdx: null,
  tokenType: null,
}); // a call: bundlers keep it, where they could drop an unused literal

/** The object itself; nothing reads it. */
export const TOKEN_SHAPE: object = shape;

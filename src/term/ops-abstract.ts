import type { OpDeclaration } from './op-declaration.js';

/** The abstract functions' ops (term/abstract-functions.ts): f(Y), ∇f(Y), g(Y), g′(Y) of a name the user declared. One family of term/ops.ts's table. */
export const ABSTRACT_OPS = {
  absfn: {
    doc: 'f(Y): a scalar function the user declares and does not define (--function f)',
    args: [[1, 1], ['m', 'n']],
    result: [1, 1],
    argWords: ["the function's name", 'a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    abstract: 'scalar',
  },
  absgrad: {
    doc: '∇f(Y): the gradient of an abstract scalar function f, a matrix of Y\'s shape (the upstream gradient)',
    args: [[1, 1], ['m', 'n']],
    result: ['m', 'n'],
    argWords: ["the function's name", 'a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    abstract: 'gradient',
  },
  absew: {
    doc: 'g(Y): an element-wise function the user declares and does not define (--elementwise g)',
    args: [[1, 1], ['m', 'n']],
    result: ['m', 'n'],
    argWords: ["the function's name", 'a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    abstract: 'elementwise',
  },
  absewd: {
    doc: "g′(Y): the derivative of an abstract element-wise function g, entry by entry",
    args: [[1, 1], ['m', 'n']],
    result: ['m', 'n'],
    argWords: ["the function's name", 'a matrix'],
    linear: false,
    domain: 'all',
    positive: false,
    symmetric: false,
    abstract: 'derivative',
  },
} as const satisfies Record<string, OpDeclaration>;

/**
 * Every user-visible message, in one table (like TypeScript's diagnosticMessages.json).
 * Codes are grouped by phase: 1xxx syntax, 2xxx shapes and options, 3xxx differentiation,
 * 4xxx numeric verification, 5xxx rule files. Codes are stable: tests and JSON output refer to them.
 */
/** A piece of user text inside a message, shortened: a 1 MB input must not give a 1 MB message. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export const CATALOG = {
  // ── syntax ────────────────────────────────────────────────────────────────
  'syntax/unexpected-token': { code: 1001, text: (found: string, expected: string) => `unexpected ${found}; expected ${expected}` },
  'syntax/unclosed': { code: 1002, text: (closer: string, opener: string, where: string) => `expected '${closer}' to close '${opener}' at ${where}` },
  'syntax/unknown-character': {
    code: 1003,
    // The code point too: an invisible or combining character would otherwise show as ''.
    text: (ch: string) => `unknown character ${/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch) ? `'${ch}' ` : ''}(U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`,
  },
  'syntax/empty-input': { code: 1004, text: () => `the expression is empty` },
  'syntax/pattern-variable': { code: 1005, text: (name: string) => `'${name}' is a rule pattern variable; it cannot appear in an expression` },
  'syntax/unknown-function': { code: 1006, text: (name: string, hint: string) => `unknown function '${name}'${hint}` },
  'syntax/bad-number': { code: 1007, text: (text: string) => `'${clip(text)}' is not a finite number` },
  'syntax/too-deep': { code: 1008, text: (depth: number, limit: number) => `the expression nests ${depth} levels deep; the limit is ${limit}` },
  'syntax/redefinition': { code: 1009, text: (name: string) => `'${clip(name)}' is defined twice` },
  'syntax/wrong-arity': { code: 1010, text: (fn: string, expected: string, got: number) => `${fn} takes ${expected}, got ${got}` },
  'syntax/input-too-long': {
    code: 1050,
    text: (length: number, limit: number) =>
      `the input is ${length} characters long; the limit is ${limit} (1.5 per allowed graph node, at least 1,000,000; raise it with --max-nodes)`,
  },
  'syntax/too-large': { code: 1011, text: (what: string, size: number, limit: number) => `the ${what} has ${size} nodes; the limit is ${limit} (raise it with --max-nodes)` },
  'syntax/bad-exponent': { code: 1012, text: (text: string) => `cannot use ${text} as an exponent` },
  'syntax/trailing-input': { code: 1013, text: (found: string) => `unexpected ${found} after the end of the expression` },
  'syntax/not-a-definition': { code: 1014, text: () => `only the last statement can be an expression; write 'name = …' to define a name` },
  'syntax/malformed-number': { code: 1015, text: (text: string) => `'${clip(text)}' is not a number` },
  'syntax/ambiguous-name': { code: 1016, text: (run: string, product: string, advice: string) => `'${run}' could be one name ${run} or the product ${product}; ${advice}` },
  'syntax/look-alike': { code: 1018, text: (name: string, code: string, latin: string, both: string) => `'${name}' is written with a Greek letter (${code}) that looks like the Latin letter of '${latin}'${both}` },
  'syntax/ambiguous-call': {
    code: 1020,
    text: (name: string, productError: string) =>
      `'${name}(…)' could be the function ${name} applied to the bracket or the product ${name}·(…), and ${name} is also used as a variable; as a product: ${productError}. Declare it with --function ${name}, or write ${name}*(…) for the product`,
  },
  'syntax/ambiguous-grouping': { code: 1019, text: (text: string, readings: string, advice: string) => `'${text}' could be read as ${readings}; ${advice}` },
  'syntax/function-name-defined': { code: 1017, text: (name: string) => `'${name}' is a function name and cannot be defined; choose another name (for example ${name}1 or ${name.toUpperCase()})` },
  // The dialects (src/syntax/dialects/): spellings from LaTeX, NumPy/PyTorch, MATLAB and the notes.
  'syntax/ambiguous-axis': { code: 1040, text: (why: string) => why },
  'syntax/unsupported-notation': { code: 1030, text: (what: string, advice: string) => `${what} is not supported${advice}` },
  'syntax/unknown-latex': { code: 1031, text: (command: string, hint: string) => `unknown LaTeX command '${command}'${hint}` },
  'syntax/unknown-python': { code: 1032, text: (name: string, hint: string) => `unknown NumPy/PyTorch name '${name}'${hint}` },
  'syntax/stacking': {
    code: 1033,
    text: (what: string, advice: string) => `cannot read this stack: ${what}; ${advice}`,
  },

  // ── shapes and options ────────────────────────────────────────────────────
  'shape/matmul-mismatch': { code: 2001, text: (left: string, right: string, a: string, b: string) => `cannot multiply ${left} by ${right}: inner dimensions ${a} and ${b} differ` },
  'shape/add-mismatch': { code: 2002, text: (op: string, left: string, right: string) => `cannot ${op} ${left} and ${right}: shapes differ` },
  'shape/elementwise-mismatch': { code: 2003, text: (op: string, left: string, right: string) => `cannot apply ${op} to ${left} and ${right}: shapes differ` },
  'shape/not-square': { code: 2004, text: (what: string, operand: string) => `${what} needs a square matrix, but ${operand} is not square` },
  'shape/not-scalar': {
    code: 2005,
    text: (expr: string, command = 'grad') =>
      `${command} needs a scalar function, but ${expr} is not a scalar (for a vector or matrix F: matcalc jac, or matcalc diff for dF)`,
  },
  'shape/declared-conflict': { code: 2006, text: (name: string, declared: string, inferred: string) => `${name} is declared ${declared}, but the expression needs ${inferred}` },
  'shape/exponent-not-scalar': { code: 2007, text: (expr: string, advice = '') => `the exponent ${expr} must be a scalar${advice}` },
  'shape/inner-mismatch': { code: 2008, text: (left: string, right: string) => `⟨·,·⟩ needs operands of the same shape, but got ${left} and ${right}` },
  'shape/matrix-power': {
    code: 2009,
    text: (expr: string, inverse?: string) =>
      inverse !== undefined
        ? `a matrix power with a symbolic exponent needs an integer n ≥ 0, but got ${expr}: write ${inverse} for the power of the inverse`
        : `a matrix power needs an integer exponent (a constant k, or a symbol n read as an integer ≥ 0), but got ${expr} (use .^ for an element-wise power)`,
  },
  'shape/bad-dims': { code: 2010, text: (entry: string, why: string) => `bad --dims entry '${entry}': ${why}` },
  'shape/bad-assume': { code: 2011, text: (entry: string, why: string) => `bad --assume entry '${entry}': ${why}` },
  'shape/bad-wrt': { code: 2012, text: (entry: string, why: string) => `bad --wrt '${entry}': ${why}` },
  'shape/bad-at': { code: 2024, text: (entry: string, why: string) => `bad --at value '${clip(entry)}': ${why}` },
  'shape/division': { code: 2013, text: (right: string) => `cannot divide by ${right}: '/' divides by a scalar (use ./ for element-wise division)` },
  'shape/not-vector': { code: 2014, text: (what: string, operand: string) => `${what} needs a vector, but ${operand} is not a vector` },
  'shape/assume-conflict': { code: 2015, text: (name: string, property: string, shape: string) => `${name} is assumed ${property}, which needs a square matrix, but --dims makes it ${shape}` },
  'shape/wrt-integer': { code: 2049, text: (name: string) => `${name} is the exponent of a matrix power (Xⁿ), an integer parameter: a derivative with respect to it is not defined` },
  'shape/wrt-sign': { code: 2033, text: (name: string) => `${name} is assumed sign (entries ±1), so it cannot vary: a derivative with respect to it is not defined` },
  'shape/fill-not-scalar': { code: 2017, text: (fn: string, operand: string) => `${fn}(·) needs a scalar fill value, but ${operand} is not a scalar` },
  'shape/defined-late': { code: 2018, text: (name: string, where: string) => `'${name}' is used at ${where} before its definition here` },
  'shape/defined-and-declared': { code: 2019, text: (name: string, option: string) => `'${name}' is defined in the expression, so ${option} cannot also declare it` },
  'shape/power-too-large': { code: 2020, text: (k: string, limit: number) => `the matrix power ${k} is too large: the exponent may be at most ${limit} (use an element-wise power .^ for entries)` },
  'shape/exponent-too-large': { code: 2022, text: (k: string, limit: number) => `the exponent ${k} is too large: a constant exponent of a power may be at most ${limit} in absolute value (so large a power overflows or vanishes at almost every point)` },
  'shape/dimension-or-variable': {
    code: 2031,
    text: (name: string, dimension: string, shapes: string) =>
      `'${name}' reads two ways: the dimension ${name} (${dimension}; shapes ${shapes}) or a scalar variable ${name}. Write nrows(·)/ncols(·) or mean(·) for a dimension, or declare the variable (--dims ${name}=1)`,
  },
  'shape/broadcast-column': {
    code: 2032,
    text: (matrix: string, column: string, advice: string) =>
      `cannot add ${matrix} and the column ${column}: NumPy adds a 1-D vector to every row but an (n, 1) column to every column; ${advice}`,
  },
  'shape/op-argument': {
    code: 2030,
    text: (fn: string, which: string, wanted: string, got: string, advice = '') => `${fn} needs ${wanted} as its ${which} argument, but ${got} is not one${advice}`,
  },
  'shape/stack-entry': {
    code: 2041,
    text: (which: string, got: string, width: string) => `the ${which} entry of the stack is ${got}; the entries of a stack [f; g] are blocks of one width, here ${width} column${width === '1' ? '' : 's'} (scalars, columns, rows or matrices; to put blocks side by side write [A, B])`,
  },
  'shape/constant-overflow': { code: 2021, text: (expr: string) => `the constant ${expr} is too large for a floating-point number` },
  'request/bad-field': { code: 2023, text: (why: string) => `bad request: ${why}` },
  'shape/wrt-definition': { code: 2016, text: (name: string) => `'${name}' is defined in the expression; differentiate with respect to an input variable` },

  // ── differentiation ───────────────────────────────────────────────────────
  'diff/no-rule': { code: 3001, text: (kind: string) => `no pullback rule applies to ${kind}` },
  'diff/no-rule-operand': {
    code: 3004,
    text: (fn: string, which: string) => `matcalc has no derivative of ${fn} in its ${which} argument, which this expression needs (a derivative of higher order than its rules reach)`,
  },
  'diff/abstract-second-order': {
    code: 3005,
    text: (call: string, second: string) =>
      `the Hessian differentiates ${call} twice, and the second derivative ${second} of a declared function has no symbol; write the function out as an expression, or ask for grad, diff or jac`,
  },
  'diff/limit': { code: 3002, text: (what: string, limit: number) => `${what} exceeded the limit of ${limit}` },
  'diff/constant-overflow': {
    code: 3003,
    text: (value: string) =>
      `a constant folded from the expression is ${value}, beyond the range of floating-point numbers (about ±1.8e308): scale the expression's constants down`,
  },

  // ── numeric verification ──────────────────────────────────────────────────
  'check/failed': { code: 4001, text: (error: string) => `CHECK FAILED: the gradient disagrees with finite differences (relative error ${error})` },
  'check/inconclusive': { code: 4002, text: (why: string) => `the numeric check was inconclusive: ${why}` },
  // Values at a point (--at): the point is the user's, so a value it lacks is an error, not a redraw.
  'at/dims-conflict': { code: 4010, text: (name: string, dims: string, at: string) => `--dims makes ${name} ${dims}, but its --at value is ${at}` },
  'at/missing': { code: 4011, text: (names: string) => `--at gives no value for ${names}: every variable of the expression needs one` },
  'at/unknown-name': { code: 4012, text: (name: string, hint: string) => `--at gives a value for ${clip(name)}, which is not a variable of the expression${hint}` },
  'at/domain': { code: 4013, text: (node: string, why: string) => `at the point, ${clip(node)} has no value: ${why}` },

  // ── rule files ────────────────────────────────────────────────────────────
  'rules/unbound-variable': { code: 5001, text: (rule: string, v: string) => `rule ${rule} uses ${v} on the right but never binds it on the left` },
  'rules/unknown-guard': { code: 5002, text: (rule: string, name: string) => `rule ${rule} uses the unknown guard '${name}'` },
  'rules/duplicate-id': { code: 5003, text: (id: string) => `rule id ${id} is used twice` },
  'rules/malformed': { code: 5004, text: (why: string) => `malformed rule: ${why}` },
  'rules/bad-pattern': { code: 5005, text: (rule: string, why: string) => `rule ${rule}: ${why}` },
} satisfies Record<string, { code: number; text: (...args: never[]) => string }>;

export type DiagnosticId = keyof typeof CATALOG;

/** matcalc as a library: the same engine as the CLI, without commander or chalk. */
export { run, gradient, derivative, rulebook } from './pipeline.js';
export { commandJson } from './emit/command-json.js';
export { collectFreeDims } from './term/free-dims.js';
export type {
  GradientRequest,
  VariableGradient,
  GradientBlock,
  Block,
  Derivation,
  DerivativeRequest,
  DerivativeBlock,
  DerivativeStep,
  DerivativeCommand,
  Layout,
  Command,
  CommandRequest,
  Report,
} from './report.js';
export { forwardSweep } from './differentiate/forward-sweep.js';
export { vecJacobian } from './differentiate/linear-map.js';
export { asMatrixTerm } from './differentiate/kronecker-form.js';
export type { Kron } from './differentiate/kronecker-form.js';
export { derivativeViews, gradientViews } from './emit/derivative.js';
export { mapText, mapLatex } from './emit/linear-map.js';
export { parseProgram, parseExpressionAt } from './syntax/parse.js';
export type { Ast, Program, Definition } from './syntax/ast.js';
export { inferShapes } from './shape/infer.js';
export type { TypedProgram, ShapeOptions } from './shape/infer.js';
export { parseDims, parseAssume, parseWrt } from './shape/declarations.js';
export type { Property, Declarations } from './shape/declarations.js';
export { reverseSweep } from './differentiate/reverse-sweep.js';
export type { SweepResult, TapeEntry } from './differentiate/reverse-sweep.js';
export type { DerivationStep } from './differentiate/derivation.js';
export { simplify, simplifyReport, simplifyWithSteps, SIMPLIFY_BUDGET } from './simplify/simplify.js';
export type { SimplifyReport, SimplifyBudget, SearchLimit, SimplifyStep, SimplifyWithSteps } from './simplify/simplify.js';
export { emitText } from './emit/text.js';
export { emitAscii, asciiProgram } from './emit/ascii.js';
export { emitNumpy } from './emit/numpy.js';
export { emitLatex } from './emit/latex.js';
export { checkGradient } from './verify/finite-difference.js';
export type { CheckReport, CheckRequest } from './verify/finite-difference.js';
export { evaluateTerms, evaluateTerm } from './verify/evaluate.js';
export { renderDiagnostic } from './diagnostics/render.js';
export type { Diagnostic, Result } from './diagnostics/diagnostic.js';
export type { Term, Shape, Dim } from './term/term.js';
export * as terms from './term/factory.js';
/** Short names, as in the README: `import { grad, parse } from 'matcalc'`. */
export { gradient as grad } from './pipeline.js';
export { parseProgram as parse } from './syntax/parse.js';
export { FORMATS } from './emit/formats.js';
export { jsonSchema } from './emit/schema.js';

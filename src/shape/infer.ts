import { catchDiagnostics, diag, type Result } from '../diagnostics/diagnostic.js';
import type { Source, Span } from '../diagnostics/span.js';
import { positionOf } from '../diagnostics/render.js';
import { astChildren, type Ast, type Program } from '../syntax/ast.js';
import { shapeText, type Dim, type Shape, type Term } from '../term/term.js';
import { TermBuilder } from './build-terms.js';
import type { ShapeOptions, TypedProgram } from './program-types.js';

/**
 * The shape stage's entry: inferShapes runs pass 1 (inference.ts: shapes by unification, with the
 * decisions listed there) over the definitions and the body, checks what the caller required of the
 * result, then pass 2 (build-terms.ts) builds the core terms. Rule templates keep their pass 1 here.
 */

export type { ShapeOptions, TypedProgram } from './program-types.js';
export { MAX_POWER_EXPONENT } from './build-terms.js';

/**
 * Rule templates are instantiated once per node of the sweep, always with bound terms of a few
 * shapes: pass 1 (inference) depends on the template and those shapes only, so its result is kept
 * per template and shape signature and only pass 2 (building, with the new terms) runs again. Pass 1
 * holds no terms (the bound terms come with each call's options), so the results outlive
 * resetTerms() — a fresh call would otherwise infer every template it meets again — and are
 * forgotten only when there are more than TEMPLATE_INFERENCES_KEPT (dimension names are the user's,
 * so a long-running process could meet any number of signatures).
 */
const templateInferences = new Map<Ast, Map<string, TermBuilder>>();
let templateInferenceCount = 0;
const TEMPLATE_INFERENCES_KEPT = 20_000;

function templateSignature(program: Program, options: ShapeOptions): string | undefined {
  const bound = options.patternTerms;
  const target = options.targetShape;
  if (
    bound === undefined ||
    target === undefined ||
    program.definitions.length > 0 ||
    options.patternShapes !== undefined ||
    options.boundNames !== undefined ||
    options.dims !== undefined ||
    options.square !== undefined ||
    options.requireScalar
  ) {
    return undefined;
  }
  const dim = (d: Dim) => (typeof d === 'number' ? `#${d}` : `'${d}`);
  let key = `${dim(target[0])}x${dim(target[1])}`;
  for (const [name, t] of bound) key += `|${name}:${dim(t.shape[0])}x${dim(t.shape[1])}`;
  return key;
}

/** Infers shapes for a whole program (definitions, then the body) and builds its core term. */
export function inferShapes(program: Program, source: Source, options: ShapeOptions = {}): Result<TypedProgram> {
  const signature = templateSignature(program, options);
  if (signature !== undefined) {
    const cached = templateInferences.get(program.body)?.get(signature);
    if (cached !== undefined && cached.source === source) {
      return catchDiagnostics(() => {
        cached.options = options;
        return buildProgram(cached, program);
      });
    }
  }
  return catchDiagnostics(() => {
    const inf = new TermBuilder(source, options);
    // A name used in a definition at or before its own definition would silently become a free
    // variable: find the first use of every name, by definition, in one pass, and refuse that.
    const firstUses = new Map<string, { index: number; span: Span }>();
    program.definitions.forEach((def, index) => {
      const stack: Ast[] = [def.value];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (node.kind === 'name') {
          const seen = firstUses.get(node.name);
          if (!seen || (seen.index === index && node.span.start < seen.span.start)) {
            if (!seen) firstUses.set(node.name, { index, span: node.span });
            else seen.span = node.span;
          }
        }
        stack.push(...astChildren(node));
      }
    });
    program.definitions.forEach((def, index) => {
      const use = firstUses.get(def.name);
      if (use && use.index <= index) {
        const what = use.index === index ? 'used here, inside its own definition' : 'first used here';
        inf.fail(diag('shape/defined-late', { source, span: def.nameSpan, notes: [{ message: what, span: use.span }] }, def.name, positionOf(source.text, use.span.start)));
      }
    });
    for (const def of program.definitions) {
      if (options.dims?.has(def.name)) {
        inf.fail(diag('shape/defined-and-declared', inf.at(def.nameSpan), def.name, '--dims'));
      }
      inf.defined.set(def.name, inf.infer(def.value));
    }
    const bodyShape = inf.infer(program.body);
    // A stack entry whose rows nothing fixed is a scalar (or a row): the notes' [x; y].
    inf.dims.settle();
    if (options.requireScalar && !inf.makeScalar(bodyShape)) {
      inf.fail(
        diag(
          'shape/not-scalar',
          inf.at(program.body.span),
          `${inf.text(program.body)} (${inf.showShape(bodyShape)})`,
          typeof options.requireScalar === 'string' ? options.requireScalar : 'grad',
        ),
      );
    }
    if (options.targetShape) {
      const target = inf.fromShape(options.targetShape);
      if (!inf.unifyShapes(bodyShape, target)) {
        inf.fail(
          diag('rules/malformed', inf.at(program.body.span), `${inf.text(program.body)} has shape ${inf.showShape(bodyShape)}, expected ${shapeText(options.targetShape)}`),
        );
      }
    }
    if (signature !== undefined) {
      if (++templateInferenceCount > TEMPLATE_INFERENCES_KEPT) {
        templateInferences.clear();
        templateInferenceCount = 1;
      }
      let bySignature = templateInferences.get(program.body);
      if (bySignature === undefined) {
        bySignature = new Map();
        templateInferences.set(program.body, bySignature);
      }
      bySignature.set(signature, inf);
    }
    return buildProgram(inf, program);
  });
}

/** Pass 2: resolves the variables' shapes and builds the terms of the definitions and the body. */
function buildProgram(inf: TermBuilder, program: Program): TypedProgram {
  {
    // Resolve variable shapes first, in order of appearance, so dimension names read naturally (X: n×m, b: m).
    const variables = new Map<string, Shape>();
    for (const [name, s] of inf.variables) variables.set(name, inf.resolve(s));
    const dimensionNames = inf.readDimensions(variables);
    for (const name of dimensionNames.keys()) variables.delete(name);
    const definitionNames = new Map<Term, string>();
    for (const def of program.definitions) {
      const term = inf.build(def.value);
      inf.definitionTerms.set(def.name, term);
      if (!definitionNames.has(term) && term.kind !== 'var') definitionNames.set(term, def.name);
    }
    const term = inf.build(program.body);
    return {
      term,
      variables,
      definitions: new Map(inf.definitionTerms),
      definitionNames,
      freeDims: inf.namer.names(),
      broadcasts: inf.broadcasts.map((node) => inf.text(node)),
      variableSpans: inf.variableSpans,
      ...(dimensionNames.size > 0 ? { dimensionNames } : {}),
    };
  }
}

export type { Dim };

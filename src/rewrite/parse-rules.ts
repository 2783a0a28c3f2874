import { diag, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { Source, Span } from '../diagnostics/span.js';
import { inferShapes } from '../shape/infer.js';
import { astChildren, chainOperands, type Ast } from '../syntax/ast.js';
import { parseExpressionAt } from '../syntax/parse.js';
import { ELEMENTWISE_FNS } from '../term/term.js';
import { compilePattern } from './pattern.js';
import { PREDICATES, shapeClassOf } from './predicates.js';
import type { Guard, PullbackHead, PullbackRule, Rule, RuleId, SimplifyRule } from './rule.js';

/**
 * Reading a rule file (the format: docs/architecture.md, "The rule-file format"): stanzas of a
 * header, a `left => right` line and an optional `when` line, each parsed by the expression parser
 * and checked (bound variables, known guards, equal shapes on both sides). Pullback rules are
 * compiled to a head and contributions (the reverse sweep), local simplification rules to a
 * pattern (pattern.ts, the simplifier).
 */

const HEADER = /^rule\s+([a-z][a-z0-9]*(?:\.[a-z0-9-]+)+)\s+"([^"]*)"(\s+local)?(?:\s+ref\s+(\S.*?))?\s*$/;

interface Stanza {
  id: RuleId;
  doc: string;
  reference?: string;
  /** Marked `local`: applied from the file at each node by the simplifier (simplify rules only). */
  local: boolean;
  origin: Span;
  body?: { start: number; end: number; arrow: number };
  when?: { start: number; end: number };
}

/** Splits a rule file into stanzas (header line, body line, optional `when` line), with spans. */
function readStanzas(source: Source, problems: Diagnostic[]): Stanza[] {
  const stanzas: Stanza[] = [];
  let offset = 0;
  let current: Stanza | undefined;
  for (const line of source.text.split('\n')) {
    const start = offset;
    const end = offset + line.length;
    offset = end + 1;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const lead = start + (line.length - line.trimStart().length);
    if (!/^\s/.test(line)) {
      const m = HEADER.exec(trimmed);
      if (!m) {
        problems.push(diag('rules/malformed', { source, span: { start: lead, end } }, `expected 'rule <id> "<description>" [local] [ref <source>]'`));
        current = undefined;
        continue;
      }
      current = { id: m[1] as RuleId, doc: m[2]!, local: m[3] !== undefined, reference: m[4], origin: { start: lead, end } };
      stanzas.push(current);
      continue;
    }
    if (!current) {
      problems.push(diag('rules/malformed', { source, span: { start: lead, end } }, 'an indented line must follow a rule header'));
      continue;
    }
    if (trimmed.startsWith('when ')) {
      current.when = { start: lead + 5, end };
    } else if (!current.body) {
      const arrow = line.indexOf('=>');
      if (arrow < 0) {
        problems.push(diag('rules/malformed', { source, span: { start: lead, end } }, `expected '<left> => <right>'`));
        continue;
      }
      current.body = { start: lead, end, arrow: start + arrow };
    } else {
      problems.push(diag('rules/malformed', { source, span: { start: lead, end } }, 'a rule has one line `left => right` and an optional `when` line'));
    }
    current.origin = { start: current.origin.start, end };
  }
  return stanzas;
}

function parseGuards(source: Source, range: { start: number; end: number }, problems: Diagnostic[], id: string): Guard[] {
  const guards: Guard[] = [];
  const text = source.text.slice(range.start, range.end);
  const re = /([a-z]+)\(\s*\?([A-Za-z][A-Za-z0-9]*)\s*\)/g;
  let m: RegExpExecArray | null;
  let consumed = text.replace(re, '').replace(/[\s,]/g, '');
  if (consumed !== '') {
    problems.push(diag('rules/malformed', { source, span: range }, `rule ${id}: guards are written name(?X), separated by commas`));
  }
  while ((m = re.exec(text)) !== null) {
    const span = { start: range.start + m.index, end: range.start + m.index + m[0].length };
    guards.push({ predicate: m[1]!, variable: m[2]!, span });
  }
  return guards;
}

/** Pattern variables in an AST (iterative). */
function patternVariables(root: Ast): Set<string> {
  const names = new Set<string>();
  const stack: Ast[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'pattern') names.add(node.name);
    stack.push(...astChildren(node));
  }
  return names;
}

function nameOfPattern(node: Ast): string | undefined {
  return node.kind === 'pattern' ? node.name : undefined;
}

const REDUCTION_CALLS: Record<string, PullbackHead['kind']> = {
  tr: 'trace',
  det: 'det',
  logdet: 'logdet',
  sum: 'sum',
  norm1: 'norm1',
  norm2: 'norm2',
  inv: 'inv',
};

/** The head and operand variables of the operator inside d(…): `?A * ?B` → mul [?A, ?B]. */
function headOf(node: Ast, guards: readonly Guard[]): { head: PullbackHead; operands: Ast[] } | string {
  switch (node.kind) {
    case 'binary': {
      const kinds: Record<string, PullbackHead['kind']> = { '+': 'add', '*': 'mul', '.*': 'hmul', './': 'hdiv', '.^': 'epow', '^': 'mpow' };
      const kind = kinds[node.op];
      if (!kind) return `d(…) of '${node.op}' has no pullback head`;
      return { head: { kind }, operands: [node.left, node.right] };
    }
    case 'transpose':
      return { head: { kind: 'transpose' }, operands: [node.operand] };
    case 'inner':
      return { head: { kind: 'inner' }, operands: [node.left, node.right] };
    case 'call': {
      if (node.fn === 'diag') {
        const arg = nameOfPattern(node.arg);
        const isVector = guards.some((g) => g.variable === arg && g.predicate === 'vector');
        return { head: { kind: isVector ? 'diagm' : 'diag' }, operands: [node.arg] };
      }
      const reduction = REDUCTION_CALLS[node.fn];
      if (reduction) return { head: { kind: reduction }, operands: [node.arg] };
      if ((ELEMENTWISE_FNS as readonly string[]).includes(node.fn)) return { head: { kind: 'fn', fn: node.fn }, operands: [node.arg] };
      return `d(${node.fn}(…)) has no pullback head`;
    }
    case 'op':
      // Every op has its pullback rule under the head op:<name> (a rule for a missing op is a test failure: test/rules/op-rules.test.ts).
      return { head: { kind: 'op', fn: node.op }, operands: [...node.args] };
    case 'name':
    case 'pattern':
    case 'number':
    case 'eye':
    case 'negate':
      return 'd(…) must contain one operator applied to pattern variables';
  }
}

function compilePullback(stanza: Stanza, source: Source, lhs: Ast, rhs: Ast, guards: Guard[], problems: Diagnostic[]): PullbackRule | undefined {
  const at = { source, span: stanza.origin };
  if (lhs.kind !== 'inner' || lhs.left.kind !== 'pattern' || lhs.right.kind !== 'call' || lhs.right.fn !== 'd') {
    problems.push(diag('rules/bad-pattern', at, stanza.id, 'a pullback rule reads <?G, d(op(?A, …))> => …'));
    return undefined;
  }
  const head = headOf(lhs.right.arg, guards);
  if (typeof head === 'string') {
    problems.push(diag('rules/bad-pattern', at, stanza.id, head));
    return undefined;
  }
  const operands: string[] = [];
  for (const op of head.operands) {
    const name = nameOfPattern(op);
    if (!name || operands.includes(name)) {
      problems.push(diag('rules/bad-pattern', { source, span: op.span }, stanza.id, 'the operands inside d(…) must be distinct pattern variables'));
      return undefined;
    }
    operands.push(name);
  }
  const contributions: { operand: string; coefficient: Ast }[] = [];
  if (!(rhs.kind === 'number' && rhs.value === 0)) {
    for (const term of chainOperands(rhs, '+')) {
      const target = term.kind === 'inner' && term.right.kind === 'call' && term.right.fn === 'd' ? nameOfPattern(term.right.arg) : undefined;
      if (term.kind !== 'inner' || !target) {
        problems.push(diag('rules/bad-pattern', { source, span: term.span }, stanza.id, 'the right side is a sum of <coefficient, d(?X)> (or 0)'));
        return undefined;
      }
      if (!operands.includes(target)) {
        problems.push(diag('rules/bad-pattern', { source, span: term.span }, stanza.id, `${target} is not an operand inside d(…)`));
        return undefined;
      }
      contributions.push({ operand: target, coefficient: term.left });
    }
  }
  return {
    id: stanza.id,
    doc: stanza.doc,
    reference: stanza.reference,
    source,
    origin: stanza.origin,
    family: 'pullback',
    native: false,
    text: source.text.slice(stanza.body!.start, stanza.body!.end).trim(),
    head: head.head,
    adjoint: lhs.left.name,
    operands,
    guards,
    lhs,
    contributions,
  };
}

/**
 * A simplification identity. A local one (`local` in its header) is applied from the file, so its
 * left side must compile to a pattern the simplifier can match node by node; the others state what
 * code applies (src/simplify/ cites their ids).
 */
function compileSimplify(stanza: Stanza, source: Source, lhs: Ast, rhs: Ast, guards: Guard[], problems: Diagnostic[]): SimplifyRule | undefined {
  const pattern = stanza.local ? compilePattern(lhs, guards) : undefined;
  if (typeof pattern === 'string') {
    problems.push(diag('rules/bad-pattern', { source, span: stanza.origin }, stanza.id, pattern));
    return undefined;
  }
  return {
    id: stanza.id,
    doc: stanza.doc,
    reference: stanza.reference,
    source,
    origin: stanza.origin,
    family: 'simplify',
    native: false,
    text: source.text.slice(stanza.body!.start, stanza.body!.end).trim(),
    lhs,
    rhs,
    guards,
    ...(pattern ? { applied: 'file' as const, pattern } : { applied: 'code' as const }),
  };
}

/** Parses and checks one rule file. Every problem is reported with the stanza's span. */
export function parseRuleFile(source: Source, family: 'pullback' | 'simplify'): Result<Rule[]> {
  const problems: Diagnostic[] = [];
  const rules: Rule[] = [];
  for (const stanza of readStanzas(source, problems)) {
    if (!stanza.body) {
      problems.push(diag('rules/malformed', { source, span: stanza.origin }, `rule ${stanza.id} has no 'left => right' line`));
      continue;
    }
    const lhsParsed = parseExpressionAt(source, stanza.body.start, stanza.body.arrow, { patterns: true });
    const rhsParsed = parseExpressionAt(source, stanza.body.arrow + 2, stanza.body.end, { patterns: true });
    if (!lhsParsed.ok || !rhsParsed.ok) {
      if (!lhsParsed.ok) problems.push(...lhsParsed.diagnostics);
      if (!rhsParsed.ok) problems.push(...rhsParsed.diagnostics);
      continue;
    }
    const lhs = lhsParsed.value;
    const rhs = rhsParsed.value;
    const guards = stanza.when ? parseGuards(source, stanza.when, problems, stanza.id) : [];
    const bound = patternVariables(lhs);
    for (const name of patternVariables(rhs)) {
      if (!bound.has(name)) problems.push(diag('rules/unbound-variable', { source, span: stanza.origin }, stanza.id, name));
    }
    for (const guard of guards) {
      if (!PREDICATES.has(guard.predicate)) problems.push(diag('rules/unknown-guard', { source, span: guard.span }, stanza.id, guard.predicate));
      if (!bound.has(guard.variable)) problems.push(diag('rules/unbound-variable', { source, span: guard.span }, stanza.id, guard.variable));
    }
    if (problems.length > 0) continue;
    // Both sides must have the same shape under fresh symbolic dimensions (guards fix what they imply).
    const shapeCheck = checkRuleShapes(source, lhs, rhs, guards);
    if (shapeCheck) {
      problems.push(diag('rules/bad-pattern', { source, span: stanza.origin }, stanza.id, `the two sides do not have the same shape: ${shapeCheck}`));
      continue;
    }
    if (family === 'pullback' && stanza.local) {
      problems.push(diag('rules/bad-pattern', { source, span: stanza.origin }, stanza.id, 'only simplification rules can be local'));
      continue;
    }
    if (family === 'pullback') {
      const rule = compilePullback(stanza, source, lhs, rhs, guards, problems);
      if (rule) rules.push(rule);
    } else {
      const rule = compileSimplify(stanza, source, lhs, rhs, guards, problems);
      if (rule) rules.push(rule);
    }
  }
  return problems.length > 0 ? { ok: false, diagnostics: problems } : { ok: true, value: rules };
}

/** Pattern-variable shapes implied by a rule's guards. */
export function guardShapes(guards: readonly Guard[]): Map<string, 'scalar' | 'vector' | 'square' | 'matrix'> {
  const byVariable = new Map<string, string[]>();
  for (const g of guards) byVariable.set(g.variable, [...(byVariable.get(g.variable) ?? []), g.predicate]);
  const shapes = new Map<string, 'scalar' | 'vector' | 'square' | 'matrix'>();
  for (const [v, preds] of byVariable) shapes.set(v, shapeClassOf(preds));
  return shapes;
}

/** Infers ⟨lhs, rhs⟩: it fails exactly when the two sides cannot have one shape. Returns the reason. */
function checkRuleShapes(source: Source, lhs: Ast, rhs: Ast, guards: readonly Guard[]): string | undefined {
  const span = { start: lhs.span.start, end: rhs.span.end };
  const both: Ast = rhs.kind === 'number' && rhs.value === 0 ? lhs : { kind: 'inner', left: lhs, right: rhs, span };
  const result = inferShapes({ definitions: [], body: both }, source, { patternShapes: guardShapes(guards) });
  return result.ok ? undefined : result.diagnostics[0]!.message;
}


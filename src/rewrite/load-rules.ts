import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diag, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import * as T from '../term/factory.js';
import type { Source, Span } from '../diagnostics/span.js';
import { inferShapes } from '../shape/infer.js';
import { astChildren, type Ast } from '../syntax/ast.js';
import { parseExpressionAt } from '../syntax/parse.js';
import { ELEMENTWISE_FNS } from '../term/term.js';
import { NATIVE_RULES } from './native-rules.js';
import { PREDICATES, shapeClassOf } from './predicates.js';
import type { Guard, PullbackHead, PullbackRule, Rule, RuleId, SimplifyRule } from './rule.js';

/** The loaded, checked rulebook: pullback rules indexed by head for O(1) lookup in the sweep. */
export interface Rulebook {
  readonly rules: readonly Rule[];
  readonly pullbacks: ReadonlyMap<string, readonly PullbackRule[]>;
  readonly simplify: readonly SimplifyRule[];
}

export function headKey(head: PullbackHead): string {
  return head.fn ? `${head.kind}:${head.fn}` : head.kind;
}

const HEADER = /^rule\s+([a-z][a-z0-9]*(?:\.[a-z0-9-]+)+)\s+"([^"]*)"(?:\s+ref\s+(\S.*?))?\s*$/;

interface Stanza {
  id: RuleId;
  doc: string;
  reference?: string;
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
        problems.push(diag('rules/malformed', { source, span: { start: lead, end } }, `expected 'rule <id> "<description>" [ref <source>]'`));
        current = undefined;
        continue;
      }
      current = { id: m[1] as RuleId, doc: m[2]!, reference: m[3], origin: { start: lead, end } };
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
    default:
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
    const terms: Ast[] = [];
    let cursor: Ast = rhs;
    while (cursor.kind === 'binary' && cursor.op === '+') {
      terms.push(cursor.right);
      cursor = cursor.left;
    }
    terms.push(cursor);
    terms.reverse();
    for (const term of terms) {
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
    if (family === 'pullback') {
      const rule = compilePullback(stanza, source, lhs, rhs, guards, problems);
      if (rule) rules.push(rule);
    } else {
      rules.push({
        id: stanza.id,
        doc: stanza.doc,
        reference: stanza.reference,
        source,
        origin: stanza.origin,
        family: 'simplify',
        native: false,
        text: source.text.slice(stanza.body.start, stanza.body.end).trim(),
        lhs,
        rhs,
        guards,
      });
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

/** Loads rules/ once per process (the files ship with the package). */
let cached: Result<Rulebook> | undefined;
/** The parsed rules, kept when the terms are reset (building the rulebook interns terms; parsing does not). */
let parsedRules: { rules: Rule[]; problems: Diagnostic[] } | undefined;
T.onTermsReset(() => {
  cached = undefined;
});

/** Found once per process: every gradient asks for it (as loadRulebook's default) and the package does not move. */
let foundRulesDirectory: string | undefined;

export function rulesDirectory(): string {
  return (foundRulesDirectory ??= locateRulesDirectory());
}

function locateRulesDirectory(): string {
  // dist/src/rewrite/load-rules.js or src/rewrite/load-rules.ts → <package>/rules
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', 'rules'), join(here, '..', '..', '..', 'rules')];
  for (const dir of candidates) {
    try {
      readFileSync(join(dir, 'pullback.rules'));
      return dir;
    } catch {
      // try the next layout
    }
  }
  return candidates[0]!;
}

const RULE_FILES = [
  ['pullback.rules', 'pullback'],
  ['simplify.rules', 'simplify'],
] as const;

function readRuleSources(directory: string): Source[] {
  return RULE_FILES.map(([file]) => ({ name: `rules/${file}`, text: readFileSync(join(directory, file), 'utf8') }));
}

export function loadRulebook(directory: string = rulesDirectory()): Result<Rulebook> {
  const standard = directory === rulesDirectory();
  if (cached && standard) return cached;
  let read = standard ? parsedRules : undefined;
  if (read === undefined) {
    const sources = readRuleSources(directory);
    const fromSnapshot = standard ? readRulesSnapshot(sources) : undefined;
    const problems: Diagnostic[] = [];
    const rules: Rule[] = [];
    if (fromSnapshot) {
      rules.push(...fromSnapshot);
    } else {
      RULE_FILES.forEach(([, family], i) => {
        const parsed = parseRuleFile(sources[i]!, family);
        if (parsed.ok) rules.push(...parsed.value);
        else problems.push(...parsed.diagnostics);
      });
    }
    rules.push(...NATIVE_RULES);
    read = { rules, problems };
    if (standard) parsedRules = read;
  }
  const result = buildRulebook([...read.rules], [...read.problems]);
  if (standard) cached = result;
  return result;
}

/*
 * The rules snapshot: parsing and shape-checking rules/*.rules costs tens of milliseconds of
 * start-up (cold code), so the build (`npm run build`) stores the parsed rules as JSON in
 * dist/rules-snapshot.json. It is used only when it is current: it holds the text of each rule
 * file it was made from (compared in full), and it must be at least as new as every compiled module
 * that parses rules (so a `tsc` without the snapshot step after a change to the parser falls back to
 * parsing; a packed package, whose files all carry one date, keeps it). Run from the TypeScript
 * sources (tests), there is no snapshot and the files are always parsed. (No hash: loading
 * node:crypto alone would cost more start-up than the comparison.)
 */
const SNAPSHOT_FORMAT = 1;
const COMPILER_DIRECTORIES = ['rewrite', 'syntax', 'shape', 'term', 'diagnostics', join('..', 'grammar')];

/** dist/rules-snapshot.json, from dist/src/rewrite/load-rules.js. */
export function rulesSnapshotPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules-snapshot.json');
}

/** The newest modification time of the compiled modules that parse rules. */
function newestCompilerModule(): number {
  const src = join(dirname(fileURLToPath(import.meta.url)), '..');
  let newest = 0;
  for (const sub of COMPILER_DIRECTORIES) {
    const dir = join(src, sub);
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.js'));
    } catch {
      continue;
    }
    for (const f of files) newest = Math.max(newest, statSync(join(dir, f)).mtimeMs);
  }
  return newest;
}

interface Snapshot {
  readonly format: number;
  /** The rule files the snapshot was made from, in RULE_FILES order. */
  readonly texts: readonly string[];
  /** The parsed rules of each file, without their `source` (restored on load). */
  readonly rules: readonly (readonly Omit<Rule, 'source'>[])[];
}

function readRulesSnapshot(sources: readonly Source[]): Rule[] | undefined {
  const path = rulesSnapshotPath();
  let snapshot: Snapshot;
  try {
    if (statSync(path).mtimeMs < newestCompilerModule()) return undefined;
    snapshot = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  } catch {
    return undefined;
  }
  if (snapshot.format !== SNAPSHOT_FORMAT || !Array.isArray(snapshot.texts) || !Array.isArray(snapshot.rules)) return undefined;
  if (snapshot.rules.length !== sources.length || sources.some((s, i) => snapshot.texts[i] !== s.text)) return undefined;
  return snapshot.rules.flatMap((list: readonly Omit<Rule, 'source'>[], i: number) => list.map((rule) => ({ ...rule, source: sources[i]! }) as Rule));
}

/** Parses rules/ and writes the snapshot (the build's last step). Returns the path, or the problems. */
export function writeRulesSnapshot(path: string = rulesSnapshotPath()): Result<string> {
  const directory = rulesDirectory();
  const sources = readRuleSources(directory);
  const lists: Omit<Rule, 'source'>[][] = [];
  for (const [i, [, family]] of RULE_FILES.entries()) {
    const parsed = parseRuleFile(sources[i]!, family);
    if (!parsed.ok) return parsed;
    lists.push(parsed.value.map(({ source: _source, ...rest }) => rest));
  }
  const snapshot: Snapshot = { format: SNAPSHOT_FORMAT, texts: sources.map((s) => s.text), rules: lists };
  writeFileSync(path, `${JSON.stringify(snapshot)}\n`);
  return { ok: true, value: path };
}

export function buildRulebook(rules: readonly Rule[], problems: Diagnostic[] = []): Result<Rulebook> {
  const seen = new Map<string, Rule>();
  for (const rule of rules) {
    if (seen.has(rule.id)) problems.push(diag('rules/duplicate-id', { source: rule.source, span: rule.origin }, rule.id));
    seen.set(rule.id, rule);
  }
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  const pullbacks = new Map<string, PullbackRule[]>();
  for (const rule of rules) {
    if (rule.family !== 'pullback') continue;
    const key = headKey(rule.head);
    pullbacks.set(key, [...(pullbacks.get(key) ?? []), rule]);
  }
  return {
    ok: true,
    value: { rules, pullbacks, simplify: rules.filter((r): r is SimplifyRule => r.family === 'simplify') },
  };
}

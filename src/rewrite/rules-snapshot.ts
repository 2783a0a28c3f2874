import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Result } from '../diagnostics/diagnostic.js';
import type { Source } from '../diagnostics/span.js';
import { parseRuleFile } from './parse-rules.js';
import { readRuleSources, RULE_FILES, rulesDirectory } from './rule-files.js';
import type { Rule } from './rule.js';

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
/** 2: simplification rules carry `applied` and, when applied from the file, their compiled `pattern`. */
const SNAPSHOT_FORMAT = 2;
const COMPILER_DIRECTORIES = ['rewrite', 'syntax', 'shape', 'term', 'diagnostics', join('..', 'grammar')];

/** dist/rules-snapshot.json, from dist/src/rewrite/rules-snapshot.js. */
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

export function readRulesSnapshot(sources: readonly Source[]): Rule[] | undefined {
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

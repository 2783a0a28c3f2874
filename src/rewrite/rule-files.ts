import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Source } from '../diagnostics/span.js';

/** The rule files that ship with the package, in load order, with the family each holds. */
export const RULE_FILES = [
  ['pullback.rules', 'pullback'],
  ['simplify.rules', 'simplify'],
] as const;

/** Found once per process: every gradient asks for it (as loadRulebook's default) and the package does not move. */
let foundRulesDirectory: string | undefined;

export function rulesDirectory(): string {
  return (foundRulesDirectory ??= locateRulesDirectory());
}

function locateRulesDirectory(): string {
  // dist/src/rewrite/rule-files.js or src/rewrite/rule-files.ts → <package>/rules
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

export function readRuleSources(directory: string): Source[] {
  return RULE_FILES.map(([file]) => ({ name: `rules/${file}`, text: readFileSync(join(directory, file), 'utf8') }));
}

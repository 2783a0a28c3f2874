import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulebook } from '../../../src/rewrite/load-rules.js';

/**
 * The simplifier's identities are named: every rewrite in src/simplify/ cites the id of its identity
 * (`simp.…`, in a comment where it is applied), and rules/simplify.rules states each one and has it
 * checked numerically (test/rules/soundness.test.ts). An id cited in the code and missing from the
 * file, or a rule in the file that no code applies, fails here.
 */
const directory = join(import.meta.dirname, '..', '..', '..', 'src', 'simplify');
const book = loadRulebook();
if (!book.ok) throw new Error(book.diagnostics.map((d) => d.message).join('\n'));
const listed = new Set<string>(book.value.rules.filter((r) => r.family === 'simplify').map((r) => r.id));

const cited = new Map<string, string>();
for (const file of readdirSync(directory).filter((f) => f.endsWith('.ts'))) {
  const text = readFileSync(join(directory, file), 'utf8');
  for (const m of text.matchAll(/\bsimp\.[a-z0-9]+(?:-[a-z0-9]+)*/g)) if (!cited.has(m[0])) cited.set(m[0], file);
}

describe('the simplifier names its identities', () => {
  it('cites at least the identities it has always had', () => {
    expect(cited.size).toBeGreaterThanOrEqual(90);
  });

  it('every id cited in src/simplify is a rule of rules/simplify.rules', () => {
    const missing = [...cited].filter(([id]) => !listed.has(id)).map(([id, file]) => `${id} (${file})`);
    expect(missing).toEqual([]);
  });

  it('every rule of rules/simplify.rules is cited where the simplifier applies it', () => {
    expect([...listed].filter((id) => !cited.has(id))).toEqual([]);
  });
});

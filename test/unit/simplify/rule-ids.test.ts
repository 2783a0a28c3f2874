import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulebook } from '../../../src/rewrite/load-rules.js';

/**
 * The simplifier's identities are named, and each is applied one way. A rule marked `local` in
 * rules/simplify.rules is applied from the file (src/simplify/local.ts): no code in src/simplify/
 * names it, so there is no hand-coded copy of it. Every other rule is applied by code, which cites
 * its id where it applies it (in a comment, and in the step it records). An id cited in the code
 * and missing from the file, or a rule that nothing applies, fails here.
 */
const directory = join(import.meta.dirname, '..', '..', '..', 'src', 'simplify');
const book = loadRulebook();
if (!book.ok) throw new Error(book.diagnostics.map((d) => d.message).join('\n'));
const simplifyRules = book.value.simplify;
const listed = new Set<string>(simplifyRules.map((r) => r.id));
const fromFile = new Set<string>(simplifyRules.filter((r) => r.applied === 'file').map((r) => r.id));
const byCode = new Set<string>(simplifyRules.filter((r) => r.applied === 'code').map((r) => r.id));

const cited = new Map<string, string>();
for (const file of readdirSync(directory).filter((f) => f.endsWith('.ts'))) {
  const text = readFileSync(join(directory, file), 'utf8');
  for (const m of text.matchAll(/\bsimp\.[a-z0-9]+(?:-[a-z0-9]+)*/g)) if (!cited.has(m[0])) cited.set(m[0], file);
}

describe('the simplifier names its identities', () => {
  it('applies the local identities from the file and the others by code', () => {
    expect(fromFile.size).toBeGreaterThanOrEqual(30);
    expect(byCode.size).toBeGreaterThanOrEqual(60);
    expect(fromFile.size + byCode.size).toBe(listed.size);
  });

  it('every id cited in src/simplify is a rule of rules/simplify.rules', () => {
    const missing = [...cited].filter(([id]) => !listed.has(id)).map(([id, file]) => `${id} (${file})`);
    expect(missing).toEqual([]);
  });

  it('every rule applied by code is cited where the simplifier applies it', () => {
    expect([...byCode].filter((id) => !cited.has(id))).toEqual([]);
  });

  it('no local rule is hand-coded: src/simplify never names one', () => {
    expect([...fromFile].filter((id) => cited.has(id)).map((id) => `${id} (${cited.get(id)})`)).toEqual([]);
  });
});

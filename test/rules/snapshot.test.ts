import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRuleFile, rulesDirectory, writeRulesSnapshot } from '../../src/rewrite/load-rules.js';
import { scratchFolders } from '../helpers/scratch.js';

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('snapshot');

// dist/rules-snapshot.json (written by `npm run build`) stands in for parsing rules/*.rules at
// start-up. It must hold exactly what parsing gives.
describe('the rules snapshot', () => {
  it('holds the parsed rules of each file, and the file texts it was made from', () => {
    const path = join(scratch(), 'rules-snapshot.json');
    const written = writeRulesSnapshot(path);
    expect(written.ok).toBe(true);
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as { format: number; texts: string[]; rules: unknown[][] };
    const files = [
      ['pullback.rules', 'pullback'],
      ['simplify.rules', 'simplify'],
    ] as const;
    files.forEach(([file, family], i) => {
      const text = readFileSync(join(rulesDirectory(), file), 'utf8');
      expect(snapshot.texts[i]).toBe(text);
      const parsed = parseRuleFile({ name: `rules/${file}`, text }, family);
      if (!parsed.ok) throw new Error(parsed.diagnostics[0]!.message);
      const withoutSource = parsed.value.map(({ source: _source, ...rest }) => rest);
      expect(snapshot.rules[i]).toEqual(JSON.parse(JSON.stringify(withoutSource)));
    });
  });
});

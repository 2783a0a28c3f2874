import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * Small modules with one job: no source file over MAX_LINES, so each can be read in one sitting
 * (issue 13). A file that must be longer is listed in LONGER with the reason, where a reviewer sees it.
 */
const MAX_LINES = 400;
const LONGER: Readonly<Record<string, string>> = {};

const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [relative(root, path)] : [];
  });
}

describe('source files stay small', () => {
  it(`every file in src/ has at most ${MAX_LINES} lines, or a reason in LONGER`, () => {
    const files = sources(join(root, 'src'));
    expect(files.length).toBeGreaterThan(100);
    const long = files
      .map((f) => ({ f, lines: readFileSync(join(root, f), 'utf8').split('\n').length - 1 }))
      .filter(({ f, lines }) => lines > MAX_LINES && LONGER[f] === undefined);
    expect(long).toEqual([]);
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { scratchFolders } from '../helpers/scratch.js';

/**
 * Tests leave nothing in the OS temp dir: a test file gets its temporary folders from
 * test/helpers/scratch.ts, which removes them after the file's tests, passed or failed. Before, every
 * `npm test` left some thirty matcalc-* folders behind (hundreds after a day's work).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Ways of making a file or folder in the temp dir, in TypeScript and in the Python the tests write. */
const TEMP_MAKERS: readonly [string, RegExp][] = [
  ['mkdtemp', /\bmkdtemp(Sync)?\s*\(/],
  ['tmpdir()', /\btmpdir\s*\(/],
  ['TMPDIR', /\bTMPDIR\b/],
  ['/tmp', /['"`]\/tmp\b/],
  ['tempfile.mkdtemp/mkstemp', /\btempfile\.(mkdtemp|mkstemp)\b|NamedTemporaryFile\([^)]*delete\s*=\s*False/],
];

/** The helper itself, and this file, which names the patterns. */
const EXEMPT = ['test/helpers/scratch.ts', 'test/architecture/temporary-folders.test.ts'];

/** Files that may use a maker, each with the reason: what removes what it makes, or why it stays. */
const ALLOWED: Record<string, { makers: readonly string[]; why: string }> = {
  'test/setup/python-probe.ts': { makers: ['mkdtemp', 'tmpdir()'], why: "vitest's globalSetup, one folder a run: its teardown removes it" },
  'test/setup/python-server.ts': { makers: ['mkdtemp', 'tmpdir()'], why: "vitest's globalSetup, the python3 server's socket: its stop() removes it after the server exits" },
  'test/helpers/python-batch.ts': { makers: ['tmpdir()'], why: "JAX's compilation cache, kept on purpose for the next run" },
  'test/cli/startup-snapshot.test.ts': { makers: ['mkdtemp'], why: 'folders inside its scratch folder, removed with it' },
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|mts|js|mjs|py)$/.test(entry.name) ? [relative(root, path)] : [];
  });
}

describe('temporary folders', () => {
  test('only test/helpers/scratch.ts (and the files listed with a reason) makes files or folders in the temp dir', () => {
    const found: string[] = [];
    const used = new Set<string>();
    for (const file of sources(join(root, 'test'))) {
      if (EXEMPT.includes(file)) continue;
      const text = readFileSync(join(root, file), 'utf8');
      for (const [maker, pattern] of TEMP_MAKERS) {
        if (!pattern.test(text)) continue;
        if (ALLOWED[file]?.makers.includes(maker)) used.add(`${file} ${maker}`);
        else found.push(`${file}: ${maker} (use scratchFolders from test/helpers/scratch.ts, or list the file in ALLOWED with the reason)`);
      }
    }
    expect(found).toEqual([]);
    // An entry that no longer matches anything is dropped, not kept as a licence for later.
    const listed = Object.entries(ALLOWED).flatMap(([file, { makers }]) => makers.map((m) => `${file} ${m}`));
    expect(listed.filter((entry) => !used.has(entry))).toEqual([]);
  });

  describe('scratchFolders removes what it made once the tests are done, passed or failed', () => {
    const made: string[] = [];
    afterAll(() => {
      expect(made.length).toBe(3);
      for (const dir of made) expect(existsSync(dir), dir).toBe(false);
    });

    describe('a describe whose tests make folders', () => {
      const scratch = scratchFolders('scratch-self-test');
      test('each call makes a fresh folder matcalc-NAME-XXXXXX in the temp dir', () => {
        const [a, b] = [scratch(), scratch()];
        made.push(a, b);
        expect(a).not.toBe(b);
        for (const dir of [a, b]) {
          expect(existsSync(dir)).toBe(true);
          expect(dirname(dir)).toBe(tmpdir());
          expect(basename(dir)).toMatch(/^matcalc-scratch-self-test-[A-Za-z0-9]{6}$/);
        }
      });
      test.fails('a test that fails after making one', () => {
        made.push(scratch());
        throw new Error('this test fails on purpose');
      });
    });
  });
});

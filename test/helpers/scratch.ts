import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Temporary folders for a test file, removed after its tests whether they pass or fail (before, every
 * `npm test` left some thirty matcalc-* folders in the OS temp dir).
 *
 * Call `scratchFolders(name)` where vitest collects hooks — a file's top level or a describe's body,
 * NOT in a test or a beforeAll (an afterAll registered there is silently never run). It registers one
 * afterAll and returns `make`, which makes a fresh folder `matcalc-NAME-XXXXXX` each time it is called
 * (in a test, a hook, or at collection) and records it for that afterAll. The folders are made only
 * when asked for because vitest runs no afterAll of a file or describe whose tests are all skipped
 * (no python3, no torch): a folder made at collection there would stay.
 *
 * The record is per call, not per module: vitest runs with isolate: false, so this module is shared
 * by every file of a worker. test/architecture/temporary-folders.test.ts keeps other files from
 * making folders in the temp dir themselves.
 */
export function scratchFolders(name: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `matcalc-${name}-`));
    made.push(dir);
    return dir;
  };
}

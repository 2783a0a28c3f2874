import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * vitest runs test files with isolate: false (one module graph per worker), where a vi.mock only
 * takes effect if its module was not imported before by another file in that worker. A file that
 * mocks a module or stubs a global must therefore be listed in vitest.config.ts's MOCKS, which runs
 * it isolated; an unlisted one passes or fails depending on which files ran before it in its worker.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(path);
    return e.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

describe('test files that mock modules run isolated', () => {
  it('every file using vi.mock, vi.doMock, vi.stubGlobal or vi.stubEnv is listed in MOCKS', () => {
    const config = readFileSync(join(root, 'vitest.config.ts'), 'utf8');
    const listed = /const MOCKS = \[([^\]]*)\]/.exec(config)?.[1] ?? '';
    const mocking = testFiles(join(root, 'test')).filter((f) => /\bvi\.(mock|doMock|stubGlobal|stubEnv)\(/.test(readFileSync(join(root, f), 'utf8')));
    expect(mocking.length).toBeGreaterThan(0);
    expect(mocking.filter((f) => !listed.includes(`'${f}'`))).toEqual([]);
  });
});

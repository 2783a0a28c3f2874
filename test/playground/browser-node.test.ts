import { posix } from 'node:path';
import { fileURLToPath as nodeFileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The browser stand-ins for Node's modules that the playground's engine is bundled with
 * (src/playground/browser-node/): they must behave as Node's do on what the library asks of them.
 */

type FsShim = typeof import('../../src/playground/browser-node/fs.js');
let fs: FsShim;

beforeAll(async () => {
  // The build defines this (scripts/bundle-playground.mjs); here, two files at package paths.
  (globalThis as Record<string, unknown>).__PLAYGROUND_FILES__ = { '/matcalc/rules/a.rules': 'rule a', '/matcalc/dist/rules-snapshot.json': '{}' };
  fs = await import('../../src/playground/browser-node/fs.js');
});

describe('node:path stand-in', async () => {
  const path = await import('../../src/playground/browser-node/path.js');
  const segment = fc.constantFrom('a', 'bc', '.', '..', '', 'rules', 'x.js');
  const relative = fc.array(segment, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('/'));
  const absolute = relative.map((p) => `/${p}`);

  it('join, dirname, normalize agree with node:path (posix)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(relative, absolute), { minLength: 1, maxLength: 4 }), (parts) => {
        expect(path.join(...parts)).toBe(posix.join(...parts));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.oneof(relative, absolute), (p) => {
        expect(path.normalize(p)).toBe(posix.normalize(p));
        expect(path.dirname(p)).toBe(posix.dirname(p));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('node:url stand-in', async () => {
  const url = await import('../../src/playground/browser-node/url.js');
  it('fileURLToPath agrees with node:url', () => {
    for (const u of ['file:///matcalc/dist/src/playground/worker.js', 'file:///a%20b/c.js']) expect(url.fileURLToPath(u)).toBe(nodeFileURLToPath(u));
    expect(() => url.fileURLToPath('https://example.invalid/x')).toThrow(TypeError);
  });
});

describe('node:fs stand-in', () => {
  it('reads the embedded files, lists directories, fails as Node does otherwise', () => {
    expect(fs.readFileSync('/matcalc/rules/a.rules', 'utf8')).toBe('rule a');
    expect(new TextDecoder().decode(fs.readFileSync('/matcalc/rules/a.rules') as Uint8Array)).toBe('rule a');
    expect(fs.readdirSync('/matcalc/rules')).toEqual(['a.rules']);
    expect(fs.readdirSync('/matcalc')).toEqual(['dist', 'rules']);
    expect(fs.existsSync('/matcalc/dist')).toBe(true);
    expect(fs.statSync('/matcalc/dist').isDirectory()).toBe(true);
    expect(fs.statSync('/matcalc/dist/rules-snapshot.json').isFile()).toBe(true);
    expect(() => fs.readFileSync('/matcalc/rules/b.rules', 'utf8')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => fs.readdirSync('/matcalc/dist/src/rewrite')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => fs.writeFileSync('/matcalc/x')).toThrow(expect.objectContaining({ code: 'EROFS' }));
  });
});

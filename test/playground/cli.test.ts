import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matcalc } from '../json/helpers.js';

/** `matcalc playground` prints the built page: one self-contained file that refers to nothing outside itself. */
const PAGE = join(resolve(import.meta.dirname, '..', '..'), 'dist', 'playground.html');

describe('matcalc playground', () => {
  it('prints dist/playground.html byte for byte, and exits 0', async () => {
    const r = await matcalc(['playground']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(readFileSync(PAGE, 'utf8'));
  });

  it('the page loads nothing from outside: no links, no script or image sources, fonts as data: URLs, a CSP that forbids fetching', () => {
    const page = readFileSync(PAGE, 'utf8');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    const markup = page.replace(/<script[^>]*>[^]*?<\/script>/g, '');
    expect(markup).not.toMatch(/<link\b|<img\b|<iframe\b|\bsrc=/i);
    expect([...markup.matchAll(/url\(([^)]*)\)/g)].filter((m) => !m[1]!.startsWith('data:'))).toEqual([]);
    expect(markup).toContain(`content="default-src &#39;none&#39;;`);
    expect(page.match(/<script\b/g)).toHaveLength(2);
  });

  it('is listed in --help', async () => {
    const r = await matcalc(['--help']);
    expect(r.stdout).toMatch(/^\s+playground /m);
  });
});

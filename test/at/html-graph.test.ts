import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { formatHtml } from '../../src/emit/document.js';
import { run } from '../../src/pipeline.js';

/**
 * The HTML page's "Computational graph": an SVG drawn at write time (no script), checked in the
 * page as written and in the DOM headless Chromium builds from it (networking off), with a
 * screenshot in test-output/e2e/graph-at.png. The notes' (x + y)z at x = −2, y = 5, z = −4.
 */
const CHROMIUM = '/usr/bin/chromium';
const OUT = resolve(import.meta.dirname, '..', '..', 'test-output', 'e2e');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the Chromium graph test: ${CHROMIUM} not found (CI installs it in .ci/run)`);

function page(): string {
  const r = run({ expression: 'q = x + y; q*z', wrt: 'x,y,z', at: 'x=-2, y=5, z=-4', steps: true });
  if (!r.ok) throw new Error(r.diagnostics[0]!.message);
  return formatHtml(r.value, { steps: true, standalone: false });
}

function chromium(args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const profile = mkdtempSync(join(tmpdir(), 'matcalc-chromium-'));
  try {
    const r = spawnSync(
      CHROMIUM,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, ...args],
      { encoding: 'utf8', timeout: 20_000, maxBuffer: 64 * 1024 * 1024 },
    );
    if (r.error) throw r.error;
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

describe('the computational graph in the HTML page', () => {
  test('an inline SVG, no script: the nodes with their values and gradients, the edges with theirs', () => {
    const html = page();
    expect(html).toContain('<h2>Computational graph</h2>');
    expect(html).not.toMatch(/<script/i);
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
    for (const text of ['q = +', '= 3', '= -12', '∂f: -4', '∂f: 3', '= -2', '= 5', '= -4']) expect(svg).toContain(text);
  });

  test.skipIf(!haveChromium)('Chromium builds the SVG nodes and edge labels into the DOM; a screenshot', () => {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'graph-at.html');
    writeFileSync(file, page());
    const url = pathToFileURL(file).href;
    const dom = chromium(['--dump-dom', url]);
    expect(dom.status, dom.stderr).toBe(0);
    const svg = dom.stdout.slice(dom.stdout.indexOf('<svg'), dom.stdout.indexOf('</svg>') + 6);
    expect((svg.match(/<g class="node[ "]/g) ?? []).length).toBe(5);
    expect(svg).toContain('∂f: -4');
    // The four edges, each with the gradient flowing back along it.
    expect((svg.match(/class="adjoint"/g) ?? []).length).toBe(4);
    const png = join(OUT, 'graph-at.png');
    rmSync(png, { force: true });
    const shot = chromium([`--screenshot=${png}`, '--window-size=1000,1600', url]);
    expect(shot.status, shot.stderr).toBe(0);
    expect(existsSync(png)).toBe(true);
  }, 60_000);
});

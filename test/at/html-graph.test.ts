import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { formatHtml } from '../../src/emit/document.js';
import { run } from '../../src/pipeline.js';
import { CHROMIUM, haveChromium, launchChromium, loadPage } from '../helpers/chromium.js';

/**
 * The HTML page's "Computational graph": an SVG drawn at write time (no script), checked in the
 * page as written and in the DOM headless Chromium builds from it (networking off), with a
 * screenshot in test-output/e2e/graph-at.png. The notes' (x + y)z at x = −2, y = 5, z = −4.
 */
const OUT = resolve(import.meta.dirname, '..', '..', 'test-output', 'e2e');
if (!haveChromium) console.warn(`skipping the Chromium graph test: ${CHROMIUM} not found (CI installs it in .ci/run)`);

function page(): string {
  const r = run({ expression: 'q = x + y; q*z', wrt: 'x,y,z', at: 'x=-2, y=5, z=-4', steps: true });
  if (!r.ok) throw new Error(r.diagnostics[0]!.message);
  return formatHtml(r.value, { steps: true, standalone: false });
}

describe('the computational graph in the HTML page', () => {
  test('an inline SVG, no script: the nodes with their values and gradients, the edges with theirs', () => {
    const html = page();
    expect(html).toContain('<h2>Computational graph</h2>');
    expect(html).not.toMatch(/<script/i);
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
    for (const text of ['q = +', '= 3', '= -12', '∂f: -4', '∂f: 3', '= -2', '= 5', '= -4']) expect(svg).toContain(text);
  });

  test.skipIf(!haveChromium)('Chromium builds the SVG nodes and edge labels into the DOM; a screenshot', async () => {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'graph-at.html');
    writeFileSync(file, page());
    const png = join(OUT, 'graph-at.png');
    // One Chromium for the DOM and the screenshot (test/helpers/chromium.ts).
    const browser = await launchChromium();
    try {
      const { dom, errors } = await loadPage(browser, pathToFileURL(file).href, { width: 1000, height: 1600 }, png);
      expect(errors).toEqual([]);
      const svg = dom.slice(dom.indexOf('<svg'), dom.indexOf('</svg>') + 6);
      expect((svg.match(/<g class="node[ "]/g) ?? []).length).toBe(5);
      expect(svg).toContain('∂f: -4');
      // The four edges, each with the gradient flowing back along it.
      expect((svg.match(/class="adjoint"/g) ?? []).length).toBe(4);
    } finally {
      await browser.close();
    }
    expect(existsSync(png)).toBe(true);
  }, 60_000);
});

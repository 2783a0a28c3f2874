import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatHtml } from '../../src/emit/document.js';
import { FORMATS } from '../../src/emit/formats.js';
import { derivative, gradient } from '../../src/pipeline.js';
import { CHROMIUM, haveChromium, launchChromium, loadPage } from '../helpers/chromium.js';

/**
 * The HTML page in a real browser: headless Chromium loads it from a file:// URL with networking
 * off, and the DOM it builds must hold KaTeX's output and no error. One browser serves every page
 * (test/helpers/chromium.ts). CI installs Chromium (.ci/run).
 */
const OUT = resolve(import.meta.dirname, '..', '..', 'test-output', 'e2e');
if (!haveChromium) console.warn(`skipping the Chromium end-to-end test: ${CHROMIUM} not found (CI installs it in .ci/run)`);

let browser: Browser | undefined;

/**
 * Writes the page to test-output/e2e/NAME.html, loads it in Chromium with the window 1200 × height,
 * checks that KaTeX rendered it without an error and takes a screenshot (NAME.png); returns the DOM
 * Chromium built.
 */
async function renderPage(name: string, html: string, height: number): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const page = join(OUT, `${name}.html`);
  writeFileSync(page, html);
  const png = join(OUT, `${name}.png`);
  const { dom, errors } = await loadPage(browser!, pathToFileURL(page).href, { width: 1200, height }, png);
  expect(errors).toEqual([]);
  expect(dom).toContain('katex-html');
  expect(dom).not.toContain('katex-error');
  expect(dom).toContain('check passed');
  expect(existsSync(png)).toBe(true);
  expect(statSync(png).size).toBeGreaterThan(5 * 1024);
  return dom;
}

describe.skipIf(!haveChromium)('the HTML page in headless Chromium', () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('renders the gradient of aᵀexp(Xb) with its derivation', async () => {
    const r = gradient({ expression: 'aᵀexp(Xb)', wrt: 'X', steps: true });
    if (!r.ok) throw new Error('gradient failed');
    const dom = await renderPage('grad', formatHtml(r.value, { steps: true, standalone: false }), 900);
    expect(dom).toContain('exp');
    expect(dom).toContain('⊙');
    expect(dom).toContain('\\odot');
  }, 45_000);

  test('renders the Hessian of the logistic loss (hess --format html)', async () => {
    const r = derivative({ command: 'hess', expression: '-yᵀlog σ(Xw) - (1 - y)ᵀlog(1 - σ(Xw))', wrt: 'w', steps: true });
    if (!r.ok) throw new Error('hess failed');
    const dom = await renderPage('hess', FORMATS.html!(r.value, { steps: true, standalone: false }), 1100);
    expect(dom).toContain('\\nabla^2_{w} f');
    expect(dom).toContain('\\langle V, H[V] \\rangle');
  }, 45_000);

  test('a hostile input and Greek capitals: the page shows them as text, runs nothing, renders every formula', async () => {
    const r = gradient({ expression: "Α'*Ω*Α + sum(Ω)", wrt: 'Α,Ω', dims: 'Α=3', steps: true });
    if (!r.ok) throw new Error(r.diagnostics[0]!.message);
    // The input as a hostile caller of the library could hand it to the emitter.
    const source = "Α'*Ω*Α</pre><script>document.title='PWNED'</script><img src=x onerror=alert(1)>\u001b]0;PWNED\u0007";
    const dom = await renderPage('hostile', formatHtml({ ...r.value, source: { name: '<input>', text: source } }), 1000);
    expect(dom).not.toMatch(/<script|<img/);
    expect(dom).not.toContain('<title>PWNED');
    expect(dom).toContain('&lt;script&gt;');
    expect(dom).toContain('U+001B]0;PWNED');
    expect(dom).toContain('\\mathrm{A}');
  }, 45_000);
});

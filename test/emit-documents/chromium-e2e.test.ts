import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { formatHtml } from '../../src/emit/document.js';
import { FORMATS } from '../../src/emit/formats.js';
import { derivative, gradient } from '../../src/pipeline.js';

/**
 * The HTML page in a real browser: headless Chromium loads it from a file:// URL with networking
 * off, and the DOM it builds must hold KaTeX's output and no error. CI installs Chromium (.ci/run).
 */
const CHROMIUM = '/usr/bin/chromium';
const OUT = resolve(import.meta.dirname, '..', '..', 'test-output', 'e2e');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the Chromium end-to-end test: ${CHROMIUM} not found (CI installs it in .ci/run)`);

function chromium(args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const profile = mkdtempSync(join(tmpdir(), 'matcalc-chromium-'));
  try {
    const r = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { encoding: 'utf8', timeout: 20_000, maxBuffer: 64 * 1024 * 1024 },
    );
    if (r.error) throw r.error;
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Writes the page to test-output/e2e/NAME.html, loads it in Chromium, checks that KaTeX rendered
 * it without an error and takes a screenshot (NAME.png); returns the DOM Chromium built.
 */
function renderPage(name: string, html: string, height: number): string {
  mkdirSync(OUT, { recursive: true });
  const page = join(OUT, `${name}.html`);
  writeFileSync(page, html);
  const url = pathToFileURL(page).href;

  const dom = chromium(['--dump-dom', url]);
  expect(dom.status, dom.stderr).toBe(0);
  expect(dom.stdout).toContain('katex-html');
  expect(dom.stdout).not.toContain('katex-error');
  expect(dom.stdout).toContain('check passed');

  const png = join(OUT, `${name}.png`);
  rmSync(png, { force: true });
  const shot = chromium([`--screenshot=${png}`, `--window-size=1200,${height}`, url]);
  expect(shot.status, shot.stderr).toBe(0);
  expect(existsSync(png)).toBe(true);
  expect(statSync(png).size).toBeGreaterThan(5 * 1024);
  return dom.stdout;
}

describe.skipIf(!haveChromium)('the HTML page in headless Chromium', () => {
  test('renders the gradient of aᵀexp(Xb) with its derivation', () => {
    const r = gradient({ expression: 'aᵀexp(Xb)', wrt: 'X', steps: true });
    if (!r.ok) throw new Error('gradient failed');
    const dom = renderPage('grad', formatHtml(r.value, { steps: true, standalone: false }), 900);
    expect(dom).toContain('exp');
    expect(dom).toContain('⊙');
    expect(dom).toContain('\\odot');
  }, 45_000);

  test('renders the Hessian of the logistic loss (hess --format html)', () => {
    const r = derivative({ command: 'hess', expression: '-yᵀlog σ(Xw) - (1 - y)ᵀlog(1 - σ(Xw))', wrt: 'w', steps: true });
    if (!r.ok) throw new Error('hess failed');
    const dom = renderPage('hess', FORMATS.html!(r.value, { steps: true, standalone: false }), 1100);
    expect(dom).toContain('\\nabla^2_{w} f');
    expect(dom).toContain('\\langle V, H[V] \\rangle');
  }, 45_000);

  test('a hostile input and Greek capitals: the page shows them as text, runs nothing, renders every formula', () => {
    const r = gradient({ expression: "Α'*Ω*Α + sum(Ω)", wrt: 'Α,Ω', dims: 'Α=3', steps: true });
    if (!r.ok) throw new Error(r.diagnostics[0]!.message);
    // The input as a hostile caller of the library could hand it to the emitter.
    const source = "Α'*Ω*Α</pre><script>document.title='PWNED'</script><img src=x onerror=alert(1)>\u001b]0;PWNED\u0007";
    const dom = renderPage('hostile', formatHtml({ ...r.value, source: { name: '<input>', text: source } }), 1000);
    expect(dom).not.toMatch(/<script|<img/);
    expect(dom).not.toContain('<title>PWNED');
    expect(dom).toContain('&lt;script&gt;');
    expect(dom).toContain('U+001B]0;PWNED');
    expect(dom).toContain('\\mathrm{A}');
  }, 45_000);
});

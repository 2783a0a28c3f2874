import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { matcalc } from '../json/helpers.js';

/**
 * The playground page (dist/playground.html, built by `npm run build`) end to end in a real
 * browser: Debian's headless Chromium driven by playwright-core (which never downloads a browser),
 * the page opened from a file:// URL. For several inputs, opened as a URL-hash state, the page's
 * answer must be the CLI's answer for the same input, character for character: the `f = …` line,
 * the result lines, or the error with its caret. Then typing into the expression box must change
 * the answer, no request may leave the page, and a screenshot goes to test-output/playground/.
 */
const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '..', '..');
const PAGE = join(ROOT, 'dist', 'playground.html');
const OUT = join(ROOT, 'test-output', 'playground');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the playground end-to-end test: ${CHROMIUM} not found (CI installs it in .ci/run)`);

interface State {
  readonly expr: string;
  readonly wrt: string;
  readonly dims?: string;
  readonly assume?: string;
  readonly cmd: 'grad' | 'diff' | 'jac' | 'hess';
}

function hashOf(s: State): string {
  const pairs: [string, string | undefined][] = [['expr', s.expr], ['wrt', s.wrt], ['dims', s.dims], ['assume', s.assume], ['cmd', s.cmd]];
  return `#${pairs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&')}`;
}

/** The CLI's answer for a state: the `f = …` line and the result lines (up to `shapes`), or the rendered error. */
async function cliAnswer(s: State): Promise<{ read: string; result: string } | { error: string }> {
  const args = [s.cmd, s.expr, '--wrt', s.wrt, ...(s.dims ? ['--dims', s.dims] : []), ...(s.assume ? ['--assume', s.assume] : [])];
  const r = await matcalc(args);
  if (r.code === 2) return { error: r.stderr.replace(/\n$/, '') };
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.split('\n');
  const end = lines.findIndex((l) => l.startsWith('shapes'));
  return { read: lines[0]!, result: lines.slice(1, end).join('\n') };
}

/** Waits until the page shows an answer or an error for the expression now in its box (no run pending). */
async function settled(page: Page, expr: string): Promise<void> {
  await page.waitForFunction(
    (e) => {
      const box = document.querySelector<HTMLTextAreaElement>('[data-testid=expr]');
      const error = document.querySelector<HTMLElement>('[data-testid=error]');
      const answer = document.querySelector('[data-testid=gradient]')?.textContent ?? '';
      return box?.value === e && document.body.dataset.pending === undefined && (answer !== '' || (error !== null && !error.hidden));
    },
    expr,
    { timeout: 15_000 },
  );
}

async function pageAnswer(page: Page): Promise<{ read: string; result: string } | { error: string }> {
  const errorShown = await page.locator('[data-testid=error]').isVisible();
  if (errorShown) return { error: (await page.locator('[data-testid=error]').textContent()) ?? '' };
  return { read: (await page.locator('[data-testid=read]').textContent()) ?? '', result: (await page.locator('[data-testid=gradient]').textContent()) ?? '' };
}

/**
 * A generated Python module with the numbers of its embedded sample inputs rounded to 12 digits.
 * Those inputs come from the seeded sampler, whose normal draws go through Math.log, and
 * Chromium's V8 and Node 20's differ in the last bit of Math.log/exp/pow for about one argument
 * in ten: the page and the CLI then embed inputs that differ in the 17th digit. Everything else
 * must be the same text.
 */
function moduleShape(module: string): string {
  return module
    .split('\n')
    .map((line) => (/^\s+"[^"]+": (np\.array|torch\.tensor)\(/.test(line) ? line.replace(/-?\d+\.\d+(e-?\d+)?/g, (x) => Number(x).toPrecision(12)) : line))
    .join('\n');
}

const CASES: readonly State[] = [
  { expr: "x'*A*x", wrt: 'x', cmd: 'grad' },
  { expr: 'aᵀexp(Xb)', wrt: 'X', dims: 'X=3x4', cmd: 'grad' },
  { expr: 'log det S - tr(S*C)', wrt: 'S', assume: 'S:spd', cmd: 'grad' },
  { expr: 'σ(Wx)', wrt: 'x', cmd: 'jac' },
  { expr: 'norm2(A*x - y)^2 + λ*xᵀx', wrt: 'x', cmd: 'hess' },
  { expr: 'tr(A*(X', wrt: 'X', cmd: 'grad' },
  { expr: 'A*x + b', wrt: 'x', dims: 'A=3x4,x=3', cmd: 'grad' },
];

describe.skipIf(!haveChromium)('the playground page in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];
  const url = pathToFileURL(PAGE).href;

  beforeAll(async () => {
    if (!existsSync(PAGE)) throw new Error(`${PAGE} is missing: run npm run build`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
    // offline: the browser's network emulated as down, as well as no request allowed out (below).
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, offline: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('opened at a hash state, it answers as the CLI does (grad, dims, assumptions, jac, hess, syntax and shape errors); typing changes the answer; nothing goes to the network', async () => {
    const expected = await Promise.all(CASES.map(cliAnswer));
    // The first state is a fresh load; the others are links followed within the page (hashchange).
    for (const [i, state] of CASES.entries()) {
      await page.goto(`${url}${hashOf(state)}`);
      await settled(page, state.expr);
      expect(await pageAnswer(page), `${state.cmd} ${state.expr}`).toEqual(expected[i]);
    }
    // The errors really were errors, with the caret under the input (not a result shown as text).
    expect(expected[5]).toMatchObject({ error: expect.stringMatching(/error\[MC1\d+\][^]*\n {2}\| +\^/) });
    expect(expected[6]).toMatchObject({ error: expect.stringMatching(/error\[MC2\d+\]: cannot multiply[^]*\^/) });

    // Typing: the answer follows the box, and the hash follows the answer.
    await page.goto(`${url}${hashOf(CASES[0]!)}`);
    await settled(page, CASES[0]!.expr);
    const typed = "x'*A*x + bᵀx";
    await page.locator('[data-testid=expr]').fill('');
    await page.locator('[data-testid=expr]').pressSequentially(typed, { delay: 20 });
    await settled(page, typed);
    const afterTyping = await cliAnswer({ expr: typed, wrt: 'x', cmd: 'grad' });
    expect(await pageAnswer(page)).toEqual(afterTyping);
    expect(afterTyping).not.toEqual(expected[0]);
    expect(await page.evaluate(() => decodeURIComponent(location.hash))).toBe(`#expr=${typed}&wrt=x&cmd=grad`);

    // The check and the derivation are shown; the code buttons are there (PyTorch for grad).
    await expect.poll(() => page.locator('[data-testid=check]').textContent()).toMatch(/^passed: relative error/);
    await page.locator('[data-testid=derivation] summary').click();
    await expect.poll(() => page.locator('#derivation-math .katex').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=copy-torch]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=numpy-code]').textContent()).toContain('def f_and_grad_x(');

    // The copy buttons put the CLI's --format latex output and the NumPy / PyTorch modules on the clipboard.
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    await page.locator('[data-testid=copy-latex]').click();
    await expect.poll(clipboard).toBe((await matcalc(['grad', typed, '--wrt', 'x', '--format', 'latex'])).stdout);
    for (const format of ['numpy', 'torch']) {
      await page.locator(`[data-testid=copy-${format}]`).click();
      await expect.poll(async () => moduleShape(await clipboard())).toEqual(moduleShape((await matcalc(['grad', typed, '--wrt', 'x', '--format', format])).stdout));
    }

    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'playground.png'), fullPage: true });

    // Switching the command to hess: its NumPy and PyTorch modules, as the CLI writes them.
    await page.locator('[data-testid=cmd]').selectOption('hess');
    // The grad answer also starts with ∇_x f: wait for the Hessian's own line, with no run pending.
    await expect.poll(() => page.locator('[data-testid=gradient]').textContent()).toMatch(/∇²_x f = /);
    await settled(page, typed);
    expect(await pageAnswer(page)).toEqual(await cliAnswer({ expr: typed, wrt: 'x', cmd: 'hess' }));
    expect(await page.locator('[data-testid=copy-numpy]').isVisible()).toBe(true);
    await page.locator('[data-testid=copy-torch]').click();
    await expect.poll(async () => moduleShape(await clipboard())).toEqual(moduleShape((await matcalc(['hess', typed, '--wrt', 'x', '--format', 'torch'])).stdout));

    // Nothing but the page itself and in-memory URLs: data: (fonts) and blob: (the engine's worker,
    // made from the page's own script; that it is there shows the answers came from the worker).
    const outside = requests.filter((r) => !r.startsWith(url.replace(/#.*/, '')) && !r.startsWith('data:') && !r.startsWith('blob:'));
    expect(outside).toEqual([]);
    expect(requests.some((r) => r.startsWith('blob:')), 'the engine ran in its worker').toBe(true);
    expect(problems).toEqual([]);
  });

  test('new input does not wait for a long stale run: the worker running it is dropped', async () => {
    let network = 'x';
    for (let i = 1; i <= 160; i++) network = `tanh(W${i}*${network})`;
    const heavy: State = { expr: `sum(${network})`, wrt: 'x', cmd: 'hess' }; // seconds of work
    await page.goto('about:blank');
    const workers = () => requests.filter((r) => r.startsWith('blob:')).length;
    const before = workers();
    await page.goto(`${url}${hashOf(heavy)}`);
    await expect.poll(workers).toBe(before + 1); // the page's worker
    await expect.poll(() => page.locator('[data-testid=status]').textContent()).toBe('Computing…');
    const light = "x'*A*x";
    await page.locator('[data-testid=expr]').fill(light);
    await settled(page, light);
    expect(await pageAnswer(page)).toEqual(await cliAnswer({ expr: light, wrt: 'x', cmd: 'hess' }));
    expect(workers(), 'a fresh worker took the new input').toBe(before + 2);
  });

  test('without Web Workers, the engine runs in the page and answers the same', async () => {
    const context = await browser.newContext({ offline: true });
    try {
      const tab = await context.newPage();
      await tab.addInitScript(() => {
        Reflect.deleteProperty(window, 'Worker');
      });
      const seen: string[] = [];
      tab.on('request', (r) => seen.push(r.url()));
      const s = CASES[1]!;
      await tab.goto(`${url}${hashOf(s)}`);
      await settled(tab, s.expr);
      expect(await pageAnswer(tab)).toEqual(await cliAnswer(s));
      expect(seen.filter((r) => r.startsWith('blob:'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('the input is shown as text, never as HTML', async () => {
    const hostile = '<img src=x onerror="document.title=1">';
    await page.goto(`${url}${hashOf({ expr: hostile, wrt: 'x', cmd: 'grad' })}`);
    await settled(page, hostile);
    expect(await page.locator('[data-testid=error]').textContent()).toContain(hostile);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.title()).toBe('matcalc playground');
  });

  test("draws f's computational graph with the adjoints on its edges, names kept as text", async () => {
    const state: State = { expr: 'q = x + y; q*z', wrt: 'x,y,z', cmd: 'grad' };
    await page.goto(`${url}${hashOf(state)}`);
    await settled(page, state.expr);
    await page.locator('[data-testid=graph] summary').click();
    const picture = page.locator('[data-testid=graph-picture] svg');
    await expect.poll(() => picture.locator('g.node').count()).toBe(5); // x, y, q = x + y, z, q·z
    expect(await picture.locator('g.edge').count()).toBe(4);
    const adjoints = await picture.locator('text.adjoint').allTextContents();
    expect(adjoints.sort()).toEqual(['q', 'z', 'z', 'z']);
    expect(await picture.locator('g.node text').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^q = \+/)]));
    mkdirSync(OUT, { recursive: true });
    await page.locator('[data-testid=graph]').screenshot({ path: join(OUT, 'graph.png') });
  });
});

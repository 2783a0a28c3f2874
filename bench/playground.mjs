// The playground page (dist/playground.html): its weight in bytes (what each part costs) and the
// time to the first result in headless Chromium, from navigation start to the first answer shown
// (the engine's worker started and run, KaTeX typeset), for a few states, over several fresh loads
// (median, min, max). Also the time of a run after the page is up (typing: one more expression,
// worker + KaTeX, without the debounce wait). Prints a
// table; asserts nothing (a shared machine is noisy). Run with `node bench/playground.mjs` after
// `npm run build`; needs /usr/bin/chromium (never downloads a browser). BENCH_LOADS sets the loads.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const page = fileURLToPath(new URL('../dist/playground.html', import.meta.url));
if (!existsSync(page)) {
  console.error(`${page} is missing: run npm run build`);
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: the playground bench needs Debian's chromium`);
  process.exit(1);
}

// ---- weight ----
const html = readFileSync(page, 'utf8');
const bytes = (s) => Buffer.byteLength(s);
const between = (open, close) => [...html.matchAll(new RegExp(`${open}([^]*?)${close}`, 'g'))].map((m) => m[1]);
const styles = between('<style>', '</style>');
const scripts = between('<script[^>]*>', '</script>');
const engine = between('<script type="text/plain" id="matcalc-engine">', '</script>');
const fonts = [...styles.join('').matchAll(/url\(data:font\/woff2;base64,([^)]*)\)/g)].reduce((n, m) => n + m[1].length, 0);
const kib = (n) => `${(n / 1024).toFixed(0).padStart(6)} KiB`;
console.log('playground page weight');
console.log(`  total                       ${kib(bytes(html))}  (${bytes(html)} bytes)`);
console.log(`  scripts (engine, page)      ${kib(bytes(scripts.join('')))}`);
console.log(`    engine (the worker's)     ${kib(bytes(engine.join('')))}`);
console.log(`    page (UI and KaTeX)       ${kib(bytes(scripts.join('')) - bytes(engine.join('')))}`);
console.log(`  KaTeX CSS, fonts inline     ${kib(bytes(styles[0] ?? ''))}  (of which woff2 fonts as base64: ${kib(fonts).trim()})`);
console.log(`  page CSS and markup         ${kib(bytes(html) - bytes(scripts.join('')) - bytes(styles[0] ?? ''))}`);

// ---- time to first result ----
const hash = (s) =>
  `#${Object.entries(s)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&')}`;
const states = [
  { name: "grad x'Ax", state: { expr: "x'*A*x", wrt: 'x', cmd: 'grad' } },
  { name: 'grad aᵀexp(Xb), X 3×4', state: { expr: 'aᵀexp(Xb)', wrt: 'X', dims: 'X=3x4', cmd: 'grad' } },
  { name: 'hess logistic loss', state: { expr: '-yᵀlog σ(Xw) - (1 - y)ᵀlog(1 - σ(Xw))', wrt: 'w', cmd: 'hess' } },
];
const loads = Number(process.env.BENCH_LOADS ?? 5);
const url = pathToFileURL(page).href;
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const ms = (x) => `${x.toFixed(0).padStart(5)} ms`;

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
try {
  console.log(`\ntime to first result in headless Chromium (file:// URL, ${loads} fresh loads each; from navigation start)`);
  console.log('  state                              median        min        max   engine run (median)');
  for (const { name, state } of states) {
    const first = [];
    const engine = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(`${url}${hash(state)}`);
      await tab.waitForFunction(() => performance.getEntriesByName('matcalc:first-result').length > 0, null, { timeout: 30_000 });
      first.push(await tab.evaluate(() => performance.getEntriesByName('matcalc:first-result')[0].startTime));
      const status = await tab.locator('[data-testid=status]').textContent();
      engine.push(Number(/in ([\d.]+) ms/.exec(status ?? '')?.[1] ?? NaN));
      await context.close();
    }
    const f = stats(first);
    console.log(`  ${name.padEnd(30)} ${ms(f.median)} ${ms(f.min)} ${ms(f.max)}   ${ms(stats(engine).median)}`);
  }

  // A run once the page is up: what typing costs after the debounce (engine and KaTeX together).
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(`${url}${hash(states[0].state)}`);
  await tab.waitForFunction(() => performance.getEntriesByName('matcalc:first-result').length > 0);
  const runs = [];
  for (let i = 0; i < loads; i++) {
    const expr = `x'*A*x + ${i + 2}*bᵀx`;
    const started = await tab.evaluate(() => performance.now());
    await tab.evaluate((e) => {
      location.hash = `expr=${encodeURIComponent(e)}&wrt=x&cmd=grad`;
    }, expr);
    // The hashchange handler fills the box and sends it to the engine's worker at once; the page
    // marks the run pending until the answer is shown.
    await tab.waitForFunction((e) => document.querySelector('[data-testid=expr]')?.value === e && document.body.dataset.pending === undefined, expr);
    runs.push((await tab.evaluate(() => performance.now())) - started);
  }
  const r = stats(runs);
  console.log(`\na new expression in a loaded page (hash change → answer shown): median ${ms(r.median).trim()}, min ${ms(r.min).trim()}, max ${ms(r.max).trim()}`);
  await context.close();
} finally {
  await browser.close();
}

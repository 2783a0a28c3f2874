import { existsSync, rmSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Headless Chromium for the page tests: Debian's /usr/bin/chromium, driven by playwright-core (which
 * never downloads a browser). A file starts one browser and loads each of its pages in it: a Chromium
 * start costs ~2 s of CPU and several seconds of wall, and a start per DOM dump and per screenshot
 * (chromium --dump-dom, --screenshot) was most of those files' time. CI installs it (.ci/run).
 */
export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
}

/**
 * Loads `url` in a fresh offline context with a window of `width` × `height` (as `chromium
 * --window-size`), waits for the load event (as --dump-dom does), and returns the DOM Chromium built
 * (as --dump-dom prints it) and the page errors it reported; the screenshot of the window goes to `png`.
 */
export async function loadPage(browser: Browser, url: string, size: { width: number; height: number }, png: string): Promise<{ dom: string; errors: string[] }> {
  const context = await browser.newContext({ viewport: size, offline: true });
  try {
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    await tab.goto(url, { waitUntil: 'load' });
    const dom = await tab.content();
    rmSync(png, { force: true });
    await tab.screenshot({ path: png });
    return { dom, errors };
  } finally {
    await context.close();
  }
}

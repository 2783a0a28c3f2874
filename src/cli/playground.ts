import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { visibleControls } from '../emit/escape.js';
import { ExitCode } from './exit-codes.js';

/**
 * `matcalc playground > page.html`: prints the playground page, built by `npm run build`
 * (scripts/bundle-playground.mjs) into dist/playground.html. The page is one self-contained file
 * (the engine, KaTeX and its fonts inside) that works offline from a file:// URL.
 */

/** dist/playground.html, from dist/src/cli/ (the module, or the bundled script beside it). */
function pagePath(): string {
  return fileURLToPath(new URL('../../playground.html', import.meta.url));
}

function runPlayground(): number {
  // 1.2 MB of HTML and minified script is no use on a terminal (as gzip will not write to one).
  if (process.stdout.isTTY) {
    process.stderr.write('error: matcalc playground writes an HTML page to standard output; redirect it to a file: matcalc playground > page.html\n');
    return ExitCode.BadInput;
  }
  const path = pagePath();
  let page: string;
  try {
    page = readFileSync(path, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it has not been built' : (error as Error).message;
    process.stderr.write(`error: cannot read the playground page ${visibleControls(path)}: ${visibleControls(why)}; run \`npm run build\` in the matcalc checkout\n`);
    return ExitCode.Internal;
  }
  process.stdout.write(page);
  return ExitCode.Ok;
}

/** Registers the command on the program; `done` receives the exit code. */
export function registerPlayground(program: Command, done: (code: number) => void): void {
  program
    .command('playground')
    .description('print the playground: one self-contained offline HTML page where you type an expression and see its derivative as you type')
    .addHelpText(
      'after',
      `
Examples:
  matcalc playground > page.html      # then open page.html in a browser; no network needed
  # a link to a given state: page.html#expr=x'*A*x&wrt=x&cmd=grad (values URL-encoded)`,
    )
    .action(() => {
      done(runPlayground());
    });
}

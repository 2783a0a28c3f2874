// Writes the man page, dist/man/matcalc.1, from the CLI's own help text (`matcalc --help` and
// `matcalc <command> --help` of the build just made), so `man matcalc` after a global install says
// exactly what --help says. package.json's "man" field makes npm install it. Run by `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}dist/src/cli/main.js`;
const out = `${root}dist/man/matcalc.1`;
const { version, description } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

function help(args) {
  return execFileSync(process.execPath, [cli, ...args, '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
}

/** A line of text for roff: backslashes doubled (as \e), a leading . or ' made literal. */
function roff(line) {
  const escaped = line.replace(/\\/g, '\\e').replace(/-/g, '\\-');
  return /^[.']/.test(escaped) ? `\\&${escaped}` : escaped;
}

/** Help text verbatim (no filling, no adjusting): commander already laid it out. */
function verbatim(text) {
  return ['.nf', ...text.replace(/\n+$/, '').split('\n').map(roff), '.fi'].join('\n');
}

const main = help([]);
const commands = [...main.matchAll(/^ {2}([a-z]+)(?: \[options\]| <[^>]+>| \[[^\]]+\])*\s{2,}/gm)].map((m) => m[1]).filter((c) => c !== 'help');

const date = new Date().toISOString().slice(0, 7);
const page = [
  `.TH MATCALC 1 "${date}" "matcalc ${version}" "User Commands"`,
  '.SH NAME',
  `matcalc \\- ${roff(description)}`,
  '.SH SYNOPSIS',
  '.B matcalc',
  '.I command',
  '[\\fIoptions\\fR] [\\fIexpression\\fR]',
  '.SH DESCRIPTION',
  verbatim(main),
  ...commands.flatMap((command) => [`.SH COMMAND: ${command.toUpperCase()}`, verbatim(help([command]))]),
  '.SH SEE ALSO',
  'The README of the package; \\fBmatcalc rules\\fR lists every identity matcalc applies.',
  '',
].join('\n');

mkdirSync(`${root}dist/man`, { recursive: true });
writeFileSync(out, page);
console.log(`man page: ${out} (${commands.length} commands)`);

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/emit/format-names.js';
import { scratchFolders } from '../helpers/scratch.js';
import { matcalc } from '../json/helpers.js';

/**
 * Shell completion and the man page, tried in their real consumers: the bash script is sourced by
 * bash and asked what it completes at several cursor positions; zsh and fish parse their scripts
 * (when installed; CI installs them); man renders the page the build wrote.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
// Made at collection: the file's first tests always run, so its afterAll removes the folder.
const dir = scratchFolders('completion')();

const has = (program: string) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;

describe('matcalc completion bash', () => {
  let script = '';
  beforeAll(async () => {
    const r = await matcalc(['completion', 'bash']);
    expect(r.code).toBe(0);
    script = path.join(dir, 'matcalc.bash');
    writeFileSync(script, r.stdout);
  });

  /** What bash offers for the words typed so far, the last one being completed. */
  function complete(...words: string[]): string[] {
    const all = ['matcalc', ...words];
    const program = `source ${JSON.stringify(script)}; COMP_WORDS=(${all.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ')}); COMP_CWORD=${all.length - 1}; _matcalc; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const run = spawnSync('bash', ['-c', program], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    return run.stdout.split('\n').filter((l) => l !== '').sort();
  }

  it('offers the commands first', () => {
    expect(complete('')).toEqual(expect.arrayContaining(['grad', 'diff', 'jac', 'hess', 'rules', 'schema', 'batch', 'playground', 'completion', '--help', '--version']));
    expect(complete('h')).toEqual(['hess']);
  });

  it("offers a command's options, and the values of --format and --layout", () => {
    expect(complete('grad', '--st')).toEqual(['--standalone', '--steps', '--structured']);
    expect(complete('diff', '--st')).toEqual(['--standalone', '--steps']);
    expect(complete('grad', '--format', '')).toEqual([...FORMAT_NAMES].sort());
    expect(complete('hess', '--format', 'n')).toEqual(['numpy']);
    expect(complete('jac', '--layout', '')).toEqual(['denominator', 'numerator']);
    expect(complete('grad', "x'*A*x", '--w')).toEqual(['--wrt']);
    expect(complete('rules', '--family', '')).toEqual(['pullback', 'simplify']);
  });

  it('offers the shells after completion', () => {
    expect(complete('completion', '')).toEqual(expect.arrayContaining(['bash', 'fish', 'zsh']));
  });
});

describe.each([
  ['zsh', ['-n']],
  ['fish', ['--no-execute']],
])('matcalc completion %s', (shell, check) => {
  const available = has(shell);
  if (!available) console.warn(`[matcalc] ${shell} is not installed: its completion script is only generated, not parsed (CI installs it)`);

  it(`is a script ${shell} parses, naming every command and format`, async () => {
    const r = await matcalc(['completion', shell]);
    expect(r.code).toBe(0);
    for (const word of ['grad', 'diff', 'jac', 'hess', 'batch', 'completion', ...FORMAT_NAMES]) expect(r.stdout).toContain(word);
    if (!available) return;
    const file = path.join(dir, `matcalc.${shell}`);
    writeFileSync(file, r.stdout);
    const run = spawnSync(shell, [...check, file], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
  });
});

describe('matcalc completion errors', () => {
  it('refuses a shell it has no script for, with the choices, exit 2', async () => {
    const r = await matcalc(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bash, zsh, fish');
    expect(r.stdout).toBe('');
  });
});

describe('the man page', () => {
  const page = path.join(root, 'dist', 'man', 'matcalc.1');

  it('is built from the help text, with a section per command', async () => {
    expect(existsSync(page)).toBe(true);
    const text = readFileSync(page, 'utf8');
    const help = (await matcalc(['--help'])).stdout;
    for (const command of ['grad', 'diff', 'jac', 'hess', 'rules', 'schema', 'batch', 'playground', 'completion']) {
      expect(help).toContain(command);
      expect(text).toContain(`.SH COMMAND: ${command.toUpperCase()}`);
    }
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { man: string[] };
    expect(pkg.man).toEqual(['./dist/man/matcalc.1']);
  });

  it.skipIf(!has('man'))('renders with man, without warnings, and says what --help says', async () => {
    const run = spawnSync('man', ['--warnings', '-l', page], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '100', MAN_KEEP_FORMATTING: '' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const rendered = run.stdout.replace(/.\x08/g, '');
    const gradHelp = (await matcalc(['grad', '--help'])).stdout;
    // Every option line of `grad --help` is in the page, as written.
    for (const line of gradHelp.split('\n').filter((l) => /^ {2}--/.test(l))) expect(rendered).toContain(line.trim());
  });
});

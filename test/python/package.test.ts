import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchFolders } from '../helpers/scratch.js';
import { bin, matcalc } from '../json/helpers.js';

/**
 * The Python package (python/) as a user gets it: a fresh virtual environment, `pip install` from
 * wheels on disk (no network), then its pytest tests and the example notebook executed headless
 * with nbclient and ipykernel. The environment is built once and shared by both tests.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const PYTHON = process.env.PYTHON ?? 'python3';

/** Wheels the tests install, by the file name's start; the first four are required. */
const NEEDED = ['pytest', 'numpy', 'setuptools', 'pluggy'] as const;
const NOTEBOOK = ['nbclient', 'ipykernel', 'nbformat'] as const;

/**
 * The folders holding the wheels: $MATCALC_PYTHON_WHEELS (set by .ci/run, which searched already),
 * else found the way .ci/run finds the torch wheel, under /opt first (quick) and then everywhere.
 */
function wheelFolders(): { folders: string[]; found: Set<string> } {
  const given = process.env.MATCALC_PYTHON_WHEELS;
  const names = [...NEEDED, ...NOTEBOOK];
  const search = (where: string) => {
    const args = [where, '(', ...names.flatMap((n, i) => [...(i ? ['-o'] : []), '-name', `${n}-*.whl`]), ')', '-not', '-path', '/proc/*'];
    return spawnSync('find', args, { encoding: 'utf8', maxBuffer: 16 << 20 }).stdout.split('\n').filter(Boolean);
  };
  let files: string[] = [];
  if (given) files = given.split(path.delimiter).flatMap((dir) => search(dir));
  for (const where of ['/opt', '/']) {
    if (files.some((f) => path.basename(f).startsWith('pytest-'))) break;
    files = search(where);
  }
  // The wheels a Python keeps for itself (ensurepip's, its own tests') are no wheel folder.
  files = files.filter((f) => !/\/lib\/python[\d.]+\/(test|ensurepip)\//.test(f));
  const found = new Set(names.filter((n) => files.some((f) => path.basename(f).startsWith(`${n}-`))));
  return { folders: [...new Set(files.map((f) => path.dirname(f)))], found };
}

const hasPython = spawnSync(PYTHON, ['-c', 'import venv'], { encoding: 'utf8' }).status === 0;
const wheels = hasPython ? wheelFolders() : { folders: [], found: new Set<string>() };
const missing = NEEDED.filter((n) => !wheels.found.has(n));
const missingNotebook = NOTEBOOK.filter((n) => !wheels.found.has(n));
const skip = !hasPython || missing.length > 0;
if (skip) {
  console.warn(`test/python/package.test.ts skipped: ${hasPython ? `no wheel of ${missing.join(', ')} on this machine` : `no ${PYTHON} with venv`}`);
} else if (missingNotebook.length > 0) {
  console.warn(`the notebook test is skipped: no wheel of ${missingNotebook.join(', ')} on this machine`);
}

function run(command: string, args: readonly string[], env: Record<string, string> = {}, cwd = root) {
  const out = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (out.error) throw out.error;
  return out;
}

describe.skipIf(skip)('the Python package in a fresh virtual environment', () => {
  const scratch = scratchFolders('python');
  let dir: string;
  let python: string;
  let env: Record<string, string>;

  beforeAll(() => {
    dir = scratch();
    const venv = path.join(dir, 'venv');
    python = path.join(venv, 'bin', 'python');
    // A venv without pip is made in a blink; the system's pip installs into it (pip ≥ 22.3 has
    // --python), else the venv gets its own pip.
    const pipVersion = /pip (\d+)\.(\d+)/.exec(run(PYTHON, ['-m', 'pip', '--version']).stdout);
    const outerPip = pipVersion !== null && (Number(pipVersion[1]) > 22 || (Number(pipVersion[1]) === 22 && Number(pipVersion[2]) >= 3));
    const made = run(PYTHON, ['-m', 'venv', ...(outerPip ? ['--without-pip'] : []), venv]);
    expect(made.status, made.stderr).toBe(0);
    const pip = outerPip ? [PYTHON, '-m', 'pip', '--python', python] : [python, '-m', 'pip'];
    const links = wheels.folders.flatMap((f) => ['--find-links', f]);
    const extra = missingNotebook.length === 0 ? [...NOTEBOOK] : [];
    const installed = run(pip[0]!, [...pip.slice(1), 'install', '--quiet', '--no-index', '--no-compile', '--disable-pip-version-check', ...links, './python[test]', ...extra]);
    expect(installed.status, installed.stderr).toBe(0);
    env = {
      MATCALC_CLI: bin,
      // Nothing of the user's Jupyter or IPython set-up (a kernelspec of another Python) is used.
      JUPYTER_DATA_DIR: path.join(dir, 'jupyter-data'),
      JUPYTER_RUNTIME_DIR: path.join(dir, 'jupyter-runtime'),
      JUPYTER_CONFIG_DIR: path.join(dir, 'jupyter-config'),
      JUPYTER_PATH: path.join(venv, 'share', 'jupyter'),
      IPYTHONDIR: path.join(dir, 'ipython'),
      PYTHONDONTWRITEBYTECODE: '1',
    };
  }, 240_000);

  it('installs as pure Python into the environment, not run from the source tree', () => {
    const out = run(python, ['-c', 'import matcalc, sys; print(matcalc.__file__); print(sys.prefix)'], env, dir);
    expect(out.status, out.stderr).toBe(0);
    const [file, prefix] = out.stdout.trim().split('\n');
    expect(file!.startsWith(prefix!)).toBe(true);
  });

  it('passes its pytest tests', () => {
    // --basetemp: pytest's tmp_path folders inside ours (by default it keeps three runs' in the temp dir).
    const out = run(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--basetemp', path.join(dir, 'pytest'), path.join(root, 'python', 'tests')], env, dir);
    expect(out.status, `${out.stdout}\n${out.stderr}`).toBe(0);
    const summary = /(\d+) passed/.exec(out.stdout);
    expect(summary, out.stdout).not.toBeNull();
    expect(Number(summary![1])).toBeGreaterThanOrEqual(30);
    expect(out.stdout).not.toMatch(/failed|error/);
  }, 120_000);

  it.skipIf(missingNotebook.length > 0)('executes the example notebook headless; its outputs are the rendered LaTeX of the CLI', async () => {
    const executed = path.join(dir, 'quickstart.out.ipynb');
    const script = path.join(root, 'test', 'python', 'execute_notebook.py');
    const out = run(python, [script, path.join(root, 'python', 'examples', 'quickstart.ipynb'), executed], env, dir);
    expect(out.status, out.stderr).toBe(0);
    type Output = { output_type: string; data?: Record<string, string | string[]>; text?: string | string[] };
    const notebook = JSON.parse(readFileSync(executed, 'utf8')) as { cells: { cell_type: string; source: string; outputs?: Output[] }[] };
    const code = notebook.cells.filter((c) => c.cell_type === 'code');
    const joined = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('') : (v ?? ''));
    for (const cell of code) expect(cell.outputs!.filter((o) => o.output_type === 'error')).toEqual([]);

    // The first cell displays g: LaTeX with the CLI's own gradient, HTML with the derivation.
    const cli = JSON.parse((await matcalc(['grad', 'aᵀexp(Xb)', '--wrt', 'X', '--dims', 'X=3x4', '--format', 'json'])).stdout) as {
      gradient: { latex: string };
      function: { latex: string };
      steps: { text: string }[];
    };
    const first = code[0]!.outputs!.find((o) => o.data?.['text/latex'] !== undefined)!;
    const latex = joined(first.data!['text/latex']);
    expect(latex).toMatch(/^\$\$\\begin\{aligned\}/);
    expect(latex).toContain(`\\nabla_{X} f &= ${cli.gradient.latex}`);
    expect(latex).toContain(`f &= ${cli.function.latex}`);
    const html = joined(first.data!['text/html']);
    expect(html).toContain('<details><summary>derivation');
    for (const step of cli.steps) expect(html).toContain(step.text);

    // Every result cell renders as math; the Hessian cell is the CLI's Hessian.
    const rendered = code.flatMap((c) => c.outputs!.filter((o) => o.data?.['text/latex'] !== undefined));
    expect(rendered.length).toBeGreaterThanOrEqual(4);
    const hess = JSON.parse((await matcalc(['hess', 'xᵀAx', '--wrt', 'x', '--assume', 'A:symmetric', '--format', 'json'])).stdout) as { hessian: { latex: string } };
    expect(rendered.some((o) => joined(o.data!['text/latex']).includes(`\\nabla^2_{x} f &= ${hess.hessian.latex}`))).toBe(true);

    // The function cell ran the generated NumPy code; the error cell printed the caret.
    const printed = code.flatMap((c) => c.outputs!.map((o) => joined(o.text) + joined(o.data?.['text/plain']))).join('\n');
    expect(printed).toContain('(3, 4)');
    expect(printed).toContain('MC1002 1 5\nxᵀ(A\n    ^');
  }, 120_000);
});

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { scratchFolders } from '../helpers/scratch.js';

/**
 * The bin (dist/src/cli/matcalc.js) is a shell script and an ES module at once (scripts/bundle-cli.mjs):
 * run as a program it starts Node from the start-up snapshot built from src/cli/snapshot.ts, when this
 * Node built it; run by Node it is the plain start. Both must answer byte for byte alike, and the
 * launcher must fall back to the plain start wherever the snapshot cannot be used.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(root, 'dist', 'src', 'cli');
const bin = path.join(cli, 'matcalc.js');
const env = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' };
// Made at collection (the runs' cwd): the file's tests always run, so its afterAll removes it, with
// the folders made inside it below.
const scratch = scratchFolders('snapshot')();

type Run = Pick<SpawnSyncReturns<string>, 'status' | 'stdout' | 'stderr'>;
const asProgram = (args: readonly string[], input?: string, options: { env?: NodeJS.ProcessEnv; file?: string } = {}): Run =>
  spawnSync(options.file ?? bin, args, { encoding: 'utf8', env: options.env ?? env, input, cwd: scratch });
const byNode = (args: readonly string[], input?: string): Run => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, input, cwd: scratch });
/** The launcher's trace under sh -x. */
const trace = (file: string, environment: NodeJS.ProcessEnv = env): string =>
  spawnSync('sh', ['-x', file, '--version'], { encoding: 'utf8', env: environment }).stderr;
/** Whether the launcher started Node from the snapshot. */
const startsFromSnapshot = (file: string, environment: NodeJS.ProcessEnv = env): boolean =>
  /exec \S*node --snapshot-blob /.test(trace(file, environment));
/** Whether the launcher started a Node of its own to ask its version. */
const asksVersion = (file: string): boolean => /node --version/.test(trace(file));
const same = (a: Run, b: Run): void => {
  expect(a.stderr).toBe(b.stderr);
  expect(a.stdout).toBe(b.stdout);
  expect(a.status).toBe(b.status);
};

test('the build wrote the snapshot for this Node, and the bin uses it without starting another Node first', () => {
  expect(readFileSync(path.join(cli, 'matcalc.snapshot.node'), 'utf8').trim()).toBe(process.version);
  // The Node that built it, by path and with that binary's modification time.
  const exe = path.join(cli, 'matcalc.snapshot.exe');
  expect(readFileSync(exe, 'utf8').trim()).toBe(process.execPath);
  expect(statSync(exe, { bigint: true }).mtimeNs).toBe(statSync(process.execPath, { bigint: true }).mtimeNs);
  expect(startsFromSnapshot(bin)).toBe(true);
  expect(asksVersion(bin)).toBe(false);
});

test('the launcher asks glibc for huge pages, keeping the user\'s own tunables', () => {
  const ours = 'glibc\\.malloc\\.hugetlb=1:glibc\\.malloc\\.mmap_threshold=16777216';
  expect(trace(bin)).toMatch(new RegExp(`export GLIBC_TUNABLES=${ours}\n`));
  expect(trace(bin, { ...env, GLIBC_TUNABLES: 'glibc.malloc.check=0' })).toMatch(new RegExp(`export GLIBC_TUNABLES=glibc\\.malloc\\.check=0:${ours}\n`));
  same(asProgram(['grad', 'aᵀx', '--wrt', 'x'], undefined, { env: { ...env, GLIBC_TUNABLES: 'glibc.malloc.check=0' } }), byNode(['grad', 'aᵀx', '--wrt', 'x']));
});

const CASES: readonly (readonly string[])[] = [
  ['grad', 'aᵀexp(Xb)', '--wrt', 'X'],
  ['grad', "sum(log(1 + exp(-y .* (X*w)))) + lambda*w'*w", '--wrt', 'w', '--steps'],
  ['grad', 'logdet(X) + tr(inv(X)*A)', '--wrt', 'X', '--format', 'json'],
  ['grad', 'logdet(X)', '--wrt', 'X', '--format', 'html'],
  ['grad', 'inv(X)*a', '--wrt', 'X', '--format', 'numpy'],
  ['hess', "x'*A*x + sum(exp(x))", '--wrt', 'x'],
  ['jac', 'softmax(W*x)', '--wrt', 'W', '--format', 'latex'],
  ['grad', "x'*", '--wrt', 'x'],
  ['grad', "x'*A*x", '--wrt', 'q', '--format', 'json'],
  ['grad', 'x', '--wrt', 'x', '--bogus'],
  ['--version'],
  ['--help'],
  ['rules', '--family', 'simplify'],
  ['completion', 'fish'],
];

describe.each(CASES.map((args) => [args.join(' '), args] as const))('matcalc %s', (_, args) => {
  test('from the snapshot as by the plain start', () => same(asProgram(args), byNode(args)));
});

test('input on stdin and a batch on two threads, from the snapshot', () => {
  same(asProgram(['grad', '-', '--wrt', 'x'], "x'*A*x + sum(tanh(B*x))"), byNode(['grad', '-', '--wrt', 'x'], "x'*A*x + sum(tanh(B*x))"));
  const lines = Array.from({ length: 150 }, (_, i) => JSON.stringify({ expr: `a'*X*b + ${i}*tr(X)`, wrt: 'X', id: i })).join('\n');
  const two = asProgram(['batch', '--no-check', '--jobs', '2', '-'], lines);
  expect(two.status).toBe(0);
  expect(two.stdout.split('\n').filter(Boolean)).toHaveLength(150);
  same(two, byNode(['batch', '--no-check', '-'], lines));
});

test('a symbolic link to the bin (npx, node_modules/.bin) starts from the snapshot, from any directory', () => {
  const link = path.join(scratch, 'matcalc');
  symlinkSync(bin, link);
  expect(startsFromSnapshot(link)).toBe(true);
  same(asProgram(['grad', 'aᵀx', '--wrt', 'x'], undefined, { file: link }), byNode(['grad', 'aᵀx', '--wrt', 'x']));
});

test('the node found first on the PATH is the one checked, through a symbolic link to it', () => {
  const folder = mkdtempSync(path.join(scratch, 'path-'));
  symlinkSync(process.execPath, path.join(folder, 'node'));
  const onPath = { ...env, PATH: `${path.join(scratch, 'no-such-folder')}:${folder}:${process.env.PATH ?? ''}` };
  const run = trace(bin, onPath);
  expect(run).toContain(`exec ${path.join(folder, 'node')} --snapshot-blob `);
  expect(run).not.toMatch(/node --version/);
  same(asProgram(['grad', 'aᵀx', '--wrt', 'x'], undefined, { env: onPath }), byNode(['grad', 'aᵀx', '--wrt', 'x']));
});

test('a PATH ending in ":" looks in the current folder too, as the shell\'s own lookup does', () => {
  const folder = mkdtempSync(path.join(scratch, 'cwd-'));
  symlinkSync(process.execPath, path.join(folder, 'node'));
  const run = spawnSync('/bin/sh', ['-x', bin, '--version'], { encoding: 'utf8', env: { ...env, PATH: `${path.join(scratch, 'no-such-folder')}:` }, cwd: folder });
  expect(run.stderr).toContain('exec ./node --snapshot-blob ');
  expect(run.stdout).toBe(byNode(['--version']).stdout);
});

test('NODE_EXTRA_CA_CERTS is not passed on: Node neither parses the bundle nor warns about a missing one', () => {
  const missing: NodeJS.ProcessEnv = { ...env, NODE_EXTRA_CA_CERTS: path.join(scratch, 'no-such-bundle.pem') };
  const plain = spawnSync(process.execPath, ['-e', '0'], { encoding: 'utf8', env: missing });
  expect(plain.stderr).toMatch(/Ignoring extra certs/); // what Node alone does with it
  for (const file of [bin, copyPackage()]) {
    // From the snapshot, and the plain start of a package without one (no stamp: another Node's blob).
    if (file !== bin) writeFileSync(path.join(path.dirname(file), 'matcalc.snapshot.node'), 'v0.0.0\n');
    const run = asProgram(['grad', 'aᵀx', '--wrt', 'x'], undefined, { env: missing, file });
    expect(run.stderr).not.toMatch(/certs/);
    same(run, byNode(['grad', 'aᵀx', '--wrt', 'x']));
  }
});

test('NODE_OPTIONS (flags the snapshot was not built with) falls back to the plain start', () => {
  const withOptions = { ...env, NODE_OPTIONS: '--no-warnings' };
  expect(startsFromSnapshot(bin, withOptions)).toBe(false);
  same(asProgram(['grad', 'aᵀx', '--wrt', 'x'], undefined, { env: withOptions }), byNode(['grad', 'aᵀx', '--wrt', 'x']));
});

/** A copy of the package's layout whose bin has its own files beside it (the rest linked); returns the bin. */
function copyPackage(): string {
  const copy = mkdtempSync(path.join(scratch, 'package-'));
  const copiedCli = path.join(copy, 'dist', 'src', 'cli');
  mkdirSync(copiedCli, { recursive: true });
  for (const entry of ['package.json', 'rules', 'node_modules']) symlinkSync(path.join(root, entry), path.join(copy, entry));
  symlinkSync(path.join(root, 'dist', 'rules-snapshot.json'), path.join(copy, 'dist', 'rules-snapshot.json'));
  for (const file of ['matcalc.js', 'matcalc.script.js', 'matcalc.script.cache', 'matcalc.snapshot']) cpSync(path.join(cli, file), path.join(copiedCli, file));
  return path.join(copiedCli, 'matcalc.js');
}
/** Writes the stamp of the Node that built the blob (path, with a modification time) beside a copied bin. */
function stampExe(copiedBin: string, exe: string, mtime: Date | undefined): void {
  const file = path.join(path.dirname(copiedBin), 'matcalc.snapshot.exe');
  writeFileSync(file, `${exe}\n`);
  if (mtime) utimesSync(file, mtime, mtime);
}

test('a snapshot of another Node, or none, falls back to the plain start', () => {
  for (const stamp of ['v0.0.0\n', undefined]) {
    const copiedBin = copyPackage();
    if (stamp !== undefined) writeFileSync(path.join(path.dirname(copiedBin), 'matcalc.snapshot.node'), stamp);
    expect(startsFromSnapshot(copiedBin)).toBe(false);
    same(asProgram(['grad', 'aᵀexp(Xb)', '--wrt', 'X'], undefined, { file: copiedBin }), byNode(['grad', 'aᵀexp(Xb)', '--wrt', 'X']));
  }
});

test('a stamp naming another file, or this Node at another time, is checked by its version instead', () => {
  const cases = [
    { exe: path.join(scratch, 'no-such-node'), mtime: undefined }, // not the PATH's node
    { exe: process.execPath, mtime: new Date(Date.UTC(2001, 0, 1)) }, // this Node, rewritten since
  ];
  for (const { exe, mtime } of cases) {
    const copiedBin = copyPackage();
    stampExe(copiedBin, exe, mtime);
    // The right version: the snapshot still, after asking it.
    writeFileSync(path.join(path.dirname(copiedBin), 'matcalc.snapshot.node'), `${process.version}\n`);
    expect(startsFromSnapshot(copiedBin)).toBe(true);
    expect(asksVersion(copiedBin)).toBe(true);
    // Another version: the plain start.
    writeFileSync(path.join(path.dirname(copiedBin), 'matcalc.snapshot.node'), 'v0.0.0\n');
    expect(startsFromSnapshot(copiedBin)).toBe(false);
    same(asProgram(['grad', 'aᵀx', '--wrt', 'x'], undefined, { file: copiedBin }), byNode(['grad', 'aᵀx', '--wrt', 'x']));
  }
});

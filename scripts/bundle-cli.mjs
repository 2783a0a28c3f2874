// Bundles the command line for start-up, in three files beside dist/src/cli/main.js (at the same
// depth, so the paths the code derives from import.meta.url — package.json, rules/,
// dist/rules-snapshot.json, node_modules — resolve as they do from the modules):
//
//   matcalc.js            the bin (package.json "bin"): a small ES module that runs the script below
//   matcalc.script.js     the whole command line, Chevrotain included, as ONE classic script
//   matcalc.script.cache  V8's compiled code for that script, written here after one warm run
//
// Why a classic script: Node 20 caches no compiled code for ES modules (module.enableCompileCache
// is Node 22), but vm.Script takes V8's `cachedData`, so compiling the bundle and Chevrotain and the
// lazy compilation of every function a small gradient reaches are read from the cache instead of
// redone on every run. V8 checks the cache against the script's source and its own version and
// flags; when it does not match (another Node, a rebuilt script, a missing file), the loader simply
// compiles the script, which is only slower. Loading and linking some 45 ES modules one by one would
// cost ~20 ms more; the per-module entry (dist/src/cli/main.js) stays runnable too.
//
// What a command may not need stays lazy: KaTeX (html) is required from node_modules when used; the formatters, the JSON Schema, `batch` and chalk (a
// terminal only) are in the script but are only evaluated when used (esbuild keeps dynamic imports
// lazy). Chevrotain is read from its single-file bundle (grammar/chevrotain.ts says why) at build
// time; the script has no top-level await (a classic script cannot have one).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { staticChevrotain } from './static-chevrotain.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}dist/src/cli`;
const bin = `${cli}/matcalc.js`;
const script = `${cli}/matcalc.script.js`;
const cache = `${cli}/matcalc.script.cache`;

const staticChevrotainPlugin = staticChevrotain(root, { typedCharacterMap: true });

// commander requires node:child_process when it is loaded, for subcommands that are separate
// executables, which matcalc has none of; loading it (with net, dgram and the streams) costs some
// 15 ms of every start. In the bundle commander gets it on first use instead: the same module,
// loaded by the first property read (never, in matcalc).
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: `let loaded;
const load = () => (loaded ??= require('node:child_process'));
module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });`,
      loader: 'js',
    }));
  },
};

// What the command line imports from the library is loaded on first use. The command definitions
// (src/cli) are all that `--version` and `--help` run, but their static imports reach the pipeline,
// and through it the grammar: evaluating every module of the library at start-up (Chevrotain's
// parser and lexer built, tables filled) was ~30 % of a `--version` (callgrind, vs `node -e 0`).
// Each import of a library module from src/cli is therefore bound to a stand-in whose exports are
// getters that evaluate the real module (esbuild's lazy module wrapper, the one it gives to a
// dynamic import) the first time one of them is read: when a command runs, not when it is defined.
// The stand-in's export names are those of the module tsc built (dist/src, which the build makes
// first); a name a module does not export fails the build here, as an import would.
const lazyLibrary = {
  name: 'lazy-library',
  setup(b) {
    const cliDir = join(root, 'src', 'cli');
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.namespace !== 'file' || dirname(args.importer) !== cliDir) return undefined;
      const target = join(args.resolveDir, args.path).replace(/\.js$/, '.ts');
      if (dirname(target) === cliDir || !existsSync(target)) return undefined;
      return { path: target, namespace: 'lazy-library' };
    });
    b.onResolve({ filter: /^lazy-library-real:/ }, (args) => ({ path: args.path.slice('lazy-library-real:'.length) }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-library' }, async (args) => {
      const built = join(root, 'dist', relative(root, args.path)).replace(/\.ts$/, '.js');
      const names = Object.keys(await import(pathToFileURL(built).href));
      return {
        contents: `let loaded;
const load = () => (loaded ??= require(${JSON.stringify(`lazy-library-real:${args.path}`)}));
Object.defineProperty(exports, '__esModule', { value: true });
for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
        resolveDir: root,
        loader: 'js',
      };
    });
  },
};

// How both bundles are compacted. A smaller script is read, hashed against its cache and lazily
// compiled faster (1.2 MB → 0.97 MB), but identifiers are not renamed: names then stay the code's own,
// so errors and --debug stacks name functions, without esbuild's keepNames. keepNames re-attaches
// each renamed function's name at load (`Object.defineProperty(fn, 'name', …)`), which gives ~3,000
// functions a property array of their own: 0.75 MB more heap in the start-up snapshot, which every
// start reads and deserialises (~14 ms of wall time on the 2-core machine, docs/performance.md).
const COMPACT = { minifyWhitespace: true, minifySyntax: true };

// The script is one function expression; the bin calls it with `require` and its own import.meta.url.
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: script,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['katex'],
  define: { 'import.meta.url': '__matcalcImportMetaUrl' },
  plugins: [staticChevrotainPlugin, lazyChildProcess, lazyLibrary],
  banner: { js: '(function (require, __matcalcImportMetaUrl) {' },
  footer: { js: '})' },
  legalComments: 'none',
  ...COMPACT,
  logLevel: 'warning',
});

// An ASCII-only script: esbuild escapes strings and identifiers (its default charset) but leaves
// regular-expression literals as written, and the grammar's token patterns hold ⟨, ᵀ, ⊙ …. One
// non-ASCII character makes the whole 0.75 MB source a two-byte string (decoded from UTF-8, hashed
// against the code cache and scanned at twice the size), so each UTF-16 unit above 0x7F is written
// as \uXXXX. In a regular expression without the u flag that escape is the same code unit, and with
// it an escaped surrogate pair is the same code point, so every pattern matches as before (only a
// pattern's .source is spelled differently, which nothing reads). ASCII, the bin reads it as latin1.
asciiOnly(script);

// The start-up snapshot: Node 20 can start from a heap serialised by `node --build-snapshot` instead
// of its own. Built from src/cli/snapshot.ts, which evaluates the library and runs a few small
// gradients first, it saves what every plain start repeats — reading the script, evaluating ~200
// modules, building Chevrotain's parser, reading the rulebook, compiling the functions a gradient runs
// (docs/performance.md). A blob only loads in the Node that built it (another one exits with an error
// before running anything), so the launcher uses it only for that Node, and falls back to the plain
// start on any difference, when NODE_OPTIONS is set (flags the blob was not built with), or when a file
// is missing. "That Node" is checked without starting one (`node --version` is a whole process: ~17 ms,
// a sixth of `node -e 0`): the build writes the path of the Node it ran beside the blob, in a file
// given that binary's modification time, and the `node` on the PATH must be the same file (-ef: device
// and inode, through symbolic links) with the same time (an upgrade replaces or rewrites the binary).
// Only when that fails is `node --version` compared with the version the build wrote. The PATH's
// node is found by a loop in the shell itself (`$(command -v node)` forks a subshell: ~4 ms of CPU);
// PATH is split with one ':' added, so that a trailing ':' is an empty entry (the current folder), as
// for the shell's own lookup.
// The blob holds no path: the bin passes its own as the first argument.
//
// MALLOC_TUNABLES ask glibc's malloc to back its large blocks with transparent huge pages where the
// kernel offers them (madvise mode): Node reads the 7 MB blob into a fresh buffer and copies it once
// more, and each 4 KB page of those is a page fault. On the VMs this is measured on, a fault costs
// ~13 µs (~0.2 µs on bare metal), so the two buffers were ~25 % of a small `grad`. Blocks of up to
// 16 MB are taken from malloc's heap, whose top glibc aligns to huge pages, rather than mapped one by
// one: a mapping of its own starts anywhere, and only the 2 MB-aligned part of it gets huge pages
// (~1,000 faults more, varying from run to run with the address). A glibc without these tunables, or
// another C library, ignores them; the user's own are kept (ours are appended). They reach Node and
// nothing else: matcalc starts no programs.
//
// NODE_EXTRA_CA_CERTS is unset: Node 20 reads and parses that certificate bundle at every start, before
// any code runs (~40 ms of CPU for a system bundle of 144 certificates, a third of `node -e 0` where it
// is set, as proxies and company machines do), and warns on standard error when the file is missing.
// matcalc opens no connection, so the certificates are never used. Both are set once, before the
// checks, for every Node the launcher starts (the `node --version` of the fallback check included).
const MALLOC_TUNABLES = 'glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=16777216';
const snapshot = `${cli}/matcalc.snapshot`;
const snapshotNode = `${cli}/matcalc.snapshot.node`;
const snapshotExe = `${cli}/matcalc.snapshot.exe`;
const SNAPSHOT_LAUNCHER = [
  's=$0; if [ -L "$s" ]; then s=$(readlink -f "$s" 2>/dev/null || echo "$s"); fi; d=${s%/*}; [ "$d" = "$s" ] && d=.;',
  `export GLIBC_TUNABLES=\${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}${MALLOC_TUNABLES}; unset NODE_EXTRA_CA_CERTS; x="$d/matcalc.snapshot.exe"; v="$d/matcalc.snapshot.node";`,
  'n=; q=$PATH:; set -f; IFS=:; for p in $q; do p=${p:-.}; if [ -f "$p/node" ] && [ -x "$p/node" ]; then n=$p/node; break; fi; done; unset IFS; set +f;',
  'if [ -z "${NODE_OPTIONS:-}" ] && [ -f "$d/matcalc.snapshot" ] && [ -n "$n" ] && {',
  '{ [ -f "$x" ] && read -r e <"$x" && [ "$n" -ef "$e" ] && ! [ "$n" -nt "$x" ] && ! [ "$n" -ot "$x" ]; } ||',
  '{ [ -f "$v" ] && read -r e <"$v" && [ "$("$n" --version 2>/dev/null)" = "$e" ]; }; };',
  'then exec "$n" --snapshot-blob "$d/matcalc.snapshot" -- "$s" "$@"; fi; exec node "$s" "$@"',
].join(' ');

function buildSnapshot() {
  const entry = `${cli}/matcalc.snapshot.cjs`;
  rmSync(snapshot, { force: true });
  rmSync(snapshotNode, { force: true });
  rmSync(snapshotExe, { force: true });
  return build({
    absWorkingDir: root,
    entryPoints: ['src/cli/snapshot.ts'],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['katex'],
    // Read when used, never kept: the bin's URL at start (snapshot.ts), this build's until then.
    define: { 'import.meta.url': 'globalThis.__matcalcImportMetaUrl' },
    banner: { js: `globalThis.__matcalcImportMetaUrl = ${JSON.stringify(pathToFileURL(bin).href)};` },
    plugins: [staticChevrotainPlugin, lazyChildProcess],
    legalComments: 'none',
    ...COMPACT,
    logLevel: 'warning',
  }).then(() => {
    // The snapshot holds the script's source: one byte per character, as for the script (above).
    asciiOnly(entry);
    const written = `${snapshot}.tmp`;
    try {
      execFileSync(process.execPath, ['--snapshot-blob', written, '--build-snapshot', entry], { stdio: ['ignore', 'ignore', 'pipe'] });
      renameSync(written, snapshot);
      writeFileSync(snapshotNode, `${process.version}\n`);
      stampExecutable();
    } catch (error) {
      rmSync(written, { force: true });
      console.warn(`cli bundle: no start-up snapshot (${String(error.stderr ?? error.message).trim().split('\n')[0]}); the bin starts without one`);
    } finally {
      rmSync(entry, { force: true });
    }
  });
}

/**
 * The path of the Node that built the blob, in a file with that binary's modification time (see the
 * launcher). `touch -r` copies the time to the nanosecond, as sh's -nt and -ot compare it (Node's
 * utimes would round it). Without touch the file is not written, and the launcher asks `node --version`.
 * The package leaves it out (package.json "files"): it names a path on the packing machine, and a
 * tarball keeps no modification time (npm gives every file one fixed date), so it could not match.
 */
function stampExecutable() {
  try {
    writeFileSync(snapshotExe, `${process.execPath}\n`);
    execFileSync('touch', ['-r', process.execPath, snapshotExe], { stdio: 'ignore' });
  } catch {
    rmSync(snapshotExe, { force: true });
  }
}

function asciiOnly(file) {
  writeFileSync(file, readFileSync(file, 'utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

// The bin is a shell script and an ES module at once. Run as a program (npx, a PATH lookup: its first
// line), sh starts Node from the start-up snapshot when this Node built it (see below), else runs
// this file with Node; run by Node (\`node matcalc.js\`, a batch worker), the second line is a string
// and a comment, and the module runs the script with its code cache.
writeFileSync(
  bin,
  `#!/bin/sh
":" //; ${SNAPSHOT_LAUNCHER}
// The matcalc command line (built by scripts/bundle-cli.mjs, which says why it looks like this): runs
// matcalc.script.js as a classic script with V8's cached code for it when the cache matches.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const scriptUrl = new URL('./matcalc.script.js', import.meta.url);
const cacheUrl = new URL('./matcalc.script.cache', import.meta.url);
let cachedData;
try {
  cachedData = readFileSync(cacheUrl);
} catch {
  cachedData = undefined; // no cache: compile
}
const script = new vm.Script(readFileSync(scriptUrl, 'latin1'), { // ASCII only (bundle-cli.mjs)
  filename: fileURLToPath(scriptUrl),
  cachedData,
  importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
// The build writes the cache after one run, so that it holds the functions a gradient compiles too.
if (process.env.MATCALC_WRITE_CODE_CACHE === fileURLToPath(cacheUrl)) {
  process.once('exit', () => writeFileSync(cacheUrl, script.createCachedData()));
}
script.runInThisContext()(createRequire(import.meta.url), import.meta.url);
`,
);
chmodSync(bin, 0o755);
// The per-module entry stays runnable too (an npx cache made before the bundle links to it).
chmodSync(`${cli}/main.js`, 0o755);

// One warm run: `grad` on a small expression with its numeric check (what most runs do).
// Without a cache the command line still works (only slower), so a failed run is a warning here.
rmSync(cache, { force: true });
try {
  execFileSync(process.execPath, [bin, 'grad', 'xᵀAx', '--wrt', 'x'], {
    env: { ...process.env, NO_COLOR: '1', MATCALC_WRITE_CODE_CACHE: cache },
    stdio: 'ignore',
  });
} catch (error) {
  rmSync(cache, { force: true });
  console.warn(`cli bundle: the warm run failed, no code cache written (${error.message})`);
}
await buildSnapshot();
console.log(
  `cli bundle: ${bin} (script ${script}, code cache ${existsSync(cache) ? 'written' : 'NOT written'}, start-up snapshot ${existsSync(snapshot) ? 'written' : 'NOT written'})`,
);

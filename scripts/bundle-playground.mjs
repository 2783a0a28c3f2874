// Builds dist/playground.html (what `matcalc playground` prints): one self-contained page with the
// engine, KaTeX and its fonts inside, that works from a file:// URL with no network. Two scripts go
// into it: the engine's (src/playground/worker.ts), which the page starts as a Web Worker, and the
// page's (src/playground/ui.ts, with KaTeX).
//
// The library was written for Node and is NOT changed for the browser: here an esbuild plugin gives
// the bundle browser versions of the Node modules it imports (src/playground/browser-node/):
//   node:fs      a read-only file system of the files embedded below, at their package paths
//                (every file of rules/, and dist/rules-snapshot.json), so load-rules.ts reads them
//                as it does in a package;
//   node:path, node:url   POSIX paths and file: URLs;
//   node:module  createRequire → a require that knows no module (KaTeX is the html format's, not the playground's).
// import.meta.url is a file URL inside a virtual package root (/matcalc), at the depth of the
// compiled modules (dist/src/<stage>/…), so paths the library derives from it land on the
// embedded files. Chevrotain is imported statically, as in the CLI bundle (grammar/chevrotain.ts
// picks its single-file build with a top-level await, which a classic script cannot have).
// KaTeX's CSS with its fonts inlined comes from src/emit/html.ts (the --format html page's), at
// build time. Run after tsc and the rules snapshot (npm run build).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { staticChevrotain } from './static-chevrotain.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'playground.html');
const VIRTUAL_ROOT = '/matcalc';

const { inlinedKatexCss } = await import(join(root, 'dist/src/emit/html.js'));
const { playgroundPage } = await import(join(root, 'dist/src/playground/page.js'));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every file under rules/ (recursively) and the rules snapshot, by virtual path. */
function embeddedFiles() {
  const files = {};
  const walk = (dir, rel) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, `${rel}/${name}`);
      else files[`${VIRTUAL_ROOT}/${rel}/${name}`] = readFileSync(path, 'utf8');
    }
  };
  walk(join(root, 'rules'), 'rules');
  const snapshot = join(root, 'dist', 'rules-snapshot.json');
  if (existsSync(snapshot)) files[`${VIRTUAL_ROOT}/dist/rules-snapshot.json`] = readFileSync(snapshot, 'utf8');
  else console.warn('playground: no dist/rules-snapshot.json; the page will parse the rule files on load');
  return files;
}

const shims = join(root, 'src', 'playground', 'browser-node');
const browserNode = {
  name: 'browser-node',
  setup(b) {
    for (const name of ['fs', 'path', 'url', 'module']) {
      b.onResolve({ filter: new RegExp(`^(node:)?${name}$`) }, () => ({ path: join(shims, `${name}.ts`) }));
    }
  },
};

const staticChevrotainPlugin = staticChevrotain(root);

// Two scripts: the engine's (worker.ts: the library behind engine.ts, run as a Web Worker) and the
// page's (ui.ts with KaTeX, which never imports the engine's code, only its types).
const common = {
  absWorkingDir: root,
  bundle: true,
  write: false,
  platform: 'browser',
  format: 'iife',
  target: 'chrome100',
  minify: true,
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'warning',
};
const engineBuild = await build({
  ...common,
  entryPoints: ['src/playground/worker.ts'],
  define: {
    'import.meta.url': JSON.stringify(`file://${VIRTUAL_ROOT}/dist/src/playground/worker.js`),
    __PLAYGROUND_FILES__: JSON.stringify(embeddedFiles()),
  },
  plugins: [browserNode, staticChevrotainPlugin],
});
const pageBuild = await build({
  ...common,
  entryPoints: ['src/playground/ui.ts'],
  // Anything of Node's in the page's bundle would mean the engine leaked into it.
  plugins: [{ name: 'no-node', setup: (b) => b.onResolve({ filter: /^node:/ }, (a) => ({ errors: [{ text: `the page's script imports ${a.path}: only the engine's may` }] })) }],
});
const engine = engineBuild.outputFiles[0].text;
const script = pageBuild.outputFiles[0].text;

const page = playgroundPage({ katexCss: inlinedKatexCss(), script, engine, version: packageJson.version });
writeFileSync(out, page);
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`playground: ${out} (${kb(Buffer.byteLength(page))}; engine ${kb(Buffer.byteLength(engine))}, page script ${kb(Buffer.byteLength(script))})`);

// Bundles the command line into one file, dist/src/cli/matcalc.js (package.json "bin"), for start-up:
// loading and linking some 45 ES modules one by one costs ~20 ms of every `matcalc` process; one file
// costs one read and one compile. Run by `npm run build` after tsc (the library, its types and the
// tests keep using the per-module files in dist/src).
//
// The bundle sits beside dist/src/cli/main.js, at the same depth, so the paths the code derives from
// import.meta.url (package.json, rules/, dist/rules-snapshot.json, node_modules) resolve as they do
// from the modules. What a command may not need stays out of it and is loaded when used, as before:
// Chevrotain (loaded from its own single-file bundle, grammar/chevrotain.ts), KaTeX (html), ml-matrix
// (the first LU factorisation), chalk (a terminal). The formatters, the JSON Schema and `batch` are
// in the bundle but are only evaluated when their command or --format is used (esbuild keeps dynamic
// imports lazy). commander is CommonJS and requires Node's built-ins, hence the `require` banner.
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}dist/src/cli/matcalc.js`;

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['chevrotain', 'katex', 'ml-matrix', 'chalk'],
  banner: { js: "import { createRequire as __matcalcCreateRequire } from 'node:module'; const require = __matcalcCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
// The per-module entry stays runnable too (an npx cache made before the bundle links to it).
chmodSync(`${root}dist/src/cli/main.js`, 0o755);
console.log(`cli bundle: ${outfile}`);

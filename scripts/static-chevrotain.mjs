// The esbuild plugin both bundles (bundle-cli.mjs, bundle-playground.mjs) use for Chevrotain.
// grammar/chevrotain.ts picks Chevrotain's single-file bundle with a top-level await; a bundle makes
// the same choice once, at build time, and imports it statically, after grammar/token-shape.ts.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * `root`: the package's folder. `typedCharacterMap`: store Chevrotain's character map as a typed
 * array (below), where the bundle's heap is deserialised at every start (the CLI's start-up snapshot).
 */
export function staticChevrotain(root, { typedCharacterMap = false } = {}) {
  const chevrotainEntry = createRequire(join(root, 'package.json')).resolve('chevrotain');
  const chevrotainBundle = join(dirname(chevrotainEntry), '..', 'chevrotain.min.mjs');
  const chevrotainModule = existsSync(chevrotainBundle) ? chevrotainBundle : chevrotainEntry;
  const tokenShape = join(root, 'grammar', 'token-shape.ts');
  return {
    name: 'static-chevrotain',
    setup(b) {
      b.onResolve({ filter: /(^|[\\/])chevrotain\.js$/ }, () => ({ path: 'chevrotain', namespace: 'static-chevrotain' }));
      // Chevrotain's map from a character code to its first-character class is a holey Array of 65,536
      // small numbers (0.5 MB of tagged values, in every start-up snapshot: ~15 M instructions to
      // deserialise, 3 % of `node -e 0`); the same numbers (≤ 512) in a Uint16Array are 0.13 MB.
      // Chevrotain only indexes it and asks whether it is empty (its length), so a typed array reads the
      // same. Where the pattern is not found (another Chevrotain), the file is used as it is.
      if (typedCharacterMap) {
        b.onLoad({ filter: /chevrotain\.min\.mjs$/ }, () => {
          const text = readFileSync(chevrotainModule, 'utf8');
          const typed = text.replace(/\b(\w+)=new Array\(65536\);(for\(let (\w+)=0;\3<65536;\3\+\+\)\1\[\3\]=\3>255\?255\+~~\(\3\/255\):\3)/, '$1=new Uint16Array(65536);$2');
          if (typed === text) console.warn('cli bundle: Chevrotain\'s character map was not found; it stays an Array');
          return { contents: typed, loader: 'js' };
        });
      }
      b.onLoad({ filter: /.*/, namespace: 'static-chevrotain' }, () => ({
        // grammar/token-shape.ts first, for its effect: it must run before Chevrotain (it says why).
        contents: `import ${JSON.stringify(tokenShape)};\nexport { createToken, createTokenInstance, CstParser, EOF, Lexer, LLkLookaheadStrategy, tokenMatcher } from ${JSON.stringify(chevrotainModule)};`,
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
}

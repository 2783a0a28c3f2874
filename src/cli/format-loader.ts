import type { Formatter } from '../emit/formats.js';

/**
 * The formatter of one `--format`, loading only the modules it needs. The bundle initialises a module
 * when it is first imported, and emit/formats.ts imports every formatter: KaTeX and the graph layout
 * for `--format json` too, which made a small `grad --format json` or `--format numpy` cost
 * 1.36× `node -e 0` against ~1.25× for text. One entry per format of emit/formats.ts's table;
 * test/unit/cli/format-loader.test.ts checks that each loads that table's very function.
 */
export const FORMAT_LOADERS: Readonly<Record<string, () => Promise<Formatter>>> = {
  json: async () => (await import('../emit/command-json.js')).formatJson,
  numpy: async () => (await import('../emit/python-module.js')).formatNumpy,
  torch: async () => (await import('../emit/python-module.js')).formatTorch,
  'torch-autograd': async () => (await import('../emit/torch-autograd.js')).formatTorchAutograd,
  jax: async () => (await import('../emit/jax.js')).formatJax,
  latex: async () => (await import('../emit/document.js')).formatLatex,
  html: async () => (await import('../emit/document.js')).formatHtml,
  dot: async () => (await import('../emit/graph/dot.js')).formatDot,
};

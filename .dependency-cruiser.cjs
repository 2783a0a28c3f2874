/**
 * The import order of matcalc's stages, checked by dependency-cruiser (`npm run deps`, run by .ci/run
 * before the tests). docs/architecture.md ("Allowed imports") gives the same table with the reason
 * for each place in it; change both together.
 *
 * LAYERS is the order, bottom first: a module may import its own layer and any layer below it,
 * never one above. A folder or top-level module of src/ that is in no layer is an error too: a new
 * one must be given its place.
 */
const LAYERS = [
  { name: 'diagnostics', path: '^src/diagnostics/' },
  { name: 'grammar', path: '^grammar/' },
  { name: 'term', path: '^src/term/' },
  { name: 'syntax', path: '^src/syntax/' },
  { name: 'shape', path: '^src/shape/' },
  { name: 'rewrite', path: '^src/rewrite/' },
  { name: 'differentiate', path: '^src/differentiate/' },
  { name: 'simplify', path: '^src/simplify/' },
  { name: 'verify', path: '^src/verify/' },
  { name: 'report types', path: '^src/report[.]ts$' },
  { name: 'emit', path: '^src/emit/' },
  { name: 'request', path: '^src/request[.]ts$' },
  { name: 'pipeline', path: '^src/pipeline[.]ts$' },
  // The offline page (issue 15): the library in a browser, below the CLI that prints it.
  { name: 'playground', path: '^src/playground/' },
  { name: 'cli', path: '^src/cli/' },
  { name: 'index', path: '^src/index[.]ts$' },
];

const ours = '^(src|grammar)/';

const layerRules = LAYERS.map((layer, i) => ({
  name: `order-${layer.name.replace(/ /g, '-')}`,
  comment: `${layer.name} may import only ${i === 0 ? 'itself' : `itself and what is below it: ${LAYERS.slice(0, i).map((l) => l.name).join(', ')}`} (docs/architecture.md, "Allowed imports")`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: ours, pathNot: LAYERS.slice(0, i + 1).map((l) => l.path) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      // The modules at the top of src/ (pipeline.ts, report.ts, …) make up the folder `src`, which
      // this rule does not see in a loop with its own subfolders; the order rules below catch those
      // (a loop between layers needs at least one import upward).
      comment: 'No loop between folders: the stages form one direction (docs/architecture.md).',
      severity: 'error',
      scope: 'folder',
      from: { path: ours },
      to: { circular: true },
    },
    {
      name: 'no-file-cycle',
      // Inside a folder too: the simplifier's concern modules reach each other through the
      // Simplifier interface (src/simplify/simplifier-types.ts, types only), never through the
      // object that routes between them, so no folder needs an exception.
      comment: 'No loop between files, wherever it runs (type-only imports count).',
      severity: 'error',
      from: { path: ours },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'layer-unknown',
      comment: 'Every folder and top-level module of src/ has a place in LAYERS (and in docs/architecture.md).',
      severity: 'error',
      from: { path: ours, pathNot: LAYERS.map((l) => l.path) },
      to: {},
    },
    {
      name: 'verify-independent-of-engine',
      comment: 'The checker must not run the engine it checks: verify/ may use types from differentiate/ (Kron), never its code.',
      severity: 'error',
      from: { path: '^src/verify/' },
      to: { path: '^src/differentiate/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'verify-independent-of-engine',
      comment: 'The checker must not run the engine it checks: no rules, no rewriting, no simplifier in verify/.',
      severity: 'error',
      from: { path: '^src/verify/' },
      to: { path: ['^src/rewrite/', '^src/simplify/'] },
    },
    {
      name: 'library-without-cli',
      comment: 'chalk and commander are the CLI\'s alone; the library stays usable without them (STYLE.md §2).',
      severity: 'error',
      from: { path: ours, pathNot: '^src/cli/' },
      to: { path: ['^src/cli/', 'node_modules/(chalk|commander)/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a loop through types still ties the folders together.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)dist/' },
  },
};

import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two projects, both run by `npm test`:
 * - `fast`: in-process tests (the library, the stages, rules, notation, properties) — seconds, the
 *   loop to run while editing (`npm run test:fast`);
 * - `e2e`: tests that run a real consumer — the built CLI, python3/torch/jax, pdflatex, Chromium,
 *   Graphviz, dependency-cruiser — and need `npm run build` first.
 * A test file belongs to `e2e` when it spawns a process; list it (or its folder) below.
 */
const E2E = [
  'test/architecture/**',
  'test/at/**',
  'test/attack/cli.test.ts',
  'test/attack/engine.test.ts',
  'test/cli/**',
  'test/derivatives/cli.test.ts',
  'test/derivatives/kronecker.test.ts',
  'test/determinism/determinism.test.ts',
  'test/diagnostics/**',
  'test/emit-code/**',
  'test/emit-documents/**',
  'test/golden/**',
  'test/json/**',
  'test/library/import.test.ts',
  'test/limits/**',
  'test/playground/**',
  'test/python/**',
  'test/unit/emit/numpy.test.ts',
];

// globalSetup: which Python modules import is probed once per run (test/helpers/python-probe.ts), and
// the python3 fork server that test/helpers/python.ts's python3() asks (test/setup/python-server.ts).
// isolate: false — a worker runs its test files one after another in one process, importing src/ once
// instead of once per file (~1 s of CPU a file, some 40 % of a unit file's time). Safe for every file
// but those in MOCKS: console spies are restored, and the library's output does not depend on what the
// process computed before (test/determinism/in-process.test.ts).
const shared = { testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks' as const, isolate: false, globalSetup: ['test/setup/python-probe.ts', 'test/setup/python-server.ts'] };

/**
 * Files that replace a module with vi.mock (or stub globals): a mock only takes effect where the
 * module is imported after it, so these run in a project of their own with a fresh module graph per
 * file (isolate: true). A new such file must be listed here.
 */
const MOCKS = ['test/unit/syntax/direct-cst.test.ts'];

export default defineConfig({
  test: {
    // At least two test files at a time: vitest's default is cores − 1, one on a 2-core machine,
    // which leaves a core idle while an e2e file waits on python3, pdflatex or the CLI.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { test: { ...shared, name: 'fast', include: ['test/**/*.test.ts'], exclude: [...E2E, ...MOCKS] } },
      { test: { ...shared, name: 'mocks', isolate: true, include: MOCKS } },
      { test: { ...shared, name: 'e2e', include: E2E.map((glob) => (glob.endsWith('**') ? `${glob}/*.test.ts` : glob)) } },
    ],
  },
});

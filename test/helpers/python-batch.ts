import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { python3 } from './python.js';

/**
 * JAX compiles every new program (a module's self-check runs dozens, ~50 ms each): XLA's compilation
 * cache on disk makes a rerun several times faster. Set by jax.config rather than JAX_* variables,
 * which would make the fork server start a fresh python3 (numpy, scipy and jax imported again, ~2 s
 * of CPU); only when a module imports jax (the server preloads jax for a script that names it).
 * Also used by test/helpers/vjp-modules.ts's driver. The cache folder is KEPT on purpose (a fixed
 * name, not made by test/helpers/scratch.ts): it is worth something only to the next run.
 */
export const JAX_CACHE = String.raw`
try:
    import jax
    jax.config.update("jax_compilation_cache_dir", ${JSON.stringify(join(tmpdir(), 'matcalc-jax-compilation-cache'))})
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
except ImportError:
    pass  # each module that imports jax then fails as it would alone
`;

/**
 * torch costs ~2.5 s of CPU to import, and the fork server (test/helpers/python_server.py) imports it
 * once, before forking, only for a script whose text names it: the runner names it when a module
 * imports it, so a batch forks with torch loaded instead of importing it again in every batch. The
 * modules' own `import torch` then finds it loaded, as it would any module imported before.
 */
const TORCH_PRELOAD = String.raw`
try:
    import torch
except ImportError:
    pass  # each module that imports torch then fails as it would alone
`;

/**
 * Runs many generated Python modules as scripts in ONE python3 process: each module is executed
 * with runpy as `__main__` (exactly what `python3 module.py` does: its self-check runs and may call
 * sys.exit), its output captured, its exit status read from SystemExit. Starting python3 and
 * importing torch costs seconds per module, which is what made the module tests the slowest part of
 * `npm test`; one process pays it once. A module cannot disturb the next: each runs in a fresh
 * namespace, and an exception is that module's failure (status 1 with the traceback).
 */
const RUNNER = String.raw`
import contextlib, io, json, runpy, sys, traceback
results = []
for path in json.loads(sys.stdin.read()):
    out = io.StringIO()
    status = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            runpy.run_path(path, run_name="__main__")
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException:
            traceback.print_exc()
            status = 1
    results.append({"status": status, "output": out.getvalue()})
sys.stdout.write(json.dumps(results))
`;

export interface ModuleRun {
  readonly status: number;
  readonly output: string;
}

/** The runs of `paths`, in order; throws if python3 itself could not run the batch. */
export function runPythonModules(paths: readonly string[]): ModuleRun[] {
  if (paths.length === 0) return [];
  const texts = paths.map((path) => readFileSync(path, 'utf8'));
  const usesJax = texts.some((text) => /^import jax\b/m.test(text));
  const usesTorch = texts.some((text) => /^import torch\b/m.test(text));
  const run = python3(['-c', (usesTorch ? TORCH_PRELOAD : '') + (usesJax ? JAX_CACHE : '') + RUNNER], { input: JSON.stringify(paths), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 could not run the modules: ${run.stderr}`);
  return JSON.parse(run.stdout) as ModuleRun[];
}

import { python3 } from './python.js';

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
  const run = python3(['-c', RUNNER], { input: JSON.stringify(paths), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 could not run the modules: ${run.stderr}`);
  return JSON.parse(run.stdout) as ModuleRun[];
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON_PROBE_DIR_ENV } from '../helpers/python-probe.js';

/**
 * vitest's globalSetup: one folder per run for test/helpers/python-probe.ts's answers (which Python
 * modules import), so that each is probed once per run rather than once per test file. The workers
 * are started after this runs and inherit the variable; the folder goes at the end of the run.
 */
export default function setup(): () => void {
  // Each project runs its globalSetup: the first one's folder serves both.
  if (process.env[PYTHON_PROBE_DIR_ENV] !== undefined) return () => {};
  const dir = mkdtempSync(join(tmpdir(), 'matcalc-python-probes-'));
  process.env[PYTHON_PROBE_DIR_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

import { test } from 'vitest';
import { scratchFolders } from '../helpers/scratch.js';
import { checkModules, hasPython } from '../helpers/vjp-modules.js';

/** `--format jax` on every case of test/helpers/vjp-modules.ts. */
/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('jax');

const hasJax = hasPython('jax');
if (!hasJax) console.warn('[matcalc] JAX is not installed (python3 -c "import jax" failed): the --format jax tests are SKIPPED (.ci/run installs it from a wheel on disk).');

// JAX compiles every new shape's programs: about a minute on a busy 2-core machine the first time, less from the cache.
test.skipIf(!hasJax)('--format jax: check_grads, jax.vjp and forward values on every case, jit(grad) on our own (skipped without JAX)', { timeout: 400_000 }, () => {
  checkModules('jax', scratch());
});

/**
 * node:module for the playground page: createRequire returns a `require` that knows the two
 * packages the library loads lazily with it (ml-matrix in src/verify/dense.ts, KaTeX in
 * src/emit/html.ts), here imported statically into the bundle. Anything else is a build mistake,
 * reported as Node's MODULE_NOT_FOUND would be.
 */
import katex from 'katex';
import * as mlMatrix from 'ml-matrix';

const MODULES: Readonly<Record<string, unknown>> = { katex, 'ml-matrix': mlMatrix };

function notFound(id: string): Error {
  return Object.assign(new Error(`Cannot find module '${id}' (not bundled into the playground page)`), { code: 'MODULE_NOT_FOUND' });
}

export function createRequire(_from: string | URL): ((id: string) => unknown) & { resolve(id: string): string } {
  const require = (id: string): unknown => {
    if (!(id in MODULES)) throw notFound(id);
    return MODULES[id];
  };
  return Object.assign(require, {
    resolve: (id: string): string => {
      throw notFound(id);
    },
  });
}

export default { createRequire };

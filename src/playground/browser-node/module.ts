/**
 * node:module for the playground's engine (scripts/bundle-playground.mjs maps `node:module` here):
 * createRequire returns a `require` that knows the modules listed below, imported statically into
 * the bundle; today none. KaTeX (src/emit/html.ts loads it with createRequire) is left out on
 * purpose: only the --format html page calls it, never the playground, whose page typesets with its
 * own copy; the engine's worker is some 270 KiB lighter to start. Anything else is reported as
 * Node's MODULE_NOT_FOUND would be.
 */
const MODULES: Readonly<Record<string, unknown>> = {};

function notFound(id: string): Error {
  return Object.assign(new Error(`Cannot find module '${id}' (not bundled into the playground's engine)`), { code: 'MODULE_NOT_FOUND' });
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

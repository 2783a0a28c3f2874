/**
 * node:fs for the playground page (scripts/bundle-playground.mjs maps `node:fs` here): a read-only
 * file system of the files embedded at build time — every file of rules/ and
 * dist/rules-snapshot.json — at their paths under the virtual package root /matcalc, so the
 * library's own loaders (src/rewrite/load-rules.ts) find them where they look in a package. Writes
 * fail as on a read-only disk; a missing file fails as Node's ENOENT does, so the callers' fallbacks
 * (another layout, no snapshot) run unchanged.
 */

declare const __PLAYGROUND_FILES__: Readonly<Record<string, string>>;

const FILES: ReadonlyMap<string, string> = new Map(Object.entries(__PLAYGROUND_FILES__));

function fsError(code: 'ENOENT' | 'EROFS', syscall: string, path: string): Error {
  const error = new Error(`${code}: ${code === 'ENOENT' ? 'no such file or directory' : 'read-only file system'}, ${syscall} '${path}'`);
  Object.assign(error, { code, syscall, path });
  return error;
}

function pathText(path: unknown): string {
  return path instanceof URL ? decodeURIComponent(path.pathname) : String(path);
}

/** The directories that hold an embedded file (each path's ancestors). */
function isDirectory(path: string): boolean {
  const prefix = path.endsWith('/') ? path : `${path}/`;
  for (const file of FILES.keys()) if (file.startsWith(prefix)) return true;
  return false;
}

export function readFileSync(path: unknown, options?: unknown): string | Uint8Array {
  const p = pathText(path);
  const text = FILES.get(p);
  if (text === undefined) throw fsError('ENOENT', 'open', p);
  const encoding = typeof options === 'string' ? options : (options as { encoding?: string } | undefined)?.encoding;
  return encoding ? text : new TextEncoder().encode(text);
}

export function existsSync(path: unknown): boolean {
  const p = pathText(path);
  return FILES.has(p) || isDirectory(p);
}

export function readdirSync(path: unknown): string[] {
  const p = pathText(path);
  if (!isDirectory(p)) throw fsError('ENOENT', 'scandir', p);
  const prefix = p.endsWith('/') ? p : `${p}/`;
  const names = new Set<string>();
  for (const file of FILES.keys()) if (file.startsWith(prefix)) names.add(file.slice(prefix.length).split('/')[0]!);
  return [...names].sort();
}

/** Every embedded file has one date (as in a packed package): the snapshot counts as current. */
export function statSync(path: unknown): { mtimeMs: number; size: number; isFile(): boolean; isDirectory(): boolean } {
  const p = pathText(path);
  const text = FILES.get(p);
  const directory = text === undefined && isDirectory(p);
  if (text === undefined && !directory) throw fsError('ENOENT', 'stat', p);
  return { mtimeMs: 0, size: text?.length ?? 0, isFile: () => !directory, isDirectory: () => directory };
}

export function writeFileSync(path: unknown): never {
  throw fsError('EROFS', 'open', pathText(path));
}

export default { readFileSync, existsSync, readdirSync, statSync, writeFileSync };

/** node:path for the playground page: the POSIX functions the library calls, on '/'-separated paths. */

export const sep = '/';

export function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const joined = parts.join('/');
  // As Node's: a trailing slash is kept ('a/' stays 'a/', 'a/../' is './').
  const trailing = path.endsWith('/') ? '/' : '';
  if (joined === '') return absolute ? '/' : `.${trailing}`;
  return `${absolute ? '/' : ''}${joined}${trailing}`;
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((p) => p !== '').join('/'));
}

export function resolve(...parts: string[]): string {
  let path = '';
  for (const part of parts) path = part.startsWith('/') ? part : `${path}/${part}`;
  return normalize(path.startsWith('/') ? path : `/${path}`);
}

/** Node's algorithm, quirks included ('a//b' → 'a/', '//a' → '//'). */
export function dirname(path: string): string {
  if (path.length === 0) return '.';
  const hasRoot = path[0] === '/';
  let end = -1;
  let matchedSlash = true;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] === '/') {
      if (!matchedSlash) {
        end = i;
        break;
      }
    } else matchedSlash = false;
  }
  if (end === -1) return hasRoot ? '/' : '.';
  if (hasRoot && end === 1) return '//';
  return path.slice(0, end);
}

export function basename(path: string, suffix?: string): string {
  const base = path.replace(/\/+$/, '').split('/').pop() ?? '';
  return suffix && base.endsWith(suffix) ? base.slice(0, -suffix.length) : base;
}

export default { sep, normalize, join, resolve, dirname, basename };

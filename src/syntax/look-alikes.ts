import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Source, Span } from '../diagnostics/span.js';

/**
 * Warnings for names that look alike (a Cyrillic а beside a Latin a, ν beside v): the input parses,
 * but two names that print the same are probably one name typed twice. Separate from parsing
 * because it only reads the names read, after the parse succeeded.
 */

/**
 * Greek letters that look like Latin ones. `Α` (U+0391) and `A` are two variables to matcalc and
 * the same letter to a reader, so a name using one is reported (as a warning: it may be meant).
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', ο: 'o',
};

/** Lowercase Greek letters that pass for Latin ones in many fonts: reported only when both occur (`ν` and `v`). */
const LOOK_ALIKES_IF_BOTH: Readonly<Record<string, string>> = { ν: 'v', ι: 'i', κ: 'k' };

/** Every look-alike letter is outside ASCII: a name of ASCII characters only needs no look-up. */
const ASCII_ONLY = /^[\x00-\x7f]*$/;

export function lookAlikeWarnings(names: ReadonlyMap<string, Span>, source: Source): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const [name, at] of names) {
    if (ASCII_ONLY.test(name)) continue;
    const latin = [...name].map((c) => LOOK_ALIKES[c] ?? c).join('');
    const lowercase = [...name].map((c) => LOOK_ALIKES_IF_BOTH[c] ?? c).join('');
    if (lowercase !== name && names.has(lowercase)) {
      const greek = [...name].find((c) => LOOK_ALIKES_IF_BOTH[c] !== undefined)!;
      const code = `U+${greek.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      warnings.push({ ...diag('syntax/look-alike', { source, span: at }, name, code, lowercase, `; ${lowercase} also occurs, and the two are different variables`), severity: 'warning' });
      continue;
    }
    if (latin === name) continue;
    const greek = [...name].find((c) => LOOK_ALIKES[c] !== undefined)!;
    const code = `U+${greek.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const both = names.has(latin) ? `; ${latin} also occurs, and the two are different variables` : '';
    warnings.push({ ...diag('syntax/look-alike', { source, span: at }, name, code, latin, both), severity: 'warning' });
  }
  return warnings;
}

// ── the token pass ──────────────────────────────────────────────────────────

import { WORD_HINTS } from './word-hints.js';
import { ALIAS_WORDS, FUNCTION_KEYWORDS } from './name-vocabulary.js';

/**
 * Suggestions for a word matcalc does not know: the nearest known words by edit distance, and the
 * unknown-function message built from them. Separate from the splitter (identifiers.ts): it runs
 * only after a run was refused, to word the refusal.
 */

/** Words longer than this get no typo suggestion (edit distance is quadratic in the length). */
const LONGEST_SUGGESTED = 32;

/**
 * The unknown-function message: the nearest functions matcalc has (or the nearest word it knows how
 * to write, `tarce` → trace → tr(X)), how to write a known word (`log1p` → log(1 + x)), and the
 * product reading with the brackets that select it.
 */
export function unknownFunctionHint(run: string, product: string, patterns: boolean): string {
  const functions: readonly string[] = patterns ? [...FUNCTION_KEYWORDS, 'd'] : FUNCTION_KEYWORDS;
  const word = run.toLowerCase();
  const advice = `write ${product.endsWith('(…)') ? product : `${product}*(…)`} for a product of variables`;
  const known = WORD_HINTS.get(word);
  if (known !== undefined) return ` — ${known} (or ${advice})`;
  if (run.length > LONGEST_SUGGESTED) return `; ${advice}`;
  const nearest = closestNames(word, [...functions, ...ALIAS_WORDS, ...WORD_HINTS.keys()]);
  if (nearest.length === 0) return `; ${advice}`;
  const said = nearest.map((n) => (WORD_HINTS.has(n) ? `'${n}' (${WORD_HINTS.get(n)!})` : `'${n}'`)).join(' or ');
  return ` — did you mean ${said}? (or ${advice})`;
}

/** The candidates nearest to `word` (at most two; on a tie matcalc's own functions first, then by length difference), within typo distance. */
export function closestNames(word: string, candidates: readonly string[]): string[] {
  const limit = word.length <= 3 ? 1 : 2;
  const scored = [...new Set(candidates)]
    .map((c) => ({ c, d: editDistance(word, c), l: Math.abs(c.length - word.length) }))
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || Number(WORD_HINTS.has(a.c)) - Number(WORD_HINTS.has(b.c)) || a.l - b.l);
  const best = scored[0];
  if (best === undefined) return [];
  // A second suggestion only if it is a function too: 'expp' is expm or exp, 'sqrtt' is sqrt or sqrtm; an entry of WORD_HINTS (advice, not a function) never second.
  const second = scored.find((s, k) => k > 0 && s.d === best.d && !WORD_HINTS.has(s.c) && !WORD_HINTS.has(best.c));
  return second === undefined ? [best.c] : [best.c, second.c];
}

/**
 * The candidate nearest to `word` by edit distance (a swap of neighbours counts as one edit), if
 * it is near enough to be a plausible typo: one edit for words of up to three letters, two otherwise.
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  const limit = word.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestScore = [limit + 1, 0];
  for (const candidate of candidates) {
    // Ties go to the candidate of the same length: 'tahn' is a swap in 'tanh' before a deletion from it.
    const score = [editDistance(word, candidate), Math.abs(candidate.length - word.length)] as const;
    if (score[0] < bestScore[0]! || (score[0] === bestScore[0] && score[1] < bestScore[1]!)) {
      best = candidate;
      bestScore = [...score];
    }
  }
  return best;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}

import { internedCount, resetTerms } from './tables.js';

/**
 * Bounded term tables for a long-running library user (a server, a notebook): the tables of the
 * hash-consing factory only grow (about 4 KB per distinct expression), so before a top-level request
 * the pipeline starts a new generation of terms once they pass generationPolicy.resetAt. Results
 * already handed out stay valid: ids are never handed out twice, so a kept report's terms are still
 * terms, and every table indexed by id keeps them aside from the current generation (tables.ts,
 * `generation`). What nobody holds any more is garbage.
 */
export const generationPolicy = {
  /** Interned terms past which the next top-level request starts a new generation. */
  resetAt: 100_000,
};

/** Before a top-level request: a new generation when the tables are past the policy's size (or `force`). */
export function maybeNewGeneration(force = false): boolean {
  if (!force && internedCount() <= generationPolicy.resetAt) return false;
  resetTerms();
  return true;
}

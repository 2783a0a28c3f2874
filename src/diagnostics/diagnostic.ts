import { CATALOG, type DiagnosticId } from './catalog.js';
import type { Source, Span } from './span.js';

export interface DiagnosticNote {
  readonly message: string;
  readonly span?: Span;
}

export interface Diagnostic {
  readonly id: DiagnosticId;
  readonly code: `MC${number}`;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Where in `source` the problem is; absent for problems with no position (an option string has its own source). */
  readonly span?: Span;
  readonly source?: Source;
  readonly notes: readonly DiagnosticNote[];
}

type TextArgs<K extends DiagnosticId> = Parameters<(typeof CATALOG)[K]['text']>;

export function diag<K extends DiagnosticId>(
  id: K,
  location: { source?: Source; span?: Span; notes?: DiagnosticNote[] },
  ...args: TextArgs<K>
): Diagnostic {
  const entry = CATALOG[id];
  const message = (entry.text as (...a: unknown[]) => string)(...args);
  return {
    id,
    code: `MC${entry.code}`,
    severity: 'error',
    message,
    span: location.span,
    source: location.source,
    notes: location.notes ?? [],
  };
}

/**
 * Thrown inside a stage to abandon it with a user-facing diagnostic; each stage's entry function
 * catches it and returns a failed Result, so nothing but InternalError crosses a stage boundary.
 */
export class DiagnosticError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'DiagnosticError';
  }
}

/** A bug in matcalc, never the user's fault. The CLI reports it with exit code 70. */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}

/**
 * The end of an exhaustive switch over a closed union: `value` has type never there, so a member
 * added to the union without its case is a compile error at the call, not a silent fall-through.
 */
export function unreachable(value: never, what: string): never {
  throw new InternalError(`unhandled ${what}: ${JSON.stringify(value)}`);
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(...diagnostics: Diagnostic[]): Result<T> {
  return { ok: false, diagnostics };
}

/** Runs a stage body, turning a thrown DiagnosticError into a failed Result. */
export function catchDiagnostics<T>(body: () => T): Result<T> {
  try {
    return ok(body());
  } catch (error) {
    if (error instanceof DiagnosticError) return fail(error.diagnostic);
    throw error;
  }
}

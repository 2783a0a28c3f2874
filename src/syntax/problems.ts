import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Source, Span } from '../diagnostics/span.js';

/**
 * The earliest problem found so far, by position in the text: every token pass and every parse
 * reports into one, so that the diagnostic shown is the first in the input, not the first found.
 */

/** The earliest problem found so far, by position in the text. */
export class Problems {
  first: Diagnostic | undefined;

  constructor(private readonly source: Source) {}

  report(id: Parameters<typeof diag>[0], at: Span, ...args: unknown[]): void {
    if (this.#isEarlier(at)) this.first = (diag as (...a: unknown[]) => Diagnostic)(id, { source: this.source, span: at }, ...args);
  }

  add(diagnostic: Diagnostic): void {
    if (this.#isEarlier(diagnostic.span)) this.first = diagnostic;
  }

  #isEarlier(at: Span | undefined): boolean {
    return this.first === undefined || (at?.start ?? Infinity) < (this.first.span?.start ?? Infinity);
  }
}

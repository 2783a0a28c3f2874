import { isCombiningMark, isDigit, isLetter, isSubscriptDigit } from '../../grammar/tokens.js';

/**
 * A run as letters with their subscripts (`W₁`, `W_1`, `W1` are all W with subscript 1), the
 * canonical spelling of a name built from them, and the table of declared and defined names in that
 * form. Separate: the normal form of a name, used by the splitter (identifiers.ts) and elsewhere.
 */

const SUBSCRIPT_ZERO = 0x2080;
const UNDERSCORE = 0x5f;

/** One letter and its subscript, as found in a run. Offsets are relative to the run. */
export interface LetterAtom {
  readonly letter: string;
  /** The subscript in canonical form: `₁`, `_1`, `1` all give "1"; `_out` stays "_out". */
  readonly subscript: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Cuts a run into letter atoms. Returns undefined if the text does not start with a letter (a
 * declared name such as "2x" can then never match a run, which is right).
 */
export function letterAtoms(text: string): LetterAtom[] | undefined {
  const atoms: LetterAtom[] = [];
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (!isLetter(code)) return undefined;
    const start = i;
    i++;
    while (isCombiningMark(text.charCodeAt(i))) i++; // `x̂`: the accent is part of the letter
    const letter = text.slice(start, i);
    let subscript = '';
    for (;;) {
      const c = text.charCodeAt(i);
      if (isDigit(c) || isSubscriptDigit(c)) {
        subscript += isDigit(c) ? text[i] : String.fromCharCode(0x30 + c - SUBSCRIPT_ZERO);
        i++;
      } else if (c === UNDERSCORE && isDigit(text.charCodeAt(i + 1))) {
        // `W_12` is W12: the underscore is only a way of typing a subscript.
        i++;
      } else if (c === UNDERSCORE && isLetter(text.charCodeAt(i + 1))) {
        // `x_i`, `W_out`: a word subscript keeps its underscore and takes letters and digits.
        let j = i + 1;
        while (j < text.length && (isLetter(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)))) j++;
        subscript += text.slice(i, j);
        i = j;
      } else {
        break;
      }
    }
    atoms.push({ letter, subscript, start, end: i });
  }
  return atoms;
}

const PLAIN_ASCII = /^[A-Za-z][A-Za-z0-9]*$/;

/** The canonical spelling of a name: `W₁`, `W_1`, `W1` are all "W1"; `H_out`, `α` and `theta` stay. */
export function canonicalName(text: string): string {
  // ASCII letters, then letters and digits (`X`, `W12`, `ab`): already canonical, the common case.
  if (PLAIN_ASCII.test(text)) return text;
  const atoms = letterAtoms(text);
  if (atoms === undefined) return text;
  // NFC: `Ŷ` typed as Y + U+0302 and the precomposed `Ŷ` are one name.
  return atoms.map((a) => a.letter + a.subscript).join('').normalize('NFC');
}

/** Declared and defined names in canonical form, with what the splitter needs to search them quickly. */
export class NameTable {
  readonly #names = new Set<string>();
  #longest = 0; // in letter atoms

  constructor(names: Iterable<string> = []) {
    for (const name of names) this.add(name);
  }

  add(name: string): void {
    if (PLAIN_ASCII.test(name)) {
      // Canonical as written (canonicalName); its letter atoms are its letters, each with its digits.
      this.#names.add(name);
      this.#longest = Math.max(this.#longest, name.replace(/[0-9]/g, '').length);
      return;
    }
    const atoms = letterAtoms(name);
    if (atoms === undefined || atoms.length === 0) return;
    this.#names.add(atoms.map((a) => a.letter + a.subscript).join('').normalize('NFC'));
    this.#longest = Math.max(this.#longest, atoms.length);
  }

  has(canonical: string): boolean {
    return this.#names.has(canonical);
  }

  /** The most letter atoms any name spans; bounds the search at each position. */
  get longest(): number {
    return this.#longest;
  }
}

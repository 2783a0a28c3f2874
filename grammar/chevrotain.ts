/**
 * Chevrotain, loaded from its single-file bundle. The package's entry point (lib/src/api.js) pulls
 * in some 600 small lodash-es modules, which costs ~300 ms of start-up on every run; the bundle
 * that ships in the same package (lib/chevrotain.min.mjs, same version, same API) loads in ~15 ms.
 * The bundle is not in the package's export map, so it is found next to the resolved entry point;
 * if it is missing (a future layout), the ordinary entry point is used.
 */
import type * as Chevrotain from 'chevrotain';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import './token-shape.js'; // before Chevrotain is evaluated (token-shape.ts says why)

async function load(): Promise<typeof Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve('chevrotain'); // …/chevrotain/lib/src/api.js
    const bundle = join(dirname(entry), '..', 'chevrotain.min.mjs');
    if (existsSync(bundle)) return (await import(pathToFileURL(bundle).href)) as typeof Chevrotain;
  } catch {
    // fall through to the package entry point
  }
  return import('chevrotain');
}

const chevrotain = await load();

export const { createToken, createTokenInstance, CstParser, EOF, Lexer, LLkLookaheadStrategy, tokenMatcher } = chevrotain;
export type CstParser = Chevrotain.CstParser;
export type Lexer = Chevrotain.Lexer;
export type {
  CstNode,
  CustomPatternMatcherReturn,
  IOrAlt,
  IParserErrorMessageProvider,
  IRecognitionException,
  IToken,
  OptionalProductionType,
  Rule,
  TokenType,
} from 'chevrotain';

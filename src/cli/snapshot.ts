import { pathToFileURL } from 'node:url';
import { startupSnapshot } from 'node:v8';
import { derivative, gradient, terms } from '../pipeline.js';
import { textAnswer } from '../emit/text-answer.js';
import { commandLine, run } from './command-line.js';

/**
 * The entry of the command line's start-up snapshot (scripts/bundle-cli.mjs builds it with
 * `node --build-snapshot`; the bin runs it with `--snapshot-blob` when this Node built it). Node 20
 * starts by deserialising a heap; this one already holds the library evaluated, Chevrotain's parser
 * built, the rulebook read, the command tree made and the functions of a small gradient compiled, which a plain start does
 * on every run (~40 % of a small `grad` beyond `node -e 0`, callgrind).
 *
 * What runs here runs once, where the package was built, so it must not keep anything that belongs
 * to one run or one place: no stream of this process (stdout, stderr), no environment, no path of
 * this directory (each module derives its paths from import.meta.url when it needs them, and the bin
 * sets that URL at start; see html.ts), no colours (chalk decides at start). The command line's
 * modules (command-line.ts, commander) are evaluated here too, but only run() touches the process.
 */

declare global {
  // The bundle reads import.meta.url as this (scripts/bundle-cli.mjs): the bin's URL, set at start.
  var __matcalcImportMetaUrl: string;
}

/**
 * Small runs, so that the functions every gradient runs (reading, shapes, the sweep, the simplifier,
 * the check's evaluator, the text answer) are compiled in the snapshot: one gradient, and one Hessian
 * for what diff, jac and hess run besides (the forward sweep, the read-off, the checks of a
 * derivative block), which a gradient never reaches. Each further warm-up adds heap that every start
 * deserialises: another gradient costs more than it saves, the Hessian saves 5 – 20 M instructions on
 * a small hess or jac for ~1 – 2 M on the rest; a third one, on a matrix variable (Kronecker forms),
 * cost every command ~5 M and saved 3 M on hess of log det(X) (callgrind, docs/performance.md).
 */
const warmUp = gradient({ expression: 'aᵀexp(Xb)', wrt: 'X' });
if (!warmUp.ok) throw new Error(`snapshot warm-up failed: ${warmUp.diagnostics[0]?.message}`);
textAnswer(warmUp.value);
const warmHessian = derivative({ command: 'hess', expression: 'sum(exp(Ax)) + xᵀx', wrt: 'x' });
if (!warmHessian.ok) throw new Error(`snapshot warm-up failed: ${warmHessian.diagnostics[0]?.message}`);
textAnswer(warmHessian.value);
// The command tree (commander's commands and options), which every run would otherwise build.
commandLine();
// The terms and memo tables of the warm-up are not kept: every megabyte of heap costs each start
// ~30 M instructions (6 % of `node -e 0`) to deserialise.
terms.resetTerms();

startupSnapshot.setDeserializeMainFunction(() => {
  // process.argv is [node, bin, ...arguments]: the bin passes its own path first (`-- "$0" "$@"`).
  globalThis.__matcalcImportMetaUrl = pathToFileURL(process.argv[1]!).href;
  void run();
});

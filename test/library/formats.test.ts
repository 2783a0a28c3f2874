import { describe, expect, test } from 'vitest';
import { commandJson } from '../../src/emit/command-json.js';
import { FORMAT_NAMES, FORMATS } from '../../src/emit/formats.js';
import { textAnswer } from '../../src/emit/text-answer.js';
import { derivative, gradient, run } from '../../src/pipeline.js';
import type { Command } from '../../src/report.js';

/**
 * One report for every command, one formatter per format: every command × every format, through
 * the one table (the CLI, batch and the library all go through it). Which layout a command gets is
 * the report's business; that each exists, ends with a newline and says what it is, is checked here.
 */
const CASES: [Command, string, string][] = [
  ['grad', 'aᵀexp(Xb)', 'X'],
  ['diff', 'inv(X)', 'X'],
  ['jac', 'σ(Wx)', 'x'],
  ['hess', 'xᵀAx', 'x'],
];

/** What each format's output starts with or contains, per format: a sign it is that format. */
const SIGNS: Record<string, RegExp> = {
  json: /^\{\n {2}"/,
  numpy: /\nimport numpy as np\n[\s\S]*\ndef _self_check\(\):/,
  torch: /\nimport torch\n[\s\S]*\ndef _self_check\(\):/,
  'torch-autograd': /\nimport torch\n[\s\S]*\(torch\.autograd\.Function\):[\s\S]*def backward\(/,
  jax: /\nimport jax\n[\s\S]*@jax\.custom_vjp\n[\s\S]*\.defvjp\(/,
  latex: /^[fF] = /,
  html: /^<!DOCTYPE html>/,
  dot: /^digraph "f" \{\n[\s\S]* peripheries=2\];\n/,
};

test('the format table is the option list (text is the CLI\u2019s own)', () => {
  expect(['text', ...Object.keys(FORMATS)]).toEqual([...FORMAT_NAMES]);
  expect(Object.keys(SIGNS).sort()).toEqual(Object.keys(FORMATS).sort());
});

describe.each(CASES)('%s %s --wrt %s', (command, expression, wrt) => {
  // diff and jac compute F's pullback for the formats with a backward (torch-autograd, jax) when asked.
  const result = run(command === 'grad' ? { command, expression, wrt, steps: true } : { command, expression, wrt, steps: true, pullback: true });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  const report = result.value;

  test('run() gives the same report as the command\u2019s own entry', () => {
    const direct = command === 'grad' ? gradient({ expression, wrt, steps: true }) : derivative({ command, expression, wrt, steps: true, pullback: true });
    if (!direct.ok) throw new Error(direct.diagnostics[0]!.message);
    expect(report.command).toBe(command);
    expect(JSON.stringify(commandJson(report))).toBe(JSON.stringify(commandJson(direct.value)));
  });

  test.each(Object.keys(FORMATS))('--format %s', (format) => {
    const out = FORMATS[format]!(report, { steps: true, standalone: false });
    expect(out.endsWith('\n')).toBe(true);
    expect(out).toMatch(SIGNS[format]!);
    if (format === 'json') expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(commandJson(report))));
  });

  test('--format text: the function, one line per result, the shapes, the check\u2019s noun', () => {
    const answer = textAnswer(report);
    expect(answer.function.text).not.toBe('');
    expect(answer.lines.length).toBeGreaterThan(0);
    expect(answer.shapes).toMatch(/: /);
    expect(answer.what).toBe({ grad: 'gradient', diff: 'differential', jac: 'Jacobian', hess: 'Hessian' }[command]);
    expect(answer.steps?.length ?? 0).toBeGreaterThan(0);
  });
});

test('sample: false draws no inputs, and a module cannot be written without them', () => {
  const result = run({ expression: 'aᵀexp(Xb)', wrt: 'X', sample: false });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  expect(result.value.sample).toBeUndefined();
  expect(() => FORMATS.numpy!(result.value, { steps: false, standalone: false })).toThrow(/sample: true/);
});

test('pullback: false (the default) computes no pullback, and a diff|jac module with a backward cannot be written without it', () => {
  const result = run({ command: 'jac', expression: 'σ(Wx)', wrt: 'x' });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  expect(result.value.command === 'jac' && result.value.pullback).toBeFalsy();
  for (const format of ['torch-autograd', 'jax']) expect(() => FORMATS[format]!(result.value, { steps: false, standalone: false })).toThrow(/pullback: true/);
});

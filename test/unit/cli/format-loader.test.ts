import { describe, expect, test } from 'vitest';
import { FORMAT_LOADERS } from '../../../src/cli/format-loader.js';
import { FORMAT_NAMES } from '../../../src/emit/format-names.js';
import { FORMATS } from '../../../src/emit/formats.js';

/**
 * The CLI loads one format's modules (src/cli/format-loader.ts) instead of the table of all of them
 * (emit/formats.ts), for start-up: both must name the same formats and give the same formatter.
 */
describe('the CLI loads each format as the format table has it', () => {
  test('the same formats as the table, and every name the option parser accepts but text', () => {
    expect(Object.keys(FORMAT_LOADERS).sort()).toEqual(Object.keys(FORMATS).sort());
    expect(Object.keys(FORMAT_LOADERS).sort()).toEqual(FORMAT_NAMES.filter((n) => n !== 'text').sort());
  });

  test.each(Object.keys(FORMATS))('%s: the very function of the table', async (name) => {
    expect(await FORMAT_LOADERS[name]!()).toBe(FORMATS[name]);
  });
});

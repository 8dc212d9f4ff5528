/**
 * The pretty, key-sorted JSON the JSON and SARIF reports print of a verdict's evidence, made from
 * the spool's compact text without parsing it. JSON.parse of that text, sortKeysDeep's copies and
 * the pretty JSON.stringify were a quarter of the instructions of the thread writing JSON + SARIF
 * from a spool (twenty-third round: 0.86 + ~0.4 + 1.8 G of 13.0 G at 10,000 accounts), and the
 * objects parsed were garbage to collect.
 */

import { reprintedJson } from './compact-json.ts';

/**
 * indentedJson(sortKeysDeep(JSON.parse(compact)), indent) for `compact` written by JSON.stringify
 * and an indentation of spaces; undefined where the text holds what reprintedJson leaves to the
 * caller, which then parses it.
 */
export function sortedPrettyJson(compact: string, indent: string): string | undefined {
  return reprintedJson(compact, true, indent.length);
}

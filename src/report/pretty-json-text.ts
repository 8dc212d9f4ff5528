/**
 * Pretty JSON made from compact JSON text without parsing it. OSCAL prints each distinct evidence
 * as a string holding its pretty JSON, and the evidence it reads from a spool is JSON.stringify's
 * compact text: parsing that text only to print it again (JSON.parse, JSON.stringify with
 * indentation, JSON.stringify of the result as a string) was ~0.5 s of writing OSCAL alone at
 * 10,000 accounts, and the objects parsed were garbage to collect.
 */

import { quotedReprintedJson } from './compact-json.ts';

/**
 * JSON.stringify(`${before}${JSON.stringify(JSON.parse(compact), null, 2)}${after}`): the JSON
 * text of a string that holds the value's pretty JSON; undefined where `compact` is not compact
 * JSON (reprintedJson), which the caller writes the slow way.
 */
export function quotedPrettyJson(compact: string, before: string, after: string): string | undefined {
  return quotedReprintedJson(compact, false, 0, before, after);
}

/**
 * canonicalJson (audit-common.ts) of a value given as JSON.stringify's compact text, without
 * parsing it into objects: OSCAL names each distinct evidence by a uuid of its canonical text, and
 * the evidence it reads from a spool is that compact text. Parsing it (JSON.parse) only to copy
 * its out-of-order objects and write it again (sortedPlainCopy, JSON.stringify) was ~0.3 s of
 * writing OSCAL alone at 10,000 accounts, and its objects garbage to collect.
 */

import { COMPACT, reprintedJson } from './compact-json.ts';

/** canonicalJson(JSON.parse(compact)), or undefined where canonicalJson must decide (reprintedJson). */
export function canonicalJsonText(compact: string): string | undefined {
  return reprintedJson(compact, true, COMPACT);
}

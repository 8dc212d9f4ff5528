/**
 * The texts the formats make of a verdict's evidence: compact JSON (HTML, OCSF, ASFF), pretty
 * JSON (OSCAL, JUnit) and canonical JSON (OSCAL's observation uuids). The writer shares one
 * EvidenceTexts between the formats of a run, and the formats walk the verdicts in step
 * (lockstep.ts), so each text of an evidence object is made once for all of them. Only the most
 * recent objects are remembered: memory stays bounded however many verdicts there are, and the
 * verdict cache's shared evidence, which recurs, is made again only once it has dropped out.
 */
import { canonicalJson } from './audit-common.ts';

/** Evidence objects remembered per kind of text: about two turns of every format (write.ts). */
const REMEMBERED = 1_024;

/** `make(value)` for the most recent objects; scalars are made every time (they are short). */
function recent(make: (value: unknown) => string): (value: unknown) => string {
  const made = new Map<object, string>();
  return (value) => {
    if (value === null || typeof value !== 'object') return make(value);
    let text = made.get(value);
    if (text === undefined) {
      text = make(value);
      if (made.size >= REMEMBERED) made.delete(made.keys().next().value!);
      made.set(value, text);
    }
    return text;
  };
}

/** The evidence objects must not change while in use: formatters never modify evidence (canonical.ts). */
export class EvidenceTexts {
  /** JSON.stringify(evidence ?? null). */
  readonly compact = recent((value) => JSON.stringify(value ?? null));
  /** JSON.stringify(evidence ?? null, null, 2), what prettyJson writes. */
  readonly pretty = recent((value) => JSON.stringify(value ?? null, null, 2));
  /** canonicalJson(evidence ?? null): keys sorted, for hashing. */
  readonly canonical = recent((value) => canonicalJson(value ?? null));
}

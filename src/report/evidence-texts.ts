/**
 * The texts the formats make of a verdict's evidence: compact JSON (HTML, OCSF, ASFF) and
 * canonical JSON (OSCAL's evidence uuids). The writer shares one
 * EvidenceTexts between the formats of a run, and the formats walk the verdicts in step
 * (lockstep.ts), so each text of an evidence object is made once for all of them. Only the most
 * recent objects are remembered (oncePerObject): memory stays bounded however many verdicts there
 * are, and the verdict cache's shared evidence, which recurs, is made again only once it has
 * dropped out.
 */
import type { VerdictList } from '../contracts/result.ts';
import type { SpooledVerdicts } from '../evaluate/verdict-spool.ts';
import { canonicalJson, oncePerObject } from './audit-common.ts';

/** The evidence objects must not change while in use: formatters never modify evidence (canonical.ts). */
export class EvidenceTexts {
  /**
   * `source`, when given, knows JSON.stringify's text of some evidence objects without serialising
   * them: a spooled verdict list's (the text it read them from, SpooledVerdicts.evidenceText).
   */
  constructor(private readonly source?: (value: unknown) => string | undefined) {}

  /** The texts of the evidence of `verdicts`: a spooled list lends the texts it read. */
  static of(verdicts: VerdictList): EvidenceTexts {
    const source = (verdicts as Partial<Pick<SpooledVerdicts, 'evidenceText'>>).evidenceText;
    return new EvidenceTexts(source);
  }

  /** JSON.stringify(evidence ?? null). */
  readonly compact = oncePerObject((value) => this.source?.(value) ?? JSON.stringify(value ?? null));
  /** canonicalJson(evidence ?? null): keys sorted, for hashing. */
  readonly canonical = oncePerObject((value) => canonicalJson(value ?? null));
}

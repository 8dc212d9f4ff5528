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
import type { Verdict } from '../contracts/verdict.ts';
import { type SpooledVerdicts, unreadEvidencePlace } from '../evaluate/verdict-spool.ts';
import { RecentCache } from '../shared/recent-cache.ts';
import { canonicalJson, ONE_FORMAT_REMEMBERED, oncePerObject } from './audit-common.ts';
import { evidenceValue, indentedJson } from './canonical.ts';
import { oneByteWherePossible } from '../shared/one-byte.ts';
import { sortedPrettyJson } from './compact-json.ts';

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

  /** `make(compact)` of a verdict's evidence, its text not parsed from a spool for it (evidenceTextOf). */
  perVerdict<T>(make: (compact: string) => T): (verdict: Verdict) => T {
    return evidenceTextOf(this.compact, make);
  }
}

/**
 * The evidence texts of the JSON and SARIF reports: indentedJson(evidenceValue(evidence), indent),
 * one-byte where it can be, made once per recent evidence object or spool place (evidenceTextOf).
 * Evidence a spool holds is printed from the spool's text (sortedPrettyJson), not parsed: unread
 * evidence from its place, evidence another format parsed from the text the list read it from.
 */
export class PrettyEvidenceTexts {
  private readonly byIndent = new Map<string, (verdict: Verdict) => string>();

  /** `source` as EvidenceTexts': the spool's text of an evidence object it parsed. */
  constructor(private readonly source?: (value: unknown) => string | undefined) {}

  static of(verdicts: VerdictList): PrettyEvidenceTexts {
    return new PrettyEvidenceTexts((verdicts as Partial<Pick<SpooledVerdicts, 'evidenceText'>>).evidenceText);
  }

  /** The text of `verdict`'s evidence as a member of an item nested `indent` deep. */
  text(verdict: Verdict, indent: string): string {
    let ofVerdict = this.byIndent.get(indent);
    if (!ofVerdict) this.byIndent.set(indent, (ofVerdict = this.ofVerdict(indent)));
    return ofVerdict(verdict);
  }

  private ofVerdict(indent: string): (verdict: Verdict) => string {
    const fromValue = (value: unknown): string => oneByteWherePossible(indentedJson(evidenceValue(value), indent));
    const fromText = (compact: string): string => sortedPrettyJson(compact, indent) ?? fromValue(JSON.parse(compact));
    const source = this.source;
    return evidenceTextOf(JSON.stringify, fromText, (value) => {
      const compact = source?.(value);
      return compact === undefined ? fromValue(value) : fromText(compact);
    });
  }
}

/**
 * `make(compact(evidence))` of a verdict's evidence, made once per recent evidence object
 * (oncePerObject); evidence still unread in a spool is not parsed for it: its text is taken as
 * the spool wrote it, which is what compact gives of the parsed object, once per place while the
 * place is recent (unreadEvidencePlace). HTML, OCSF and ASFF only print the compact text, and
 * parsing it back from the spool (the verdict's evidence member) was their own cost when written
 * alone or with formats that do not read evidence (seventeenth round for HTML, nineteenth for
 * OCSF and ASFF). `fromValue`, when given, makes the same of evidence already read, from the
 * value rather than its text.
 */
export function evidenceTextOf<T>(compact: (value: unknown) => string, make: (compact: string) => T, fromValue: (value: unknown) => T = (value) => make(compact(value))): (verdict: Verdict) => T {
  const ofObject = oncePerObject(fromValue, ONE_FORMAT_REMEMBERED);
  const ofPlace = new RecentCache<number, T>(ONE_FORMAT_REMEMBERED);
  // The places are offsets in one spool's evidence file: those of any other are not remembered.
  let file: object | undefined;
  return (verdict) => {
    const place = unreadEvidencePlace(verdict);
    if (place === undefined) return ofObject(verdict.evidence);
    const { offset, length, pieces } = place;
    file ??= pieces;
    return file === pieces ? ofPlace.get(offset, () => make(pieces.text(offset, length))) : make(pieces.text(offset, length));
  };
}

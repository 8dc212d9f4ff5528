/**
 * OSCAL's evidence resources: each distinct evidence once, as a back-matter resource whose uuid is
 * a UUIDv5 of the evidence's canonical text, referenced (`href: "#uuid"`) by every observation
 * that relies on it. At 1,000 accounts the observations printed 15,013 evidence texts of which
 * 3,240 were distinct (12.1 MB of a 57 MB document).
 *
 * The back-matter comes after the observations, so the texts are not held until then: the walk of
 * the observations remembers, per uuid, where to read the evidence again (a spooled verdict's
 * place in its evidence file, spooledEvidencePlace; the object itself for a list in memory, which
 * holds it anyway), and the back-matter reads each once more when written: a spooled one as the
 * spool's compact text, indented and quoted without being parsed (compact-json.ts quotedPrettyJson).
 */
import type { Verdict } from '../contracts/verdict.ts';
import { type SpooledEvidencePlace, spooledEvidencePlace } from '../evaluate/verdict-spool.ts';
import { RecentCache } from '../shared/recent-cache.ts';
import { canonicalJson, oncePerObject, prettyJson } from './audit-common.ts';
import { uuidV5Joined } from './uuid-v5.ts';
import { type EvidenceTexts, evidenceTextOf } from './evidence-texts.ts';
import { canonicalJsonText, quotedPrettyJson } from './compact-json.ts';

/**
 * An evidence resource of the back-matter: its uuid and the evidence, read again (`text`: the
 * compact JSON text the spool wrote, not parsed; `value`: the evidence of a verdict in memory).
 */
export type EvidenceResource = { uuid: string } & ({ text: string; value?: undefined } | { text?: undefined; value: unknown });

/** The evidence of a resource, parsed from its text if it was read from a spool. */
export function resourceEvidence(resource: EvidenceResource): unknown {
  return resource.text === undefined ? resource.value : JSON.parse(resource.text);
}

/** Scalar evidence values whose uuids are remembered: a few values (null, short words) recur. */
const SCALARS_REMEMBERED = 64;

export class EvidenceResources {
  /** Uuid → its index in the arrays below, in the order the observations first referenced them. */
  private readonly indexes = new Map<string, number>();
  /**
   * Where each evidence is read again: a spool's evidence file and the piece's offset and length,
   * or, for a verdict in memory, the evidence itself (offset -1). Parallel arrays rather than an
   * object or closure per evidence: 43 MB instead of 76 MB of heap for a map of 320,000 uuids,
   * measured alone (100,000 accounts have 323,331 distinct evidence values, 10,000 have 32,090).
   */
  private readonly sources: unknown[] = [];
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private lastReferenced: string | undefined;
  private lastEvidence: unknown;
  /** The uuid of an evidence value: made once per recent evidence object (oncePerObject). */
  readonly uuidOf: (evidence: unknown) => string;
  /**
   * The uuid of a verdict's evidence. Evidence still unread in a spool is not read through the
   * verdict: the spool would keep the parsed object among its recent ones (EVIDENCE_GENERATION),
   * long enough to be promoted and collected by a full collection. Its canonical text is made
   * here from the spool's text, once per recent place (evidenceTextOf), without parsing it
   * (compact-json.ts canonicalJsonText) unless canonicalJson must decide.
   */
  private readonly uuidOfVerdict: (verdict: Verdict) => string;

  /** `inMemory`: the verdicts are not read from a spool (their evidence member may be read). */
  constructor(
    texts: EvidenceTexts,
    private readonly inMemory = false,
  ) {
    const uuidOfValue = (evidence: unknown) => evidenceUuid(texts.canonical(evidence));
    const ofObject = oncePerObject(uuidOfValue);
    // Evidence that is no object (null, mostly) by value: oncePerObject makes those again each
    // time, and at 10,000 accounts 18,267 of the 51,680 canonical texts and hashes made for the
    // 150,195 verdicts were of such evidence.
    const ofScalar = new RecentCache<unknown, string>(SCALARS_REMEMBERED);
    this.uuidOf = (evidence) => (evidence !== null && typeof evidence === 'object' ? ofObject(evidence) : ofScalar.get(evidence, uuidOfValue));
    this.uuidOfVerdict = evidenceTextOf(texts.compact, (compact) => evidenceUuid(canonicalJsonText(compact) ?? canonicalJson(JSON.parse(compact))), this.uuidOf);
  }

  /** The uuid of the verdict's evidence resource, remembering where its evidence is read from. */
  referenced(v: Verdict): string {
    // A verdict in memory whose evidence is the verdict before's object (or value): the same
    // resource, known without asking the caches (a walk in memory at 10,000 accounts: 97,744 of
    // its 150,195 verdicts). A spooled verdict's evidence is not read here: it would be parsed.
    if (this.inMemory) {
      const evidence = v.evidence;
      if (evidence === this.lastEvidence && this.lastReferenced !== undefined) return this.lastReferenced;
      this.lastEvidence = evidence;
    }
    const uuid = this.uuidOfVerdict(v);
    // Verdicts that share evidence follow each other (two of three at 10,000 accounts): the uuid
    // the verdict before referenced, the same string, is known without a look-up.
    if (uuid === this.lastReferenced) return uuid;
    this.lastReferenced = uuid;
    if (!this.indexes.has(uuid)) {
      this.indexes.set(uuid, this.sources.length);
      const place = spooledEvidencePlace(v);
      this.sources.push(place ? place.pieces : v.evidence);
      this.offsets.push(place ? place.offset : -1);
      this.lengths.push(place ? place.length : 0);
    }
    return uuid;
  }

  /** The referenced evidence, each once, in the order first referenced. */
  *resources(): Generator<EvidenceResource> {
    for (const [uuid, i] of this.indexes) {
      const source = this.sources[i];
      const offset = this.offsets[i]!;
      yield offset < 0 ? { uuid, value: source } : { uuid, text: (source as SpooledEvidencePlace['pieces']).text(offset, this.lengths[i]!) };
    }
  }
}

/** The uuid of the evidence whose canonicalJson is `canonical`: the same evidence, the same resource, in any scan. */
export function evidenceUuid(canonical: string): string {
  return uuidV5Joined('evidence:', canonical);
}

const FENCE_OPENING = '```json\n';
const FENCE_CLOSING = '\n```';

/** An evidence resource's remarks: its evidence as pretty JSON in a fenced block (markup-multiline). */
export function evidenceRemarks(evidence: unknown): string {
  return fencedRemarks(prettyJson(evidence));
}

/**
 * An evidence resource's remarks for its template (json-template.ts): from the spool's text, their
 * whole JSON string (`json`), made without parsing the evidence where it can be; else the JSON
 * text of the evidence's pretty JSON without its quotes (`escaped`), which goes between the
 * fences' texts (fencedRemarks): the evidence's pretty JSON is not first copied into a string
 * between the fences to be escaped (51 MB of texts at 10,000 accounts in memory).
 */
export function evidenceRemarksValue(resource: EvidenceResource): { json: string } | { escaped: string } {
  const fromText = resource.text === undefined ? undefined : quotedPrettyJson(resource.text, FENCE_OPENING, FENCE_CLOSING);
  return fromText !== undefined ? { json: fromText } : { escaped: JSON.stringify(prettyJson(resourceEvidence(resource))).slice(1, -1) };
}

/** The remarks around `pretty`, the evidence's pretty JSON (or a template's marker for it): evidenceRemarks. */
export function fencedRemarks(pretty: string): string {
  return FENCE_OPENING + pretty + FENCE_CLOSING;
}

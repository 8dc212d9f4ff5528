import { compareStrings } from '../contracts/order.ts';
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '../snapshot/types.ts';
import { FRESH, fieldSelectorAccepts, selectorAccepts, witnessValues, type EventAttributes } from './advanced-selectors.ts';
import type { Known } from './known.ts';
import { emptyList, mapped } from '../shared/lists.ts';

/**
 * Which trails and event data stores record the S3 object data events of one bucket, for reads or
 * for writes. Pure: the recorders are built elsewhere (data-event-recorders.ts).
 *
 * Classic selectors are translated into the advanced grammar first, so both kinds are judged by
 * the same evaluator. The question "does it record EVERY read of EVERY object" ranges over
 * infinitely many events; it is decided exactly by checking one witness event per distinguishable
 * case (see witnessValues): every object-key case, every event name case, every case of any other
 * field a selector restricts.
 */

export type AccessKind = 'read' | 'write';
export type RecorderKind = 'trail' | 'event-data-store';
export type CoverageStatus = 'covered' | 'partial' | 'not-covered' | 'unknown';

export type RecorderSelectors =
  | { type: 'classic'; selectors: EventSelector[] }
  | { type: 'advanced'; selectors: AdvancedEventSelector[] };

export interface DataEventRecorder {
  /** Trail ARN or event data store ARN (never a name: names are not unique across accounts). */
  arn: string;
  kind: RecorderKind;
  /** Records data events of every region, or only of its home region. */
  multiRegion: boolean;
  homeRegion: string;
  /** Recording now (a logging trail, an ENABLED event data store); the reason when it is not. */
  active: Known<boolean>;
  inactiveBecause?: string;
  selectors: Known<RecorderSelectors>;
}

export interface CoverageTarget {
  bucket: string;
  /** Unknown region: only recorders of every region can be counted. */
  region?: string;
  partition: string;
}

export interface SelectorEvidence {
  source: string;
  kind: RecorderKind;
  /** Position of the selector in GetEventSelectors / the event data store's AdvancedEventSelectors. */
  selector: number;
  selectorType: 'classic' | 'advanced';
  /** 'all': this selector alone records every event of the kind for the bucket. */
  scope: 'all' | 'partial';
}

export interface AccessCoverage {
  status: CoverageStatus;
  by: SelectorEvidence[];
  /** What is left out, when not covered: event names, object ranges, filtered fields. */
  missing: string[];
  /** Recorders whose selectors would record some of these events but do not count, and why. */
  notCounted: { source: string; reason: string }[];
  /** Why the answer is unknown (status 'unknown' only). */
  unknownReasons: string[];
}

/** S3 object-level events by access kind (CloudTrail "Amazon S3 data events"). */
export const S3_OBJECT_EVENTS: Record<AccessKind, string[]> = {
  read: [
    'GetObject',
    'GetObjectAcl',
    'GetObjectAttributes',
    'GetObjectLegalHold',
    'GetObjectRetention',
    'GetObjectTagging',
    'GetObjectTorrent',
    'HeadObject',
    'ListParts',
    'SelectObjectContent',
  ],
  write: [
    'AbortMultipartUpload',
    'CompleteMultipartUpload',
    'CopyObject',
    'CreateMultipartUpload',
    'DeleteObject',
    'DeleteObjectTagging',
    'DeleteObjects',
    'PutObject',
    'PutObjectAcl',
    'PutObjectLegalHold',
    'PutObjectRetention',
    'PutObjectTagging',
    'RestoreObject',
    'UploadPart',
    'UploadPartCopy',
  ],
};

/** Fields whose value is the same for every S3 object data event of one access kind. */
function fixedAttributes(access: AccessKind): EventAttributes {
  return {
    eventCategory: 'Data',
    'resources.type': 'AWS::S3::Object',
    readOnly: access === 'read' ? 'true' : 'false',
    eventSource: 's3.amazonaws.com',
    eventType: 'AwsApiCall',
  };
}

const WITNESS_LIMIT = 200_000;
const ALL_S3 = /^arn:[a-z-]+:s3(:::)?$/;

/**
 * The advanced-selector equivalent of a classic selector, for S3 objects only; null when it records
 * no S3 object events. `arn:aws:s3` (and the older `arn:aws:s3:::`) mean every bucket; a value
 * without a slash names a bucket, matched exactly (so `arn:aws:s3:::logs` does not reach
 * `logs-archive`); otherwise the value is an object-ARN prefix.
 */
export function classicAsAdvanced(selector: EventSelector): AdvancedEventSelector | null {
  // Stryker disable next-line ArrayDeclaration: a placeholder element has no Type, so the filter drops it like the empty list.
  const values = (selector.DataResources ?? []).filter((d) => d.Type === 'AWS::S3::Object').flatMap((d) => d.Values);
  if (values.length === 0) return null;
  const fields: AdvancedFieldSelector[] = [
    { Field: 'eventCategory', Equals: ['Data'] },
    { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
  ];
  // An absent ReadWriteType is All: neither restriction applies.
  if (selector.ReadWriteType === 'ReadOnly') fields.push({ Field: 'readOnly', Equals: ['true'] });
  if (selector.ReadWriteType === 'WriteOnly') fields.push({ Field: 'readOnly', Equals: ['false'] });
  if (!values.some((v) => ALL_S3.test(v))) {
    // `arn:<partition>:s3:::` holds no slash, so a slash can only come after the bucket name.
    fields.push({ Field: 'resources.ARN', StartsWith: values.map((v) => (v.includes('/') ? v : `${v}/`)) });
  }
  return { FieldSelectors: fields };
}

interface PositionedSelector {
  recorder: DataEventRecorder;
  position: number;
  selectorType: 'classic' | 'advanced';
  selector: AdvancedEventSelector;
}

function positioned(recorder: DataEventRecorder, selectors: RecorderSelectors): PositionedSelector[] {
  if (selectors.type === 'advanced') {
    return selectors.selectors.map((selector, position) => ({ recorder, position, selectorType: 'advanced', selector }));
  }
  const out: PositionedSelector[] = [];
  translatedClassic(selectors.selectors).forEach((selector, position) => {
    if (selector) out.push({ recorder, position, selectorType: 'classic', selector });
  });
  return out;
}

/**
 * Classic selectors translated once per list: an organization trail's list is the same object in
 * every account (the index's), and every bucket of every account is judged against it.
 */
const translations = new WeakMap<EventSelector[], (AdvancedEventSelector | null)[]>();

function translatedClassic(selectors: EventSelector[]): (AdvancedEventSelector | null)[] {
  let translated = translations.get(selectors);
  if (!translated) translations.set(selectors, (translated = selectors.map(classicAsAdvanced)));
  return translated;
}

function advancedSelectors(selectors: RecorderSelectors): readonly (AdvancedEventSelector | null)[] {
  return selectors.type === 'advanced' ? selectors.selectors : translatedClassic(selectors.selectors);
}

/** The fields an S3 object data event holds with the same value whatever its access kind. */
const S3_OBJECT_EVENT: EventAttributes = { eventCategory: 'Data', 'resources.type': 'AWS::S3::Object', eventSource: 's3.amazonaws.com', eventType: 'AwsApiCall' };

/**
 * Whether the recorder can change any bucket's coverage (`bucketAccessCoverage`). One whose every
 * selector filters only on the fields every S3 object event fixes, and rejects one of them (a
 * management-events selector), accepts no witness: it gives no evidence, no "not counted", no
 * doubt, and adds no witness of its own; leaving it out changes no coverage. Most accounts' own
 * trails are such, so without them most accounts share their recorders.
 */
export function mayRecordS3Objects(recorder: DataEventRecorder): boolean {
  if (!recorder.selectors.value) return true;
  return advancedSelectors(recorder.selectors.value).some((selector) => selector !== null && !rejectsS3Objects(selector));
}

function rejectsS3Objects(selector: AdvancedEventSelector): boolean {
  const fixed = fixedAttributes('read');
  return (
    selector.FieldSelectors.every((fs) => Object.hasOwn(fixed, fs.Field)) &&
    selector.FieldSelectors.some((fs) => Object.hasOwn(S3_OBJECT_EVENT, fs.Field) && !fieldSelectorAccepts(fs, S3_OBJECT_EVENT[fs.Field]))
  );
}

/**
 * What a bucket's coverage depends on through its name, as a string, when that is all it depends
 * on through it; undefined otherwise. When no `resources.ARN` constant of the recorders' selectors
 * begins with the bucket's object ARN, nor filters on an ending, the only ARN witness is
 * `arn:…:s3:::<bucket>/` + FRESH (witnessValues), and each selector treats it as the list of
 * whether it begins with each constant (Equals never holds: the witness contains FRESH) says:
 * buckets whose lists agree get the same coverage (`bucketAccessCoverage`) for the same access,
 * region and recorders, and no part of it names the bucket (the only ARN it could name is that
 * witness, when nothing at all is recorded, which `describeMissing` words without the ARN).
 */
export function bucketNameClass(target: CoverageTarget, recorders: readonly DataEventRecorder[]): string | undefined {
  const base = `arn:${target.partition}:s3:::${target.bucket}/`;
  const witness = base + FRESH;
  let bits = '';
  for (const r of recorders) {
    if (!r.selectors.value) continue;
    for (const selector of advancedSelectors(r.selectors.value)) {
      for (const fs of selector?.FieldSelectors ?? []) {
        if (fs.Field !== 'resources.ARN') continue;
        if (fs.EndsWith || fs.NotEndsWith) return undefined;
        for (const v of [...(fs.StartsWith ?? []), ...(fs.NotStartsWith ?? [])]) {
          if (v.startsWith(base)) return undefined;
          bits += witness.startsWith(v) ? '1' : '0';
        }
        for (const v of [...(fs.Equals ?? []), ...(fs.NotEquals ?? [])]) {
          if (v.startsWith(base)) return undefined;
          bits += '0';
        }
      }
    }
  }
  return bits;
}

/** Why a recorder cannot be counted for this target: undefined when it counts, or unknown reasons. */
function eligibility(r: DataEventRecorder, target: CoverageTarget): { excluded?: string; uncertain?: string } {
  if (r.active.reason !== undefined) return { uncertain: `${r.arn}: ${r.active.reason}` };
  if (!r.active.value) return { excluded: r.inactiveBecause ?? 'not recording' };
  if (!r.multiRegion) {
    if (target.region === undefined) return { uncertain: `${r.arn} records only ${r.homeRegion} and the bucket's region is unknown` };
    if (r.homeRegion !== target.region) return { excluded: `records only ${r.homeRegion}, the bucket is in ${target.region}` };
  }
  return {};
}

interface Witness {
  event: EventAttributes;
  arn: string;
  name: string;
}

function witnesses(selectors: AdvancedEventSelector[], target: CoverageTarget, access: AccessKind): Witness[] | null {
  const base = `arn:${target.partition}:s3:::${target.bucket}/`;
  const arns = witnessValues(selectors, 'resources.ARN', base) as string[];
  // Event names: the known ones of this kind, plus one name matching no selector constant, which
  // stands for events AWS may add (a filter listing only today's names does not record them).
  const names = [...S3_OBJECT_EVENTS[access], FRESH];
  const fixed = fixedAttributes(access);
  const otherFields = [...new Set(selectors.flatMap((s) => s.FieldSelectors.map((f) => f.Field)))]
    .filter((f) => !(f in fixed) && f !== 'resources.ARN' && f !== 'eventName')
    .sort();
  const otherValues = mapped(otherFields, (f) => witnessValues(selectors, f, '', true));
  const total = otherValues.reduce((n, vs) => n * vs.length, arns.length * names.length);
  if (total > WITNESS_LIMIT) return null;

  let combos: EventAttributes[] = [{}];
  otherFields.forEach((field, i) => {
    combos = combos.flatMap((c) => otherValues[i]!.map((v) => ({ ...c, [field]: v })));
  });
  const out: Witness[] = [];
  for (const arn of arns) {
    for (const name of names) {
      for (const combo of combos) {
        // Built field by field rather than spread: this runs for every bucket, access kind and witness.
        const event: EventAttributes = { ...fixed };
        for (const field of otherFields) event[field] = combo[field];
        event['resources.ARN'] = arn;
        event.eventName = name;
        out.push({ arn, name, event });
      }
    }
  }
  return out;
}

/** Which trails and event data stores record the bucket's object reads (or writes), and what they leave out. */
export function bucketAccessCoverage(target: CoverageTarget, access: AccessKind, recorders: readonly DataEventRecorder[]): AccessCoverage {
  const counted: PositionedSelector[] = [];
  // Rarely filled: made as mapped() makes lists (shared/lists.ts), so that one filled is not a second hidden class.
  const excluded = emptyList<{ ps: PositionedSelector; reason: string }>();
  const uncertain = emptyList<{ selectors: PositionedSelector[]; reason: string }>();
  const unknownReasons: string[] = [];
  for (const r of [...recorders].sort((a, b) => compareStrings(a.arn, b.arn))) {
    if (r.selectors.reason !== undefined) {
      unknownReasons.push(`${r.arn}: ${r.selectors.reason}`);
      continue;
    }
    const { excluded: why, uncertain: doubt } = eligibility(r, target);
    const selectors = positioned(r, r.selectors.value);
    if (doubt) uncertain.push({ selectors, reason: doubt });
    else if (why) for (const ps of selectors) excluded.push({ ps, reason: why });
    else counted.push(...selectors);
  }

  const all = mapped([...counted, ...mapped(excluded, (e) => e.ps), ...uncertain.flatMap((u) => u.selectors)], (p) => p.selector);
  const space = witnesses(all, target, access);
  if (!space) {
    return { status: 'unknown', by: emptyList(), missing: emptyList(), notCounted: [], unknownReasons: ['the selectors are too complex to decide coverage exhaustively'] };
  }

  // Each counted selector against each witness, once: both `accepted` and `by` are read from it.
  const hitsOf = mapped(counted, (c) => space.map((w) => selectorAccepts(c.selector, w.event)));
  const accepted = space.map((_, i) => hitsOf.some((hits) => hits[i]!));
  // A recorder whose state is unknown matters only if it could record something the others do not.
  for (const u of uncertain) {
    if (space.some((w, i) => !accepted[i] && u.selectors.some((ps) => selectorAccepts(ps.selector, w.event)))) unknownReasons.push(u.reason);
  }
  const by = emptyList<SelectorEvidence>();
  for (const [ci, c] of counted.entries()) {
    const hits = hitsOf[ci]!.filter(Boolean).length;
    if (hits === 0) continue;
    by.push({
      source: c.recorder.arn,
      kind: c.recorder.kind,
      selector: c.position,
      selectorType: c.selectorType,
      scope: hits === space.length ? 'all' : 'partial',
    });
  }
  const notCounted = [
    ...new Map(
      excluded.filter((e) => space.some((w) => selectorAccepts(e.ps.selector, w.event))).map((e) => [e.ps.recorder.arn, { source: e.ps.recorder.arn, reason: e.reason }]),
    ).values(),
  ];

  const coveredCount = accepted.filter(Boolean).length;
  const missing = coveredCount === space.length ? emptyList<string>() : describeMissing(space, accepted, access);
  let status: CoverageStatus;
  if (coveredCount === space.length) status = 'covered';
  else if (unknownReasons.length > 0) status = 'unknown';
  else status = coveredCount === 0 ? 'not-covered' : 'partial';
  return { status, by, missing, notCounted, unknownReasons: status === 'unknown' ? unknownReasons : [] };
}

/** Human-readable gaps: whole event names dropped, object ranges dropped, then anything left. */
function describeMissing(space: Witness[], accepted: boolean[], access: AccessKind): string[] {
  if (!accepted.some(Boolean)) return [`all object ${access} events`];
  const known = new Set(S3_OBJECT_EVENTS[access]);
  const fullyMissing = <K extends 'arn' | 'name'>(key: K): Set<string> => {
    const seen = new Map<string, boolean>();
    space.forEach((w, i) => seen.set(w[key], (seen.get(w[key]) ?? false) || accepted[i]!));
    return new Set([...seen].filter(([, anyAccepted]) => !anyAccepted).map(([v]) => v));
  };
  const missingNames = fullyMissing('name');
  const missingArns = fullyMissing('arn');
  const out: string[] = [];
  // Stryker disable next-line MethodExpression: the witnesses follow S3_OBJECT_EVENTS, which lists each kind in alphabetical order already.
  const namedGaps = [...missingNames].filter((n) => known.has(n)).sort();
  if (namedGaps.length > 0) out.push(`eventName ${namedGaps.join(', ')}`);
  if ([...missingNames].some((n) => !known.has(n))) out.push(`other ${access} event names`);
  const arnWitnesses = [...new Set(space.map((w) => w.arn))];
  for (const arn of [...missingArns].sort()) out.push(`objects ${describeObjects(arn, arnWitnesses.filter((a) => !missingArns.has(a)))}`);
  const explained = space.every((w, i) => accepted[i] || missingNames.has(w.name) || missingArns.has(w.arn));
  if (!explained) {
    // In the order of the witnesses' fields: the sorted otherFields.
    const fields = [...new Set(space.flatMap((w) => Object.keys(w.event)))].filter((f) => !(f in fixedAttributes(access)) && f !== 'resources.ARN' && f !== 'eventName');
    out.push(fields.length > 0 ? `events filtered on ${fields.join(', ')}` : 'some combinations of event name and object');
  }
  return out;
}

/** `arn:…:b/pii/*` for a witness; exceptions are the more specific covered witnesses inside it. */
function describeObjects(arn: string, coveredArns: string[]): string {
  const at = arn.indexOf(FRESH);
  // An exact object has no other witness inside it (nor would the filter below find one).
  // Stryker disable next-line ConditionalExpression,EqualityOperator: see above; no witness starts with FRESH.
  if (at < 0) return arn;
  const prefix = arn.slice(0, at);
  const suffix = arn.slice(at + FRESH.length);
  // No constant reaches across FRESH, so a covered witness lies inside when it begins with the prefix
  // and ends with the suffix; the witness with this very prefix and suffix is `arn`, not covered.
  const inside = coveredArns.filter((c) => c.startsWith(prefix) && c.endsWith(suffix));
  const pattern = (a: string) => a.replace(FRESH, '*');
  return inside.length > 0 ? `${pattern(arn)} except ${inside.map(pattern).join(', ')}` : pattern(arn);
}

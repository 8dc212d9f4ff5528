/**
 * Snapshot format version 2's one addition: within one account line, a region's answer equal to the
 * same answer of an earlier region is written as a reference to that region, `{"$sameAs": "<region>"}`
 * (DescribeTrails with shadow trails gives the organization trail identically in all 17 regions; a
 * quiet account's event history too: about half of a line's bytes). Only at the positions listed
 * here. Part of the snapshot schema's one source (../schema-source.ts): these definitions describe
 * the line as written; AccountRecord, the line as every reader gives it, has no reference.
 */
import { arrayOf, doc, ref, type Schema, strict } from './vocabulary.ts';

/** The members of a RegionRecord that may be a reference (to the same member of an earlier region). */
export const REGION_REFERENCE_POSITIONS = ['trails', 'eventDataStores', 'logGroups', 'detective'] as const;
/** The members of a region's `detective` that may be a reference (to the same member of an earlier region's detective). */
export const DETECTIVE_REFERENCE_POSITIONS = [
  'metricFilters',
  'metricAlarms',
  'topicSubscriptions',
  'eventRules',
  'ruleTargets',
  'guardDutyDetectors',
  'tamperHistory',
] as const;

/** The reference's only member: a `$` no AWS field name, map key of these positions or Fetched member starts with. */
export const SAME_AS = '$sameAs';

/** A member that is either its answer or a reference: a reference is recognised by its `$sameAs` member (no errors built for the answer on the way). */
function answerOrReference(answer: Schema): Schema {
  const { description, ...schema } = answer;
  return {
    ...(description === undefined ? {} : { description }),
    if: { type: 'object', required: [SAME_AS] },
    then: ref('SameAsReference'),
    else: schema,
  };
}

/** `record` with the members at `positions` allowed to be references, after `replaced` members take their place. */
function withReferences(record: Schema, positions: readonly string[], replaced: Record<string, Schema> = {}): Schema {
  const properties = { ...(record.properties as Record<string, Schema>), ...replaced };
  for (const name of positions) properties[name] = answerOrReference(properties[name]!);
  return { ...record, properties };
}

/** The definitions of a version-2 account line, derived from those of the record it reads as. */
export function sameAsDefinitions(defs: Record<string, Schema>): Record<string, Schema> {
  const regionMembers = defs.RegionRecord!.properties as Record<string, Schema>;
  return {
    SameAsReference: doc(
      'Snapshot format 2: this member is equal (same JSON) to the same member of the earlier region of this line named here; ' +
        'readers give that region\'s answer in its place. Allowed only as a region\'s trails, eventDataStores, logGroups or ' +
        'detective, or as one member of detective.',
      strict({ [SAME_AS]: doc('The `region` of an earlier entry of this line\'s `regions`.', { type: 'string', minLength: 1 }) }, [SAME_AS]),
    ),
    DetectiveRegionLine: doc('DetectiveRegionRecord as written in format 2.', withReferences(defs.DetectiveRegionRecord!, DETECTIVE_REFERENCE_POSITIONS)),
    RegionLine: doc(
      'RegionRecord as written in format 2.',
      withReferences(defs.RegionRecord!, REGION_REFERENCE_POSITIONS, { detective: { ...regionMembers.detective, ...ref('DetectiveRegionLine') } }),
    ),
    AccountLine: doc(
      'An account line as written in format 2: AccountRecord with references in its regions.',
      withReferences(defs.AccountRecord!, [], { regions: arrayOf(ref('RegionLine')) }),
    ),
  };
}

/**
 * Format version 2's references (schema/same-as.ts): the writer replaces a region's answer equal to
 * the same answer of an earlier region of the line with `{"$sameAs": "<that region>"}`; the reader
 * puts that region's parsed answer back in its place, the same object, so every stage above the
 * snapshot sees what a version-1 line gives (and may compute a fact once per distinct object).
 */
import { isJsonObject } from '../shared/json-object.ts';
import { DETECTIVE_REFERENCE_POSITIONS, REGION_REFERENCE_POSITIONS, SAME_AS } from './schema/same-as.ts';
import type { LineProblem } from './line-problem.ts';
import type { AccountRecord, RegionRecord } from './types.ts';

type Members = Record<string, unknown>;

const isReference = (value: unknown): value is Members => isJsonObject(value) && SAME_AS in value;

/**
 * The line as written: each answer at a reference position that is equal (same `text`, the stable
 * JSON the line is written in) to the same answer of an earlier region becomes a reference to the
 * first region that gave it, when the reference is the shorter text (`{"value":[]}` stays as it is).
 * The record is not modified (its regions are copied where they change). Lines whose regions are not
 * named uniquely are written unchanged: a reference names its region.
 */
export function withSameAsReferences(record: AccountRecord, text: (value: unknown) => string): AccountRecord {
  // A record the schema refuses (a collector bug, written as it is and reported) is not rewritten.
  const regions: unknown = record.regions;
  if (!Array.isArray(regions) || regions.length < 2 || !regions.every(isJsonObject)) return record;
  if (new Set(regions.map((r) => r.region)).size !== regions.length) return record;
  // position → answer text → the first region that gave it
  const first = new Map<string, Map<string, string>>();
  const referenceTo = (position: string, answer: unknown, region: string): Members | undefined => {
    if (answer === undefined) return undefined;
    const answerText = text(answer);
    let seen = first.get(position);
    if (!seen) first.set(position, (seen = new Map()));
    const earlier = seen.get(answerText);
    if (earlier === undefined) {
      seen.set(answerText, region);
      return undefined;
    }
    const reference = { [SAME_AS]: earlier };
    return text(reference).length < answerText.length ? reference : undefined;
  };
  const written = (regions as unknown as RegionRecord[]).map((region) => {
    const line: Members = { ...region };
    for (const position of REGION_REFERENCE_POSITIONS) {
      const reference = referenceTo(position, region[position], region.region);
      if (reference) line[position] = reference;
    }
    // A detective that refers as a whole has the members of its region, which registered them first.
    if (region.detective && !isReference(line.detective)) {
      const detective: Members = { ...region.detective };
      for (const position of DETECTIVE_REFERENCE_POSITIONS) {
        const reference = referenceTo(`detective/${position}`, region.detective[position], region.region);
        if (reference) detective[position] = reference;
      }
      line.detective = detective;
    }
    return line as unknown as RegionRecord;
  });
  return { ...record, regions: written };
}

/**
 * Puts back, in place, the answer each reference of a parsed version-2 line stands for (the earlier
 * region's object itself). With `check`, a reference that names no earlier region of the line, or
 * whose region has no such answer, or that is not `{"$sameAs": "<region>"}`, is the problem
 * returned (and the line is left half resolved: it is refused). Without it, the line is one an
 * earlier pass checked.
 */
export function resolveSameAsReferences(line: unknown, check: boolean): LineProblem | undefined {
  const regions = isJsonObject(line) ? line.regions : undefined;
  if (!Array.isArray(regions)) return undefined;
  if (resolvedInPlace(regions, check) || !check) return undefined;
  // A reference that cannot be resolved: its problem, said as the positions are listed (the
  // references resolved so far were resolved as this walk resolves them).
  return firstUnresolved(regions);
}

const REGION_POSITIONS: ReadonlySet<string> = new Set(REGION_REFERENCE_POSITIONS);
const DETECTIVE_POSITIONS: ReadonlySet<string> = new Set(DETECTIVE_REFERENCE_POSITIONS);

/**
 * Resolves every reference that can be; with `check`, stops at the first that cannot (false).
 * Both passes resolve every line of a version-2 file, about a hundred references in 17 regions:
 * a region's members are visited with for...in and each earlier region found by a scan of the
 * ones before it, where reading each listed position by name (one keyed load for every name, a
 * Map of the line's regions) counted about five times the instructions (a harness of org-1000's
 * lines, steady state: 30 M against 157 M a round; docs/operations/scale-measurements.md,
 * seventeenth round).
 */
function resolvedInPlace(regions: unknown[], check: boolean): boolean {
  for (let index = 0; index < regions.length; index++) {
    const region: unknown = regions[index];
    if (!isJsonObject(region)) continue;
    if (!membersResolved(regions, index, region, false, check)) return false;
    const detective = region.detective;
    if (isJsonObject(detective) && !membersResolved(regions, index, detective, true, check)) return false;
  }
  return true;
}

/** Resolves the references among the members of region `index` (or of its detective): see resolvedInPlace. */
function membersResolved(regions: unknown[], index: number, holder: Members, inDetective: boolean, check: boolean): boolean {
  const positions = inDetective ? DETECTIVE_POSITIONS : REGION_POSITIONS;
  for (const position in holder) {
    const value = holder[position];
    if (!isQuickReference(value) || !positions.has(position)) continue;
    const answer = referredAnswer(regions, index, value, position, inDetective, check);
    if (answer !== undefined) holder[position] = answer;
    else if (check) return false;
  }
  return true;
}

/** isReference for parsed JSON, where no member is undefined: one load rather than a `has` (both megamorphic). */
const isQuickReference = (value: unknown): value is Members => isJsonObject(value) && value[SAME_AS] !== undefined;

/**
 * The answer a reference at `position` of region `index` (or of its detective) stands for;
 * undefined when it has none (or, with `check`, is not one region name alone).
 */
function referredAnswer(regions: unknown[], index: number, reference: Members, position: string, inDetective: boolean, check: boolean): unknown {
  const name = reference[SAME_AS];
  if (typeof name !== 'string' || (check && !hasOneMember(reference))) return undefined;
  const region = earlierRegion(regions, index, name);
  return region && answerIn(region, position, inDetective);
}

/** The first region of that name before region `index` (a Map per line cost more than this scan). */
function earlierRegion(regions: unknown[], index: number, name: string): Members | undefined {
  for (let at = 0; at < index; at++) {
    const earlier: unknown = regions[at];
    if (isJsonObject(earlier) && earlier.region === name) return earlier;
  }
  return undefined;
}

function answerIn(region: Members, position: string, inDetective: boolean): unknown {
  const holder = inDetective ? region.detective : region;
  return isJsonObject(holder) ? holder[position] : undefined;
}

function hasOneMember(value: Members): boolean {
  let members = 0;
  for (const _ in value) members++;
  return members === 1;
}

/** The first reference, in the order of the positions' lists, that cannot be resolved: its problem. */
function firstUnresolved(regions: unknown[]): LineProblem | undefined {
  for (let index = 0; index < regions.length; index++) {
    const region: unknown = regions[index];
    if (!isJsonObject(region)) continue;
    for (const position of REGION_REFERENCE_POSITIONS) {
      if (!isReference(region[position])) continue;
      const problem = resolve({ holder: region, position, inDetective: false, index }, regions);
      if (problem) return problem;
    }
    const detective = region.detective;
    if (isJsonObject(detective)) {
      for (const position of DETECTIVE_REFERENCE_POSITIONS) {
        if (!isReference(detective[position])) continue;
        const problem = resolve({ holder: detective, position, inDetective: true, index }, regions);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

/** Where a reference is: the object holding it (a region or its detective), its member, and its region's index. */
interface ReferenceAt {
  holder: Members;
  position: string;
  inDetective: boolean;
  index: number;
}

function resolve(at: ReferenceAt, regions: unknown[]): LineProblem | undefined {
  const reference = at.holder[at.position] as Members;
  const name = reference[SAME_AS];
  const pointer = () => `/regions/${at.index}/${at.inDetective ? 'detective/' : ''}${at.position}`;
  if (typeof name !== 'string' || !hasOneMember(reference)) {
    return { pointer: pointer(), message: `expected a reference {"${SAME_AS}": "<an earlier region of this line>"} (one member, a region name)` };
  }
  const region = earlierRegion(regions, at.index, name);
  const answer = region && answerIn(region, at.position, at.inDetective);
  if (answer === undefined) {
    const member = `${at.inDetective ? 'detective/' : ''}${at.position}`;
    return { pointer: pointer(), message: unresolvedMessage(name, region !== undefined, member, regions) };
  }
  at.holder[at.position] = answer;
  return undefined;
}

function unresolvedMessage(name: string, found: boolean, inRegion: string, regions: unknown[]): string {
  const reference = `{"${SAME_AS}": ${JSON.stringify(name)}}`;
  if (found) return `${reference}: region ${name} has no ${inRegion} to refer to; expected an earlier region that has one`;
  const at = regions.findIndex((r) => isJsonObject(r) && r.region === name);
  if (at >= 0) return `${reference}: region ${name} is not earlier in this line (it is /regions/${at}); expected the name of an earlier region of this line`;
  return `${reference}: no region ${JSON.stringify(name)} in this line; expected the name of an earlier region of this line`;
}

/**
 * The reference that makes a refused line's problem at `pointer` (or at one of its parents), for
 * an explanation better than the schema's: one outside the positions allowed, or any in a
 * version-1 file. Undefined when no reference is on that path.
 */
export function referenceOnPath(line: unknown, pointer: string): string | undefined {
  let node = line;
  let path = '';
  for (const token of pointer.split('/').slice(1)) {
    if (isReference(node)) return path;
    if (typeof node !== 'object' || node === null) return undefined;
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Members)[key];
    path += `/${token}`;
  }
  return isReference(node) ? path : undefined;
}

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
  const earlier = new Map<string, Members>();
  for (let index = 0; index < regions.length; index++) {
    const region: unknown = regions[index];
    if (!isJsonObject(region)) continue;
    for (const position of REGION_REFERENCE_POSITIONS) {
      if (!isReference(region[position])) continue;
      const problem = resolve({ holder: region, position, inDetective: false, index }, earlier, check, regions);
      if (problem) return problem;
    }
    const detective = region.detective;
    if (isJsonObject(detective)) {
      for (const position of DETECTIVE_REFERENCE_POSITIONS) {
        if (!isReference(detective[position])) continue;
        const problem = resolve({ holder: detective, position, inDetective: true, index }, earlier, check, regions);
        if (problem) return problem;
      }
    }
    if (typeof region.region === 'string' && !earlier.has(region.region)) earlier.set(region.region, region);
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

function resolve(at: ReferenceAt, earlier: ReadonlyMap<string, Members>, check: boolean, regions: unknown[]): LineProblem | undefined {
  const reference = at.holder[at.position] as Members;
  const name = reference[SAME_AS];
  const pointer = () => `/regions/${at.index}/${at.inDetective ? 'detective/' : ''}${at.position}`;
  if (check && (typeof name !== 'string' || Object.keys(reference).length !== 1)) {
    return { pointer: pointer(), message: `expected a reference {"${SAME_AS}": "<an earlier region of this line>"} (one member, a region name)` };
  }
  const region = earlier.get(name as string);
  const answer = region && (at.inDetective ? (isJsonObject(region.detective) ? region.detective[at.position] : undefined) : region[at.position]);
  if (answer === undefined) {
    if (!check) return undefined;
    const member = `${at.inDetective ? 'detective/' : ''}${at.position}`;
    return { pointer: pointer(), message: unresolvedMessage(name as string, region !== undefined, member, regions) };
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

import type { AdvancedEventSelector, EventSelector, Fetched, TrailEventSelectors } from '../snapshot/types.ts';
import type { AccountManagementEventsFacts, TrailManagementEventsFacts, TrailFacts } from './facts.ts';
import { selectorAccepts, type EventAttributes } from './advanced-selectors.ts';
import { describeError } from './model-index.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { mapped, mappedWhere } from '../shared/lists.ts';

/** An event source no selector names, to ask "are management events of every source recorded?". */
const PROBE_SOURCE = 'trailproof-probe.amazonaws.com';

/** What management events one trail records, from GetEventSelectors. */
export function managementCapture(selectors: Fetched<TrailEventSelectors> | undefined): Known<{
  capture: TrailManagementEventsFacts;
  kind: 'classic' | 'advanced' | 'default';
}> {
  if (!selectors) return unknownBecause('cloudtrail:GetEventSelectors was not read');
  if (selectors.error) return unknownBecause(describeError(selectors.error));
  const answer = selectors.value ?? {};
  if (answer.AdvancedEventSelectors && answer.AdvancedEventSelectors.length > 0) {
    return known({ capture: advancedCapture(answer.AdvancedEventSelectors), kind: 'advanced' });
  }
  if (answer.EventSelectors && answer.EventSelectors.length > 0) {
    return known({ capture: classicCapture(answer.EventSelectors), kind: 'classic' });
  }
  // No custom selectors: CloudTrail records all management events, read and write.
  return known({ capture: { read: true, write: true, excludedSources: [] }, kind: 'default' });
}

function classicCapture(selectors: EventSelector[]): TrailManagementEventsFacts {
  const capturing = selectors.filter((s) => s.IncludeManagementEvents !== false);
  // No ReadWriteType means All.
  const readers = capturing.filter((s) => s.ReadWriteType !== 'WriteOnly');
  const writers = capturing.filter((s) => s.ReadWriteType !== 'ReadOnly');
  // A source is lost only if every capturing selector excludes it.
  const excluded = intersect(capturing.map((s) => s.ExcludeManagementEventSources ?? []));
  return { read: readers.length > 0, write: writers.length > 0, excludedSources: excluded };
}

function advancedCapture(selectors: AdvancedEventSelector[]): TrailManagementEventsFacts {
  const event = (readOnly: string, eventSource: string): EventAttributes => ({ eventCategory: 'Management', readOnly, eventSource });
  const records = (readOnly: string, source: string) => selectors.some((s) => selectorAccepts(s, event(readOnly, source)));
  const namedSources = new Set<string>();
  for (const s of selectors) {
    for (const fs of s.FieldSelectors) {
      if (fs.Field !== 'eventSource') continue;
      for (const values of [fs.Equals, fs.NotEquals, fs.StartsWith, fs.NotStartsWith]) values?.forEach((v) => namedSources.add(v));
    }
  }
  const read = records('true', PROBE_SOURCE);
  const write = records('false', PROBE_SOURCE);
  const excludedSources = [...namedSources].filter((src) => (read && !records('true', src)) || (write && !records('false', src))).sort();
  return { read, write, excludedSources };
}

function intersect(lists: string[][]): string[] {
  const [first, ...rest] = lists;
  return [...new Set(first)].filter((x) => rest.every((l) => l.includes(x))).sort();
}

/**
 * Management events recorded for the account by logging multi-region trails, together: a
 * write-only trail and a read-only trail add up to read and write. Unknown when the known trails
 * do not settle it and a trail whose status or selectors are unknown might.
 */
export function combinedManagementCoverage(trails: TrailFacts[]): Known<AccountManagementEventsFacts> {
  const candidates = trails.filter((t) => t.isMultiRegion);
  const settled = candidates.filter((t) => t.isLogging === true && t.managementEvents !== undefined);
  const readTrails = mappedWhere(settled, (t) => t.managementEvents!.read, (t) => t.arn);
  const writeTrails = mappedWhere(settled, (t) => t.managementEvents!.write, (t) => t.arn);
  const contributing = settled.filter((t) => t.managementEvents!.read || t.managementEvents!.write);
  const coverage: AccountManagementEventsFacts = {
    read: readTrails.length > 0,
    write: writeTrails.length > 0,
    readTrails,
    writeTrails,
    excludedSources: intersect(mapped(contributing, (t) => t.managementEvents!.excludedSources)),
  };
  if (coverage.read && coverage.write && coverage.excludedSources.length === 0) return known(coverage);
  const undecided = candidates.filter((t) => t.isLogging === undefined || (t.isLogging && t.managementEvents === undefined));
  if (undecided.length > 0) {
    const reasons = undecided.map((t) => `${t.arn}: ${Object.values(t.unknown ?? {})[0] ?? 'status unknown'}`);
    return unknownBecause(`management event coverage depends on trails that could not be read: ${reasons.join('; ')}`);
  }
  return known(coverage);
}

/**
 * The outline of a spooled verdict list: for each verdict, in canonical order, what the report
 * formats count before they write (rule, status, suppressed or not, severity, and the account,
 * resource type and OU path of its resource), kept in two typed arrays while the verdicts are
 * spooled and merged (verdict-spool.ts). A format that needs totals before its first line (the
 * HTML roll-ups and pages, JUnit's suite counts) reads the outline instead of reading and parsing
 * the whole spool once more: 5 bytes per verdict, ~7.5 MB for 1.5 million.
 *
 * A verdict's place (account, resource type, OU path) is an index into a table of the distinct
 * places, a few per account; its status, suppression and severity are one byte (code()).
 */
import { SEVERITIES, type ResourceRef, type Severity, type Verdict, type VerdictStatus } from '../contracts/verdict.ts';

/** The part of a verdict's resource that the counts group by. */
export type OutlinePlace = Pick<ResourceRef, 'accountId' | 'type' | 'ouPath'>;

/** What a counting walk reads of a verdict; every Verdict is one. */
export interface VerdictOutline {
  ruleId: string;
  status: VerdictStatus;
  severity: Severity;
  /** Truthy when the FAIL is suppressed (the outline keeps only that it is). */
  suppressed?: unknown;
  resource: OutlinePlace;
}

/** A run's or a whole list's outline, one entry per verdict in its order (plain data: crosses threads). */
export interface OutlineColumns {
  places: Uint32Array;
  codes: Uint8Array;
}

/** A finished spool's outline: the columns in canonical order, the place table, and where each rule's verdicts end (aligned with the spool's rule ranges). */
export interface SpoolOutline extends OutlineColumns {
  placeTable: OutlinePlace[];
  ruleEnds: number[];
}

const STATUSES: readonly VerdictStatus[] = ['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE'];
const STATUS_CODE = new Map(STATUSES.map((s, i) => [s, i]));
const SEVERITY_CODE = new Map(SEVERITIES.map((s, i) => [s, i]));

/** Status, suppression and severity in one byte: severity × 8 + status × 2 + suppressed. */
export function outlineCode(v: Verdict): number {
  const status = STATUS_CODE.get(v.status);
  const severity = SEVERITY_CODE.get(v.severity);
  if (status === undefined || severity === undefined) throw new Error(`verdict of rule ${v.ruleId}: unknown status "${v.status}" or severity "${v.severity}"`);
  return severity * 8 + status * 2 + (v.suppressed ? 1 : 0);
}

/** The distinct places of one spool, each with its index; a resource object shared by several verdicts is looked up once. */
export class PlaceTable {
  readonly places: OutlinePlace[] = [];
  /**
   * Each account's places: the index of its only one, or of all of them (a few per account). A
   * text key per place (account, type and OU path joined) held ~40 bytes per place, made anew for
   * every resource object, for as long as the spool lives (issue 16, twenty-fifth round).
   */
  private readonly byAccount = new Map<string, number | readonly number[]>();
  private readonly byResource = new WeakMap<object, number>();

  indexOf(resource: OutlinePlace): number {
    let index = this.byResource.get(resource);
    if (index !== undefined) return index;
    const known = this.byAccount.get(resource.accountId);
    index = known === undefined ? undefined : typeof known === 'number' ? this.sameAt(known, resource) : this.foundIn(known, resource);
    if (index === undefined) {
      index = this.places.length;
      this.byAccount.set(resource.accountId, known === undefined ? index : typeof known === 'number' ? [known, index] : known.concat(index));
      const place: OutlinePlace = { accountId: resource.accountId, type: resource.type };
      if (resource.ouPath !== undefined) place.ouPath = resource.ouPath;
      this.places.push(place);
    }
    this.byResource.set(resource, index);
    return index;
  }

  /** `index` when its place is the resource's (its account's already). */
  private sameAt(index: number, resource: OutlinePlace): number | undefined {
    const place = this.places[index]!;
    return place.type === resource.type && place.ouPath === resource.ouPath ? index : undefined;
  }

  private foundIn(indexes: readonly number[], resource: OutlinePlace): number | undefined {
    for (let i = 0; i < indexes.length; i++) if (this.sameAt(indexes[i]!, resource) !== undefined) return indexes[i];
    return undefined;
  }

  /** Another spool's place indexes as this table's. */
  adopt(places: readonly OutlinePlace[], column: Uint32Array): Uint32Array {
    const mapping = places.map((p) => this.indexOf(p));
    return column.map((i) => mapping[i]!);
  }
}

/** The outline's verdicts in canonical order, as plain objects (each place one shared object). */
export function* outlineWalk(outline: SpoolOutline, ruleIds: readonly string[]): Generator<VerdictOutline> {
  const { places, codes, placeTable, ruleEnds } = outline;
  let at = 0;
  for (let rule = 0; rule < ruleIds.length; rule++) {
    const ruleId = ruleIds[rule]!;
    for (const end = ruleEnds[rule]!; at < end; at++) {
      const code = codes[at]!;
      const outline: VerdictOutline = { ruleId, status: STATUSES[(code >> 1) & 3]!, severity: SEVERITIES[code >> 3]!, resource: placeTable[places[at]!]! };
      if (code & 1) outline.suppressed = true;
      yield outline;
    }
  }
}

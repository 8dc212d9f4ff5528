/**
 * One walk that gathers everything the HTML pages show besides the verdict rows themselves: the
 * accounts × rules cell counts, the roll-ups by rule and by OU, and where each cell's verdicts
 * land in the paged layout. It walks the verdicts' outlines (list-views.ts outlinesOf), so a
 * spooled list's file is not read for it. Memory is a few typed-array slots per account × rule,
 * never the verdicts.
 */
import type { ScanResult } from '../../contracts/result.ts';
import type { RuleMeta } from '../../contracts/verdict.ts';
import type { OutlinePlace, VerdictOutline } from '../../evaluate/verdict-outline.ts';
import { outlinesOf } from '../list-views.ts';
import { compareStrings } from '../../contracts/order.ts';
import { DISPLAY_STATUSES, displayStatus, emptyCounts, sortedRules, type DisplayStatus, type StatusCounts } from '../audit-common.ts';

/** Matrix row for verdicts about the organization itself rather than one account. */
export const ORGANIZATION_ROW = '(organization)';

/** The verdict pages of the paged layout are split by these classes, failures first. */
export const PAGE_CLASSES = ['fail', 'error', 'other'] as const;
export type PageClass = (typeof PAGE_CLASSES)[number];

export const PAGE_CLASS_TITLE: Record<PageClass, string> = {
  fail: 'FAIL verdicts',
  error: 'ERROR verdicts',
  other: 'suppressed, passing and not applicable verdicts',
};

export function pageClassOf(status: DisplayStatus): PageClass {
  return status === 'FAIL' ? 'fail' : status === 'ERROR' ? 'error' : 'other';
}

export interface MatrixRow {
  key: string;
  label: string;
  sub: string;
  ouPath: string;
}

export function rowKeyOf(v: { resource: OutlinePlace }): string {
  return v.resource.type === 'organization' ? ORGANIZATION_ROW : v.resource.accountId;
}

export function ouOfRow(v: { resource: OutlinePlace }, rows: ReadonlyMap<string, { ouPath: string }>): string {
  if (v.resource.type === 'organization') return ORGANIZATION_ROW;
  return v.resource.ouPath ?? rows.get(v.resource.accountId)?.ouPath ?? '(unknown OU)';
}

const STATUS_SLOT = new Map(DISPLAY_STATUSES.map((s, i) => [s, i]));
/** A cell's counts, one slot per status in DISPLAY_STATUSES order (HtmlAggregate.countColumn). */
export const SLOTS = DISPLAY_STATUSES.length;

/** The number of verdicts in the cell whose counts start at `base` of a rule's column (HtmlAggregate.countColumn). */
export function cellTotal(column: Uint32Array, base: number): number {
  let total = 0;
  for (let slot = 0; slot < SLOTS; slot++) total += column[base + slot]!;
  return total;
}
/** rowCounts's sums, one slot per status (reused: one row at a time). */
const ROW_SUMS = new Float64Array(SLOTS);
const CLASS_SLOT = new Map(PAGE_CLASSES.map((c, i) => [c, i]));

/**
 * Per rule, one column of counts (row × status) and of first page (row × page class), grown as
 * rows appear. Typed arrays: 100,000 accounts × 25 rules cost ~80 MB, not millions of objects.
 */
class CellStore {
  private capacity: number;
  private counts: Uint32Array[] = [];
  private pages: Int32Array[] = [];

  constructor(rows: number) {
    this.capacity = Math.max(16, rows);
  }

  addRule(): void {
    this.counts.push(new Uint32Array(this.capacity * SLOTS));
    this.pages.push(new Int32Array(this.capacity * PAGE_CLASSES.length).fill(-1));
  }

  ensureRow(row: number): void {
    if (row < this.capacity) return;
    const capacity = Math.max(row + 1, this.capacity * 2);
    this.counts = this.counts.map((c) => grow(c, capacity * SLOTS, 0));
    this.pages = this.pages.map((p) => grow(p, capacity * PAGE_CLASSES.length, -1));
    this.capacity = capacity;
  }

  add(row: number, rule: number, status: DisplayStatus, page: number): void {
    this.counts[rule]![row * SLOTS + STATUS_SLOT.get(status)!]! += 1;
    const pages = this.pages[rule]!;
    const slot = row * PAGE_CLASSES.length + CLASS_SLOT.get(pageClassOf(status))!;
    if (pages[slot] === -1) pages[slot] = page;
  }

  column(rule: number): Uint32Array {
    return this.counts[rule]!;
  }

  firstPage(row: number, rule: number, classSlot: number): number {
    return this.pages[rule]![row * PAGE_CLASSES.length + classSlot]!;
  }
}

function grow<T extends Uint32Array | Int32Array>(array: T, length: number, fill: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.fill(fill);
  bigger.set(array);
  return bigger;
}

export interface OuRollup {
  ouPath: string;
  accounts: number;
  counts: StatusCounts;
}

export interface RuleRollup {
  rule: RuleMeta;
  counts: StatusCounts;
  /** Verdict pages per page class in the paged layout. */
  pages: Record<PageClass, number>;
}

interface PlaceCounts {
  row: number;
  ouCounts: StatusCounts;
}

/** Everything but the verdict rows, from one walk. */
export class HtmlAggregate {
  readonly rules: RuleMeta[];
  /** Rows in display order: the organization row, then accounts by OU path, name and id. */
  rows: MatrixRow[] = [];
  readonly totals = emptyCounts();
  verdictCount = 0;
  private readonly rowIndex = new Map<string, number>();
  private readonly rowInfo: MatrixRow[] = [];
  private readonly ruleIndex = new Map<string, number>();
  private readonly ruleCounts: StatusCounts[] = [];
  private readonly classCounts: Record<PageClass, number>[] = [];
  private readonly cells: CellStore;
  private readonly ouAccounts = new Map<string, Set<string>>();
  private readonly ouCounts = new Map<string, StatusCounts>();
  private readonly places = new Map<OutlinePlace, PlaceCounts>();

  constructor(
    result: ScanResult,
    readonly pageSize: number,
  ) {
    this.rules = sortedRules(result);
    this.cells = new CellStore(result.accounts.length + 1);
    for (const rule of this.rules) this.addRule(rule);
    for (const a of result.accounts) {
      this.rowFor(a.id, () => ({ key: a.id, label: a.name, sub: a.id, ouPath: a.ouPath }));
      this.ouAccountsOf(a.ouPath).add(a.id);
    }
    for (const v of outlinesOf(result.verdicts)) this.add(v, result);
    this.rows = this.orderRows();
  }

  private addRule(rule: RuleMeta): number {
    const index = this.ruleCounts.length;
    this.ruleIndex.set(rule.id, index);
    this.ruleCounts.push(emptyCounts());
    this.classCounts.push({ fail: 0, error: 0, other: 0 });
    this.cells.addRule();
    return index;
  }

  private rowFor(key: string, info: () => MatrixRow): number {
    let index = this.rowIndex.get(key);
    if (index === undefined) {
      index = this.rowInfo.length;
      this.rowIndex.set(key, index);
      this.rowInfo.push(info());
      this.cells.ensureRow(index);
    }
    return index;
  }

  private ouAccountsOf(ou: string): Set<string> {
    let set = this.ouAccounts.get(ou);
    if (!set) this.ouAccounts.set(ou, (set = new Set()));
    return set;
  }

  private add(v: VerdictOutline, result: ScanResult): void {
    const status = displayStatus(v);
    const { row, ouCounts } = this.placeOf(v, result);
    let rule = this.ruleIndex.get(v.ruleId);
    if (rule === undefined) {
      rule = this.addRule(placeholderRule(v.ruleId));
      this.rules.push(placeholderRule(v.ruleId));
    }
    const pageClass = pageClassOf(status);
    const page = Math.floor(this.classCounts[rule]![pageClass]++ / this.pageSize);
    this.cells.add(row, rule, status, page);
    this.ruleCounts[rule]![status]++;
    this.totals[status]++;
    this.verdictCount++;
    ouCounts[status]++;
  }

  /**
   * The row and OU counts of a verdict's place. Decided when the place (a resource object, or an
   * outline's shared place) is first seen, and the same for every later verdict of it: a row,
   * once made, never changes, so its OU path is what any later lookup would give.
   */
  private placeOf(v: VerdictOutline, result: ScanResult): PlaceCounts {
    let place = this.places.get(v.resource);
    if (place) return place;
    const key = rowKeyOf(v);
    const ou = ouOfRow(v, this.rowInfoByKey);
    const row = this.rowFor(key, () =>
      key === ORGANIZATION_ROW
        ? { key, label: 'Organization', sub: result.snapshot.organizationId ?? '', ouPath: ORGANIZATION_ROW }
        : { key, label: key, sub: key, ouPath: ou },
    );
    if (key !== ORGANIZATION_ROW) this.ouAccountsOf(ou).add(key);
    let ouCounts = this.ouCounts.get(ou);
    if (!ouCounts) this.ouCounts.set(ou, (ouCounts = emptyCounts()));
    this.places.set(v.resource, (place = { row, ouCounts }));
    return place;
  }

  /** Looked up by account id, for verdicts that carry no OU path. */
  private readonly rowInfoByKey = {
    get: (key: string) => {
      const index = this.rowIndex.get(key);
      return index === undefined ? undefined : this.rowInfo[index];
    },
  } as ReadonlyMap<string, MatrixRow>;

  private orderRows(): MatrixRow[] {
    const organization = this.rowInfo.filter((r) => r.key === ORGANIZATION_ROW);
    const accounts = this.rowInfo.filter((r) => r.key !== ORGANIZATION_ROW && this.rowHasVerdicts(r.key));
    accounts.sort((a, b) => compareStrings(a.ouPath, b.ouPath) || compareStrings(a.label, b.label) || compareStrings(a.key, b.key));
    return [...organization, ...accounts];
  }

  /** Read from the counts in place: called for each of 100,000 accounts × each rule. */
  private rowHasVerdicts(key: string): boolean {
    const base = this.rowIndex.get(key)! * SLOTS;
    for (let rule = 0; rule < this.rules.length; rule++) if (cellTotal(this.cells.column(rule), base) > 0) return true;
    return false;
  }

  /** Rules in id order; see rulesByFindings for the failures-first order. */
  ruleRollups(): RuleRollup[] {
    return this.rules.map((rule, i) => {
      const classes = this.classCounts[i]!;
      return {
        rule,
        counts: this.ruleCounts[i]!,
        pages: { fail: Math.ceil(classes.fail / this.pageSize), error: Math.ceil(classes.error / this.pageSize), other: Math.ceil(classes.other / this.pageSize) },
      };
    });
  }

  ouRollups(): OuRollup[] {
    const ous = new Set([...this.ouAccounts.keys(), ...this.ouCounts.keys()]);
    return [...ous].map((ouPath) => ({ ouPath, accounts: this.ouAccounts.get(ouPath)?.size ?? 0, counts: this.ouCounts.get(ouPath) ?? emptyCounts() }));
  }

  /** Counts of all the row's verdicts. */
  rowCounts(rowKey: string): StatusCounts {
    // Summed slot by slot in a scratch array, then stored once per status: the summary's accounts
    // table asks for every row's counts (100,000 rows × 25 rules × 5 statuses), where a closure
    // per rule and a keyed store per count were most of the table's cost.
    const sums = ROW_SUMS.fill(0);
    const base = this.rowIndex.get(rowKey)! * SLOTS;
    for (let rule = 0; rule < this.rules.length; rule++) {
      const column = this.cells.column(rule);
      for (let slot = 0; slot < SLOTS; slot++) sums[slot] = sums[slot]! + column[base + slot]!;
    }
    const total = emptyCounts();
    for (let slot = 0; slot < SLOTS; slot++) total[DISPLAY_STATUSES[slot]!] = sums[slot]!;
    return total;
  }

  /** The row's place in the counts (countColumn, firstPageAt); the rules' places are their indexes in `rules`. */
  rowIndexOf(rowKey: string): number {
    return this.rowIndex.get(rowKey)!;
  }

  /**
   * A rule's counts, read in place by the matrix (150,000 cells at 10,000 accounts): the counts of
   * row r are at r × SLOTS, one slot per status in DISPLAY_STATUSES order.
   */
  countColumn(rule: number): Uint32Array {
    return this.cells.column(rule);
  }

  /** 0-based page of the rule's verdict pages of that class (its index in PAGE_CLASSES) where the cell's first verdict is, or -1. */
  firstPageAt(row: number, rule: number, classSlot: number): number {
    return this.cells.firstPage(row, rule, classSlot);
  }
}

function placeholderRule(id: string): RuleMeta {
  return { id, title: id, description: '', severity: 'info', resource: 'account', remediation: '', frameworks: {}, tags: [], params: {}, source: '', sha256: '' };
}

/** Failures first: most FAIL, then most ERROR, then by key. */
export function byFindings<T>(counts: (item: T) => StatusCounts, key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ca = counts(a);
    const cb = counts(b);
    return cb.FAIL - ca.FAIL || cb.ERROR - ca.ERROR || cb.SUPPRESSED - ca.SUPPRESSED || compareStrings(key(a), key(b));
  };
}

/**
 * Facts several values of the verdict cache observe (verdict-cache.ts ReusedValues: whole
 * outcomes, parts), compared once per subject with the previous subject's instead of projected by
 * each value. Accounts come one after the other, and most look as the previous one on a rule's
 * paths (each trail rule: 85 % at 10,000 accounts), yet each value walked the account's trails
 * again and wrote a text of up to kilobytes: the projections were the largest allocation of
 * judging and a tenth of its CPU.
 *
 * A segment is one member of an activation root (`account.trails`); its node observes what every
 * value reading it observes, so facts alike on it are alike to each of them. A run of a segment is
 * subjects alike on it; a subject not alike the last run's (nor the one before's) starts a new
 * run. A value whose segments are all in the runs they were in when its last key (or the one
 * before) was made would project as it did then: it takes that key without projecting. A segment that seldom stays in its run stops
 * being compared (its values then project their own). The nodes change when a value joins
 * (`epoch`), and runs of other nodes are never compared.
 */
import type { EvaluationSubject } from '../model/facts.ts';

/** How the verdict cache observes facts, given to the segments. */
export interface Observer<N> {
  /** Whether `a` and `b` look alike to every path of `node`; false when that is not certain. */
  alike(node: N, a: unknown, b: unknown): boolean;
  /** A new node observing what `a` (when given) and `b` observe. */
  merge(a: N | undefined, b: N): N;
}

/** A value's member of a root, to be read through a segment. */
export interface SegmentPath<N> {
  root: string;
  member: string;
  node: N;
}

/** What a value's projection of a root shows besides its members: absent, null, a plain object, or anything else. */
type RootKind = 'absent' | 'null' | 'object' | 'other';

/** Subjects alike each other: a run, and the root's kind and the member's value of its last subject. */
interface Run {
  id: number;
  kind: RootKind | undefined;
  value: unknown;
}

interface Segment<N> {
  root: string;
  member: string;
  node: N;
  /**
   * The last subject's run and the one before it: an account with a trail of its own starts a
   * run, and the account after it most often returns to the run before.
   */
  run: Run;
  previous: Run;
  runs: number;
  /** The generation (subject) the last run was started by. */
  startedAt: number;
  compared: number;
  stayed: number;
  enabled: boolean;
}

/** Subjects a segment is compared for before it is given up, unless half of them stayed in the run. */
const SEGMENT_TRIAL = 200;
const MIN_STAY_RATE = 0.5;

/** No run: the segment could not tell (its values project their own). */
const UNKNOWN = -1;

export class SharedProjection<N> {
  /** Changes whenever a node does. */
  epoch = 0;
  private readonly segments: Segment<N>[] = [];
  private readonly ids = new Map<string, number>();
  private subject: EvaluationSubject | undefined;
  /** The current subject's run of each segment, valid where `comparedFor` holds `generation`. */
  private readonly runs: number[] = [];
  private readonly comparedFor: number[] = [];
  private generation = 0;

  constructor(private readonly observer: Observer<N>) {}

  /** Adds what `paths` observe to their segments; the ids of the segments, in the order of `paths`. */
  join(paths: readonly SegmentPath<N>[]): number[] {
    const ids = paths.map(({ root, member, node }) => {
      const name = `${root}\n${member}`;
      let id = this.ids.get(name);
      if (id === undefined) {
        this.ids.set(name, (id = this.segments.length));
        this.segments.push({ root, member, node: this.observer.merge(undefined, node), run: noRun(0), previous: noRun(0), runs: 0, startedAt: -1, compared: 0, stayed: 0, enabled: true });
        this.comparedFor.push(-1);
        this.runs.push(UNKNOWN);
      } else {
        // Another value reads it now: a new trial, and no subject is alike the one before.
        const segment = this.segments[id]!;
        segment.node = this.observer.merge(segment.node, node);
        Object.assign(segment, { run: noRun(++segment.runs), previous: noRun(segment.runs), compared: 0, stayed: 0, enabled: true });
      }
      return id;
    });
    this.epoch++;
    this.subject = undefined;
    return ids;
  }

  /** Whether the subject's segments `ids` are known and in the runs `runs`. */
  unchanged(subject: EvaluationSubject, ids: readonly number[], runs: readonly number[]): boolean {
    for (let i = 0; i < ids.length; i++) {
      const run = this.runOf(subject, ids[i]!);
      if (run === UNKNOWN || run !== runs[i]) return false;
    }
    return true;
  }

  /**
   * Whether the subject is alike neither of the last two runs of one of the segments `ids` (it
   * starts a run of its own there): an account with a trail of its own, whose projection names it.
   */
  startsRun(subject: EvaluationSubject, ids: readonly number[]): boolean {
    for (let i = 0; i < ids.length; i++) {
      if (this.runOf(subject, ids[i]!) !== UNKNOWN && this.segments[ids[i]!]!.startedAt === this.generation) return true;
    }
    return false;
  }

  /** Writes into `runs` the subject's runs of the segments `ids`. */
  record(subject: EvaluationSubject, ids: readonly number[], runs: number[]): void {
    for (let i = 0; i < ids.length; i++) runs[i] = this.runOf(subject, ids[i]!);
  }

  private runOf(subject: EvaluationSubject, id: number): number {
    if (subject !== this.subject) {
      this.subject = subject;
      this.generation++;
    }
    if (this.comparedFor[id] === this.generation) return this.runs[id]!;
    this.comparedFor[id] = this.generation;
    return (this.runs[id] = this.compared(subject, this.segments[id]!));
  }

  /**
   * The segment's run for `subject`: the last run's or the one before's when alike its last
   * subject (each subject of a run is alike the one before it in the run, so alike all of them),
   * else a new run.
   */
  private compared(subject: EvaluationSubject, segment: Segment<N>): number {
    if (!segment.enabled) return UNKNOWN;
    const root = (subject.activation as Record<string, unknown>)[segment.root];
    const kind = kindOf(root);
    if (kind === 'other') return UNKNOWN;
    const value = kind === 'object' ? (root as Record<string, unknown>)[segment.member] : undefined;
    let run = segment.run;
    if (this.within(segment, run, kind, value)) segment.stayed++;
    else if (this.within(segment, segment.previous, kind, value)) {
      segment.stayed++;
      [segment.previous, segment.run] = [run, (run = segment.previous)];
    } else {
      segment.previous = run;
      segment.run = run = { id: ++segment.runs, kind, value };
      segment.startedAt = this.generation;
    }
    run.value = value;
    if (++segment.compared === SEGMENT_TRIAL && segment.stayed < MIN_STAY_RATE * segment.compared) segment.enabled = false;
    return run.id;
  }

  private within(segment: Segment<N>, run: Run, kind: RootKind, value: unknown): boolean {
    return run.kind === kind && (kind !== 'object' || this.observer.alike(segment.node, value, run.value));
  }
}

/** A run no subject is in. */
const noRun = (id: number): Run => ({ id, kind: undefined, value: undefined });

/** A value projects a root that is a plain object by its members; any other object only by itself. */
function kindOf(root: unknown): RootKind {
  if (root === undefined) return 'absent';
  if (root === null) return 'null';
  if (typeof root !== 'object' || Array.isArray(root)) return 'other';
  const proto = Object.getPrototypeOf(root) as unknown;
  return proto === Object.prototype || proto === null ? 'object' : 'other';
}

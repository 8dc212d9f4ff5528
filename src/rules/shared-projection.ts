/**
 * One projection per subject of each fact several values of the verdict cache observe
 * (verdict-cache.ts ReusedValues: whole outcomes, parts). Accounts come one after the other, and
 * most project as the previous one on a rule's paths (each trail rule: 85 % at 10,000 accounts),
 * yet each value walked the account's trails again and wrote a text of up to kilobytes: the
 * projections were the largest allocation of judging and a tenth of its CPU.
 *
 * A segment is one member of an activation root (`account.trails`): its node observes what every
 * value sharing it observes there, so its projection is at least as fine as each value's. When the
 * texts of all the segments a value reads equal those made for the subject its last key was made
 * for, its own projection would equal that one too: it keeps that key without projecting. A
 * segment that seldom repeats stops being made (its values then project their own). The nodes
 * change when a value joins (`epoch`), and texts of other nodes are never compared.
 */
import type { EvaluationSubject } from '../model/facts.ts';

/** How the verdict cache projects, given to the segments. */
export interface Projector<N> {
  /** The projection of `value` on `node`, undefined when the value is not plain data. */
  project(node: N, value: unknown): string | undefined;
  /** A new node observing what `a` (when given) and `b` observe. */
  merge(a: N | undefined, b: N): N;
}

/** A value's member of a root, to be read through a segment. */
export interface SegmentPath<N> {
  root: string;
  member: string;
  node: N;
}

interface Segment<N> {
  root: string;
  member: string;
  node: N;
  made: number;
  repeated: number;
  enabled: boolean;
  previous: string | undefined;
}

/** Subjects a segment is made for before it is given up, unless half of them repeat the previous text. */
const SEGMENT_TRIAL = 200;
const MIN_REPEAT_RATE = 0.5;

export class SharedProjection<N> {
  /** Changes whenever a node does. */
  epoch = 0;
  private readonly segments: Segment<N>[] = [];
  private readonly ids = new Map<string, number>();
  private subject: EvaluationSubject | undefined;
  /** The current subject's text of each segment, valid where `madeFor` holds `generation`. */
  private readonly texts: (string | undefined)[] = [];
  private readonly madeFor: number[] = [];
  private generation = 0;

  constructor(private readonly projector: Projector<N>) {}

  /** Adds what `paths` observe to their segments; the ids of the segments, in the order of `paths`. */
  join(paths: readonly SegmentPath<N>[]): number[] {
    const ids = paths.map(({ root, member, node }) => {
      const name = `${root}\n${member}`;
      let id = this.ids.get(name);
      if (id === undefined) {
        this.ids.set(name, (id = this.segments.length));
        this.segments.push({ root, member, node: this.projector.merge(undefined, node), made: 0, repeated: 0, enabled: true, previous: undefined });
        this.madeFor.push(-1);
        this.texts.push(undefined);
      } else {
        const segment = this.segments[id]!;
        // Another value reads it now: a new trial.
        segment.node = this.projector.merge(segment.node, node);
        segment.made = segment.repeated = 0;
        segment.enabled = true;
        segment.previous = undefined;
      }
      return id;
    });
    this.epoch++;
    this.subject = undefined;
    return ids;
  }

  /** Whether the subject's texts of the segments `ids` are known and equal `texts`. */
  unchanged(subject: EvaluationSubject, ids: readonly number[], texts: readonly (string | undefined)[]): boolean {
    for (let i = 0; i < ids.length; i++) {
      const text = this.textOf(subject, ids[i]!);
      if (text === undefined || text !== texts[i]) return false;
    }
    return true;
  }

  /** Writes into `texts` the subject's texts of the segments `ids`. */
  record(subject: EvaluationSubject, ids: readonly number[], texts: (string | undefined)[]): void {
    for (let i = 0; i < ids.length; i++) texts[i] = this.textOf(subject, ids[i]!);
  }

  private textOf(subject: EvaluationSubject, id: number): string | undefined {
    if (subject !== this.subject) {
      this.subject = subject;
      this.generation++;
    }
    if (this.madeFor[id] === this.generation) return this.texts[id];
    this.madeFor[id] = this.generation;
    return (this.texts[id] = this.made(subject, this.segments[id]!));
  }

  private made(subject: EvaluationSubject, segment: Segment<N>): string | undefined {
    if (!segment.enabled) return undefined;
    const text = this.segmentText(segment, (subject.activation as Record<string, unknown>)[segment.root]);
    if (text !== undefined && text === segment.previous) segment.repeated++;
    segment.previous = text;
    if (++segment.made === SEGMENT_TRIAL && segment.repeated < MIN_REPEAT_RATE * segment.made) segment.enabled = false;
    return text;
  }

  /**
   * What a value's projection of the root shows of this member: the root's absence, or the
   * member's projection in a root that is a plain object (the only kind a value projects by its
   * members). Any other root is unknown here: its values project it themselves.
   */
  private segmentText(segment: Segment<N>, root: unknown): string | undefined {
    if (root === undefined) return '~';
    if (root === null) return 'null';
    if (typeof root !== 'object' || Array.isArray(root)) return undefined;
    const proto = Object.getPrototypeOf(root) as unknown;
    if (proto !== Object.prototype && proto !== null) return undefined;
    const text = this.projector.project(segment.node, (root as Record<string, unknown>)[segment.member]);
    return text === undefined ? undefined : `o${text}`;
  }
}

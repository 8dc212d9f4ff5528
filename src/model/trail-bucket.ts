import type { TrailFacts } from './facts.ts';
import type { ModelIndex } from './model-index.ts';

/** Adds the destination bucket's configuration and the trail's retention to a trail (issue #5 fills this in). */
export function addTrailBucketFacts(_index: ModelIndex, _trail: TrailFacts): void {}

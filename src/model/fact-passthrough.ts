/**
 * Compile-time only: the model's own types whose values reach rules as they are (not rebuilt field
 * by field) carry no field the fact declaration lacks. The compiler checks that a computed value
 * fits its generated fact interface, but a value of a wider type may bring extra fields along, and
 * those would be facts no declaration, type checker or doc knows of. A field added to one of these
 * types is a compile error here until it is declared (fact-declarations.ts) or kept out of the facts.
 */
import type { VerifyWindow } from '../snapshot/types.ts';
import type { AccessCoverage, SelectorEvidence } from './data-event-coverage.ts';
import type { DataEventSelectorFacts, IntegrityWindowFacts, NotCountedRecorderFacts, ScpDenialFacts, ScpLevelFacts } from './facts.ts';
import type { ScpDenial, ScpLevel } from './scp-evaluate.ts';

/** The fields of `Internal` that `Fact` does not declare, or `true` when there are none. */
type OnlyDeclared<Internal, Fact> = [Exclude<keyof Internal, keyof Fact>] extends [never] ? true : Exclude<keyof Internal, keyof Fact>;
type Assert<T extends true> = T;

export type PassedThroughAsTheyAre = [
  Assert<OnlyDeclared<SelectorEvidence, DataEventSelectorFacts>>,
  Assert<OnlyDeclared<AccessCoverage['notCounted'][number], NotCountedRecorderFacts>>,
  Assert<OnlyDeclared<ScpDenial, ScpDenialFacts>>,
  Assert<OnlyDeclared<ScpLevel, ScpLevelFacts>>,
  Assert<OnlyDeclared<VerifyWindow, IntegrityWindowFacts>>,
];

/**
 * NIST OSCAL 1.0.6 assessment-results: one result per scan, one observation per verdict, one
 * back-matter resource per distinct evidence (oscal-evidence.ts) that the observations reference,
 * one risk per rule with FAIL verdicts (its remediation, once), one finding per NIST SP 800-53 r5
 * control the rules map to, or, with --framework, one finding per control of each selected
 * framework pack (control ids: packControlToken).
 *
 * Every uuid is a UUIDv5 of the content it names, so the same scan renders the same document.
 * trailproof writes no assessment plan: import-ap points at a back-matter resource that says so;
 * replace its href with your plan's location when you have one.
 */
import type { ScanResult, VerdictList } from '../contracts/result.ts';
import type { ResourceRef, RuleMeta, Verdict } from '../contracts/verdict.ts';
import {
  canonicalJson,
  compareControlIds,
  displayStatus,
  emptyCounts,
  DISPLAY_STATUSES,
  nistControls,
  oscalControlId,
  oneLine,
  resourceLabel,
  ruleIndex,
  sortedErrors,
  STATUS_LABEL,
  type StatusCounts,
  uuidV5,
} from './audit-common.ts';
import { canonicalOrder, compareStrings } from '../contracts/order.ts';
import { indentedJson, LazyList, stableJson, stableJsonChunks } from './canonical.ts';
import { mapped, outlinesOf, verdictsOfRules } from './list-views.ts';
import type { VerdictOutline } from '../evaluate/verdict-outline.ts';
import { EvidenceTexts } from './evidence-texts.ts';
import { type EvidenceResource, EvidenceResources, evidenceRemarks, evidenceRemarksValue, fencedRemarks, resourceEvidence } from './oscal-evidence.ts';
import { escapedString, JsonTemplates, plainValue, ShapeKeys, type TemplateValue } from './json-template.ts';
import { RelatedObservations, type UuidRun, UuidsByRule } from './oscal-related.ts';
import type { Formatter, RenderOptions } from './types.ts';
import type { FrameworkAssessment } from '../contracts/frameworks.ts';
import { controlBasis, controlStatusText, frameworkName } from './frameworks.ts';

export const OSCAL_VERSION = '1.0.6';
/** Namespace of trailproof's own OSCAL properties (OSCAL reserves the default namespace for NIST). */
export const OSCAL_PROP_NS = 'urn:trailproof:oscal';

type Json = Record<string, unknown>;

/** A property's value on one line, or undefined when it would be empty (OSCAL strings must not be). */
function propValue(value: string | undefined): string | undefined {
  const v = value === undefined ? '' : oneLine(value);
  return v === '' ? undefined : v;
}

/** A property, or nothing when the value would be empty. */
function prop(name: string, value: string | undefined): Json[] {
  const v = propValue(value);
  return v === undefined ? [] : [{ name, ns: OSCAL_PROP_NS, value: v }];
}

interface Ids {
  document: string;
  result: string;
  tool: string;
  plan: string;
  snapshot: string;
}

function documentIds(result: ScanResult): Ids {
  const scan = canonicalJson([result.snapshot.collectedAt, result.snapshot.sha256 ?? null, result.snapshot.source, result.rulePack.sha256, result.scope.shard ?? null]);
  return {
    document: uuidV5(`assessment-results:${scan}`),
    result: uuidV5(`result:${scan}`),
    tool: uuidV5(`component:${result.tool.name}:${result.tool.version}`),
    plan: uuidV5(`assessment-plan-placeholder:${scan}`),
    snapshot: uuidV5(`snapshot:${scan}`),
  };
}

function inventoryUuidOf(r: ResourceRef): string {
  return uuidV5(`resource:${r.type}:${r.id}`);
}

/**
 * A status in an observation's name with the quotes and commas around it: `",` + its JSON + `,"`,
 * made once per status (fewer strings joined per name: each join is a string to allocate and to
 * walk when the name is flattened to be hashed).
 */
const STATUS_PART = new Map(['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE'].map((s) => [s, `",${JSON.stringify(s)},"`]));
const statusPart = (status: string) => STATUS_PART.get(status) ?? `",${JSON.stringify(status)},"`;
/** A verdict's suppression in its observation's name, with the quotes and commas around it, when it has none. */
const NOT_SUPPRESSED_PART = '",null,"';

/**
 * A verdict's resource id and message as JSON writes them, without the quotes: each tested for
 * what it must escape once, for both the observation's uuid and its text (two tests each per
 * verdict before: 600,000 at 10,000 accounts).
 */
interface VerdictTexts {
  id: string;
  message: string;
}

const verdictTexts = (v: Verdict): VerdictTexts => ({ id: escapedString(v.resource.id), message: escapedString(v.message) });

/**
 * The uuid of a verdict's observation: a name-based uuid of what the verdict says (canonicalJson of
 * [rule, resource, status, message, suppressed, evidence resource uuid]). The evidence enters by
 * its resource's uuid, itself a uuid of the evidence's canonical text: the long text is hashed once
 * per evidence object, not once per verdict. Verdicts come by rule: the start of the name, up to
 * the rule's id, is made once per rule rather than once per verdict.
 */
class ObservationNames {
  private ruleId: string | undefined;
  private head = '';

  constructor(private readonly ids: Ids) {}

  uuidOf(v: Verdict, evidenceUuid: string, texts: VerdictTexts = verdictTexts(v)): string {
    if (v.ruleId !== this.ruleId) {
      this.ruleId = v.ruleId;
      this.head = `observation:${this.ids.result}:[${JSON.stringify(v.ruleId)},"`;
    }
    // canonicalJson of the array, written out: no array of the parts is built for each verdict.
    const suppressed = v.suppressed === undefined || v.suppressed === null ? NOT_SUPPRESSED_PART : `",${canonicalJson(v.suppressed)},"`;
    // The id and message in quotes as they are when they hold nothing to escape (most do), not
    // JSON.stringify's copies: 150,195 names at 10,000 accounts made 25 % faster (0.24 → 0.18 s).
    // A uuid's text needs no escape either.
    return uuidV5(`${this.head}${texts.id}${statusPart(v.status)}${texts.message}${suppressed}${evidenceUuid}"]`);
  }
}

/** A verdict as the observations' walk gives it: its observation's uuid, its evidence resource's, its texts. */
interface Observed {
  verdict: Verdict;
  uuid: string;
  evidenceUuid: string;
  texts: VerdictTexts;
}

/** A FAIL verdict, suppressed or not: what a rule's risk relates to (risks). */
const failed = (v: Pick<Verdict, 'status'>) => v.status === 'FAIL';

/**
 * The observation uuids of each rule's verdicts (and of its FAIL verdicts apart), in list order,
 * recorded while the observations are written, so that each finding's related-observations and
 * each risk's are listed without reading and hashing the rules' verdicts again for every control
 * they map to. Until the observations have been walked to the end, the uuids are computed from
 * the verdicts. The walk also references each verdict's evidence resource (EvidenceResources).
 */
class ObservationUuids {
  private all = new UuidsByRule();
  private failing = new UuidsByRule();
  private complete = false;
  readonly uuidOf: (v: Verdict) => string;

  constructor(
    private readonly verdicts: VerdictList,
    private readonly ids: Ids,
    readonly evidence: EvidenceResources,
  ) {
    const names = new ObservationNames(ids);
    this.uuidOf = (v) => names.uuidOf(v, evidence.uuidOf(v.evidence));
  }

  /** The verdicts with their uuids and their evidence resource's; a walk to the end records every uuid. */
  *observed(): Generator<Observed> {
    this.all = new UuidsByRule();
    this.failing = new UuidsByRule();
    this.complete = false;
    const names = new ObservationNames(this.ids);
    for (const verdict of this.verdicts) {
      const evidenceUuid = this.evidence.referenced(verdict);
      const texts = verdictTexts(verdict);
      const uuid = names.uuidOf(verdict, evidenceUuid, texts);
      this.all.record(verdict.ruleId, uuid);
      if (failed(verdict)) this.failing.record(verdict.ruleId, uuid);
      yield { verdict, uuid, evidenceUuid, texts };
    }
    this.complete = true;
  }

  /** The evidence resources of every verdict, each once: walks the observations first if they have not been. */
  evidenceResources(): Iterable<EvidenceResource> {
    return {
      [Symbol.iterator]: () => {
        if (!this.complete) {
          const walk = this.observed();
          while (!walk.next().done);
        }
        return this.evidence.resources();
      },
    };
  }

  /**
   * The uuids of these rules' verdicts (only their FAIL verdicts with `failingOnly`), in list
   * order, in runs of their bytes (oscal-related.ts). Decided when walked, not when asked: the
   * findings and risks are built before the observations are written but walked after them, so
   * they list the recorded uuids instead of reading and hashing the verdicts again.
   */
  ofRules(ruleIds: ReadonlySet<string>, failingOnly = false): Iterable<UuidRun> {
    return { [Symbol.iterator]: () => this.runsOfRules(ruleIds, failingOnly) };
  }

  private runsOfRules(ruleIds: ReadonlySet<string>, failingOnly: boolean): Iterator<UuidRun> {
    if (this.complete) return (failingOnly ? this.failing : this.all).runsOfRules(ruleIds);
    const made = new UuidsByRule();
    for (const v of verdictsOfRules(this.verdicts, ruleIds)) if (!failingOnly || failed(v)) made.record(v.ruleId, this.uuidOf(v));
    return made.runsOfRules(ruleIds);
  }
}

/** A spooled list reads its distinct resources without building its verdicts (evaluate/verdict-spool.ts). */
interface KnowsResources {
  resources(): Iterable<ResourceRef>;
}

/**
 * Each distinct resource once, as the first of its verdicts in canonical order holds it: a spooled
 * list's own reader, which parses a line only for a resource not seen before, else a walk.
 */
function distinctResources(verdicts: VerdictList): Iterable<ResourceRef> {
  return readsOwnResources(verdicts) ? verdicts.resources() : mapped(verdicts, (v) => v.resource);
}

/** A spooled list reads its resources itself, making a resource object per read. */
function readsOwnResources(verdicts: VerdictList): verdicts is VerdictList & KnowsResources {
  return typeof (verdicts as Partial<KnowsResources>).resources === 'function';
}

/** The props of an inventory item, in order, and the resource member each holds. */
const INVENTORY_PROPS: readonly (readonly [string, (r: ResourceRef) => string | undefined])[] = [
  ['resource-id', (r) => r.id],
  ['resource-type', (r) => r.type],
  ['account-id', (r) => r.accountId],
  ['region', (r) => r.region],
  ['arn', (r) => r.arn],
  ['ou-path', (r) => r.ouPath],
];

/**
 * An inventory item before it is written: its uuid, description and props' values (undefined
 * where the prop is left out: the value would be empty).
 */
interface InventoryItem {
  uuid: string;
  description: string;
  props: (string | undefined)[];
}

function inventoryItem(r: ResourceRef, uuid: string): InventoryItem {
  return { uuid, description: `AWS ${r.type} ${resourceLabel({ resource: r })}`, props: INVENTORY_PROPS.map(([, of]) => propValue(of(r))) };
}

/** The item as written, holding `values` (its uuid, description and props' values, or a template's markers). */
function inventoryJson(values: readonly (string | undefined)[]): Json {
  const [uuid, description, ...props] = values;
  return {
    uuid,
    description,
    props: props.flatMap((value, i) => (value === undefined ? [] : [{ name: INVENTORY_PROPS[i]![0], ns: OSCAL_PROP_NS, value }])),
  };
}

/**
 * The inventory list: each item from its shape's template (which props it has), not an object
 * printed by indentedJson nested five levels deep (13,400 items at 10,000 accounts: ~80 ms of a
 * profile of writing OSCAL alone). A list clean() and the search for lazy lists need not walk;
 * its items are written clean.
 */
function inventoryList(items: InventoryItem[]): LazyList<InventoryItem> {
  const templates = new JsonTemplates();
  const values = (item: InventoryItem) => [item.uuid, item.description, ...item.props];
  return new LazyList(
    items,
    (item) => inventoryJson(values(item)),
    (item, indent) => templates.render('inventory', values(item), inventoryJson, indent),
  );
}

/**
 * The inventory (one item per resource, and its uuid, InventoryUuids) and each rule's verdict
 * counts: neither reads a spooled list's verdicts (its resources and its outline). A list in
 * memory is walked once for both: each walk of its 150,195 verdicts at 10,000 accounts goes
 * through the writer's shared walk (lockstep.ts) and a generator per view.
 */
function inventoryAndCounts(verdicts: VerdictList): { items: InventoryItem[]; subjects: InventoryUuids; counts: Map<string, StatusCounts> } {
  const counts = new Map<string, StatusCounts>();
  // Verdicts come by rule: the rule before's counts are found without a look-up.
  let ruleId: string | undefined;
  let ruleCounts = emptyCounts();
  const count = (v: VerdictOutline) => {
    if (v.ruleId !== ruleId) {
      ruleId = v.ruleId;
      const known = counts.get(ruleId);
      if (known) ruleCounts = known;
      else counts.set(ruleId, (ruleCounts = emptyCounts()));
    }
    ruleCounts[displayStatus(v)]++;
  };
  const items: InventoryItem[] = [];
  const inMemory = !readsOwnResources(verdicts);
  const subjects = new InventoryUuids(inMemory);
  const take = (r: ResourceRef) => {
    if (subjects.of(r) !== undefined) return;
    const uuid = inventoryUuidOf(r);
    subjects.record(r, uuid);
    items.push(inventoryItem(r, uuid));
  };
  const outlines = outlinesOf(verdicts);
  if (inMemory && outlines === verdicts) {
    for (const v of verdicts) {
      count(v);
      take(v.resource);
    }
  } else {
    for (const v of outlines) count(v);
    for (const r of distinctResources(verdicts)) take(r);
  }
  return { items: items.sort((a, b) => compareStrings(a.uuid, b.uuid)), subjects, counts };
}

/**
 * Each inventory item's uuid by its resource's type, then id: found for every verdict's subject
 * without a key string made, flattened and hashed per verdict (`${type}:${id}`). A list in memory
 * shares one resource object among the verdicts of a resource (1,349 objects for org-1000's
 * 15,013 verdicts), so there the object itself finds its uuid first, by identity: no string is
 * hashed (two string lookups per verdict were ~90 ms of writing OSCAL at 10,000 accounts in
 * memory, ~70 ms more in the inventory's walk of every verdict). A spooled list makes a resource
 * object per verdict: no identity is remembered for it.
 */
class InventoryUuids {
  private readonly byType = new Map<string, Map<string, string>>();
  private readonly byObject: Map<ResourceRef, string> | undefined;

  constructor(byIdentity: boolean) {
    this.byObject = byIdentity ? new Map() : undefined;
  }

  record(r: ResourceRef, uuid: string): void {
    let byId = this.byType.get(r.type);
    if (!byId) this.byType.set(r.type, (byId = new Map()));
    byId.set(r.id, uuid);
    this.byObject?.set(r, uuid);
  }

  of(r: ResourceRef): string | undefined {
    const known = this.byObject?.get(r);
    if (known !== undefined) return known;
    const uuid = this.byType.get(r.type)?.get(r.id);
    if (uuid !== undefined) this.byObject?.set(r, uuid);
    return uuid;
  }
}

/** The counts of some rules' verdicts, summed. */
function countsOf(ruleIds: Iterable<string>, byRule: ReadonlyMap<string, StatusCounts>): StatusCounts {
  const sum = emptyCounts();
  for (const id of ruleIds) {
    const c = byRule.get(id);
    if (c) for (const s of DISPLAY_STATUSES) sum[s] += c[s];
  }
  return sum;
}

/** What each observation needs besides its verdict: made once per document. */
interface ObservationContext {
  ids: Ids;
  collected: string;
  rules: ReadonlyMap<string, RuleMeta>;
  /** The inventory items' uuids. */
  subjects: InventoryUuids;
}

/**
 * What an observation says of its verdict besides its rule, status and severity, in the order
 * observation takes them: a template's values (json-template.ts), undefined where a member is
 * left out.
 */
function observationValues({ verdict: v, uuid, evidenceUuid, texts }: Observed, ctx: ObservationContext): (TemplateValue | undefined)[] {
  const s = v.suppressed;
  const suppressedBy = s ? oneLine(s.exceptionId) : '';
  const label = resourceLabel(v);
  const description = v.message.trim() || `${v.status} ${v.ruleId}`;
  // A uuid's text has nothing to escape: given as escaped, it skips the escape test (three of an
  // observation's five values, 450,000 tests at 10,000 accounts).
  return [
    { escaped: uuid },
    // The id and message as the uuid's name escaped them, where the label and description are them.
    label === v.resource.id ? { escaped: texts.id } : label,
    description === v.message ? { escaped: texts.message } : description,
    suppressedBy === '' ? undefined : suppressedBy,
    { escaped: ctx.subjects.of(v.resource) ?? inventoryUuidOf(v.resource) },
    { escaped: evidenceUuid },
    s ? `Suppressed by ${s.exceptionId} until ${s.expires}, approved by ${s.approver}: ${s.reason}` : undefined,
  ];
}

/**
 * A verdict's observation, holding `values` (observationValues, or the markers of a template):
 * nothing else of the verdict is read, so every observation of the same shape is the same text
 * around its values. Written without undefined members or empty lists (OSCAL's minItems), so it
 * needs no clean() copy: JSON.stringify leaves undefined members out.
 */
function observation(v: Verdict, values: readonly (string | undefined)[], ctx: ObservationContext): Json {
  const [uuid, label, description, suppressedBy, subject, evidenceUuid, suppression] = values;
  const rule = ctx.rules.get(v.ruleId);
  const ids = ctx.ids;
  return {
    uuid,
    title: `${v.ruleId}: ${label!}`,
    description,
    props: nonEmpty([
      ...prop('verdict', v.status),
      ...prop('rule-id', v.ruleId),
      ...prop('severity', v.severity),
      ...prop('rule-sha256', rule?.sha256),
      ...(suppressedBy !== undefined ? [{ name: 'suppressed-by', ns: OSCAL_PROP_NS, value: suppressedBy }] : []),
    ]),
    methods: ['TEST'],
    types: v.status === 'FAIL' ? ['finding'] : undefined,
    origins: [{ actors: [{ type: 'tool', 'actor-uuid': ids.tool }] }],
    subjects: [{ 'subject-uuid': subject, type: 'inventory-item' }],
    // The evidence is a back-matter resource of its own (oscal-evidence.ts), linked to the snapshot it was read from.
    'relevant-evidence': [
      {
        href: `#${evidenceUuid!}`,
        description: 'What trailproof read from the snapshot to decide this verdict.',
        links: [{ href: `#${ids.snapshot}`, rel: 'source' }],
      },
    ],
    collected: ctx.collected,
    // The rule's remediation is its risk's (risks), not repeated here.
    remarks: suppression,
  };
}

/** The observations list: each observation from its shape's template. */
function observations(uuids: ObservationUuids, ctx: ObservationContext): LazyList<Observed> {
  const templates = new JsonTemplates();
  // The shape: what observation reads of the verdict besides its values.
  const shapes = new ShapeKeys();
  const shape = (v: Verdict) => shapes.of([v.ruleId, v.status, v.severity]);
  const build = (v: Verdict) => (values: readonly (string | undefined)[]) => observation(v, values, ctx);
  return new LazyList(
    { [Symbol.iterator]: () => uuids.observed() },
    (o) => build(o.verdict)(observationValues(o, ctx).map(plainValue)),
    (o, indent) => templates.pieces(shape(o.verdict), observationValues(o, ctx), build(o.verdict), indent),
  );
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

/** FAIL verdicts, suppressed or not: what fails a control and what gives a rule its risk (risks). */
const failedVerdicts = (counts: StatusCounts) => counts.FAIL + counts.SUPPRESSED;

/** Fail closed: a control is satisfied only when every verdict behind it that applies passed. */
function targetStatus(counts: StatusCounts): { state: 'satisfied' | 'not-satisfied'; reason: 'pass' | 'fail' | 'other'; remarks?: string } {
  const failing = failedVerdicts(counts);
  if (failing > 0) {
    const suppressed = counts.SUPPRESSED;
    return {
      state: 'not-satisfied',
      reason: 'fail',
      remarks: suppressed > 0 ? `${suppressed} of the ${failing} failing verdicts are accepted by exceptions.` : undefined,
    };
  }
  if (counts.ERROR > 0) {
    return { state: 'not-satisfied', reason: 'other', remarks: 'The evidence is incomplete: some verdicts could not be decided (ERROR).' };
  }
  if (counts.PASS > 0) return { state: 'satisfied', reason: 'pass' };
  return { state: 'not-satisfied', reason: 'other', remarks: 'Not assessed: no rule mapped to this control applied to any resource in scope.' };
}

function countsSentence(counts: StatusCounts): string {
  return DISPLAY_STATUSES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${STATUS_LABEL[s]}`)
    .join(', ');
}

/** The uuid of a rule's risk (risks). */
function riskUuid(ids: Ids, ruleId: string): string {
  return uuidV5(`risk:${ids.result}:${ruleId}`);
}

/**
 * One risk per rule with FAIL verdicts (suppressed or not), holding the rule's remediation once
 * (a recommendation) and relating the rule's FAIL observations: an observation no longer repeats
 * its rule's remediation (8.8 MB of the 57 MB document at 1,000 accounts). Open while any FAIL is
 * not accepted by an exception, else deviation-approved. The findings of the rule's controls
 * relate the risk.
 */
function risks(rules: ReadonlyMap<string, RuleMeta>, ids: Ids, counted: ReadonlyMap<string, StatusCounts>, uuids: ObservationUuids): Json[] {
  return [...counted]
    .filter(([, counts]) => failedVerdicts(counts) > 0)
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([ruleId, counts]) => {
      const rule = rules.get(ruleId);
      const failing = failedVerdicts(counts);
      const remediation = rule?.remediation.trimEnd() ?? '';
      return {
        uuid: riskUuid(ids, ruleId),
        title: `${ruleId}: ${rule?.title ?? ruleId}`,
        description: rule?.description.trim() || rule?.title || ruleId,
        statement:
          `${failing} verdict${failing === 1 ? '' : 's'} of this rule failed` +
          (counts.SUPPRESSED > 0 ? ` (${counts.SUPPRESSED} accepted by exceptions).` : '.'),
        props: [...prop('rule-id', ruleId), ...prop('severity', rule?.severity)],
        status: counts.FAIL > 0 ? 'open' : 'deviation-approved',
        origins: [{ actors: [{ type: 'tool', 'actor-uuid': ids.tool }] }],
        remediations:
          remediation.trim() === ''
            ? undefined
            : [{ uuid: uuidV5(`remediation:${ids.result}:${ruleId}`), lifecycle: 'recommendation', title: `Remediation of ${ruleId}`, description: remediation }],
        'related-observations': relatedObservations(uuids.ofRules(new Set([ruleId]), true)),
      };
    });
}

/** The risks of some rules (those with one, risks), or undefined: a finding's related-risks. */
function relatedRisks(ruleIds: Iterable<string>, ids: Ids, counted: ReadonlyMap<string, StatusCounts>): Json[] | undefined {
  const withRisk = [...ruleIds].filter((id) => {
    const c = counted.get(id);
    return c !== undefined && failedVerdicts(c) > 0;
  });
  return nonEmpty(withRisk.sort(compareStrings).map((id) => ({ 'risk-uuid': riskUuid(ids, id) })));
}

/**
 * One finding per control: its counts from the rules' counts, its related observations from the
 * uuids recorded while the observations were written.
 */
function findings(result: ScanResult, rules: ReadonlyMap<string, RuleMeta>, ids: Ids, counted: ReadonlyMap<string, StatusCounts>, uuids: ObservationUuids): { controls: string[]; findings: Json[] } {
  const rulesByControl = new Map<string, Set<string>>();
  for (const rule of result.rules) {
    for (const control of nistControls(rule)) {
      const set = rulesByControl.get(control) ?? new Set<string>();
      set.add(rule.id);
      rulesByControl.set(control, set);
    }
  }
  const controls = [...rulesByControl.keys()].sort(compareControlIds);
  const list = controls.map((control) => {
    const ruleIds = [...rulesByControl.get(control)!].sort(compareStrings);
    const counts = countsOf(ruleIds, counted);
    const total = Object.values(counts).reduce((n, c) => n + c, 0);
    const status = targetStatus(counts);
    return {
      uuid: uuidV5(`finding:${ids.result}:${control}`),
      title: `NIST SP 800-53 r5 ${control.toUpperCase()}`,
      description:
        `Assessed by ${ruleIds.length} trailproof rule${ruleIds.length === 1 ? '' : 's'} (${ruleIds.map((id) => `${id}: ${rules.get(id)?.title ?? id}`).join('; ')}). ` +
        (total > 0 ? `Verdicts: ${countsSentence(counts)}.` : 'No verdicts.'),
      props: ruleIds.flatMap((id) => prop('rule-id', id)),
      origins: [{ actors: [{ type: 'tool', 'actor-uuid': ids.tool }] }],
      target: {
        type: 'statement-id',
        'target-id': `${control}_smt`,
        status: { state: status.state, reason: status.reason, remarks: status.remarks },
      },
      'related-observations': total > 0 ? relatedObservations(uuids.ofRules(rulesByControl.get(control)!)) : undefined,
      'related-risks': relatedRisks(ruleIds, ids, counted),
    };
  });
  return { controls, findings: list };
}

/** A verdict's uuid listed once for each control its rule maps to: written from the recorded bytes (oscal-related.ts). */
function relatedObservations(uuids: Iterable<UuidRun>): LazyList<UuidRun> {
  return new RelatedObservations(uuids);
}

/** An OSCAL control-id (a token) for a pack's control: NIST's own catalog ids for NIST, "<pack>_<id>" otherwise. */
export function packControlToken(packId: string, controlId: string): string {
  if (packId.startsWith('nist-800-53')) return oscalControlId(controlId);
  return `${packId}_${controlId.replace(/[^\p{L}\p{N}.\-_]+/gu, '_').replace(/_+$/, '')}`;
}

/**
 * With --framework, the findings are the selected packs' controls, with the status the evaluate
 * stage decided (OSCAL knows only satisfied / not-satisfied: a control not assessed is
 * not-satisfied with reason "other" and says why).
 */
function frameworkFindings(frameworks: readonly FrameworkAssessment[], ids: Ids, counted: ReadonlyMap<string, StatusCounts>, uuids: ObservationUuids): { controls: string[]; findings: Json[] } {
  const controls: string[] = [];
  const list: Json[] = [];
  for (const framework of frameworks) {
    for (const c of framework.controls) {
      const token = packControlToken(framework.id, c.controlId);
      controls.push(token);
      const rules = new Set(c.rules);
      const behind = countsOf(rules, counted);
      const anyBehind = DISPLAY_STATUSES.some((s) => behind[s] > 0);
      list.push({
        uuid: uuidV5(`finding:${ids.result}:${framework.id}:${c.controlId}`),
        title: `${frameworkName(framework)} ${c.controlId}: ${c.title}`,
        description: `${controlStatusText(c)}. ${controlBasis(c)}`,
        props: [...prop('framework', framework.id), ...prop('control-id', c.controlId), ...prop('control-status', c.status), ...prop('not-assessed-reason', c.notAssessedReason), ...c.rules.flatMap((id) => prop('rule-id', id))],
        origins: [{ actors: [{ type: 'tool', 'actor-uuid': ids.tool }] }],
        target: {
          type: 'statement-id',
          'target-id': `${token}_smt`,
          status: {
            state: c.status === 'satisfied' ? 'satisfied' : 'not-satisfied',
            reason: c.status === 'satisfied' ? 'pass' : c.status === 'not-satisfied' ? 'fail' : 'other',
            remarks: c.status === 'satisfied' && c.counts.suppressed === 0 ? undefined : controlStatusText(c),
          },
        },
        'related-observations': anyBehind ? relatedObservations(uuids.ofRules(rules)) : undefined,
        'related-risks': relatedRisks(rules, ids, counted),
      });
    }
  }
  return { controls: [...new Set(controls)], findings: list };
}

function resultRemarks(result: ScanResult): string | undefined {
  const lines: string[] = [];
  const skipped = [...result.scope.skipped].sort((a, b) => compareStrings(a.accountId, b.accountId));
  if (skipped.length > 0) lines.push('Accounts not assessed:', ...skipped.map((s) => `- ${s.accountId}: ${s.reason}`));
  const errors = sortedErrors(result);
  if (errors.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('Collection errors (the evidence is incomplete):', ...errors.map((e) => `- ${[e.accountId, e.region].filter(Boolean).join(' ') || 'organization'}: ${e.operation} ${e.code}: ${oneLine(e.message)}`));
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** Drops undefined members and empty arrays: OSCAL arrays have minItems 1, optional fields are left out. */
function clean(value: unknown): unknown {
  if (value instanceof LazyList) return value; // its items are written clean (observation) or are small objects
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
      out[k] = clean(v);
    }
    return out;
  }
  return value;
}

/** A back-matter resource made whole, or an evidence resource to be rendered from its template. */
type BackMatterItem = { resource: Json } | EvidenceResource;

const EVIDENCE_TITLE = 'Evidence read from the snapshot';

/**
 * The back-matter's resources: the plan's placeholder, the snapshot, then each evidence the
 * observations referenced, once, in the order first referenced (written after the observations:
 * a walk, not a list held). An evidence resource is its template's text around its uuid and its
 * remarks' JSON text: JSON.stringify of the resource with indentation took V8's slower path for
 * the whole long string (0.43 s of a profile of writeReports(oscal) at 10,000 accounts).
 */
function backMatter(result: ScanResult, ids: Ids, uuids: ObservationUuids): LazyList<BackMatterItem> {
  const fixed: Json[] = [
    {
      uuid: ids.plan,
      title: 'Assessment plan (placeholder)',
      description: 'trailproof does not produce an assessment plan; this resource stands in for one.',
    },
    {
      uuid: ids.snapshot,
      title: 'trailproof snapshot',
      description: `The snapshot the verdicts were evaluated from (source: ${result.snapshot.source}, collected at ${result.snapshot.collectedAt}).`,
      props: nonEmpty(prop('snapshot-sha256', result.snapshot.sha256)),
    },
  ];
  const evidence = uuids.evidenceResources();
  const items: Iterable<BackMatterItem> = {
    *[Symbol.iterator]() {
      for (const resource of fixed) yield { resource };
      yield* evidence;
    },
  };
  const templates = new JsonTemplates();
  const build = ([uuid, remarks]: readonly (string | undefined)[]) => ({ uuid, title: EVIDENCE_TITLE, remarks });
  // Remarks given as the pretty JSON's escaped text go between the fences the template holds.
  const buildFenced = ([uuid, pretty]: readonly (string | undefined)[]) => build([uuid, fencedRemarks(pretty!)]);
  const render = (item: EvidenceResource, indent: string) => {
    const remarks = evidenceRemarksValue(item);
    return 'json' in remarks ? templates.render('evidence', [item.uuid, remarks], build, indent) : templates.render('evidence, fenced', [item.uuid, remarks], buildFenced, indent);
  };
  return new LazyList(
    items,
    (item) => ('resource' in item ? item.resource : build([item.uuid, evidenceRemarks(resourceEvidence(item))])),
    (item, indent) => ('resource' in item ? indentedJson(item.resource, indent) : render(item, indent)),
  );
}

export function buildOscal(result: ScanResult): Json {
  return JSON.parse(JSON.stringify(oscalDocument(result, {}))) as Json;
}

/** The document with its per-verdict lists left lazy (LazyList): converted only while written. */
function oscalDocument(input: ScanResult, options: RenderOptions): Json {
  const result = canonicalOrder(input);
  const ids = documentIds(result);
  const at = result.snapshot.collectedAt;
  const rules = ruleIndex(result);
  const verdicts = result.verdicts;
  const { items, subjects, counts } = inventoryAndCounts(verdicts);
  const texts = options.evidenceTexts ?? EvidenceTexts.of(result.verdicts);
  const uuids = new ObservationUuids(verdicts, ids, new EvidenceResources(texts, !readsOwnResources(verdicts)));
  const observed: ObservationContext = { ids, collected: at, rules, subjects };
  const assessed = result.frameworks?.length ? frameworkFindings(result.frameworks, ids, counts, uuids) : findings(result, rules, ids, counts, uuids);
  const org = result.snapshot.organizationId;
  const doc = {
    'assessment-results': {
      uuid: ids.document,
      metadata: {
        title: `trailproof assessment of the audit-logging baseline${org ? ` of ${org}` : ''}`,
        'last-modified': at,
        version: result.tool.version,
        'oscal-version': OSCAL_VERSION,
        props: [...prop('tool', `${result.tool.name} ${result.tool.version}`), ...prop('rule-pack-version', result.rulePack.version), ...prop('rule-pack-sha256', result.rulePack.sha256)],
      },
      'import-ap': {
        href: `#${ids.plan}`,
        remarks: 'Placeholder: trailproof does not write an assessment plan. Replace this href with the location of yours.',
      },
      results: [
        {
          uuid: ids.result,
          title: `trailproof scan${org ? ` of ${org}` : ''} at ${at}`,
          description: `Automated evaluation of ${result.rules.length} rules over ${result.scope.accountIds.length} accounts and ${result.scope.regions.length} regions, from the snapshot collected at ${at}.`,
          start: at,
          end: at,
          props: [
            ...prop('snapshot-collected-at', at),
            ...prop('snapshot-sha256', result.snapshot.sha256),
            ...prop('snapshot-source', result.snapshot.source),
            ...prop('organization-id', org),
            ...prop('management-account-id', result.snapshot.managementAccountId),
            ...prop('regions', [...result.scope.regions].sort(compareStrings).join(' ')),
            ...prop('shard', result.scope.shard),
            ...prop('exit-code', String(result.summary.exitCode)),
          ],
          'local-definitions': {
            components: [
              {
                uuid: ids.tool,
                type: 'software',
                title: `${result.tool.name} ${result.tool.version}`,
                description: 'Policy-as-code scanner that evaluated the audit-logging baseline of the AWS Organization.',
                status: { state: 'operational' },
              },
            ],
            // A list clean() and the search for lazy lists need not walk (13,400 items at 10,000
            // accounts: 56 ms of a profile); its items are written clean. Left out when empty (minItems).
            'inventory-items': items.length > 0 ? inventoryList(items) : undefined,
          },
          'reviewed-controls': {
            'control-selections': [assessed.controls.length > 0 ? { 'include-controls': assessed.controls.map((id) => ({ 'control-id': id })) } : { 'include-all': {} }],
          },
          observations: verdicts.length > 0 ? observations(uuids, observed) : undefined,
          risks: risks(rules, ids, counts, uuids),
          findings: assessed.findings,
          remarks: resultRemarks(result),
        },
      ],
      'back-matter': {
        resources: backMatter(result, ids, uuids),
      },
    },
  };
  return clean(doc) as Json;
}

export function renderOscal(result: ScanResult, options: RenderOptions = {}): string {
  return stableJson(oscalDocument(result, options));
}

export const oscalFormatter: Formatter = {
  name: 'oscal',
  fileName: 'trailproof.oscal.json',
  description: 'NIST OSCAL 1.0.6 assessment-results: observations per verdict, findings per SP 800-53 r5 control',
  // writeReports of this format alone at 10,000 accounts: 4.04 / 4.30 s CPU (min / median of 3; types.ts).
  // Fifteenth round (each evidence and remediation once, 26 % fewer bytes): CPU unchanged within the
  // machine's spread (5.00-6.34 s against main's 5.78-6.14 s, alternated, load 2-4), so kept.
  cost: 4.0,
  render: (result, options) => renderOscal(result, options),
  renderChunks: (result, options) => stableJsonChunks(oscalDocument(result, options)),
};

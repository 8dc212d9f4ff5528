import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { canonicalJson, oscalControlId, resourceLabel, uuidV5 } from '../../src/report/audit-common.ts';
import { OSCAL_VERSION, oscalFormatter, renderOscal } from '../../src/report/oscal.ts';
import { EvidenceResources } from '../../src/report/oscal-evidence.ts';
import { EvidenceTexts } from '../../src/report/evidence-texts.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { type SpooledVerdicts, unreadEvidencePlace, VerdictSpool } from '../../src/evaluate/verdict-spool.ts';
import { PROD_ACCOUNT, sampleResult, shuffledResult, withVerdict } from '../fixtures/results/sample-result.ts';

const OSCAL_SCHEMA = fileURLToPath(new URL('../fixtures/standard-schemas/oscal-1.0.6-assessment-results.schema.json', import.meta.url));

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(OSCAL_SCHEMA, 'utf8')));

function oscal(result: ScanResult = sampleResult()): Json {
  return JSON.parse(renderOscal(result));
}
const resultOf = (doc: Json): Json => doc['assessment-results'].results[0];
const findingFor = (doc: Json, control: string): Json => resultOf(doc).findings.find((f: Json) => f.target['target-id'] === `${control}_smt`);
const backMatterOf = (doc: Json): Json[] => doc['assessment-results']['back-matter'].resources;
/** The back-matter resource an in-document href ("#uuid") points at. */
const resourceAt = (doc: Json, href: string): Json => backMatterOf(doc).find((r) => `#${r.uuid}` === href);
/** An evidence resource and the evidence its remarks print (a fenced JSON block). */
function evidenceOf(resource: Json): { remarks: string; evidence: unknown } {
  const fenced = /^```json\n([\s\S]*)\n```$/.exec(resource.remarks);
  if (!fenced) throw new Error(`not an evidence resource: ${JSON.stringify(resource)}`);
  return { remarks: resource.remarks, evidence: JSON.parse(fenced[1]!) };
}
/** Every href in the document, links included. */
function hrefsOf(doc: Json): string[] {
  const hrefs: string[] = [];
  JSON.stringify(doc, (key, value: unknown) => (key === 'href' && typeof value === 'string' && hrefs.push(value), value));
  return hrefs;
}
const observationOf = (doc: Json, v: Verdict): Json => resultOf(doc).observations.find((o: Json) => o.title === `${v.ruleId}: ${resourceLabel(v)}`);
/** A FAIL verdict of the sample for each evidence, each on a resource of its own. */
function failingWith(evidence: readonly unknown[]): Verdict[] {
  const template = [...sampleResult().verdicts].find((v) => v.status === 'FAIL')!;
  return evidence.map((e, i) => ({ ...template, resource: { ...template.resource, id: `${template.resource.id}-${i}` }, evidence: e }));
}
/** The verdicts spooled in runs of `run`, as a large organization's are. */
function spooled(verdicts: Iterable<Verdict>, run: number): SpooledVerdicts {
  const spool = new VerdictSpool(undefined, run);
  for (const v of verdicts) spool.add(v);
  const list = spool.finish();
  if (Array.isArray(list)) throw new Error('expected a spooled list');
  return list as SpooledVerdicts;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('OSCAL assessment-results', () => {
  it('validates against the OSCAL 1.0.6 assessment-results schema', () => {
    const doc = oscal();
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the validator is live: it rejects a broken document', () => {
    const doc = oscal();
    delete resultOf(doc).uuid;
    resultOf(doc).observations[0].collected = 'yesterday';
    expect(validate(doc)).toBe(false);
    expect((validate.errors ?? []).length).toBeGreaterThanOrEqual(2);
  });

  it('still validates with no NIST mappings, no verdicts and no errors (empty arrays are left out)', () => {
    const bare = sampleResult({ verdicts: [], errors: [], rules: sampleResult().rules.map((r) => ({ ...r, frameworks: {} })), scope: { regions: [], accountIds: [], skipped: [] } });
    const doc = oscal(bare);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(resultOf(doc)['reviewed-controls']['control-selections']).toEqual([{ 'include-all': {} }]);
    expect(resultOf(doc).observations).toBeUndefined();
  });

  it('has one result per scan with times from the snapshot', () => {
    const doc = oscal();
    const ar = doc['assessment-results'];
    expect(ar.metadata['oscal-version']).toBe(OSCAL_VERSION);
    expect(ar.metadata['last-modified']).toBe('2025-03-14T09:26:53.000Z');
    expect(ar.results).toHaveLength(1);
    expect(resultOf(doc).start).toBe('2025-03-14T09:26:53.000Z');
    expect(ar['import-ap'].href).toMatch(/^#/);
    const planId = ar['import-ap'].href.slice(1);
    expect(ar['back-matter'].resources.map((r: Json) => r.uuid)).toContain(planId);
  });

  it('writes one observation per verdict, collected at the snapshot time, with the evidence', () => {
    const result = sampleResult();
    const obs: Json[] = resultOf(oscal(result)).observations;
    expect(obs).toHaveLength(result.verdicts.length);
    const prodFail = obs.find((o) => o.title.startsWith('cloudtrail-log-file-validation: ' + PROD_ACCOUNT));
    expect(prodFail.props).toContainEqual(expect.objectContaining({ name: 'verdict', value: 'FAIL' }));
    expect(prodFail.collected).toBe(result.snapshot.collectedAt);
    expect(evidenceOf(resourceAt(oscal(result), prodFail['relevant-evidence'][0].href)).remarks).toContain('"validation": false');
    const items: Json[] = resultOf(oscal(result))['local-definitions']['inventory-items'];
    expect(items.map((i) => i.uuid)).toContain(prodFail.subjects[0]['subject-uuid']);
  });

  it('uses deterministic name-based UUIDs: same input, same ids; different content, different ids', () => {
    const a = oscal();
    const b = oscal();
    expect(a['assessment-results'].uuid).toBe(b['assessment-results'].uuid);
    const all = JSON.stringify(a).match(/"(?:uuid|observation-uuid|subject-uuid|actor-uuid)":"[^"]+"/g) ?? [];
    for (const m of all) expect(m.split(':"')[1]!.slice(0, -1)).toMatch(UUID);
    const changed = withVerdict(sampleResult(), (v) => v.ruleId === 'trail-kms-encryption' && v.status === 'FAIL', { message: 'different text' });
    const obsIds = (doc: Json) => resultOf(doc).observations.map((o: Json) => o.uuid).sort();
    const diff = obsIds(oscal(changed)).filter((id: string) => !obsIds(a).includes(id));
    expect(diff).toHaveLength(1);
  });

  it("names an observation by canonicalJson of what its verdict says, whatever its id and message hold", () => {
    // The name is written out part by part, the id and message quoted as they are when they hold
    // nothing to escape: quotes, backslashes, line breaks and lone surrogates must come out as
    // canonicalJson writes them.
    const messages = ['plain', 'say "no" \\ here', 'two\nlines\ttab', 'lone \ud800 surrogate', 'pair \ud83d\ude00 ok'];
    for (const message of messages) {
      const changed = withVerdict(sampleResult(), (v) => v.ruleId === 'trail-kms-encryption' && v.status === 'FAIL', { message });
      const doc = oscal(changed);
      const v = [...changed.verdicts].find((x) => x.ruleId === 'trail-kms-encryption' && x.status === 'FAIL')!;
      const observation = resultOf(doc).observations.find((o: Json) => o.title.startsWith(`${v.ruleId}: ${resourceLabel(v)}`));
      const evidenceUuid = observation['relevant-evidence'][0].href.slice(1);
      const name = canonicalJson([v.ruleId, v.resource.id, v.status, v.message, v.suppressed ?? null, evidenceUuid]);
      expect(observation.uuid).toBe(uuidV5(`observation:${resultOf(doc).uuid}:${name}`));
    }
  });

  it('implements RFC 4122 UUIDv5 (known vector: www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('maps findings to lowercased NIST SP 800-53 r5 controls with fail-closed target status', () => {
    const doc = oscal();
    const controls = resultOf(doc)['reviewed-controls']['control-selections'][0]['include-controls'].map((c: Json) => c['control-id']);
    expect(controls).toEqual(['au-2', 'au-9', 'au-12', 'si-7']);
    // log-file-validation has an open FAIL (prod): AU-9 and SI-7 are not satisfied.
    expect(findingFor(doc, 'au-9').target.status).toMatchObject({ state: 'not-satisfied', reason: 'fail' });
    // multi-region: a PASS and an ERROR → not satisfied, for lack of evidence.
    expect(findingFor(doc, 'au-2').target.status).toMatchObject({ state: 'not-satisfied', reason: 'other' });
    expect(findingFor(doc, 'au-2')['related-observations']).toHaveLength(2);
  });

  it('marks a control satisfied only when every applicable verdict passed', () => {
    let result = sampleResult();
    for (const v of [...result.verdicts].filter((x) => x.ruleId === 'cloudtrail-multi-region-management-events')) {
      result = withVerdict(result, (x) => x.ruleId === v.ruleId && x.resource.id === v.resource.id, { status: 'PASS' });
    }
    expect(findingFor(oscal(result), 'au-12').target.status).toMatchObject({ state: 'satisfied', reason: 'pass' });
  });

  it('spells enhancements the catalog way', () => {
    expect(oscalControlId(' AC-2(1) ')).toBe('ac-2.1');
    expect(oscalControlId('AU-9')).toBe('au-9');
  });

  it('renders the same bytes twice and from shuffled input', () => {
    const once = renderOscal(sampleResult());
    expect(renderOscal(sampleResult())).toBe(once);
    expect(renderOscal(shuffledResult())).toBe(once);
  });

  it('keeps multi-line and markup-like messages valid', () => {
    const result = withVerdict(sampleResult(), (v) => v.status === 'ERROR', { message: '  line one\n<script>alert(1)</script>\n' });
    const doc = oscal(result);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it("writes in chunks the bytes of the whole document: evidence, ids and messages with quotes, backslashes, line breaks, wide and lone surrogate characters, and more verdicts per rule than a run of related observations", () => {
    const odd = 'a "quoted" \\ back\nslash\t✓ — \ud800 end';
    let result = withVerdict(sampleResult(), (v) => v.status === 'FAIL', { message: odd, evidence: { [odd]: [odd, { z: odd, a: 1 }], b: null } });
    result = withVerdict(result, (v) => v.status === 'PASS', { evidence: 'a "plain" string ✓' });
    const many = [...result.verdicts].filter((v, _, all) => v.ruleId === all[0]!.ruleId);
    const extra = Array.from({ length: 400 }, (_, i) => ({ ...many[0]!, resource: { ...many[0]!.resource, id: `${many[0]!.resource.id}-${i} "x"` }, evidence: { n: i, s: odd } }));
    result = sampleResult({ ...result, verdicts: [...result.verdicts, ...extra], summary: undefined as unknown as ScanResult['summary'] });
    const whole = renderOscal(result);
    expect([...oscalFormatter.renderChunks!(result, {})].join('')).toBe(whole);
    const doc = JSON.parse(whole) as Json;
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    for (const resource of backMatterOf(doc).filter((r) => typeof r.remarks === 'string' && r.remarks.startsWith('```json'))) {
      const { remarks, evidence } = evidenceOf(resource);
      expect(remarks).toBe(`\`\`\`json\n${JSON.stringify(evidence, null, 2)}\n\`\`\``);
    }
  });

  it('resolves every in-document href ("#uuid") to a back-matter resource', () => {
    const doc = oscal();
    const local = hrefsOf(doc).filter((href) => href.startsWith('#'));
    // import-ap, and each observation's evidence and the snapshot it was read from.
    expect(local.length).toBe(1 + 2 * resultOf(doc).observations.length);
    for (const href of local) expect(resourceAt(doc, href), href).toBeDefined();
  });

  it("prints each distinct evidence once, as a back-matter resource every observation using it references, linked to the snapshot", () => {
    // Two verdicts with the same evidence in other objects, keys in another order: one resource.
    let result = withVerdict(sampleResult(), (v) => v.ruleId === 'trail-kms-encryption' && v.status === 'FAIL', { evidence: { a: 1, b: [2, { c: 3, d: 4 }] } });
    result = withVerdict(result, (v) => v.ruleId === 'trail-kms-encryption' && v.status === 'PASS', { evidence: { b: [2, { d: 4, c: 3 }], a: 1 } });
    const doc = oscal(result);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const snapshot = backMatterOf(doc).find((r) => r.title === 'trailproof snapshot');
    for (const v of result.verdicts) {
      const evidence = observationOf(doc, v)['relevant-evidence'];
      expect(evidence).toHaveLength(1);
      expect(evidenceOf(resourceAt(doc, evidence[0].href)).evidence).toEqual(v.evidence ?? null);
      expect(evidence[0].links).toEqual([{ href: `#${snapshot.uuid}`, rel: 'source' }]);
    }
    const printed = backMatterOf(doc).filter((r) => typeof r.remarks === 'string' && r.remarks.startsWith('```json'));
    const verdicts = [...result.verdicts];
    const distinct = new Set(verdicts.map((v) => canonicalJson(v.evidence ?? null)));
    expect(distinct.size).toBeLessThan(verdicts.length);
    expect(printed).toHaveLength(distinct.size);
    expect(new Set(printed.map((r) => canonicalJson(evidenceOf(r).evidence))).size).toBe(distinct.size);
    // No observation prints evidence itself.
    for (const o of resultOf(doc).observations) expect(JSON.stringify(o)).not.toContain('```json');
  });

  it("prints a failing rule's remediation once, in the rule's risk, which relates every FAIL observation of the rule", () => {
    const result = sampleResult();
    const doc = oscal(result);
    const text = JSON.stringify(doc);
    const risks: Json[] = resultOf(doc).risks;
    const failing = [...result.verdicts].filter((v) => v.status === 'FAIL');
    const failingRules = [...new Set(failing.map((v) => v.ruleId))].sort();
    expect(risks.map((r) => r.props.find((p: Json) => p.name === 'rule-id').value)).toEqual(failingRules);
    for (const v of failing) {
      const rule = result.rules.find((r) => r.id === v.ruleId)!;
      const observation = observationOf(doc, v);
      const risk = risks.find((r) => r['related-observations'].some((o: Json) => o['observation-uuid'] === observation.uuid));
      expect(risk.remediations).toEqual([expect.objectContaining({ lifecycle: 'recommendation', description: rule.remediation.trimEnd() })]);
      expect(text.split(JSON.stringify(rule.remediation.trimEnd())).length - 1).toBe(1);
      // Each finding of the rule's controls relates its risk.
      for (const control of rule.frameworks['nist-800-53-r5'] ?? []) {
        expect(findingFor(doc, oscalControlId(control))['related-risks']).toContainEqual({ 'risk-uuid': risk.uuid });
      }
    }
    // Only FAIL observations are related to a risk, and no observation repeats a remediation.
    const related = new Set(risks.flatMap((r) => r['related-observations'].map((o: Json) => o['observation-uuid'])));
    expect(related.size).toBe(failing.length);
    for (const o of resultOf(doc).observations) expect(o.remarks ?? '').not.toContain('Remediation');
    // A rule whose only FAIL is accepted by an exception: its risk is a deviation approved.
    const sandboxOnly = withVerdict(result, (v) => v.ruleId === 'cloudtrail-log-file-validation' && v.status === 'FAIL' && !v.suppressed, { status: 'PASS' });
    const risk = resultOf(oscal(sandboxOnly)).risks.find((r: Json) => r.title.startsWith('cloudtrail-log-file-validation:'));
    expect(risk.status).toBe('deviation-approved');
    expect(risk['related-observations']).toHaveLength(1);
  });

  it("reads a spooled list's evidence again for the back-matter, past what the spool's cache keeps: the same bytes as from memory", () => {
    const base = sampleResult();
    // More distinct evidence pieces than the spool's evidence cache holds (two generations of 2,048).
    const verdicts = failingWith(Array.from({ length: 5_000 }, (_, i) => ({ piece: i % 4_500, detail: { text: `evidence ${i % 4_500}` } })));
    const result = { ...base, verdicts };
    const list = spooled(verdicts, 1_000);
    const fromSpool = renderOscal({ ...result, verdicts: list });
    expect(fromSpool).toBe(renderOscal(result));
    const doc = JSON.parse(fromSpool);
    expect(backMatterOf(doc).filter((r) => r.title === 'Evidence read from the snapshot')).toHaveLength(4_500);
  });

  it("prints a spooled list's evidence from the spool's text, in chunks, with the bytes of the evidence parsed and printed from memory", () => {
    const base = sampleResult();
    const unusual: unknown[] = [
      null,
      'a string alone',
      42,
      { 'k"e\\y': 'quote " backslash \\ newline \n nul \u0000', '{[': '],}:,' },
      { nested: [[], {}, [[1, [2, { deep: [{}] }]]], { a: { b: { c: [] } } }] },
      { latin1: 'café ñ ÿ', wide: 'logs — validated ✓', lone: '\ud800 alone' },
      { b: 1, 10: 'ten', 2: 'two', '-1': 'minus' },
      JSON.parse('{"__proto__":{"x":1},"y":[true,false,null]}'),
    ];
    const verdicts = failingWith(unusual.flatMap((evidence) => [evidence, evidence]));
    const result = { ...base, verdicts };
    const list = spooled(verdicts, 4);
    const chunked = [...oscalFormatter.renderChunks!({ ...result, verdicts: list }, {})].join('');
    expect(chunked).toBe(renderOscal(result));
    const printed = backMatterOf(JSON.parse(chunked)).filter((r) => r.title === 'Evidence read from the snapshot').map((r) => evidenceOf(r).evidence);
    // Each once, in the order the verdicts (sorted by resource) first use them.
    expect(printed).toHaveLength(unusual.length);
    expect(printed).toEqual(expect.arrayContaining(unusual));
  });

  it("leaves a spooled list's evidence unread by its verdicts: parsed for its uuid apart, so the spool keeps no object of it", () => {
    const base = sampleResult();
    const verdicts = failingWith(Array.from({ length: 12 }, (_, i) => ({ piece: i % 5, detail: [`evidence ${i % 5}`, { nested: i % 5 }] })));
    const list = spooled(verdicts, 4);
    const chunked = [...oscalFormatter.renderChunks!({ ...base, verdicts: list }, {})].join('');
    expect(chunked).toBe(renderOscal({ ...base, verdicts }));
    // Had the render read the verdicts' evidence, the spool would hand the parsed objects to this walk.
    expect([...list].filter((v) => unreadEvidencePlace(v) !== undefined)).toHaveLength(verdicts.length);
  });

  it('makes the uuid of evidence that is no object once, not once per verdict', () => {
    let canonical = 0;
    const texts = new EvidenceTexts();
    const counted = Object.assign(Object.create(texts) as EvidenceTexts, { canonical: (value: unknown) => (canonical++, texts.canonical(value)) });
    const resources = new EvidenceResources(counted);
    const template = [...sampleResult().verdicts][0]!;
    const uuids = new Set(Array.from({ length: 50 }, () => resources.referenced({ ...template, evidence: null })));
    expect(uuids.size).toBe(1);
    expect(canonical).toBe(1);
  });

  it("finds the inventory uuid of a list in memory by its shared resource object, not by its type and id per verdict", () => {
    const base = sampleResult();
    const first = [...base.verdicts][0]!;
    // 40 more verdicts of one resource (by other rules, so that sorting compares no types): one
    // resource object for all, as a list judged in memory shares it.
    const copies = Array.from({ length: 40 }, (_, i) => ({ ...first, ruleId: `${first.ruleId}-copy-${String(i).padStart(2, '0')}` }));
    const result = sampleResult({ verdicts: [...base.verdicts, ...copies] });
    const shared = [...result.verdicts].filter((v) => v.resource.id === first.resource.id && v.resource.type === first.resource.type);
    const resource = shared[0]!.resource;
    for (const v of shared) v.resource = resource;
    const before = renderOscal(result);
    let reads = 0;
    const type = resource.type;
    Object.defineProperty(resource, 'type', { get: () => (reads++, type), enumerable: true });
    expect(renderOscal(result)).toBe(before);
    expect(shared.length).toBeGreaterThan(40);
    expect(reads).toBeLessThan(10);
  });

  it('writes the inventory items each props it has, in order, as the items written whole', () => {
    const result = sampleResult();
    const [v] = [...result.verdicts];
    const resource = { ...v!.resource, region: '  ', arn: 'arn:aws:x \n "quoted"\t\u0001 ', ouPath: undefined };
    const doc = JSON.parse(renderOscal({ ...result, verdicts: [{ ...v!, resource }] }));
    const [item] = doc['assessment-results'].results[0]['local-definitions']['inventory-items'];
    expect(item.props.map((p: { name: string }) => p.name)).toEqual(['resource-id', 'resource-type', 'account-id', 'arn']);
    expect(item.props[3].value).toBe('arn:aws:x "quoted" \u0001');
    expect(item.description).toBe(`AWS ${resource.type} ${resourceLabel({ resource })}`);
  });

  it('reads a spooled list once: its inventory and counts come from the resources and the outline the spool keeps', () => {
    const result = sampleResult();
    const list = spooled(result.verdicts, 3);
    let walks = 0;
    const counted = { ...list, [Symbol.iterator]: () => (walks++, list[Symbol.iterator]()) };
    expect(renderOscal({ ...result, verdicts: counted })).toBe(renderOscal(result));
    expect(walks).toBe(1);
  });

  it('walks a list in memory twice: once for its inventory and counts together, once for its observations', () => {
    const result = sampleResult();
    const verdicts = [...result.verdicts];
    let walks = 0;
    // Iterable but not an array: canonicalOrder keeps it, as it keeps the writer's walk (lockstep.ts).
    const counted = { length: verdicts.length, [Symbol.iterator]: () => (walks++, verdicts[Symbol.iterator]()) };
    expect(renderOscal({ ...result, verdicts: counted as unknown as ScanResult['verdicts'] })).toBe(renderOscal(result));
    expect(walks).toBe(2);
  });
});

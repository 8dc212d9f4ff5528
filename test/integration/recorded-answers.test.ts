/**
 * Issue #11: one odd answer never loses a scan. Every recorded answer of test/fixtures/aws-answers/
 * is served by the fake AWS endpoint (real SDK deserialisation) in place of its usual answer, and
 * the whole pipeline runs: collect → snapshot → model → verdicts → reports. Whatever the answer, the
 * reports are written and nothing throws; the verdicts that change are only those of the rules
 * that need the odd answer, and they change to what the variation says (ERROR with the reason
 * when the answer cannot be read, the right verdict when it can).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../fixtures/fake-aws-server/wire.ts';
import type { ServiceCall } from '../fixtures/fake-aws-server/types.ts';
import { scanFakeEndpoint, verdictTable, type FakeScan } from '../fixtures/aws-answers/scan-fake-endpoint.ts';

interface Variation {
  name: string;
  answer?: unknown;
  merge?: Record<string, unknown>;
  mergeEach?: Record<string, Record<string, unknown>>;
  wire?: { status: number; contentType: string; body: string };
  emptyFirstPage?: string;
  expect: {
    same?: boolean;
    onlyRules?: string[];
    changedTo?: string;
    errorText?: string;
    verdictText?: string;
    requests?: number;
    regions?: string[];
    enabledRegionsSource?: string;
    inSnapshot?: string;
  };
}

interface Corpus {
  operation: string;
  reference: string;
  variations: Variation[];
}

const CORPUS_DIR = new URL('../fixtures/aws-answers/', import.meta.url);
const corpora: Corpus[] = readdirSync(CORPUS_DIR)
  .filter((d) => statSync(new URL(d, CORPUS_DIR)).isDirectory())
  .flatMap((d) => readdirSync(new URL(`${d}/`, CORPUS_DIR)).map((f) => JSON.parse(readFileSync(new URL(`${d}/${f}`, CORPUS_DIR), 'utf8')) as Corpus));

const EMPTY_PAGE_TOKEN = 'recorded-empty-page';

/** The endpoint's answer for one variation, built from its usual answer when the variation says so. */
function replacement(v: Variation): (call: ServiceCall, original: (call?: ServiceCall) => Reply) => Reply {
  return (call, original) => {
    if (v.wire) return { status: v.wire.status, headers: { 'content-type': v.wire.contentType }, body: v.wire.body };
    if (v.emptyFirstPage) {
      const tokenField = 'NextToken' in call.input || v.emptyFirstPage === 'Regions' || v.emptyFirstPage !== 'logGroups' ? 'NextToken' : 'nextToken';
      if (call.input[tokenField] === undefined) return withJson(original(), () => ({ [v.emptyFirstPage!]: [], [tokenField]: EMPTY_PAGE_TOKEN }));
      if (call.input[tokenField] === EMPTY_PAGE_TOKEN) {
        const { [tokenField]: _, ...input } = call.input;
        return original({ ...call, input });
      }
      return original();
    }
    return withJson(original(), (usual) => {
      if (v.answer !== undefined) return v.answer;
      const out = { ...usual, ...v.merge };
      for (const [list, extra] of Object.entries(v.mergeEach ?? {})) {
        out[list] = ((usual[list] as Record<string, unknown>[] | undefined) ?? []).map((item) => ({ ...item, ...extra }));
      }
      return out;
    });
  };
}

function withJson(reply: Reply, change: (usual: Record<string, unknown>) => unknown): Reply {
  if (reply.status !== 200) return reply;
  return { ...reply, body: JSON.stringify(change(JSON.parse(String(reply.body)) as Record<string, unknown>)) };
}

const baselines = new Map<string, FakeScan>();
async function baseline(regions: string[]): Promise<FakeScan> {
  const key = regions.join(',');
  if (!baselines.has(key)) baselines.set(key, await scanFakeEndpoint({}, regions));
  return baselines.get(key)!;
}
const DEFAULT_REGIONS = ['eu-west-1', 'us-east-1'];

beforeAll(async () => {
  await baseline(DEFAULT_REGIONS);
}, 30_000);
afterAll(() => {
  for (const b of baselines.values()) b.dispose();
});

it('the corpus covers the operations and variations the issue names', () => {
  const names = corpora.flatMap((c) => c.variations.map((v) => `${c.operation}: ${v.name}`));
  for (const wanted of [/GetEventSelectors: both lists/, /GetObjectLockConfiguration: Years 1 with Days 0/, /missing optional fields/, /unknown extra/, /unknown .*enum|unknown Mode/, /empty first page with a NextToken/, /HTML 404/, /not XML|truncated JSON/, /empty 200/]) {
    expect(names.some((n) => wanted.test(n)), String(wanted)).toBe(true);
  }
  for (const c of corpora) expect(c.reference).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
});

it('the unmodified endpoint gives a complete scan (the reference every variation is compared with)', async () => {
  const b = await baseline(DEFAULT_REGIONS);
  expect(b.result.errors).toEqual([]);
  expect(b.result.summary.counts.ERROR).toBe(0);
  expect(b.result.summary.counts.PASS).toBeGreaterThan(30);
});

for (const corpus of corpora) {
  describe(corpus.operation, () => {
    for (const v of corpus.variations) {
      it(v.name, async () => {
        const regions = v.expect.regions ?? DEFAULT_REGIONS;
        const reference = await baseline(regions);
        let scan: FakeScan | undefined;
        try {
          scan = await scanFakeEndpoint({ answers: { [corpus.operation]: replacement(v) } }, regions);
          // A report is always written, whatever the answer.
          expect(scan.reports).toHaveLength(4);
          for (const file of scan.reports) expect(existsSync(file), file).toBe(true);
          const before = verdictTable(reference.result);
          const after = verdictTable(scan.result);
          // Every rule × resource pair still has its verdict; a trail its owner could not list is
          // stood for by the owner's "trails not listed" subject, whose verdict is ERROR.
          const unlistedOf = (key: string) => `${key.split(' ')[0]} arn:aws:cloudtrail:*:${key.split(' ')[1]!.split(':')[4]}:trail/*`;
          const unlisted = [...after.keys()].filter((key) => !before.has(key));
          for (const key of unlisted) {
            expect(key).toMatch(/ arn:aws:cloudtrail:\*:\d{12}:trail\/\*$/);
            expect(after.get(key)!.status, key).toBe('ERROR');
          }
          expect([...before.keys()].filter((key) => !after.has(key) && !after.has(unlistedOf(key)))).toEqual([]);
          const changed = [...after].filter(([key, a]) => before.has(key) && a.status !== before.get(key)!.status);
          if (v.expect.same) expect(changed.map(([key, a]) => `${key}: ${a.status} ${a.message}`)).toEqual([]);
          if (v.expect.onlyRules) {
            expect(changed.length, 'the variation changes some verdict').toBeGreaterThan(0);
            for (const [key, a] of changed) {
              expect(v.expect.onlyRules, key).toContain(key.split(' ')[0]);
              if (v.expect.changedTo) expect(a.status, `${key}: ${a.message}`).toBe(v.expect.changedTo);
              if (v.expect.changedTo === 'ERROR' && v.expect.errorText) expect(a.message, key).toContain(v.expect.errorText);
              if (v.expect.verdictText) expect(a.message, key).toContain(v.expect.verdictText);
            }
          }
          if (v.expect.errorText) {
            expect(scan.result.errors.map((e) => e.message).join('\n')).toContain(v.expect.errorText);
            expect(scan.result.summary.partial).toBe(true);
          }
          for (const e of scan.result.errors) expect(e.message).not.toMatch(/Deserialization error|\$response|\n\s+at /);
          if (v.expect.requests !== undefined) {
            const perCallSite = new Map<string, number>();
            for (const r of scan.requests.filter((r) => `${r.service}:${r.operation}` === corpus.operation)) {
              const site = `${r.accountId}/${r.region}/${r.url}`;
              perCallSite.set(site, (perCallSite.get(site) ?? 0) + 1);
            }
            // No call site asked more than once: a deterministic failure is not retried.
            expect(Math.max(...perCallSite.values())).toBe(1);
            expect(scan.requests.filter((r) => `${r.service}:${r.operation}` === corpus.operation).length).toBeLessThanOrEqual(v.expect.requests * 4);
          }
          const snapshotText = gunzipSync(readFileSync(scan.snapshotFile)).toString('utf8');
          if (v.expect.inSnapshot) expect(snapshotText).toContain(v.expect.inSnapshot);
          if (v.expect.enabledRegionsSource) expect(snapshotText).toContain(`"enabledRegionsSource":"${v.expect.enabledRegionsSource}"`);
        } finally {
          scan?.dispose();
        }
      }, 30_000);
    }
  });
}

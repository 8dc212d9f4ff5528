/**
 * The snapshot schema's date-time format (date-time-format.ts) decides every text as ajv-formats'
 * RFC 3339 check does, and decides the collector's own timestamps without it.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { canonicalDateTimeFirst } from '../../src/snapshot/date-time-format.ts';

const full = (fullFormats['date-time'] as { validate: (text: string) => boolean }).validate;

const EDGES = [
  '2026-11-02T09:00:00.000Z',
  '2026-11-02T09:00:00Z',
  '2026-11-02T09:00:00.1Z',
  '2026-11-02T09:00:00.123456789Z',
  '2026-11-02T09:00:00.Z',
  '2026-11-02T09:00:00.12aZ',
  '2024-02-29T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-00-10T00:00:00Z',
  '2026-13-10T00:00:00Z',
  '2026-12-00T00:00:00Z',
  '2026-12-31T23:59:59.999Z',
  '2026-12-31T23:59:60Z',
  '2026-12-31T22:59:60Z',
  '2026-12-31T24:00:00Z',
  '2026-12-31T23:60:00Z',
  '2026-11-02t09:00:00z',
  '2026-11-02 09:00:00Z',
  '2026-11-02T09:00:00+01:00',
  '2026-11-02T09:00:00',
  '2026-11-02T9:00:00Z',
  '2026-11-02T09:00:00.000ZZ',
  '2026-11-02TT9:00:00Z',
  '+2026-11-02T09:00:0Z',
  '2026-11-02T09:00:00.000 Z',
  '２026-11-02T09:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '',
  'yesterday',
];

/** Texts of the collector's shape with each character position varied over digits and separators. */
function variants(): string[] {
  const base = '2024-02-28T23:59:59.500Z';
  const out: string[] = [];
  for (let at = 0; at < base.length; at++) for (const c of '0123456789-:T.Z x') out.push(base.slice(0, at) + c + base.slice(at + 1));
  for (let month = 0; month <= 13; month++) for (let day = 0; day <= 32; day++) out.push(`2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T12:00:00Z`);
  return out;
}

describe('date-time format', () => {
  const check = canonicalDateTimeFirst(full);

  it('agrees with ajv-formats on every text', () => {
    const disagreements = [...EDGES, ...variants()].filter((text) => check(text) !== full(text));
    expect(disagreements).toEqual([]);
  });

  it("decides the collector's timestamps without the full check, and leaves every other text to it", () => {
    const asked: string[] = [];
    const spied = canonicalDateTimeFirst((text) => {
      asked.push(text);
      return full(text);
    });
    for (const text of ['2026-11-02T09:00:00.000Z', '2024-02-29T23:59:59Z', '2026-12-31T00:00:00.5Z']) expect(spied(text)).toBe(true);
    expect(asked).toEqual([]);
    expect(spied('2026-12-31T23:59:60Z')).toBe(true);
    expect(spied('2026-02-30T00:00:00Z')).toBe(false);
    expect(asked).toEqual(['2026-12-31T23:59:60Z', '2026-02-30T00:00:00Z']);
  });
});

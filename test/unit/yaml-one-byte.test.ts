/**
 * A YAML file's strings are one-byte where their characters allow it (shared/yaml-source.ts): the
 * yaml library cuts keys and values out of the file's text, which is two-byte as soon as the file
 * holds one character beyond Latin-1 (a dash in a rule's description), and so was every key and
 * expression of the rule, and every key a CEL map literal in it makes (the evidence keys
 * "deniedBy", "classifiedBecause"): each report then encoded them at V8's two-byte rate. Read from
 * V8's serializer, which tags a one-byte string '"' and a two-byte one 'c'.
 */
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../src/shared/yaml-source.ts';

const isOneByte = (text: string) => serialize(text)[2] === 0x22;

describe('parseYamlText', () => {
  it('gives one-byte keys and values in a file that holds a character beyond Latin-1, and keeps that one as it is', () => {
    const text = ['description: Trails record the account — every region', 'validations:', '  - expression: |', '      {"deniedBy": account.scp, "classifiedBecause": ["a tag"]}', 'params: { café: 1, maxDays: 365 }', ''].join('\n');
    const value = parseYamlText('rule.yaml', text).value as { description: string; validations: { expression: string }[]; params: Record<string, number> };
    const expression = value.validations[0]!.expression;
    expect(expression).toBe('{"deniedBy": account.scp, "classifiedBecause": ["a tag"]}\n');
    expect(isOneByte(expression)).toBe(true);
    expect(Object.keys(value).every(isOneByte)).toBe(true);
    expect(Object.keys(value.params).every(isOneByte)).toBe(true);
    expect(value.params).toEqual({ café: 1, maxDays: 365 });
    expect(isOneByte(value.description)).toBe(false); // the dash: two-byte, as it must be
    expect(value.description).toBe('Trails record the account — every region');
  });
});

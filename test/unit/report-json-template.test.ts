import { describe, expect, it } from 'vitest';
import { indentedJson } from '../../src/report/canonical.ts';
import { escapedString, JsonTemplates, plainValue, ShapeKeys, type TemplateValue, valueText } from '../../src/report/json-template.ts';

/** An item of a report: constant texts of its shape around the values it is given. */
const item = (kind: string) => (v: readonly (string | undefined)[]) => ({
  kind,
  title: `Rule "${kind}"\nwith a line break`,
  id: v[0],
  label: v[1] === undefined ? undefined : `ou:${v[1]}`,
  nested: { list: [v[2], 'fixed'], count: 3 },
  evidence: v[3],
  extra: v[4],
});

/** The item as JSON.stringify writes it from its real values. */
function expected(kind: string, values: readonly (TemplateValue | undefined)[], indent?: string): string {
  const plain = values.map(plainValue);
  const value = item(kind)(plain);
  return indent === undefined ? JSON.stringify(value) : indentedJson(value, indent);
}

/** The evidence member's JSON text as it reads where it is placed: a member of an item nested `indent` deep. */
const evidenceText = (value: unknown, indent: string | undefined) => ({ json: indent === undefined ? JSON.stringify(value) : indentedJson(value, `${indent}  `) });

const samples = (indent: string | undefined): (TemplateValue | undefined)[][] => [
  ['acct-1', 'Root/Prod', 'x', evidenceText({ a: [1, 2], b: 'q"uote' }, indent), 'e'],
  ['acct-2 "quoted" \\ back\u0001slash', 'Root/\u2028Sandbox\ud800', 'tab\there', evidenceText(null, indent), undefined],
  ['acct-3', undefined, '', evidenceText(42, indent), '</script>'],
  ['', 'é', 'emoji 😀', evidenceText([{ deep: { er: [] } }], indent), ''],
  // Strings escaped beforehand, inside a longer string (label) and as a whole one (extra).
  ['acct-5', { escaped: escapedString('{"a":"b\\c"}\n') }, 'x', evidenceText(1, indent), { escaped: escapedString('say "hi"\ud83d') }],
];

describe('JsonTemplates', () => {
  it('writes JSON.stringify bytes for every value, compact and pretty at any depth', () => {
    for (const indent of [undefined, '', '  ', '      ']) {
      const templates = new JsonTemplates();
      for (const round of [1, 2]) {
        for (const [n, values] of samples(indent).entries()) {
          const kind = `k${n % 2}`;
          expect(templates.render(kind, values, item(kind), indent), `indent ${JSON.stringify(indent)} round ${round} sample ${n}`).toBe(expected(kind, values, indent));
        }
      }
    }
  });

  it('writes the same bytes from one template whether a whole slot holds a string (its quotes the texts\' own) or a JSON text (without them)', () => {
    for (const indent of [undefined, '  ']) {
      const templates = new JsonTemplates();
      const strings: (TemplateValue | undefined)[][] = [
        ['acct-1', 'Root/Prod', 'x', 'evidence as a "string"\n', { escaped: escapedString('say "hi"') }],
        ['acct-2 \\ \u0001', 'Root', 'y', { escaped: escapedString('{"a":1}') }, 'plain'],
      ];
      const withJson: (TemplateValue | undefined)[] = ['acct-3', 'Root', 'z', evidenceText({ a: 'q"uote' }, indent), 'e'];
      for (const values of [strings[0]!, withJson, strings[1]!, withJson]) {
        expect(templates.render('k', values, item('k'), indent)).toBe(expected('k', values, indent));
        expect([templates.pieces('k', values, item('k'), indent)].flat().join('')).toBe(expected('k', values, indent));
      }
    }
  });

  it('builds each shape once, then fills its template', () => {
    const templates = new JsonTemplates();
    let built = 0;
    const build = (v: readonly (string | undefined)[]) => {
      built++;
      return item('k')(v);
    };
    for (let i = 0; i < 50; i++) expect(templates.render('k', [`id-${i}`, 'ou', 'x', { json: String(i) }, 'e'], build)).toBe(expected('k', [`id-${i}`, 'ou', 'x', { json: String(i) }, 'e']));
    expect(built).toBe(1);
    // Another value left out is another shape.
    templates.render('k', ['id', undefined, 'x', { json: '1' }, 'e'], build);
    expect(built).toBe(2);
    // Fewer values with the same ones defined is another shape too: its builder may see the count.
    const counting = (v: readonly (string | undefined)[]) => ({ id: v[0], ou: v[1], count: v.length });
    expect(templates.render('n', ['a', 'b'], counting)).toBe(JSON.stringify({ id: 'a', ou: 'b', count: 2 }));
    expect(templates.render('n', ['a', 'b', undefined], counting)).toBe(JSON.stringify({ id: 'a', ou: 'b', count: 3 }));
  });

  it('finds the right template when items switch between shapes, masks and indents (the last one is remembered)', () => {
    const templates = new JsonTemplates();
    const shapes = new ShapeKeys();
    const built: string[] = [];
    const build = (kind: string) => (v: readonly (string | undefined)[]) => {
      built.push(kind);
      return item(kind)(v);
    };
    const cases: [string[], (TemplateValue | undefined)[], string | undefined][] = [
      [['rule-a', 'FAIL'], ['id-1', 'ou', 'x', { json: '1' }, 'e'], '  '],
      [['rule-a', 'FAIL'], ['id-2', 'ou', 'x', { json: '2' }, 'e'], '  '],
      [['rule-a', 'FAIL'], ['id-3', undefined, 'x', { json: '3' }, 'e'], '  '],
      [['rule-a', 'FAIL'], ['id-4', 'ou', 'x', { json: '4' }, 'e'], undefined],
      [['rule-a', 'PASS'], ['id-5', 'ou', 'x', { json: '5' }, 'e'], '  '],
      [['rule-a', 'FAIL'], ['id-6', 'ou', 'x', { json: '6' }, 'e'], '  '],
    ];
    for (const [parts, values, indent] of cases) {
      const kind = parts.join('-');
      expect(templates.render(shapes.of(parts), values, build(kind), indent)).toBe(expected(kind, values, indent));
    }
    // rule-a FAIL: pretty, pretty with one value left out, compact; rule-a PASS: pretty. The last case is the first's template.
    expect(built).toEqual(['rule-a-FAIL', 'rule-a-FAIL', 'rule-a-FAIL', 'rule-a-PASS']);
  });

  it('renders a shape whole from its real values when its builder drops or changes a marker', () => {
    const templates = new JsonTemplates();
    // Trims and cuts its value: a template could not tell where the value went.
    const changing = (v: readonly (string | undefined)[]) => ({ cut: v[0]!.slice(0, 3), whole: v[1] });
    for (const values of [['abcdef', 'x'], ['uvwxyz', 'y']]) expect(templates.render('c', values, changing)).toBe(JSON.stringify(changing(values)));
    // A JSON text value must be placed as a whole member: inside a string it is rendered whole.
    const embedding = (v: readonly (string | undefined)[]) => ({ text: `value: ${v[0]}` });
    expect(templates.render('e', [{ json: '{"a":1}' }], embedding)).toBe(JSON.stringify({ text: 'value: [object Object]' }));
  });
});

describe('valueText', () => {
  const strings = ['', 'plain', 'arn:aws:s3:::bucket/key', 'q"uote', 'back\\slash', 'tab\t', 'nul\u0000', 'unit\u001f', 'del\u007f', 'line\u2028sep', 'é→—', 'pair 😀', 'lone \ud800', 'lone \udfff end', 'reversed \udc00\ud800', '</script>'];

  it('is JSON.stringify\'s text of a string, with or without its quotes, escaped or not', () => {
    for (const text of strings) {
      expect(valueText(text, true), JSON.stringify(text)).toBe(JSON.stringify(text));
      expect(valueText(text, false), JSON.stringify(text)).toBe(JSON.stringify(text).slice(1, -1));
      expect(valueText({ escaped: escapedString(text) }, true), JSON.stringify(text)).toBe(JSON.stringify(text));
      expect(plainValue({ escaped: escapedString(text) })).toBe(text);
    }
  });

  it('places a JSON text as it is', () => {
    expect(valueText({ json: '{"a": 1}' }, true)).toBe('{"a": 1}');
  });
});

describe('JsonTemplates.pieces', () => {
  /** An item whose constant texts hold characters beyond Latin-1, as rule titles and remediation do. */
  const wideItem = (v: readonly (string | undefined)[]) => ({
    id: v[0],
    title: 'Logs — validated',
    account: v[1],
    remediation: { text: 'Turn it on → then check', url: v[2] },
    plain: 'café',
  });
  const beyondLatin1 = /[^\u0000-\u00ff]/;

  it('joined, is render\'s text; the runs of constant characters beyond Latin-1 are pieces of their own, the others hold none', () => {
    for (const indent of [undefined, '', '    ']) {
      const templates = new JsonTemplates();
      for (const values of [['id-1', '111111111111', 'https://x'], ['id-"2"', '222222222222', undefined]]) {
        const pieces = templates.pieces('w', values, wideItem, indent);
        expect(Array.isArray(pieces)).toBe(true);
        expect((pieces as string[]).join('')).toBe(templates.render('w', values, wideItem, indent));
        expect((pieces as string[]).join('')).toBe(indent === undefined ? JSON.stringify(wideItem(values)) : indentedJson(wideItem(values), indent));
        const wide = (pieces as string[]).filter((p) => beyondLatin1.test(p));
        expect(wide.some((p) => p.includes('—'))).toBe(true);
        expect(wide.some((p) => p.includes('→'))).toBe(true);
        // A piece apart holds only the wide characters: the Latin-1 text around them is joined to the values.
        for (const p of wide) expect(p).toMatch(/^[^\u0000-\u00ff]+$/);
        // The pieces that hold values are one-byte strings: no value is beside a wide text.
        for (const p of pieces as string[]) if (p.includes('111111111111') || p.includes('222222222222')) expect(beyondLatin1.test(p)).toBe(false);
      }
    }
  });

  it('is one string, render\'s, when no constant text is beyond Latin-1', () => {
    const templates = new JsonTemplates();
    const values = ['acct-1', 'é', 'x', { json: '[1]' }, 'e'];
    expect(templates.pieces('k', values, item('k'))).toBe(templates.render('k', values, item('k')));
  });

  it('gives a long JSON text or escaped value as a piece of its own, the very string, and joined is render\'s text', () => {
    const longEscaped = escapedString(`evidence "${'y'.repeat(600)}"`);
    for (const indent of [undefined, '', '    ']) {
      // A JSON text value is indented for where it stands (TemplateValue): a member of the item.
      const evidence = { trail: 'x'.repeat(600), list: [1, 2] };
      const longJson = indent === undefined ? JSON.stringify(evidence) : indentedJson(evidence, `${indent}  `);
      const templates = new JsonTemplates();
      for (const values of [
        ['acct-1', 'ou', 'x', { json: longJson }, { escaped: longEscaped }],
        ['acct-2', undefined, 'x', { json: '7' }, { escaped: longEscaped }],
        ['acct-3', 'ou', 'x', { json: longJson }, 'short'],
      ] as (TemplateValue | undefined)[][]) {
        const pieces = templates.pieces('long', values, item('long'), indent);
        expect(Array.isArray(pieces)).toBe(true);
        expect((pieces as string[]).join('')).toBe(templates.render('long', values, item('long'), indent));
        expect((pieces as string[]).join('')).toBe(expected('long', values, indent));
        const longOnes = values.flatMap((v) => (typeof v === 'object' ? ['json' in v ? v.json : v.escaped] : [])).filter((t) => t.length >= 512);
        for (const text of longOnes) expect((pieces as string[]).filter((p) => p === text).length).toBe(1);
        expect((pieces as string[]).length).toBe(1 + 2 * longOnes.length);
      }
    }
  });

  it('refuses a template of more values than its mask holds', () => {
    const values = Array.from({ length: 32 }, (_, i) => `v${i}`);
    expect(() => new JsonTemplates().render('many', values, (v) => v)).toThrow(/at most 31 values/);
  });
});


describe('ShapeKeys', () => {
  it('gives the same key string while the parts stay the same, so its hash is computed once', () => {
    const shapes = new ShapeKeys();
    const first = shapes.of(['rule-a', 'FAIL', 'high']);
    expect(first).toBe('rule-a\u0000FAIL\u0000high');
    // Equal parts in other strings (a status cut out of each spool line) still give the very same key.
    const same = shapes.of(['rule-a', 'FA' + 'IL'.slice(0), 'high']);
    expect(Object.is(same, first)).toBe(true);
    expect(shapes.of(['rule-a', 'PASS', 'high'])).toBe('rule-a\u0000PASS\u0000high');
    expect(shapes.of(['rule-a', 'PASS'])).toBe('rule-a\u0000PASS');
    expect(shapes.of(['rule-a', 'PASS', 'high', ''])).toBe('rule-a\u0000PASS\u0000high\u0000');
  });
});

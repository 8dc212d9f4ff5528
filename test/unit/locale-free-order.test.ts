/**
 * No source file orders text by the host's locale (src/contracts/order.ts): `localeCompare` and
 * `Intl.Collator` sort by the machine's LANG (with et_EE, "z" comes before "t"), so two machines
 * would write different evidence and rule orders from the same snapshot.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : /\.(ts|mts)$/.test(entry.name) ? [path] : [];
  });
}

/** The code of a file without its comments, so that a comment may name what it forbids. */
function codeOf(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('text order', () => {
  it('never depends on the host locale', () => {
    const offenders = sourceFiles(SRC).flatMap((file) => {
      const code = codeOf(readFileSync(file, 'utf8'));
      return /\.localeCompare\(|Intl\.Collator/.test(code) ? [relative(SRC, file)] : [];
    });
    expect(offenders).toEqual([]);
  });

  it('is by UTF-16 code unit, which a locale would order otherwise', async () => {
    const { compareStrings } = await import('../../src/contracts/order.ts');
    expect(['z', 's', 't', 'B', 'a'].sort(compareStrings)).toEqual(['B', 'a', 's', 't', 'z']);
    expect(['z', 's', 't'].sort((a, b) => a.localeCompare(b, 'et-EE'))).toEqual(['s', 'z', 't']);
  });
});

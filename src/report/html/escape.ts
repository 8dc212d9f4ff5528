const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const entity = (c: string) => ENTITY[c]!;
const MARKUP = /[&<>"']/;
const MARKUP_ALL = /[&<>"']/g;
const TEXT_MARKUP = /[&<>]/;
const TEXT_MARKUP_ALL = /[&<>]/g;

/** Text safe in HTML element content and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  // Most values (ids, names, statuses) hold nothing to escape: one scan, no copy.
  return MARKUP.test(text) ? text.replace(MARKUP_ALL, entity) : text;
}

/** Text safe in element content (never in attribute values): quotes stay as they are, so JSON stays short. */
export function escapeText(text: string): string {
  return TEXT_MARKUP.test(text) ? text.replace(TEXT_MARKUP_ALL, entity) : text;
}

/** Tagged template: interpolated strings are escaped; values wrapped by `raw` are trusted markup. */
export class Raw {
  constructor(readonly html: string) {}
}

export function raw(html: string): Raw {
  return new Raw(html);
}

type Part = string | number | Raw | readonly (string | number | Raw)[] | undefined | null | false;

function part(value: Part): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof Raw) return value.html;
  if (Array.isArray(value)) return value.map((v) => part(v)).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += part(v) + (strings[i + 1] ?? '');
  });
  return new Raw(out);
}

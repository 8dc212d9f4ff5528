/** Text safe in HTML element content and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Text safe in element content (never in attribute values): quotes stay as they are, so JSON stays short. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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

/**
 * The one wildcard syntax trailproof accepts from users and policies: `*` is any run of characters
 * (also none, and also ":" or "/"), `?` exactly one; everything else is literal.
 */
export function globToRegExp(glob: string, options: { caseInsensitive?: boolean } = {}): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, options.caseInsensitive ? 'is' : 's');
}

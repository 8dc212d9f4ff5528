import { UserError } from '../shared/errors.ts';
import type { Formatter } from './types.ts';

/** Formatters by --format name. Each format registers itself here; order is the order of `--help`. */
const formatters: Formatter[] = [];

export function listFormatters(): readonly Formatter[] {
  return formatters;
}

export function formatterFor(name: string): Formatter {
  const f = formatters.find((x) => x.name === name);
  if (!f) throw new UserError(`unknown format "${name}"; expected one of: ${formatters.map((x) => x.name).join(', ')}`);
  return f;
}

import { UserError } from '../shared/errors.ts';
import type { Formatter } from './types.ts';
import { coreFormatters } from './core-formats.ts';
import { auditFormatters } from './audit-formats.ts';

/** Formatters by --format name, in the order `--help` lists them. */
const formatters: readonly Formatter[] = [...coreFormatters, ...auditFormatters];

export function listFormatters(): readonly Formatter[] {
  return formatters;
}

export function formatterFor(name: string): Formatter {
  const f = formatters.find((x) => x.name === name);
  if (!f) throw new UserError(`unknown format "${name}"; expected one of: ${formatters.map((x) => x.name).join(', ')}`);
  return f;
}

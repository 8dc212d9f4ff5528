import type { Formatter } from './types.ts';
import { jsonFormatter } from './json.ts';
import { sarifFormatter } from './sarif.ts';

/** JSON (canonical) and SARIF. */
export const coreFormatters: Formatter[] = [jsonFormatter, sarifFormatter];

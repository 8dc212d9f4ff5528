import type { Formatter } from './types.ts';

/** JSON (canonical) and SARIF. */
export const coreFormatters: Formatter[] = [];

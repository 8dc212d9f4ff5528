import type { Formatter } from './types.ts';

/** Formats for people and auditors: html, md, junit, oscal, ocsf, asff. */
export const auditFormatters: Formatter[] = [];

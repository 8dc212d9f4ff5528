import type { Formatter } from './types.ts';
import { asffFormatter } from './asff.ts';
import { htmlFormatter } from './html.ts';
import { junitFormatter } from './junit.ts';
import { markdownFormatter } from './markdown.ts';
import { ocsfFormatter } from './ocsf.ts';
import { oscalFormatter } from './oscal.ts';

/** Formats for people and auditors: html, md, junit, oscal, ocsf, asff. */
export const auditFormatters: Formatter[] = [htmlFormatter, markdownFormatter, junitFormatter, oscalFormatter, ocsfFormatter, asffFormatter];

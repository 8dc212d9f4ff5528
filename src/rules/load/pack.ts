/** A rule's report metadata, with the hash of its file, and the rule pack's identity. */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { RuleMeta } from '../../contracts/verdict.ts';
import type { RuleDocument } from '../types.ts';

const require = createRequire(import.meta.url);

export function ruleMeta(document: RuleDocument, params: Record<string, unknown>, source: string, bytes: Buffer): RuleMeta {
  return {
    id: document.id,
    title: document.title,
    description: document.description ?? '',
    ...(document.rationale !== undefined ? { rationale: document.rationale } : {}),
    severity: document.severity,
    resource: document.resource,
    remediation: document.remediation,
    frameworks: document.frameworks ?? {},
    tags: document.tags ?? [],
    ...(document.helpUri !== undefined ? { helpUri: document.helpUri } : {}),
    params,
    source,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** The rule pack's identity for reports: the tool version and a hash over every rule's hash. */
export function rulePackVersion(rules: { meta: RuleMeta }[]): { version: string; sha256: string } {
  const pkg = require('../../../package.json') as { version: string };
  const hash = createHash('sha256');
  for (const h of rules.map((r) => r.meta.sha256).sort()) hash.update(`${h}\n`);
  return { version: pkg.version, sha256: hash.digest('hex') };
}

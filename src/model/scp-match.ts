/**
 * IAM wildcard matching as SCPs use it: `*` any run of characters (also none), `?` exactly one.
 * Actions compare case-insensitively (IAM treats `CloudTrail:stoplogging` as `cloudtrail:StopLogging`);
 * resource ARNs compare case-sensitively, as IAM does.
 */

import { globToRegExp } from '../shared/glob.ts';

// Two caches rather than one keyed by flag + pattern: no key string is built on every match.
const caseInsensitiveRegexes = new Map<string, RegExp>();
const caseSensitiveRegexes = new Map<string, RegExp>();

function wildcardRegex(pattern: string, caseInsensitive: boolean): RegExp {
  const compiled = caseInsensitive ? caseInsensitiveRegexes : caseSensitiveRegexes;
  let re = compiled.get(pattern);
  if (!re) {
    re = globToRegExp(pattern, { caseInsensitive });
    compiled.set(pattern, re);
  }
  return re;
}

export function actionMatches(pattern: string, action: string): boolean {
  return wildcardRegex(pattern, true).test(action);
}

export function resourceMatches(pattern: string, arn: string): boolean {
  return wildcardRegex(pattern, false).test(arn);
}

/**
 * Whether a Resource pattern covers every resource an action can name, for questions asked
 * without a specific ARN ("is StopLogging denied in this account?"): `*`, or an ARN pattern for the
 * action's service (or `*`) whose region, account and resource id are all wildcards
 * (`arn:aws:cloudtrail:*:*:trail/*`).
 */
export function resourcePatternCoversAll(pattern: string, service: string): boolean {
  if (pattern === '*') return true;
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return false;
  const [, , arnService, region, account, ...rest] = parts;
  const resource = rest.join(':');
  return (
    (arnService === '*' || arnService?.toLowerCase() === service.toLowerCase()) &&
    region === '*' &&
    account === '*' &&
    (resource === '*' || /^[A-Za-z-]+\/\*$/.test(resource))
  );
}

import type { ApiError } from '../snapshot/types.ts';

/** "cloudtrail:GetTrailStatus (123456789012/eu-west-1) failed: AccessDeniedException: ..." */
export function describeApiError(e: ApiError): string {
  const where = [e.accountId, e.region].filter(Boolean).join('/');
  return `${e.operation}${where ? ` (${where})` : ''} failed: ${e.code}: ${e.message}`;
}

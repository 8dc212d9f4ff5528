/**
 * The error record: a failed AWS call, as the collector recorded it in the snapshot and as every
 * report lists it. Never a credential, never a request signature.
 */
export interface ApiError {
  operation: string; // e.g. "cloudtrail:GetTrailStatus"
  code: string; // e.g. "AccessDeniedException", "ThrottlingException", "TimeoutError"
  message: string;
  accountId?: string;
  region?: string;
}


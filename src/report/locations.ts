/**
 * File-style pseudo-paths for AWS resources. Code scanning places every alert on a file; these
 * relative paths give each resource a stable "file" that groups naturally in its UI
 * (aws/<account>/<region>/<service>/<name>). ARNs are not usable as URIs there.
 */
import type { ResourceRef } from '../contracts/verdict.ts';
import type { ApiError } from '../contracts/api-error.ts';

const GLOBAL = 'global';
const UNRESERVED = /^[A-Za-z0-9._-]*$/;

/**
 * Percent-encodes one path segment: every byte outside [A-Za-z0-9._-], including "/", so a name
 * can never add a directory level. "." and ".." are encoded too, so no segment walks the path.
 */
export function encodeSegment(segment: string): string {
  if (segment === '') return '_';
  if (/^\.+$/.test(segment)) return segment.replace(/\./g, '%2E');
  // Account ids, regions and most names need no encoding: one test instead of one per byte (SARIF encodes five segments for each of 150,000 results at 10,000 accounts).
  if (UNRESERVED.test(segment)) return segment;
  let out = '';
  for (const byte of Buffer.from(segment, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9._-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function joinSegments(segments: string[]): string {
  return segments.map(encodeSegment).join('/');
}

/** The resource's own name: its `name`, else the last part of its ARN or id. */
function resourceName(resource: ResourceRef): string {
  if (resource.name) return resource.name;
  const tail = (resource.arn ?? resource.id).split(/[:/]/).pop();
  return tail || resource.id;
}

export function resourceUri(resource: ResourceRef): string {
  const region = resource.region || GLOBAL;
  switch (resource.type) {
    case 'organization':
      return joinSegments(['aws', 'organization', resource.id]);
    case 'account':
      return joinSegments(['aws', resource.accountId, GLOBAL, 'account']);
    case 'trail':
      return joinSegments(['aws', resource.accountId, region, 'cloudtrail', resourceName(resource)]);
    case 'bucket':
      return joinSegments(['aws', resource.accountId, region, 's3', resourceName(resource)]);
    default:
      // A resource type added later still gets a unique, well-formed path.
      return joinSegments(['aws', resource.accountId, region, String((resource as ResourceRef).type), resourceName(resource)]);
  }
}

/** Where a collection error happened, as far as it is known: the account/region folder, or the organization. */
export function errorUri(error: ApiError, organizationId: string | undefined): string | undefined {
  if (error.accountId) return joinSegments(['aws', error.accountId, error.region || GLOBAL]);
  if (organizationId) return joinSegments(['aws', 'organization', organizationId]);
  return undefined;
}

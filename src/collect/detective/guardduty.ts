import {
  GetDetectorCommand,
  ListDetectorsCommand,
  type GetDetectorCommandOutput,
  type ListDetectorsCommandOutput,
} from '@aws-sdk/client-guardduty';
import type { Fetched, GuardDutyDetector } from '../../snapshot/types.ts';
import { paginate } from '../fetch.ts';
import type { AccountSession } from '../session.ts';

/**
 * GuardDuty ListDetectors, then GetDetector for each (an account has at most one per region).
 * A detector whose GetDetector failed stays in the list with the error: the model must not judge
 * the region from the others alone.
 */
export async function readGuardDutyDetectors(session: AccountSession, region: string): Promise<Fetched<GuardDutyDetector[]>> {
  const listed = await paginate<ListDetectorsCommandOutput, string>(
    session, 'guardduty', region,
    (NextToken) => new ListDetectorsCommand({ NextToken }),
    (o) => o.DetectorIds, (o) => o.NextToken,
  );
  if (!listed.ok) return { error: listed.error };
  const ids = [...new Set(listed.output.filter((id) => typeof id === 'string' && id !== ''))].sort();
  const detectors = await Promise.all(
    ids.map(async (DetectorId): Promise<GuardDutyDetector> => {
      const outcome = await session.call<GetDetectorCommandOutput>('guardduty', region, new GetDetectorCommand({ DetectorId }));
      if (!outcome.ok) return { DetectorId, error: outcome.error };
      // Status is required in the API reference; an answer without it is kept as "not read".
      return typeof outcome.output.Status === 'string' ? { DetectorId, Status: outcome.output.Status } : { DetectorId };
    }),
  );
  return { value: detectors };
}

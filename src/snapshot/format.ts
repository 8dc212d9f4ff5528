/** The snapshot's format tag and version: line 1 of every snapshot names them. */
export const SNAPSHOT_FORMAT = 'trailproof-snapshot';
/** The version written: 2 (references to an earlier region's equal answer, schema/same-as.ts). */
export const SNAPSHOT_VERSION = 2;
/** The versions read: a version-1 line is a version-2 line without references. */
export const SUPPORTED_SNAPSHOT_VERSIONS: readonly number[] = [1, 2];

/** The snapshot's format tag and version: line 1 of every snapshot names them. */
export const SNAPSHOT_FORMAT = 'trailproof-snapshot';
export const SNAPSHOT_VERSION = 1;

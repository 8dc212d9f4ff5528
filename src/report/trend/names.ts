/** File names `report trend --out` writes: <stem>.md, .json, .svg, .html. */
export const TREND_FILE_STEM = 'trailproof-trend';

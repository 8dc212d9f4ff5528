/** A problem found in one line: where (JSON Pointer into the line) and what was expected. */
export interface LineProblem {
  pointer: string;
  message: string;
}

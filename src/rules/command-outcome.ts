/** What a `trailproof rules …` command prints, and the exit code it asks for. */
export interface CommandOutcome {
  output: string;
  exitCode: number;
}

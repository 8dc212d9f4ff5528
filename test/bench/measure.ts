/** What a child process reports about itself: wall and CPU time of the measured work, peak RSS. */
export interface Measured {
  wall_s: number;
  cpu_s: number;
  rss_mb: number;
}

export function startMeasure(): () => Measured {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return {
      wall_s: Number(process.hrtime.bigint() - wall) / 1e9,
      cpu_s: (used.user + used.system) / 1e6,
      // maxRSS is in kilobytes, and covers the whole life of the process: the peak, not the end.
      rss_mb: process.resourceUsage().maxRSS / 1024,
    };
  };
}

/** Children print one line "RESULT <json>" on stdout; everything else is commentary. */
export function report(result: object): void {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

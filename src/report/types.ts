import type { ScanResult } from '../contracts/result.ts';
import type { EvidenceTexts } from './evidence-texts.ts';

export interface RenderOptions {
  /** SARIF: keep suppressed results (marked) instead of leaving them out. */
  sarifIncludeSuppressed?: boolean;
  /** A previous JSON report: marks SARIF baselineState and lets the gate count only new failures. */
  baseline?: ScanResult;
  /** ASFF: region of the Security Hub that imports the findings (ProductArn); default us-east-1 when scanned, else the first region. */
  asffRegion?: string;
  /** Texts of evidence shared by the formats of one run (the writer passes one); each format makes its own when absent. */
  evidenceTexts?: EvidenceTexts;
}

/**
 * A report format: a pure function of the scan result. Formatters never read the clock, the
 * environment or the file system, so the same result renders to the same bytes.
 */
export interface Formatter {
  /** The name used with --format. */
  name: string;
  /** File written under --out, e.g. "trailproof.sarif". */
  fileName: string;
  description: string;
  /**
   * Optional: what writing this format costs, relative to the others, so that the report writer
   * can balance the formats between threads (write-threads.ts); 1 when absent. The built-in
   * formats give their CPU seconds for the 10,000-account synthetic organization (150,195
   * verdicts; issue 16, re-measured in the fourteenth round): the organization evaluated once,
   * then `writeReports` of each format alone on one thread, timed with process.cpuUsage(), the
   * minimum of three rounds on the shared 2-core machine (test/bench/report-costs.mjs;
   * docs/operations/scale-measurements.md, "The report formats on several threads").
   */
  cost?: number;
  /**
   * Optional: how many verdicts this format may read past its position before it yields a chunk
   * (a page gathered before it is written, as HTML's). Formats written in step over a spooled list
   * then keep that many more, so that it stays on their one read of the list (write-formats.ts).
   */
  gathersVerdicts?: number;
  render(result: ScanResult, options: RenderOptions): string;
  /**
   * Optional: the same bytes as render(), in pieces, so a large report is written without ever
   * being one string in memory. Joined, the chunks must equal render()'s output exactly.
   */
  renderChunks?(result: ScanResult, options: RenderOptions): Iterable<string>;
  /**
   * Optional: a report of several files (e.g. an HTML summary page plus per-account pages). When
   * present the writer uses it instead of render(): each file's path is relative to the output
   * folder (no "..", no absolute paths), and fileName is the entry page among them.
   */
  renderFiles?(result: ScanResult, options: RenderOptions): Iterable<ReportFile>;
}

/** One file of a multi-file report. */
export interface ReportFile {
  /** Relative to the output folder, "/"-separated. */
  path: string;
  chunks: Iterable<string>;
}

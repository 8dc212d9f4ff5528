/**
 * The golden scenario format (after Spectral's test-harness): one text file per scenario, made of
 * sections that each start with a `====name====` line.
 *
 *   ====test====            what the scenario shows (one or more lines)
 *   ====file NAME====       an input file written in the scenario's empty working folder before
 *                           the run (any number; NAME may hold folders; a NAME ending in .gz is
 *                           written gzip-compressed)
 *   ====command====         `trailproof ARGS...`, quoted as in a POSIX shell; `{repo}` is the
 *                           repository root; an optional trailing `> FILE` sends standard output
 *                           to FILE (e.g. /dev/full)
 *   ====status====          the exit code the scenario expects
 *   ====stdout====          expected standard output, normalised (see normalise.ts)
 *   ====stderr====          expected standard error, normalised
 *
 * The last line break of a section belongs to the file's layout, not to its text.
 */
export interface Scenario {
  test: string;
  files: { name: string; text: string }[];
  command: string;
  /** Undefined when not written yet (update mode fills it). */
  status?: number;
  stdout?: string;
  stderr?: string;
}

const MARKER = /^====([a-z]+)(?: (.+))?====$/;

export function parseScenario(text: string, file: string): Scenario {
  const sections: { name: string; arg?: string; lines: string[] }[] = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const m = MARKER.exec(line);
    if (m) sections.push({ name: m[1]!, ...(m[2] ? { arg: m[2] } : {}), lines: [] });
    else if (sections.length > 0) sections.at(-1)!.lines.push(line);
    else if (line.trim() !== '') throw new Error(`${file}: text before the first ====section====`);
  }
  const body = (lines: string[]) => {
    const copy = [...lines];
    while (copy.length > 0 && copy.at(-1) === '') copy.pop();
    return copy.join('\n');
  };
  const scenario: Partial<Scenario> & { files: Scenario['files'] } = { files: [] };
  for (const s of sections) {
    const text = body(s.lines);
    switch (s.name) {
      case 'test':
      case 'command':
      case 'stdout':
      case 'stderr':
        if (scenario[s.name] !== undefined) throw new Error(`${file}: ====${s.name}==== appears twice`);
        scenario[s.name] = text;
        break;
      case 'status':
        if (!/^\d+$/.test(text)) throw new Error(`${file}: ====status==== must be a number, got "${text}"`);
        scenario.status = Number(text);
        break;
      case 'file':
        if (!s.arg) throw new Error(`${file}: ====file NAME==== needs a name`);
        scenario.files.push({ name: s.arg, text });
        break;
      default:
        throw new Error(`${file}: unknown section ====${s.name}====`);
    }
  }
  if (!scenario.test) throw new Error(`${file}: missing ====test====`);
  if (!scenario.command) throw new Error(`${file}: missing ====command====`);
  return scenario as Scenario;
}

export function renderScenario(s: Scenario): string {
  const out: string[] = ['====test====', s.test];
  for (const f of s.files) out.push(`====file ${f.name}====`, f.text);
  out.push('====command====', s.command);
  if (s.status !== undefined) out.push('====status====', String(s.status));
  if (s.stdout !== undefined) out.push('====stdout====', ...(s.stdout ? [s.stdout] : []));
  if (s.stderr !== undefined) out.push('====stderr====', ...(s.stderr ? [s.stderr] : []));
  return `${out.join('\n')}\n`;
}

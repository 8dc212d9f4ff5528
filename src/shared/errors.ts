/**
 * An error caused by the user's input (a file, a flag, a config value). The CLI prints its message
 * alone, with no stack trace, and exits with code 2.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode: number = 2) {
    super(message);
    this.name = 'UserError';
  }
}

/** Several user errors found in one pass (a rule file with three problems reports all three). */
export class UserErrors extends UserError {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'UserErrors';
  }
}

/** "file:line:column: message" — the form editors and CI annotate. */
export function located(file: string, line: number | undefined, column: number | undefined, message: string): string {
  if (line === undefined) return `${file}: ${message}`;
  return `${file}:${line}:${column ?? 1}: ${message}`;
}

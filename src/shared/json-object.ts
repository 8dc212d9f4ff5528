/** An object that is not null nor an array, such as a JSON object once parsed: its members can be read. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

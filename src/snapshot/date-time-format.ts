/**
 * The schema's `date-time` format, decided without allocating for the timestamps a snapshot is
 * made of. Every timestamp the collector writes is `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, and a large
 * snapshot holds hundreds per account: ajv-formats' check splits each one and matches two regular
 * expressions, a tenth of the validation's time and garbage.
 */

/**
 * `full` (ajv-formats' date-time, RFC 3339) with a fast path in front: a text of the collector's
 * shape with a real calendar date and a time before 24:00:00 is valid (ajv-formats agrees on every
 * such text); anything else, leap seconds, offsets and invalid texts included, is `full`'s call.
 *
 * Self-contained (it reads nothing from outside its own body but `full`): its source is written
 * into the validators `npm run build` compiles ahead of time (schema.ts).
 */
export function canonicalDateTimeFirst(full: (text: string) => boolean): (text: string) => boolean {
  const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  // The code units of YYYY-MM-DDTHH:MM:SS less '0' (a digit is 0 to 9); reused, not allocated per text.
  const units = new Int32Array(19);
  // No named helpers: a transpiler may wrap those in calls (keepNames) that the build's module lacks.
  return (text) => {
    const length = text.length;
    // YYYY-MM-DDTHH:MM:SS then Z, or a dot, one or more digits and Z.
    if (length < 20 || length === 21 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':' || text[length - 1] !== 'Z') return full(text);
    if (length > 20 && text[19] !== '.') return full(text);
    for (let at = 20; at < length - 1; at++) if (text.charCodeAt(at) < 48 || text.charCodeAt(at) > 57) return full(text);
    for (let at = 0; at < 19; at++) {
      units[at] = text.charCodeAt(at) - 48;
      if ((at === 4 || at === 7 || at === 10 || at === 13 || at === 16) === (units[at]! >= 0 && units[at]! <= 9)) return full(text);
    }
    const year = units[0]! * 1000 + units[1]! * 100 + units[2]! * 10 + units[3]!;
    const month = units[5]! * 10 + units[6]!;
    const day = units[8]! * 10 + units[9]!;
    const hour = units[11]! * 10 + units[12]!;
    const minute = units[14]! * 10 + units[15]!;
    const second = units[17]! * 10 + units[18]!;
    if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return full(text);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    return (day >= 1 && day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month]!)) || full(text);
  };
}

/** A fact that is either known, or unknown with the reason why. */
export type Known<T> = { value: T; reason?: undefined } | { value?: undefined; reason: string };

export const known = <T>(value: T): Known<T> => ({ value });
export const unknownBecause = <T>(reason: string): Known<T> => ({ reason });

/**
 * A numeric setting read from the environment, one way for every variable: unset or blank gives
 * undefined (the caller's default); anything but a number within [min, max] (a whole one unless
 * `whole` is false) throws an Error naming the variable, the range and the value found.
 */
export interface NumberRange {
  min: number;
  max: number;
  /** Whole numbers only (the default). */
  whole?: boolean;
  /** Said after the range, e.g. " (US dollars)". */
  unit?: string;
}

export function numberSetting(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  range: NumberRange,
): number | undefined {
  const read = readNumber(env[name], range);
  if (typeof read === "string") throw new Error(`${name} ${read}`);
  return read;
}

/**
 * The number `value` holds within `range`: undefined when unset or blank, else the problem as a phrase
 * to follow the setting's name ("must be a whole number from 1 to 10, got "x"").
 */
export function readNumber(
  value: string | undefined,
  { min, max, whole = true, unit = "" }: NumberRange,
): number | undefined | string {
  const raw = value?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if ((whole ? Number.isInteger(n) : Number.isFinite(n)) && n >= min && n <= max) return n;
  const range = `from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}`;
  return `must be ${whole ? "a whole number" : "a number"} ${range}${unit}, got "${raw}"`;
}

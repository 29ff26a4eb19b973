// Whole-number options of the tools' command lines (node:util parseArgs gives strings).

/**
 * `values[flag]` as a whole number from `min` to `max`; otherwise says what it wants and exits 2.
 * @param {Record<string, string | undefined>} values parseArgs' values
 * @param {string} flag
 * @param {{ min?: number, max?: number, what?: string }} [bounds]
 */
export function wholeNumber(
  values,
  flag,
  { min = 0, max = Number.MAX_SAFE_INTEGER, what = 'a whole number' } = {},
) {
  const value = Number(values[flag]);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`--${flag}: ${what}, not ${values[flag]}`);
    process.exit(2);
  }
  return value;
}

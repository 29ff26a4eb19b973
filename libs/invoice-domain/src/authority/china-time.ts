/** The authority keeps China Standard Time (UTC+8, no daylight saving): invoice years, maintenance days. */
export const CHINA_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** The instant shifted so that its UTC fields read as the wall clock in China. */
export const inChina = (instant: Date | number): Date =>
  new Date((typeof instant === 'number' ? instant : instant.getTime()) + CHINA_OFFSET_MS);

/** The instant at which the China calendar day containing `instant` began. */
export function chinaDayStart(instant: Date | number): number {
  const shifted = (typeof instant === 'number' ? instant : instant.getTime()) + CHINA_OFFSET_MS;
  return shifted - (((shifted % DAY_MS) + DAY_MS) % DAY_MS) - CHINA_OFFSET_MS;
}

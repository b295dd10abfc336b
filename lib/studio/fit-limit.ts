/** Titles one POST /api/fit may check (lib/studio/fit.ts); the studio asks about its first ones. */
export const MAX_FIT_TITLES = 1000;

// Pieces shared by the catalogue and inventory list screens.

/** Filter selects show their "All …" choice rather than an empty box. */
export const ALL_SHOWN = { inputLabel: { shrink: true }, select: { displayEmpty: true } } as const;

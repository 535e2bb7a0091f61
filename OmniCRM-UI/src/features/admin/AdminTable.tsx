/** The row actions stay in view when a wide table scrolls sideways (tablets). */
export const ACTIONS_CELL_SX = {
  position: "sticky",
  right: 0,
  bgcolor: "background.paper",
  boxShadow: (theme: { palette: { divider: string } }) => `inset 1px 0 0 ${theme.palette.divider}`,
} as const;

import MoreVert from "@mui/icons-material/MoreVert";
import { IconButton, Menu, MenuItem } from "@mui/material";
import { useState } from "react";
import { useI18n } from "../i18n/I18nProvider";

export interface RowAction {
  label: string;
  onClick: () => void;
  hidden?: boolean;
  danger?: boolean;
}

/** The ⋮ menu of a table row; its button is named after the row ("Actions for jdoe"). */
export function RowActions({ name, actions }: { name: string; actions: RowAction[] }) {
  const { t } = useI18n();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const visible = actions.filter((action) => !action.hidden);
  if (visible.length === 0) return null;
  return (
    <>
      <IconButton aria-label={t("admin.actionsFor", { name })} aria-haspopup="menu" onClick={(e) => setAnchor(e.currentTarget)}>
        <MoreVert />
      </IconButton>
      <Menu anchorEl={anchor} open={Boolean(anchor)} onClose={() => setAnchor(null)}>
        {visible.map((action) => (
          <MenuItem
            key={action.label}
            sx={action.danger ? { color: "error.main" } : undefined}
            onClick={() => {
              setAnchor(null);
              action.onClick();
            }}
          >
            {action.label}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}

/** The row actions stay in view when a wide table scrolls sideways (tablets). */
export const ACTIONS_CELL_SX = {
  position: "sticky",
  right: 0,
  bgcolor: "background.paper",
  boxShadow: (theme: { palette: { divider: string } }) => `inset 1px 0 0 ${theme.palette.divider}`,
} as const;

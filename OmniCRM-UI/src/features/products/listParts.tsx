// Pieces shared by the catalogue and inventory list screens.
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, Pagination, Stack } from "@mui/material";
import { useId } from "react";
import { useI18n } from "../../i18n/I18nProvider";

/** Filter selects show their "All …" choice rather than an empty box. */
export const ALL_SHOWN = { inputLabel: { shrink: true }, select: { displayEmpty: true } } as const;

export function ListPagination({ page, pages, onChange }: { page: number; pages: number; onChange: (page: number) => void }) {
  const { t } = useI18n();
  if (pages <= 1) return null;
  return (
    <Stack alignItems="center" sx={{ p: 2 }}>
      <Pagination
        count={pages}
        page={page}
        onChange={(_, next) => onChange(next)}
        getItemAriaLabel={(type, item) =>
          type === "page" ? t("common.page", { page: item ?? 1, pages }) : type === "next" ? t("common.nextPage") : t("common.previous")
        }
      />
    </Stack>
  );
}

/** "Delete X? This cannot be undone." with Cancel and a red Delete that shows progress. */
export function ConfirmDeleteDialog({
  open,
  title,
  text,
  pending,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  text: string;
  pending: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId}>
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{text}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t("common.cancel")}</Button>
        <Button variant="contained" color="error" onClick={onConfirm} loading={pending}>
          {t("common.delete")}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

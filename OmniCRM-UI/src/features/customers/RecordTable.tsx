import Add from "@mui/icons-material/Add";
import Delete from "@mui/icons-material/Delete";
import Edit from "@mui/icons-material/Edit";
import {
  Box,
  Button,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from "@mui/material";
import type { UseQueryResult } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { showApiError } from "../../components/apiErrors";
import { QueryStates } from "../../components/States";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { ConfirmDialog } from "../../components/ConfirmDialog";

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

/**
 * A customer's records of one kind (contacts, sites, attributes) with add, edit and delete. The caller owns the
 * form dialog (`onAdd`, `onEdit`) and the delete request; `describe` names a row in labels and confirmations.
 */
export function RecordTable<T>({
  title,
  query,
  columns,
  rowId,
  describe,
  addLabel,
  emptyText,
  onAdd,
  onEdit,
  onDelete,
  actions,
  highlight,
}: {
  title: string;
  query: UseQueryResult<T[]>;
  columns: Column<T>[];
  rowId: (row: T) => number;
  describe: (row: T) => string;
  addLabel: string;
  emptyText: string;
  onAdd?: () => void;
  onEdit?: (row: T) => void;
  onDelete?: (row: T) => Promise<unknown>;
  actions?: (row: T) => ReactNode;
  highlight?: number | null;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [deleting, setDeleting] = useState<T | null>(null);
  const [busy, setBusy] = useState(false);
  const rows = query.data ?? [];

  async function confirmDelete() {
    if (!deleting || !onDelete) return;
    setBusy(true);
    try {
      await onDelete(deleting);
      setDeleting(null);
    } catch (error) {
      showApiError(error, { toast: toast.error });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box>
      <Box sx={{ display: "flex", alignItems: "center", mb: 1 }}>
        <Typography variant="h6" component="h2" sx={{ flexGrow: 1 }}>
          {title}
        </Typography>
        {onAdd ? (
          <Button startIcon={<Add />} variant="contained" onClick={onAdd}>
            {addLabel}
          </Button>
        ) : null}
      </Box>
      <QueryStates query={query} isEmpty={rows.length === 0} emptyTitle={emptyText} />
      {rows.length > 0 ? (
        <TableContainer>
          <Table size="small" aria-label={title}>
            <TableHead>
              <TableRow>
                {columns.map((column) => (
                  <TableCell key={column.header}>{column.header}</TableCell>
                ))}
                <TableCell align="right">{t("customers.actions")}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={rowId(row)} hover selected={highlight === rowId(row)}>
                  {columns.map((column) => (
                    <TableCell key={column.header}>{column.cell(row)}</TableCell>
                  ))}
                  <TableCell align="right" sx={{ whiteSpace: "nowrap" }}>
                    {actions?.(row)}
                    {onEdit ? (
                      <Tooltip title={t("customers.editNamed", { name: describe(row) })}>
                        <IconButton aria-label={t("customers.editNamed", { name: describe(row) })} onClick={() => onEdit(row)}>
                          <Edit fontSize="small" />
                        </IconButton>
                      </Tooltip>
                    ) : null}
                    {onDelete ? (
                      <Tooltip title={t("customers.deleteNamed", { name: describe(row) })}>
                        <IconButton aria-label={t("customers.deleteNamed", { name: describe(row) })} onClick={() => setDeleting(row)}>
                          <Delete fontSize="small" />
                        </IconButton>
                      </Tooltip>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title={t("customers.deleteTitle")}
        body={deleting ? t("customers.deleteBody", { name: describe(deleting) }) : ""}
        confirmLabel={t("customers.delete")}
        onConfirm={confirmDelete}
        onClose={() => setDeleting(null)}
        busy={busy}
      />
    </Box>
  );
}

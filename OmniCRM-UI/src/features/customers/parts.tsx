// Building blocks the customer screens share: a dialog holding a form, a confirmation dialog, a select wired to
// react-hook-form, the tag pill and a mutation helper that refreshes the customer afterwards.
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
} from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId } from "react";
import { Controller, type Control, type FieldValues, type Path } from "react-hook-form";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { customerKey, customerListKey } from "./api";
import { textColourOn } from "./schemas";

export function FormDialog({
  open,
  title,
  onClose,
  onSubmit,
  submitting,
  submitLabel,
  children,
  wide = false,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  submitting: boolean;
  submitLabel?: string;
  children: ReactNode;
  wide?: boolean;
}) {
  const { t } = useI18n();
  const titleId = useId();
  return (
    <Dialog open={open} onClose={submitting ? undefined : onClose} fullWidth maxWidth={wide ? "md" : "sm"} aria-labelledby={titleId}>
      <Box component="form" noValidate aria-labelledby={titleId} onSubmit={onSubmit}>
        <DialogTitle id={titleId}>{title}</DialogTitle>
        <DialogContent>{children}</DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={submitting}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" variant="contained" loading={submitting}>
            {submitLabel ?? t("common.save")}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}

/** An MUI select bound to a form field; `options` are value → label. */
export function SelectField<T extends FieldValues>({
  control,
  name,
  label,
  options,
}: {
  control: Control<T>;
  name: Path<T>;
  label: string;
  options: { value: string; label: string }[];
}) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <TextField
          select
          label={label}
          value={field.value ?? ""}
          onChange={field.onChange}
          onBlur={field.onBlur}
          inputRef={field.ref}
          error={Boolean(fieldState.error)}
          helperText={fieldState.error?.message}
        >
          {options.map((option) => (
            <MenuItem key={option.value} value={option.value}>
              {option.label}
            </MenuItem>
          ))}
        </TextField>
      )}
    />
  );
}

/** A tag as customers see it: its text on its colour; a tag with a link opens it. */
export function TagPill({ text, colour, link, inactive = false }: { text: string; colour: string; link?: string | null; inactive?: boolean }) {
  const hex = colour.replace(/^#/, "");
  const valid = /^[0-9A-Fa-f]{6}$/.test(hex);
  return (
    <Chip
      size="small"
      label={text || "—"}
      {...(link ? { component: "a", href: link, target: "_blank", rel: "noopener noreferrer", clickable: true } : {})}
      sx={{
        bgcolor: valid ? `#${hex}` : "grey.300",
        color: textColourOn(valid ? hex : "E0E0E0"),
        opacity: inactive ? 0.5 : 1,
        fontWeight: 500,
      }}
    />
  );
}

/**
 * A change to one customer's records: runs `request`, refreshes everything cached about the customer (its tabs,
 * its activity) and the list, and reports success in a toast. Errors are left to the caller (forms put them on
 * fields).
 */
export function useCustomerChange<Input, Output>(customerId: number, request: (input: Input) => Promise<Output>, success: string) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: request,
    onSuccess: async () => {
      toast.success(success);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: customerKey(customerId) }),
        queryClient.invalidateQueries({ queryKey: customerListKey }),
      ]);
    },
  });
}

/** `may("create_customer_tag")`: whether the signed-in user holds a permission (admin holds all). */
export function useMay(): (permission: string) => boolean {
  const { user } = useSession();
  return (permission) => hasPermission(user, permission);
}


import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormHelperText,
  IconButton,
  Stack,
  TextField,
  Tooltip,
  Typography,
} from "@mui/material";
import { useId, useMemo, useState } from "react";
import { useI18n } from "../../i18n/I18nProvider";
import { FaIcon, ICON_NAMES, iconClass, iconNameOf, isKnownIcon } from "./faIcons";

/** Icon matches for the picker's filter: every word typed must appear in the name ("sim", "phone vol"). */
export function matchingIcons(filter: string): readonly string[] {
  const words = filter.trim().toLowerCase().split(/[\s-]+/).filter(Boolean);
  if (!words.length) return ICON_NAMES;
  return ICON_NAMES.filter((name) => words.every((word) => name.includes(word)));
}

/** A Font Awesome class field with a preview and a searchable grid of the curated icons. */
export function IconPicker({ value, onChange, label, error }: { value: string; onChange: (value: string) => void; label: string; error?: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const titleId = useId();
  const icons = useMemo(() => matchingIcons(filter), [filter]);
  const current = iconNameOf(value);
  const unknown = Boolean(value.trim()) && !isKnownIcon(value);

  function choose(name: string) {
    onChange(iconClass(name));
    setOpen(false);
  }

  return (
    <Box>
      <Stack direction="row" spacing={1} alignItems="flex-start">
        <Box sx={{ width: 56, height: 56, flexShrink: 0, display: "grid", placeItems: "center", border: 1, borderColor: "divider", borderRadius: 1, mt: 2, color: "primary.main" }}>
          <FaIcon value={value} size={26} title={current ? t("products.icon.current", { name: current }) : undefined} />
        </Box>
        <TextField
          label={label}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          error={Boolean(error)}
          helperText={error ?? (unknown ? t("products.icon.unknown", { name: current ?? value }) : undefined)}
          placeholder="fa-solid fa-sim-card"
          sx={{ flexGrow: 1 }}
        />
        <Button variant="outlined" onClick={() => setOpen(true)} sx={{ mt: 2, height: 56, flexShrink: 0, whiteSpace: "nowrap" }}>
          {t("products.icon.choose")}
        </Button>
      </Stack>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={titleId} fullWidth maxWidth="sm">
        <DialogTitle id={titleId}>{t("products.icon.title")}</DialogTitle>
        <DialogContent>
          <TextField label={t("products.icon.filter")} value={filter} onChange={(event) => setFilter(event.target.value)} type="search" autoFocus size="small" />
          <Box role="listbox" aria-label={t("products.icon.title")} sx={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(56px, 1fr))", gap: 1, mt: 2 }}>
            {icons.map((name) => (
              <Tooltip key={name} title={name}>
                <IconButton
                  role="option"
                  aria-label={name}
                  aria-selected={name === current}
                  onClick={() => choose(name)}
                  sx={{ borderRadius: 1, border: 1, borderColor: name === current ? "primary.main" : "transparent", color: name === current ? "primary.main" : "text.primary" }}
                >
                  <FaIcon value={name} size={22} />
                </IconButton>
              </Tooltip>
            ))}
          </Box>
          {icons.length === 0 ? <Typography color="text.secondary" sx={{ mt: 2 }}>{t("products.icon.none")}</Typography> : null}
          <FormHelperText sx={{ mt: 2 }}>{t("products.icon.source")}</FormHelperText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{t("common.cancel")}</Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}

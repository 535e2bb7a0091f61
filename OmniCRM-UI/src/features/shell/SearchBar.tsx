import Business from "@mui/icons-material/Business";
import Inventory2 from "@mui/icons-material/Inventory2";
import LocationOn from "@mui/icons-material/LocationOn";
import Person from "@mui/icons-material/Person";
import Search from "@mui/icons-material/Search";
import SettingsInputAntenna from "@mui/icons-material/SettingsInputAntenna";
import { Autocomplete, Box, InputAdornment, TextField, Typography } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { api, apiHas } from "../../api/client";
import { call } from "../../api/errors";
import { isKnownSearchResult, type SearchResult, type SearchResultType } from "../../api/pending";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";

const MIN_CHARS = 2;
const DEBOUNCE_MS = 250;

const TYPE_LABELS: Record<SearchResultType, MessageKey> = {
  customer: "search.type.customer",
  contact: "search.type.contact",
  site: "search.type.site",
  inventory: "search.type.inventory",
  service: "search.type.service",
};

const TYPE_ICONS: Record<SearchResultType, ReactNode> = {
  customer: <Business fontSize="small" />,
  contact: <Person fontSize="small" />,
  site: <LocationOn fontSize="small" />,
  inventory: <Inventory2 fontSize="small" />,
  service: <SettingsInputAntenna fontSize="small" />,
};

/** The page a search hit opens. */
export function resultPath(result: SearchResult): string {
  switch (result.type) {
    case "customer":
      return `/customers/${result.id}`;
    case "contact":
      return `/customers/${result.customer_id}?tab=contacts&contact=${result.id}`;
    case "site":
      return `/customers/${result.customer_id}?tab=sites&site=${result.id}`;
    case "inventory":
      return `/inventory/${result.id}`;
    case "service":
      return `/services/${result.id}`;
  }
}

function useDebounced(value: string, delay: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

export function SearchBar() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [input, setInput] = useState("");
  const term = useDebounced(input.trim(), DEBOUNCE_MS);
  const available = apiHas("/utilities/search_everything");

  const results = useQuery({
    queryKey: ["search_everything", term],
    enabled: available && term.length >= MIN_CHARS,
    queryFn: ({ signal }) =>
      call(api.GET("/utilities/search_everything", { params: { query: { search: term, per_page: 10 } }, signal })),
    staleTime: 30_000,
  });

  const noOptionsText = !available
    ? t("search.unavailable")
    : input.trim().length < MIN_CHARS
      ? t("search.minChars")
      : results.isError
        ? t("search.failed", { message: results.error.message })
        : t("search.noResults");

  return (
    <Autocomplete<SearchResult, false, false, false>
      sx={{ width: "100%", maxWidth: 560 }}
      size="small"
      forcePopupIcon={false}
      options={(results.data?.data ?? []).filter(isKnownSearchResult)}
      filterOptions={(options) => options}
      getOptionLabel={(option) => option.name}
      isOptionEqualToValue={(a, b) => a.type === b.type && a.id === b.id}
      groupBy={(option) => t(TYPE_LABELS[option.type])}
      loading={results.isFetching}
      loadingText={t("common.loading")}
      noOptionsText={noOptionsText}
      inputValue={input}
      onInputChange={(_, value, reason) => reason !== "reset" && setInput(value)}
      value={null}
      blurOnSelect
      onChange={(_, result) => {
        if (!result) return;
        setInput("");
        navigate(resultPath(result));
      }}
      renderOption={({ key, ...props }, option) => (
        <Box component="li" key={key} {...props} sx={{ display: "flex", gap: 1.5, alignItems: "center" }}>
          <Box sx={{ color: "text.secondary", display: "flex" }} aria-hidden>
            {TYPE_ICONS[option.type]}
          </Box>
          <Box>
            <Typography variant="body2">{option.name}</Typography>
            {option.type !== "customer" && option.customer_id ? (
              <Typography variant="caption" color="text.secondary">
                {t("customers.detail", { id: option.customer_id })}
              </Typography>
            ) : null}
          </Box>
        </Box>
      )}
      renderInput={({ InputProps, inputProps, InputLabelProps, ...params }) => (
        <TextField
          {...params}
          margin="none"
          placeholder={t("search.placeholder")}
          slotProps={{
            inputLabel: InputLabelProps,
            htmlInput: { ...inputProps, "aria-label": t("search.label") },
            input: {
              ...InputProps,
              startAdornment: (
                <InputAdornment position="start">
                  <Search />
                </InputAdornment>
              ),
            },
          }}
          sx={{ bgcolor: "background.paper", borderRadius: 1, "& fieldset": { border: "none" } }}
        />
      )}
    />
  );
}

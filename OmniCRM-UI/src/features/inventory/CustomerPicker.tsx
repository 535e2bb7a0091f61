import { Autocomplete, TextField } from "@mui/material";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, apiHas } from "../../api/client";
import { call } from "../../api/errors";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { useI18n } from "../../i18n/I18nProvider";

interface CustomerOption {
  customer_id: number;
  customer_name: string;
}

const SEARCH_DELAY_MS = 300;

function useDebounced(value: string): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return debounced;
}

/**
 * A customer chosen by searching their name (the customers API), holding the customer id as text. Users who may
 * not list customers, or servers without the customers API, type the id instead.
 */
export function CustomerPicker({
  value,
  onChange,
  label,
  required = false,
  size,
  sx,
}: {
  value: string;
  onChange: (customerId: string) => void;
  label?: string;
  required?: boolean;
  size?: "small" | "medium";
  sx?: object;
}) {
  const { t } = useI18n();
  const { user } = useSession();
  const [input, setInput] = useState("");
  const search = useDebounced(input.trim());
  const searchable = apiHas("/crm/customer/") && hasPermission(user, "view_customer");
  const matches = useQuery({
    queryKey: ["inventory", "customerSearch", search],
    enabled: searchable,
    placeholderData: keepPreviousData,
    queryFn: async () => (await call(api.GET("/crm/customer/", { params: { query: { per_page: 10, ...(search ? { search } : {}) } } }))).data,
  });
  const text = label ?? t("inventory.customer");

  if (!searchable) {
    return (
      <TextField
        label={t("inventory.customerId")}
        value={value}
        required={required}
        onChange={(event) => onChange(event.target.value.replace(/\D/g, ""))}
        size={size}
        margin={size === "small" ? "none" : "normal"}
        fullWidth={size !== "small"}
        sx={sx}
        slotProps={{ htmlInput: { inputMode: "numeric" } }}
      />
    );
  }

  const options: CustomerOption[] = (matches.data ?? []).map((customer) => ({ customer_id: customer.customer_id, customer_name: customer.customer_name }));
  const selected = value ? (options.find((option) => String(option.customer_id) === value) ?? { customer_id: Number(value), customer_name: "" }) : null;
  return (
    <Autocomplete
      value={selected}
      options={options}
      loading={matches.isFetching}
      filterOptions={(all) => all}
      isOptionEqualToValue={(option, chosen) => option.customer_id === chosen.customer_id}
      getOptionLabel={(option) => (option.customer_name ? `${option.customer_name} (${option.customer_id})` : `#${option.customer_id}`)}
      onChange={(_, chosen) => onChange(chosen ? String(chosen.customer_id) : "")}
      onInputChange={(_, next, reason) => reason === "input" && setInput(next)}
      size={size}
      sx={sx}
      renderInput={(params) => <TextField {...params} label={text} required={required} margin={size === "small" ? "none" : "normal"} />}
    />
  );
}

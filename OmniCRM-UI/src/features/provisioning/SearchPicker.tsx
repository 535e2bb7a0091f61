import { Autocomplete, CircularProgress, TextField } from "@mui/material";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";

const DEBOUNCE_MS = 300;

function useDebounced(value: string): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

interface SearchPickerProps<T> {
  label: string;
  /** Cache key of the search; the typed text is appended. */
  queryKey: readonly unknown[];
  search: (text: string) => Promise<T[]>;
  value: T | null;
  onChange: (value: T | null) => void;
  optionLabel: (option: T) => string;
  optionId: (option: T) => number;
  required?: boolean;
  error?: string;
  helperText?: string;
  noOptionsText?: string;
  disabled?: boolean;
}

/** A combobox whose options come from the server as the user types (debounced), e.g. customers or free SIMs. */
export function SearchPicker<T>({
  label,
  queryKey,
  search,
  value,
  onChange,
  optionLabel,
  optionId,
  required,
  error,
  helperText,
  noOptionsText,
  disabled,
}: SearchPickerProps<T>) {
  const [input, setInput] = useState("");
  const typed = value && input === optionLabel(value) ? "" : input;
  const text = useDebounced(typed);
  const options = useQuery({
    queryKey: [...queryKey, text],
    queryFn: () => search(text),
    placeholderData: keepPreviousData,
    enabled: !disabled,
  });
  return (
    <Autocomplete
      options={options.data ?? []}
      value={value}
      onChange={(_, next) => onChange(next)}
      inputValue={input}
      onInputChange={(_, next) => setInput(next)}
      getOptionLabel={optionLabel}
      isOptionEqualToValue={(a, b) => optionId(a) === optionId(b)}
      filterOptions={(all) => all}
      loading={options.isFetching}
      noOptionsText={noOptionsText}
      disabled={disabled}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          required={required}
          error={Boolean(error)}
          helperText={error ?? helperText}
          slotProps={{
            input: {
              ...params.InputProps,
              endAdornment: (
                <>
                  {options.isFetching ? <CircularProgress size={18} aria-hidden /> : null}
                  {params.InputProps.endAdornment}
                </>
              ),
            },
          }}
        />
      )}
    />
  );
}

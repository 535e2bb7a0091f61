import { Checkbox, FormControl, FormControlLabel, FormGroup, FormHelperText, FormLabel } from "@mui/material";
import { type Control, Controller, type FieldValues, type Path } from "react-hook-form";

/** A fieldset of checkboxes bound to a string-array form field (roles of a user, permissions of a key). */
export function CheckboxGroup<T extends FieldValues>({
  control,
  name,
  legend,
  options,
  helperText,
  columns = 2,
}: {
  control: Control<T>;
  name: Path<T>;
  legend: string;
  options: readonly string[];
  helperText?: string;
  columns?: number;
}) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => {
        const selected = new Set<string>(field.value as string[]);
        const toggle = (option: string, on: boolean) => {
          const others = (field.value as string[]).filter((value) => value !== option);
          field.onChange(on ? [...others, option] : others);
        };
        return (
          <FormControl component="fieldset" error={Boolean(fieldState.error)} margin="normal" fullWidth>
            <FormLabel component="legend">{legend}</FormLabel>
            <FormGroup sx={{ display: "grid", gridTemplateColumns: { xs: "1fr", sm: `repeat(${columns}, 1fr)` } }}>
              {options.map((option) => (
                <FormControlLabel
                  key={option}
                  label={option}
                  control={
                    <Checkbox
                      checked={selected.has(option)}
                      onChange={(event) => toggle(option, event.target.checked)}
                      onBlur={field.onBlur}
                    />
                  }
                />
              ))}
            </FormGroup>
            <FormHelperText>{fieldState.error?.message ?? helperText}</FormHelperText>
          </FormControl>
        );
      }}
    />
  );
}

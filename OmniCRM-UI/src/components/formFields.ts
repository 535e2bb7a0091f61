import type { FieldError, FieldValues, Path, UseFormReturn } from "react-hook-form";

function errorAt(errors: unknown, name: string): FieldError | undefined {
  let node: unknown = errors;
  for (const part of name.split(".")) {
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  }
  return node as FieldError | undefined;
}

/** Wire a react-hook-form field to an MUI TextField: value, ref on the <input>, error state and message. */
export function fieldProps<T extends FieldValues>(form: UseFormReturn<T>, name: Path<T>) {
  const { ref, ...registration } = form.register(name);
  const error = errorAt(form.formState.errors, name);
  return { ...registration, inputRef: ref, error: Boolean(error), helperText: error?.message };
}

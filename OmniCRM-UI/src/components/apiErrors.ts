import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiError } from "../api/errors";

/**
 * Show an API failure: field errors of the envelope go onto the matching form fields; the envelope's message
 * (or, when every problem was placed on a field, nothing more) goes to a toast. Returns true when at least
 * one field error was placed.
 */
export function showApiError<T extends FieldValues>(
  error: unknown,
  options: { toast: (message: string) => void; setError?: UseFormSetError<T>; fields?: readonly Path<T>[] },
): boolean {
  if (!(error instanceof ApiError)) {
    options.toast(error instanceof Error ? error.message : String(error));
    return false;
  }
  const placed = new Set<string>();
  if (options.setError && options.fields) {
    for (const fieldError of error.fieldErrors) {
      const name = fieldFor(fieldError.field, options.fields);
      if (name && !placed.has(name)) {
        options.setError(name, { type: "server", message: fieldError.message });
        placed.add(name);
      }
    }
  }
  const unplaced = error.fieldErrors.filter((e) => !fieldFor(e.field, options.fields ?? []));
  if (placed.size === 0 || unplaced.length > 0) options.toast(error.message);
  return placed.size > 0;
}

/** The API names fields by their path ("new_password", "body.email", "contacts.0.contact_email"). */
function fieldFor<T extends FieldValues>(apiField: string, fields: readonly Path<T>[]): Path<T> | null {
  const candidates = [apiField, apiField.replace(/^body\./, "")];
  return fields.find((field) => candidates.includes(field)) ?? null;
}

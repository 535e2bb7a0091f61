import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect } from "react";
import { type DefaultValues, type FieldValues, type Path, type Resolver, useForm } from "react-hook-form";
import type { z } from "zod";
import { ApiError } from "../../api/errors";
import { showApiError } from "../../components/apiErrors";
import { useToast } from "../../components/Toasts";

/**
 * A record's form in a dialog: reset to `initial` whenever the dialog opens, validated by `schema`, and on
 * submit `save` runs; API field errors (and errors whose code is in `codeFields`) go onto the named fields,
 * anything else into a toast.
 */
export function useRecordForm<Input extends FieldValues, Output>({
  schema,
  open,
  initial,
  fields,
  codeFields = {},
  save,
}: {
  schema: z.ZodType<Output, Input>;
  open: boolean;
  initial: Input;
  fields: readonly string[];
  /** Error codes that are about one field although the API names none (a 409 duplicate name). */
  codeFields?: Record<string, string>;
  save: (values: Output) => Promise<unknown>;
}) {
  const toast = useToast();
  const form = useForm<Input, unknown, Output>({
    resolver: zodResolver(schema as never) as unknown as Resolver<Input, unknown, Output>,
    defaultValues: initial as DefaultValues<Input>,
  });
  const { reset } = form;

  useEffect(() => {
    if (open) reset(initial);
    // `initial` is rebuilt on every render by callers; the dialog opening is what resets the form.
  }, [open, reset]);

  const submit = form.handleSubmit(async (values) => {
    try {
      await save(values);
    } catch (error) {
      const field = error instanceof ApiError ? codeFields[error.code] : undefined;
      if (field) {
        form.setError(field as Path<Input>, { type: "server", message: (error as ApiError).message });
        return;
      }
      showApiError(error, { toast: toast.error, setError: form.setError, fields: fields as readonly Path<Input>[] });
    }
  });
  return { form, submit };
}

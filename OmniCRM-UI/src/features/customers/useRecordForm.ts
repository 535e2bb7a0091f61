import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect } from "react";
import { type DefaultValues, type FieldValues, type Path, type Resolver, useForm } from "react-hook-form";
import type { z } from "zod";
import { showApiError } from "../../components/apiErrors";
import { useToast } from "../../components/Toasts";

/**
 * A record's form in a dialog: reset to `initial` whenever the dialog opens, validated by `schema`, and on
 * submit `save` runs; API field errors go onto the named `fields`, anything else into a toast.
 */
export function useRecordForm<Input extends FieldValues, Output>({
  schema,
  open,
  initial,
  fields,
  save,
}: {
  schema: z.ZodType<Output, Input>;
  open: boolean;
  initial: Input;
  fields: readonly string[];
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
      showApiError(error, { toast: toast.error, setError: form.setError, fields: fields as readonly Path<Input>[] });
    }
  });
  return { form, submit };
}

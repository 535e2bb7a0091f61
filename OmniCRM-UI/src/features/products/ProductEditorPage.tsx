import { zodResolver } from "@hookform/resolvers/zod";
import ArrowBack from "@mui/icons-material/ArrowBack";
import {
  Alert,
  Autocomplete,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Grid,
  MenuItem,
  Stack,
  Switch,
  TextField,
  Typography,
} from "@mui/material";
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useMemo, useRef, useState } from "react";
import { type Control, Controller, type UseFormReturn, useForm, useWatch } from "react-hook-form";
import { Link as RouterLink, useBlocker, useNavigate, useParams } from "react-router";
import { api } from "../../api/client";
import { ApiError, call } from "../../api/errors";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { EmptyState, ErrorState, LoadingState, PageHeader } from "../../components/States";
import { showApiError } from "../../components/apiErrors";
import { fieldProps } from "../../components/formFields";
import { useToast } from "../../components/Toasts";
import { formatMoney } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import { useTemplates } from "../inventory/api";
import { useAllProducts, usePlays, useProduct, useServiceTypes } from "./api";
import { IconPicker } from "./IconPicker";
import {
  AUTO_RENEW_CHOICES,
  CATEGORIES,
  PRODUCT_FIELDS,
  categoryKey,
  type Product,
  type ProductValues,
  formatJsonVars,
  newProductValues,
  productBody,
  productPatch,
  productSchema,
  productValues,
  slugFrom,
} from "./productForm";
import { amountOf, formatPercent, priceFigures, withTax } from "./productMath";

type Form = UseFormReturn<ProductValues>;

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `section-${title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <Card component="section" aria-labelledby={id}>
      <CardContent>
        <Typography id={id} variant="h6" component="h2" gutterBottom>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

type BoolName = "enabled" | "residential" | "business" | "customer_can_purchase" | "allow_auto_renew";

function BoolField({ control, name, label, kind = "checkbox" }: { control: Control<ProductValues>; name: BoolName; label: string; kind?: "checkbox" | "switch" }) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => {
        const input = { checked: field.value, onChange: (_: unknown, checked: boolean) => field.onChange(checked), onBlur: field.onBlur, inputRef: field.ref };
        return <FormControlLabel control={kind === "switch" ? <Switch {...input} /> : <Checkbox {...input} />} label={label} />;
      }}
    />
  );
}

function Figures({ kind, retail, wholesale }: { kind: string; retail: string; wholesale: string }) {
  const { t } = useI18n();
  const figures = priceFigures(amountOf(retail), amountOf(wholesale));
  const profit = formatMoney(figures.profit);
  const margin = formatPercent(figures.margin);
  const markup = formatPercent(figures.markup);
  return (
    <Box
      role="group"
      aria-label={t("products.figures.label", { kind, profit, margin, markup })}
      sx={{ display: "flex", columnGap: 2, rowGap: 0.5, flexWrap: "wrap", p: 1.5, bgcolor: "action.hover", borderRadius: 1 }}
    >
      <Typography variant="subtitle2" sx={{ minWidth: 80 }}>
        {kind}
      </Typography>
      <Typography variant="body2" color={figures.profit < 0 ? "error" : undefined}>
        {t("products.figures.profit")}: <strong>{profit}</strong>
      </Typography>
      <Typography variant="body2">
        {t("products.figures.margin")}: <strong>{margin}</strong>
      </Typography>
      <Typography variant="body2">
        {t("products.figures.markup")}: <strong>{markup}</strong>
      </Typography>
    </Box>
  );
}

function PricingSection({ form }: { form: Form }) {
  const { t } = useI18n();
  const [retail, wholesale, retailSetup, wholesaleSetup, tax] = useWatch({
    control: form.control,
    name: ["retail_cost", "wholesale_cost", "retail_setup_cost", "wholesale_setup_cost", "tax_percentage"],
  });
  const money = { inputMode: "decimal" as const };
  return (
    <Section title={t("products.section.pricing")}>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, sm: 6 }}>
          <TextField label={t("products.field.retail")} slotProps={{ htmlInput: money }} {...fieldProps(form, "retail_cost")} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6 }}>
          <TextField label={t("products.field.wholesale")} slotProps={{ htmlInput: money }} {...fieldProps(form, "wholesale_cost")} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6 }}>
          <TextField label={t("products.field.retailSetup")} slotProps={{ htmlInput: money }} {...fieldProps(form, "retail_setup_cost")} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6 }}>
          <TextField label={t("products.field.wholesaleSetup")} slotProps={{ htmlInput: money }} {...fieldProps(form, "wholesale_setup_cost")} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6 }}>
          <TextField label={t("products.field.tax")} slotProps={{ htmlInput: money }} {...fieldProps(form, "tax_percentage")} />
        </Grid>
        <Grid size={{ xs: 12, sm: 6 }}>
          <TextField
            label={t("products.field.contractDays")}
            slotProps={{ htmlInput: { inputMode: "numeric" } }}
            {...fieldProps(form, "contract_days")}
            helperText={fieldProps(form, "contract_days").helperText ?? t("products.field.contractDaysHelp")}
          />
        </Grid>
      </Grid>
      <Stack spacing={1} sx={{ mt: 2 }}>
        <Figures kind={t("products.figures.recurring")} retail={retail} wholesale={wholesale} />
        <Figures kind={t("products.figures.setup")} retail={retailSetup} wholesale={wholesaleSetup} />
        <Typography variant="body2" color="text.secondary">
          {t("products.figures.withTax", { price: formatMoney(withTax(amountOf(retail), amountOf(tax))) })}
        </Typography>
      </Stack>
    </Section>
  );
}

/** A multiple choice over named options; values the options do not know (yet) are kept and shown as typed. */
function MultiChoice({
  control,
  name,
  label,
  helperText,
  options,
  labelOf,
}: {
  control: Control<ProductValues>;
  name: "inventory_items_list" | "relies_on_list";
  label: string;
  helperText: string;
  options: string[];
  labelOf?: (value: string) => string;
}) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <Autocomplete
          multiple
          options={[...new Set([...options, ...field.value])]}
          value={field.value}
          onChange={(_, value) => field.onChange(value)}
          getOptionLabel={(value) => labelOf?.(value) ?? value}
          renderValue={(values, getItemProps) =>
            values.map((value, index) => {
              const { key, ...itemProps } = getItemProps({ index });
              return <Chip key={key} label={labelOf?.(value) ?? value} size="small" {...itemProps} />;
            })
          }
          renderInput={(params) => (
            <TextField {...params} label={label} inputRef={field.ref} error={Boolean(fieldState.error)} helperText={fieldState.error?.message ?? helperText} />
          )}
        />
      )}
    />
  );
}

function ProvisioningSection({ form }: { form: Form }) {
  const { t } = useI18n();
  const plays = usePlays();
  const current = useWatch({ control: form.control, name: "provisioning_play" });
  const names = [...new Set([...(plays.data ?? []).map((play) => play.name), ...(current ? [current] : [])])];
  const descriptions = new Map((plays.data ?? []).map((play) => [play.name, play.description]));
  const vars = fieldProps(form, "provisioning_json_vars");
  return (
    <Section title={t("products.section.provisioning")}>
      {plays.isError ? <Alert severity="warning">{t("products.playsUnavailable", { message: plays.error.message })}</Alert> : null}
      <TextField select label={t("products.field.play")} required {...fieldProps(form, "provisioning_play")} value={current}>
        {names.map((name) => (
          <MenuItem key={name} value={name}>
            {name}
            {descriptions.get(name) && descriptions.get(name) !== name ? (
              <Typography component="span" color="text.secondary" sx={{ ml: 1 }}>
                — {descriptions.get(name)}
              </Typography>
            ) : null}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        label={t("products.field.jsonVars")}
        multiline
        minRows={4}
        {...vars}
        helperText={vars.helperText ?? t("products.field.jsonVarsHelp")}
        slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" } } }}
      />
      <Button
        size="small"
        onClick={() => form.setValue("provisioning_json_vars", formatJsonVars(form.getValues("provisioning_json_vars")), { shouldValidate: true, shouldDirty: true })}
      >
        {t("products.formatJson")}
      </Button>
    </Section>
  );
}

/** Leaving the editor with unsaved changes asks first (saving navigates on purpose and is not asked about). */
function LeaveGuard({ dirty, saving }: { dirty: boolean; saving: { current: boolean } }) {
  const { t } = useI18n();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !saving.current && currentLocation.pathname !== nextLocation.pathname);
  return (
    <Dialog open={blocker.state === "blocked"} onClose={() => blocker.reset?.()} aria-labelledby="leave-editor-title">
      <DialogTitle id="leave-editor-title">{t("products.editor.leaveTitle")}</DialogTitle>
      <DialogContent>
        <DialogContentText>{t("products.editor.leaveText")}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => blocker.reset?.()}>{t("products.editor.stay")}</Button>
        <Button color="error" variant="contained" onClick={() => blocker.proceed?.()}>
          {t("products.editor.discard")}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function ProductForm({ product }: { product: Product | null }) {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { user } = useSession();
  const saving = useRef(false);
  const schema = useMemo(() => productSchema(t), [t]);
  const form = useForm<ProductValues>({ resolver: zodResolver(schema), defaultValues: product ? productValues(product) : newProductValues() });
  const [cloning, setCloning] = useState(false);

  async function clone() {
    if (!product) return;
    setCloning(true);
    try {
      const copy = await call(api.POST("/crm/product/product_id/{product_id}/clone", { params: { path: { product_id: product.product_id } } }));
      toast.success(t("products.cloned", { name: copy.product_name }));
      queryClient.invalidateQueries({ queryKey: ["products"] });
      navigate(`/products/${copy.product_id}`);
    } catch (error) {
      showApiError(error, { toast: toast.error });
    } finally {
      setCloning(false);
    }
  }
  const [slugTouched, setSlugTouched] = useState(product !== null);
  const serviceTypes = useServiceTypes();
  const templates = useTemplates();
  const products = useAllProducts();
  const serviceType = useWatch({ control: form.control, name: "service_type" });
  const icon = useWatch({ control: form.control, name: "icon" });
  const slugValue = useWatch({ control: form.control, name: "product_slug" });

  const otherProducts = (products.data ?? []).filter((other) => other.product_id !== product?.product_id);
  const productLabel = (value: string) => {
    const match = otherProducts.find((other) => other.product_slug === value || String(other.product_id) === value);
    return match ? `${match.product_name} (${match.product_slug})` : value;
  };
  const typeOptions = [...new Set([...(serviceTypes.data ?? []), ...(serviceType ? [serviceType] : [])])];

  const name = form.register("product_name");
  const slug = form.register("product_slug");

  async function submit(values: ProductValues) {
    try {
      const body = productBody(values);
      if (product) {
        const saved = await call(api.PATCH("/crm/product/product_id/{product_id}", { params: { path: { product_id: product.product_id } }, body: productPatch(body) }));
        queryClient.setQueryData(["products", "one", saved.product_id], saved);
        form.reset(productValues(saved));
        toast.success(t("products.editor.saved", { name: saved.product_name }));
      } else {
        const created = await call(api.POST("/crm/product", { body }));
        toast.success(t("products.editor.created", { name: created.product_name }));
        saving.current = true;
        navigate(`/products/${created.product_id}`, { replace: true });
      }
      queryClient.invalidateQueries({ queryKey: ["products", "page"] });
      queryClient.invalidateQueries({ queryKey: ["products", "all"] });
    } catch (error) {
      showApiError(error, { toast: toast.error, setError: form.setError, fields: PRODUCT_FIELDS });
    }
  }

  const title = product ? t("products.editor.edit", { name: product.product_name }) : t("products.editor.new");
  return (
    <Box component="form" noValidate aria-label={title} onSubmit={form.handleSubmit(submit)}>
      <LeaveGuard dirty={form.formState.isDirty} saving={saving} />
      <PageHeader
        title={title}
        actions={
          <Stack direction="row" spacing={1} alignItems="center">
            {form.formState.isDirty ? <Chip label={t("products.editor.unsaved")} color="warning" size="small" /> : null}
            <Button component={RouterLink} to="/products" startIcon={<ArrowBack />}>
              {t("products.editor.back")}
            </Button>
            {product && hasPermission(user, "create_product") ? (
              <Button variant="outlined" onClick={clone} loading={cloning} disabled={form.formState.isDirty}>
                {t("products.clone")}
              </Button>
            ) : null}
            <Button type="submit" variant="contained" loading={form.formState.isSubmitting}>
              {t("common.save")}
            </Button>
          </Stack>
        }
      />
      <Grid container spacing={3}>
        <Grid size={{ xs: 12, lg: 6 }}>
          <Stack spacing={3}>
            <Section title={t("products.section.basic")}>
              <TextField
                label={t("products.field.name")}
                required
                {...fieldProps(form, "product_name")}
                onChange={(event) => {
                  name.onChange(event);
                  if (!slugTouched) form.setValue("product_slug", slugFrom(event.target.value), { shouldDirty: true });
                }}
              />
              <TextField
                label={t("products.field.slug")}
                required
                {...fieldProps(form, "product_slug")}
                value={slugValue}
                helperText={fieldProps(form, "product_slug").helperText ?? t("products.field.slugHelp")}
                onChange={(event) => {
                  setSlugTouched(true);
                  slug.onChange(event);
                }}
              />
              <Grid container spacing={2}>
                <Grid size={{ xs: 12, sm: 6 }}>
                  <Controller
                    control={form.control}
                    name="category"
                    render={({ field }) => (
                      <TextField select label={t("products.field.category")} {...field} inputRef={field.ref}>
                        {CATEGORIES.map((category) => (
                          <MenuItem key={category} value={category}>
                            {t(categoryKey(category))}
                          </MenuItem>
                        ))}
                      </TextField>
                    )}
                  />
                </Grid>
                <Grid size={{ xs: 12, sm: 6 }}>
                  <TextField select label={t("products.field.serviceType")} required {...fieldProps(form, "service_type")} value={serviceType}>
                    {typeOptions.map((type) => (
                      <MenuItem key={type} value={type}>
                        {type}
                      </MenuItem>
                    ))}
                  </TextField>
                </Grid>
              </Grid>
              <IconPicker
                label={t("products.field.icon")}
                value={icon}
                onChange={(value) => form.setValue("icon", value, { shouldDirty: true, shouldValidate: true })}
                error={form.formState.errors.icon?.message}
              />
              <TextField label={t("products.field.comment")} multiline minRows={2} {...fieldProps(form, "comment")} />
              <BoolField control={form.control} name="enabled" label={t("products.field.enabled")} kind="switch" />
            </Section>
            <PricingSection form={form} />
            <Section title={t("products.section.availability")}>
              <Stack>
                <BoolField control={form.control} name="residential" label={t("products.field.residential")} />
                <BoolField control={form.control} name="business" label={t("products.field.business")} />
                <BoolField control={form.control} name="customer_can_purchase" label={t("products.field.customerCanPurchase")} />
              </Stack>
              <Grid container spacing={2}>
                <Grid size={{ xs: 12, sm: 6 }}>
                  <TextField
                    type="datetime-local"
                    label={t("products.field.availableFrom")}
                    slotProps={{ inputLabel: { shrink: true } }}
                    {...fieldProps(form, "available_from")}
                    helperText={fieldProps(form, "available_from").helperText ?? t("products.field.windowHelp")}
                  />
                </Grid>
                <Grid size={{ xs: 12, sm: 6 }}>
                  <TextField
                    type="datetime-local"
                    label={t("products.field.availableUntil")}
                    slotProps={{ inputLabel: { shrink: true } }}
                    {...fieldProps(form, "available_until")}
                    helperText={fieldProps(form, "available_until").helperText ?? t("products.field.windowHelp")}
                  />
                </Grid>
              </Grid>
            </Section>
            <Section title={t("products.section.autoRenew")}>
              <Controller
                control={form.control}
                name="auto_renew"
                render={({ field }) => (
                  <TextField select label={t("products.field.autoRenew")} {...field} inputRef={field.ref}>
                    {AUTO_RENEW_CHOICES.map((choice) => (
                      <MenuItem key={choice} value={choice}>
                        {t(`products.autoRenew.${choice}`)}
                      </MenuItem>
                    ))}
                  </TextField>
                )}
              />
              <BoolField control={form.control} name="allow_auto_renew" label={t("products.field.allowAutoRenew")} />
            </Section>
          </Stack>
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <Stack spacing={3}>
            <Section title={t("products.section.inventory")}>
              <Stack spacing={2} sx={{ mt: 1 }}>
                <MultiChoice
                  control={form.control}
                  name="inventory_items_list"
                  label={t("products.field.inventoryItems")}
                  helperText={t("products.field.inventoryItemsHelp")}
                  options={(templates.data ?? []).map((template) => template.item)}
                />
                <MultiChoice
                  control={form.control}
                  name="relies_on_list"
                  label={t("products.field.reliesOn")}
                  helperText={t("products.field.reliesOnHelp")}
                  options={otherProducts.map((other) => other.product_slug)}
                  labelOf={productLabel}
                />
              </Stack>
            </Section>
            <Section title={t("products.section.features")}>
              <TextField label={t("products.field.features")} multiline minRows={4} {...fieldProps(form, "features")} />
              <TextField label={t("products.field.terms")} multiline minRows={4} {...fieldProps(form, "terms")} />
            </Section>
            <ProvisioningSection form={form} />
          </Stack>
        </Grid>
      </Grid>
    </Box>
  );
}

export function ProductEditorPage() {
  const { t } = useI18n();
  const { productId } = useParams();
  const id = productId === undefined || productId === "new" ? null : Number(productId);
  const valid = id === null || (Number.isInteger(id) && id > 0);
  const product = useProduct(valid ? id : null);
  if (!valid) return <EmptyState title={t("products.editor.notFound")} />;
  if (id === null) return <ProductForm product={null} />;
  if (product.isPending) return <LoadingState />;
  if (product.isError) {
    return product.error instanceof ApiError && product.error.status === 404 ? (
      <EmptyState title={t("products.editor.notFound")}>
        <Button component={RouterLink} to="/products">
          {t("products.editor.back")}
        </Button>
      </EmptyState>
    ) : (
      <ErrorState error={product.error} onRetry={() => product.refetch()} />
    );
  }
  return <ProductForm key={product.data.product_id} product={product.data} />;
}

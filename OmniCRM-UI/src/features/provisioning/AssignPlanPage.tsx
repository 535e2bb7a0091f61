import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormHelperText,
  FormLabel,
  MenuItem,
  Radio,
  RadioGroup,
  Stack,
  Step,
  StepLabel,
  Stepper,
  Table,
  TableBody,
  TableCell,
  TableRow,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from "@mui/material";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link as RouterLink, useSearchParams } from "react-router";
import { ErrorState, LoadingState, PageHeader } from "../../components/States";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { formatMoney } from "../../i18n/format";
import {
  type Contact,
  fetchCustomer,
  fetchPicker,
  fetchProduct,
  fetchProducts,
  fetchService,
  fetchSites,
  type PickerRow,
  searchCustomers,
  startProvision,
} from "./api";
import { ACCOUNT_TYPES } from "../customers/schemas";
import {
  type AccountType,
  type BusinessDetails,
  type BusinessOptions,
  costSummary,
  defaultAutoRenew,
  EMPTY_BUSINESS,
  firstIncompleteStep,
  isBusiness,
  productsForAccountType,
  productsForWizard,
  provisionBody,
  type StepErrors,
  stepErrors,
  WIZARD_STEPS,
  type WizardCustomer,
  type WizardProduct,
  type WizardState,
} from "./model";
import { ProvisionProgress } from "./ProvisionProgress";
import { SearchPicker } from "./SearchPicker";

const EMPTY_STATE: WizardState = {
  product: null,
  customer: null,
  serviceId: null,
  business: EMPTY_BUSINESS,
  inventory: {},
  autoRenew: false,
};

function idParam(params: URLSearchParams, name: string): number | null {
  const value = Number(params.get(name));
  return Number.isInteger(value) && value > 0 ? value : null;
}

function contactLabel(contact: Contact): string {
  const name = [contact.contact_firstname, contact.contact_lastname].filter(Boolean).join(" ");
  return [name, contact.contact_email].filter(Boolean).join(" - ") || `#${contact.contact_id}`;
}

const customerLabel = (customer: WizardCustomer) => `${customer.customer_name} (ID: ${customer.customer_id})`;

/** Loads what the address names (?customer_id=, ?product_id=, ?service_id=) so the wizard starts from there. */
function usePreset(params: URLSearchParams) {
  const serviceId = idParam(params, "service_id");
  const productId = idParam(params, "product_id");
  const service = useQuery({
    queryKey: ["service", serviceId, "summary"],
    queryFn: () => fetchService(serviceId as number),
    enabled: serviceId !== null,
  });
  const customerId = service.data?.customer_id ?? idParam(params, "customer_id");
  const customer = useQuery({
    queryKey: ["customer", customerId, "wizard"],
    queryFn: () => fetchCustomer(customerId as number),
    enabled: customerId !== null,
  });
  const product = useQuery({
    queryKey: ["product", productId],
    queryFn: () => fetchProduct(productId as number),
    enabled: productId !== null,
  });
  const queries = [service, customer, product].filter((_, index) => [serviceId, customerId, productId][index] !== null);
  return {
    loading: queries.some((query) => query.isPending),
    error: queries.find((query) => query.isError)?.error ?? null,
    state: {
      ...EMPTY_STATE,
      serviceId,
      customer: customer.data ?? null,
      product: product.data ?? null,
      autoRenew: defaultAutoRenew(product.data ?? null),
    } satisfies WizardState,
  };
}

/**
 * The Assign Plan wizard (seed-extract-4 §2): product → customer → inventory → service parameters → review →
 * provision, then the job's live progress and result. The job being followed is kept in the address
 * (?provision_id=) so a reload keeps watching it.
 */
export function AssignPlanPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const preset = usePreset(params);
  const provisionId = idParam(params, "provision_id");
  const serviceId = idParam(params, "service_id");
  const title = serviceId ? t("wizard.assign.addonTitle", { id: serviceId }) : t("wizard.assign.title");

  function follow(id: number) {
    const next = new URLSearchParams(params);
    next.set("provision_id", String(id));
    setParams(next, { replace: true });
  }

  if (provisionId) {
    return (
      <>
        <PageHeader title={title} />
        <Card>
          <CardContent>
            <WizardStepper active={WIZARD_STEPS.length} />
            <ProvisionProgress
              key={provisionId}
              provisionId={provisionId}
              onRetried={follow}
              resultActions={
                <Button component={RouterLink} to="/provision/new" color="inherit">
                  {t("wizard.assign.again")}
                </Button>
              }
            />
          </CardContent>
        </Card>
      </>
    );
  }
  if (preset.loading) return <LoadingState />;
  if (preset.error) return <ErrorState error={preset.error} />;
  return (
    <>
      <PageHeader title={title} />
      <Wizard initial={preset.state} onStarted={follow} />
    </>
  );
}

/** The wizard's steps and, last, the provisioning itself (active once the job has started). */
function WizardStepper({ active }: { active: number }) {
  const { t } = useI18n();
  return (
    <Stepper activeStep={active} alternativeLabel sx={{ mb: 3 }}>
      {WIZARD_STEPS.map((name) => (
        <Step key={name}>
          <StepLabel>{t(`wizard.assign.step.${name}`)}</StepLabel>
        </Step>
      ))}
      <Step>
        <StepLabel>{t("wizard.assign.step.progress")}</StepLabel>
      </Step>
    </Stepper>
  );
}

function Wizard({ initial, onStarted }: { initial: WizardState; onStarted: (provisionId: number) => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [state, setState] = useState<WizardState>(initial);
  const [picked, setPicked] = useState<Record<string, PickerRow | null>>({});
  const [active, setActive] = useState<number>(() => {
    const first = firstIncompleteStep(initial, { sites: 0, contacts: 0 });
    return first ? Math.min(WIZARD_STEPS.indexOf(first), 1) : 0;
  });
  const [showErrors, setShowErrors] = useState(false);
  const step = WIZARD_STEPS[active];

  const business = useBusinessChoices(state.customer);
  const options: BusinessOptions = { sites: business.sites.length, contacts: business.contacts.length };
  const offered = useQuery({
    queryKey: ["products", "available", state.customer?.customer_id ?? null, state.serviceId],
    queryFn: async () => productsForWizard(await fetchProducts(state.customer?.customer_id ?? null, state.serviceId), state.serviceId),
  });
  const notOffered =
    state.product && state.customer && offered.data && !offered.data.some((p) => p.product_id === state.product?.product_id);
  const errors: StepErrors = {
    ...stepErrors(step, state, options),
    ...(step === "customer" && notOffered ? { customer: "notOffered" } : {}),
  };

  const provision = useMutation({
    mutationFn: () => startProvision(provisionBody(state)),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ["provisions"] });
      onStarted(created.provision_id);
    },
    onError: (error) => toast.error(error.message),
  });

  const update = (change: Partial<WizardState>) => setState((current) => ({ ...current, ...change }));
  // Whether the chosen customer may have the product is known once their offer has loaded.
  const checking = step === "customer" && Boolean(state.customer) && offered.isFetching;
  const errorText = (field: string): string | undefined => {
    // Not on offer is said at once (the customer was just picked); a missing choice only after Next.
    if (errors[field] === "notOffered") return t("wizard.assign.notOffered", { product: state.product?.product_name ?? "" });
    if (!showErrors || !errors[field]) return undefined;
    return t(`wizard.assign.${errors[field]}` as MessageKey);
  };

  function next() {
    if (checking) return;
    if (Object.keys(errors).length > 0) {
      setShowErrors(true);
      return;
    }
    setShowErrors(false);
    if (step === "review") provision.mutate();
    else setActive(active + 1);
  }

  return (
    <Card>
      <CardContent>
        <WizardStepper active={active} />
        <Box component="section" aria-label={t(`wizard.assign.step.${step}`)} sx={{ minHeight: 200 }}>
          {step === "product" ? (
            <ProductStep
              products={offered.data}
              browsing={!state.customer}
              loading={offered.isPending}
              error={offered.error}
              value={state.product}
              problem={errorText("product")}
              onChange={(product) => update({ product, inventory: {}, autoRenew: defaultAutoRenew(product) })}
            />
          ) : null}
          {step === "customer" ? (
            <CustomerStep
              state={state}
              business={business}
              fixed={Boolean(state.serviceId)}
              errorText={errorText}
              onCustomer={(customer) => update({ customer, business: EMPTY_BUSINESS })}
              onBusiness={(change) => update({ business: { ...state.business, ...change } })}
            />
          ) : null}
          {step === "inventory" && state.product ? (
            <InventoryStep
              types={state.product.inventory_items_list}
              picked={picked}
              errorText={errorText}
              onPick={(type, row) => {
                setPicked({ ...picked, [type]: row });
                update({ inventory: { ...state.inventory, [type]: row?.inventory_id ?? null } });
              }}
            />
          ) : null}
          {step === "parameters" && state.product ? (
            <ParametersStep product={state.product} autoRenew={state.autoRenew} onChange={(autoRenew) => update({ autoRenew })} />
          ) : null}
          {step === "review" && state.product && state.customer ? (
            <ReviewStep state={state} picked={picked} business={business} />
          ) : null}
        </Box>
        <Stack direction="row" spacing={1} sx={{ mt: 3, justifyContent: "flex-end" }}>
          <Button component={RouterLink} to={state.customer ? `/customers/${state.customer.customer_id}` : "/provisioning"}>
            {t("common.cancel")}
          </Button>
          <Button disabled={active === 0 || provision.isPending} onClick={() => setActive(active - 1)}>
            {t("common.back")}
          </Button>
          <Button variant="contained" onClick={next} loading={provision.isPending || checking}>
            {step === "review" ? t("wizard.assign.confirm") : t("common.next")}
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
}

interface BusinessChoices {
  sites: { site_id: number; label: string }[];
  contacts: Contact[];
}

function useBusinessChoices(customer: WizardCustomer | null): BusinessChoices {
  const customerId = isBusiness(customer) ? (customer?.customer_id ?? null) : null;
  const sites = useQuery({
    queryKey: ["customer", customerId, "sites", "wizard"],
    queryFn: () => fetchSites(customerId as number),
    enabled: customerId !== null,
  });
  const detail = useQuery({
    queryKey: ["customer", customerId, "wizard"],
    queryFn: () => fetchCustomer(customerId as number),
    enabled: customerId !== null,
  });
  return useMemo(
    () => ({
      sites: (sites.data ?? []).map((site) => ({
        site_id: site.site_id,
        label: [site.site_name, site.address_line_1].filter(Boolean).join(" - ") || `#${site.site_id}`,
      })),
      contacts: detail.data?.contacts ?? [],
    }),
    [sites.data, detail.data],
  );
}

function ProductStep({
  products,
  browsing,
  loading,
  error,
  value,
  problem,
  onChange,
}: {
  products: WizardProduct[] | undefined;
  /** No customer chosen yet: the catalogue is browsed. */
  browsing: boolean;
  loading: boolean;
  error: Error | null;
  value: WizardProduct | null;
  problem?: string;
  onChange: (product: WizardProduct) => void;
}) {
  const { t } = useI18n();
  const [accountType, setAccountType] = useState<AccountType>("Individual");
  if (loading) return <LoadingState />;
  if (error) return <ErrorState error={error} />;
  // Without a customer the whole catalogue is browsed by account type; with one the API already chose.
  const list = browsing ? productsForAccountType(products ?? [], accountType) : (products ?? []);
  // A product named in the address stays choosable even when the list (e.g. no customer yet) left it out.
  const shown = value && !list.some((p) => p.product_id === value.product_id) ? [value, ...list] : list;
  return (
    <Stack spacing={2}>
      {browsing ? (
        <ToggleButtonGroup
          exclusive
          size="small"
          value={accountType}
          onChange={(_, next: AccountType | null) => next && setAccountType(next)}
          aria-label={t("wizard.assign.accountType")}
        >
          {ACCOUNT_TYPES.map((type) => (
            <ToggleButton key={type} value={type}>
              {t(`customers.accountType.${type}`)}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      ) : null}
      {shown.length === 0 ? <Alert severity="info">{t("wizard.assign.noProducts")}</Alert> : <ProductChoice products={shown} value={value} problem={problem} onChange={onChange} />}
    </Stack>
  );
}

function ProductChoice({
  products: shown,
  value,
  problem,
  onChange,
}: {
  products: WizardProduct[];
  value: WizardProduct | null;
  problem?: string;
  onChange: (product: WizardProduct) => void;
}) {
  const { t } = useI18n();
  return (
    <FormControl error={Boolean(problem)} required>
      <FormLabel id="wizard-product">{t("wizard.assign.product")}</FormLabel>
      <RadioGroup
        aria-labelledby="wizard-product"
        value={value ? String(value.product_id) : ""}
        onChange={(event) => {
          const product = shown.find((p) => String(p.product_id) === event.target.value);
          if (product) onChange(product);
        }}
      >
        {shown.map((product) => (
          <FormControlLabel
            key={product.product_id}
            value={String(product.product_id)}
            control={<Radio />}
            label={
              <Box>
                <Typography>{product.product_name}</Typography>
                <Typography variant="body2" color="text.secondary">
                  {product.category} · {formatMoney(product.retail_cost)}
                  {product.contract_days > 0 ? ` / ${product.contract_days}d` : ` ${t("wizard.assign.oneOff")}`}
                  {product.retail_setup_cost ? ` · ${t("wizard.assign.setup")} ${formatMoney(product.retail_setup_cost)}` : ""}
                </Typography>
              </Box>
            }
          />
        ))}
      </RadioGroup>
      {problem ? <FormHelperText>{problem}</FormHelperText> : null}
    </FormControl>
  );
}

function CustomerStep({
  state,
  business,
  fixed,
  errorText,
  onCustomer,
  onBusiness,
}: {
  state: WizardState;
  business: BusinessChoices;
  fixed: boolean;
  errorText: (field: string) => string | undefined;
  onCustomer: (customer: WizardCustomer | null) => void;
  onBusiness: (change: Partial<BusinessDetails>) => void;
}) {
  const { t } = useI18n();
  const idSelect = (field: "site_id" | "technical_contact_id" | "billing_contact_id", label: MessageKey, choices: { id: number; label: string }[]) =>
    choices.length > 0 ? (
      <TextField
        select
        required
        label={t(label)}
        value={state.business[field] ?? ""}
        onChange={(event) => onBusiness({ [field]: Number(event.target.value) || null })}
        error={Boolean(errorText(field))}
        helperText={errorText(field)}
      >
        {choices.map((choice) => (
          <MenuItem key={choice.id} value={choice.id}>
            {choice.label}
          </MenuItem>
        ))}
      </TextField>
    ) : null;
  const contacts = business.contacts.map((contact) => ({ id: contact.contact_id, label: contactLabel(contact) }));
  return (
    <Stack spacing={2} sx={{ maxWidth: 560 }}>
      <Alert severity="warning">{t("wizard.assign.customerWarning")}</Alert>
      <SearchPicker<WizardCustomer>
        label={t("wizard.assign.customer")}
        queryKey={["customers", "wizard-search"]}
        search={searchCustomers}
        value={state.customer}
        onChange={onCustomer}
        optionLabel={customerLabel}
        optionId={(customer) => customer.customer_id}
        required
        disabled={fixed}
        error={errorText("customer")}
      />
      {isBusiness(state.customer) ? (
        <>
          <Typography variant="body2" color="text.secondary">
            {t("wizard.assign.businessHint")}
          </Typography>
          {idSelect("site_id", "wizard.assign.site", business.sites.map((site) => ({ id: site.site_id, label: site.label })))}
          {idSelect("technical_contact_id", "wizard.assign.technicalContact", contacts)}
          {idSelect("billing_contact_id", "wizard.assign.billingContact", contacts)}
          <TextField
            label={t("wizard.assign.poNumber")}
            value={state.business.po_number}
            onChange={(event) => onBusiness({ po_number: event.target.value })}
            error={Boolean(errorText("po_number"))}
            helperText={errorText("po_number")}
            placeholder="PO-2025-001234"
          />
        </>
      ) : null}
    </Stack>
  );
}

function InventoryStep({
  types,
  picked,
  errorText,
  onPick,
}: {
  types: string[];
  picked: Record<string, PickerRow | null>;
  errorText: (field: string) => string | undefined;
  onPick: (type: string, row: PickerRow | null) => void;
}) {
  const { t } = useI18n();
  if (types.length === 0) return <Alert severity="info">{t("wizard.assign.noInventory")}</Alert>;
  return (
    <Stack spacing={2} sx={{ maxWidth: 560 }}>
      {types.map((type) => (
        <SearchPicker<PickerRow>
          key={type}
          label={type}
          queryKey={["inventory", "picker", type]}
          search={(text) => fetchPicker(type, text)}
          value={picked[type] ?? null}
          onChange={(row) => onPick(type, row)}
          optionLabel={(row) => row.label}
          optionId={(row) => row.inventory_id}
          required
          error={errorText(type)}
          noOptionsText={t("wizard.assign.noFreeItems", { item: type })}
        />
      ))}
    </Stack>
  );
}

function ParametersStep({ product, autoRenew, onChange }: { product: WizardProduct; autoRenew: boolean; onChange: (value: boolean) => void }) {
  const { t } = useI18n();
  if (!product.allow_auto_renew) return <Alert severity="info">{t("wizard.assign.noParameters")}</Alert>;
  return (
    <FormControl>
      <FormControlLabel
        control={<Checkbox checked={autoRenew} onChange={(event) => onChange(event.target.checked)} />}
        label={t("wizard.assign.autoRenew")}
      />
      <FormHelperText>{t("wizard.assign.autoRenewHint", { days: product.contract_days })}</FormHelperText>
    </FormControl>
  );
}

function ReviewStep({ state, picked, business }: { state: WizardState; picked: Record<string, PickerRow | null>; business: BusinessChoices }) {
  const { t } = useI18n();
  const product = state.product as WizardProduct;
  const customer = state.customer as WizardCustomer;
  const costs = costSummary(product);
  const contact = (id: number | null) => business.contacts.find((c) => c.contact_id === id);
  const rows: [string, string][] = [
    [t("wizard.assign.customer"), customerLabel(customer)],
    [t("wizard.assign.product"), product.product_name],
    ...product.inventory_items_list.map((type): [string, string] => [type, picked[type]?.label ?? ""]),
  ];
  if (isBusiness(customer)) {
    const site = business.sites.find((s) => s.site_id === state.business.site_id);
    const technical = contact(state.business.technical_contact_id);
    const billing = contact(state.business.billing_contact_id);
    if (site) rows.push([t("wizard.assign.site"), site.label]);
    if (technical) rows.push([t("wizard.assign.technicalContact"), contactLabel(technical)]);
    if (billing) rows.push([t("wizard.assign.billingContact"), contactLabel(billing)]);
    if (state.business.po_number.trim()) rows.push([t("wizard.assign.poNumber"), state.business.po_number.trim()]);
  }
  if (product.allow_auto_renew) rows.push([t("wizard.assign.autoRenew"), state.autoRenew ? "✓" : "—"]);
  return (
    <Stack spacing={2} sx={{ maxWidth: 640 }}>
      <Table size="small" aria-label={t("wizard.assign.step.review")}>
        <TableBody>
          {rows.map(([label, value]) => (
            <TableRow key={label}>
              <TableCell component="th" scope="row">
                {label}
              </TableCell>
              <TableCell>{value}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography variant="subtitle1" component="h2">
        {t("wizard.assign.costs")}
      </Typography>
      <Table size="small" aria-label={t("wizard.assign.costs")}>
        <TableBody>
          <TableRow>
            <TableCell component="th" scope="row">
              {t("wizard.assign.setup")}
            </TableCell>
            <TableCell>{formatMoney(costs.setup)}</TableCell>
          </TableRow>
          <TableRow>
            <TableCell component="th" scope="row">
              {costs.days > 0 ? t("wizard.assign.recurring", { days: costs.days }) : t("wizard.assign.price")}
            </TableCell>
            <TableCell>{formatMoney(costs.recurring)}</TableCell>
          </TableRow>
          <TableRow>
            <TableCell component="th" scope="row">
              <strong>{t("wizard.assign.dueNow")}</strong>
            </TableCell>
            <TableCell>
              <strong>{formatMoney(costs.dueNow)}</strong>
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
    </Stack>
  );
}

import Add from "@mui/icons-material/Add";
import AssignmentInd from "@mui/icons-material/AssignmentInd";
import ContentCopy from "@mui/icons-material/ContentCopy";
import DeleteOutline from "@mui/icons-material/DeleteOutline";
import Edit from "@mui/icons-material/Edit";
import Inventory2 from "@mui/icons-material/Inventory2";
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  IconButton,
  Link,
  MenuItem,
  Stack,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from "@mui/material";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link as RouterLink, useNavigate, useSearchParams } from "react-router";
import { api } from "../../api/client";
import { ApiError, call } from "../../api/errors";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { PageHeader, QueryStates } from "../../components/States";
import { showApiError } from "../../components/apiErrors";
import { useToast } from "../../components/Toasts";
import { formatMoney } from "../../i18n/format";
import { useI18n } from "../../i18n/I18nProvider";
import { assignPlanPath } from "../provisioning";
import { ListPagination } from "../../components/Pagination";
import { ALL_SHOWN } from "./listParts";
import { type ProductFilters, useProductPage, useServiceTypes } from "./api";
import { FaIcon } from "./faIcons";
import { CATEGORIES, type Product, categoryKey, productPatch } from "./productForm";

function filtersFrom(params: URLSearchParams): ProductFilters {
  const status = params.get("status");
  return {
    page: Math.max(1, Number(params.get("page")) || 1),
    search: params.get("search") ?? "",
    category: params.get("category") ?? "",
    serviceType: params.get("service_type") ?? "",
    status: status === "enabled" || status === "disabled" ? status : "",
  };
}

function paramsFrom(filters: ProductFilters): Record<string, string> {
  const params: Record<string, string> = {};
  if (filters.search) params.search = filters.search;
  if (filters.category) params.category = filters.category;
  if (filters.serviceType) params.service_type = filters.serviceType;
  if (filters.status) params.status = filters.status;
  if (filters.page > 1) params.page = String(filters.page);
  return params;
}

function RecurringPrice({ product }: { product: Product }) {
  const { t } = useI18n();
  const price = formatMoney(Number(product.retail_cost));
  return <>{product.contract_days > 0 ? t("products.perMonth", { price, days: product.contract_days }) : t("products.noContract", { price })}</>;
}

function DeleteDialog({ product, onClose }: { product: Product | null; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [refusal, setRefusal] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (target: Product) => call(api.DELETE("/crm/product/product_id/{product_id}", { params: { path: { product_id: target.product_id } } })),
    onSuccess: (_, target) => {
      toast.success(t("products.deleted", { name: target.product_name }));
      queryClient.invalidateQueries({ queryKey: ["products"] });
      close();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) setRefusal(error.message);
      else showApiError(error, { toast: toast.error });
    },
  });
  const disable = useMutation({
    mutationFn: (target: Product) =>
      call(api.PATCH("/crm/product/product_id/{product_id}", { params: { path: { product_id: target.product_id } }, body: productPatch({ enabled: false }) })),
    onSuccess: (updated) => {
      toast.success(t("products.nowDisabled", { name: updated.product_name }));
      queryClient.invalidateQueries({ queryKey: ["products"] });
      close();
    },
    onError: (error) => showApiError(error, { toast: toast.error }),
  });

  function close() {
    setRefusal(null);
    onClose();
  }

  return (
    <Dialog open={product !== null} onClose={close} aria-labelledby="delete-product-title">
      <DialogTitle id="delete-product-title">{t("products.deleteTitle")}</DialogTitle>
      <DialogContent>
        {refusal ? (
          <Alert severity="warning">
            <AlertTitle>{t("products.cannotDelete")}</AlertTitle>
            <Typography variant="body2">{refusal}</Typography>
            <Typography variant="body2" sx={{ mt: 1 }}>
              {t("products.inUse")}
            </Typography>
          </Alert>
        ) : (
          <DialogContentText>{t("products.deleteConfirm", { name: product?.product_name ?? "" })}</DialogContentText>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{t("common.cancel")}</Button>
        {refusal ? (
          product?.enabled ? (
            <Button variant="contained" onClick={() => product && disable.mutate(product)} loading={disable.isPending}>
              {t("products.disableInstead")}
            </Button>
          ) : null
        ) : (
          <Button variant="contained" color="error" onClick={() => product && remove.mutate(product)} loading={remove.isPending}>
            {t("common.delete")}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

export function ProductsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const [draft, setDraft] = useState(filters.search);
  const [deleting, setDeleting] = useState<Product | null>(null);
  const products = useProductPage(filters);
  const serviceTypes = useServiceTypes();
  const canCreate = hasPermission(user, "create_product");
  const canUpdate = hasPermission(user, "update_product");
  const canDelete = hasPermission(user, "delete_product");
  const canProvision = hasPermission(user, "create_provision");

  function update(changes: Partial<ProductFilters>) {
    setParams(paramsFrom({ ...filters, page: 1, ...changes }));
  }

  const toggle = useMutation({
    mutationFn: (product: Product) =>
      call(api.PATCH("/crm/product/product_id/{product_id}", { params: { path: { product_id: product.product_id } }, body: productPatch({ enabled: !product.enabled }) })),
    onSuccess: (updated) => {
      toast.success(t(updated.enabled ? "products.nowEnabled" : "products.nowDisabled", { name: updated.product_name }));
      queryClient.invalidateQueries({ queryKey: ["products"] });
    },
    onError: (error) => showApiError(error, { toast: toast.error }),
  });
  const clone = useMutation({
    mutationFn: (product: Product) => call(api.POST("/crm/product/product_id/{product_id}/clone", { params: { path: { product_id: product.product_id } } })),
    onSuccess: (copy) => {
      toast.success(t("products.cloned", { name: copy.product_name }));
      queryClient.invalidateQueries({ queryKey: ["products"] });
      navigate(`/products/${copy.product_id}`);
    },
    onError: (error) => showApiError(error, { toast: toast.error }),
  });

  const rows = products.data?.data ?? [];
  const pages = products.data?.pagination.total_pages ?? 1;
  const filtered = Boolean(filters.search || filters.category || filters.serviceType || filters.status);

  return (
    <>
      <PageHeader
        title={t("products.title")}
        actions={
          canCreate ? (
            <Button variant="contained" startIcon={<Add />} component={RouterLink} to="/products/new">
              {t("products.new")}
            </Button>
          ) : undefined
        }
      />
      <Card>
        <Stack
          component="form"
          role="search"
          aria-label={t("products.search")}
          direction={{ xs: "column", md: "row" }}
          spacing={2}
          sx={{ p: 2 }}
          onSubmit={(event) => {
            event.preventDefault();
            update({ search: draft.trim() });
          }}
        >
          <TextField label={t("products.search")} value={draft} onChange={(event) => setDraft(event.target.value)} type="search" size="small" margin="none" fullWidth={false} sx={{ minWidth: 240 }} />
          <TextField select label={t("products.category")} value={filters.category} onChange={(event) => update({ category: event.target.value })} size="small" margin="none" fullWidth={false} sx={{ minWidth: 160 }} slotProps={ALL_SHOWN}>
            <MenuItem value="">{t("common.all")}</MenuItem>
            {CATEGORIES.map((category) => (
              <MenuItem key={category} value={category}>
                {t(categoryKey(category))}
              </MenuItem>
            ))}
          </TextField>
          <TextField select label={t("products.serviceType")} value={filters.serviceType} onChange={(event) => update({ serviceType: event.target.value })} size="small" margin="none" fullWidth={false} sx={{ minWidth: 160 }} slotProps={ALL_SHOWN}>
            <MenuItem value="">{t("common.all")}</MenuItem>
            {(serviceTypes.data ?? []).map((type) => (
              <MenuItem key={type} value={type}>
                {type}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            label={t("products.status")}
            value={filters.status}
            onChange={(event) => update({ status: event.target.value as ProductFilters["status"] })}
            size="small"
            margin="none"
            fullWidth={false}
            sx={{ minWidth: 140 }}
            slotProps={ALL_SHOWN}
          >
            <MenuItem value="">{t("common.all")}</MenuItem>
            <MenuItem value="enabled">{t("products.enabled")}</MenuItem>
            <MenuItem value="disabled">{t("products.disabled")}</MenuItem>
          </TextField>
          <Box sx={{ display: "flex", gap: 1, alignItems: "center" }}>
            <Button type="submit" variant="outlined">
              {t("common.search")}
            </Button>
            {filtered ? (
              <Button
                onClick={() => {
                  setDraft("");
                  setParams({});
                }}
              >
                {t("common.clearFilters")}
              </Button>
            ) : null}
          </Box>
        </Stack>
        <QueryStates query={products} isEmpty={rows.length === 0} emptyTitle={t("products.empty")} emptyIcon={<Inventory2 />} />
        {rows.length > 0 ? (
          <TableContainer>
            <Table size="small" aria-label={t("products.title")}>
              <TableHead>
                <TableRow>
                  <TableCell sx={{ width: 48 }}>{t("products.icon")}</TableCell>
                  <TableCell>{t("products.name")}</TableCell>
                  <TableCell>{t("products.category")}</TableCell>
                  <TableCell>{t("products.serviceType")}</TableCell>
                  <TableCell align="right">{t("products.monthly")}</TableCell>
                  <TableCell align="right">{t("products.setup")}</TableCell>
                  <TableCell>{t("products.status")}</TableCell>
                  <TableCell align="right">{t("common.actions")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((product) => (
                  <TableRow key={product.product_id} hover>
                    <TableCell sx={{ color: product.enabled ? "primary.main" : "text.disabled" }}>
                      <FaIcon value={product.icon} size={22} />
                    </TableCell>
                    <TableCell>
                      <Link component={RouterLink} to={`/products/${product.product_id}`} fontWeight={500}>
                        {product.product_name}
                      </Link>
                      <Typography variant="body2" color="text.secondary">
                        {product.product_slug}
                      </Typography>
                    </TableCell>
                    <TableCell>{t(categoryKey(product.category))}</TableCell>
                    <TableCell>{product.service_type}</TableCell>
                    <TableCell align="right">
                      <RecurringPrice product={product} />
                    </TableCell>
                    <TableCell align="right">{formatMoney(Number(product.retail_setup_cost))}</TableCell>
                    <TableCell>
                      <Stack direction="row" alignItems="center" spacing={1}>
                        {canUpdate ? (
                          <Switch
                            size="small"
                            checked={product.enabled}
                            onChange={() => toggle.mutate(product)}
                            disabled={toggle.isPending && toggle.variables?.product_id === product.product_id}
                            slotProps={{ input: { "aria-label": t("products.enabledFor", { name: product.product_name }) } }}
                          />
                        ) : null}
                        <Chip size="small" label={product.enabled ? t("products.enabled") : t("products.disabled")} color={product.enabled ? "success" : "default"} />
                      </Stack>
                    </TableCell>
                    <TableCell align="right" sx={{ whiteSpace: "nowrap" }}>
                      {canProvision && product.enabled && product.category !== "addon" ? (
                        <Tooltip title={t("nav.assignPlan")}>
                          <IconButton component={RouterLink} to={assignPlanPath({ productId: product.product_id })} aria-label={t("products.assignOf", { name: product.product_name })}>
                            <AssignmentInd fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      ) : null}
                      {canUpdate ? (
                        <Tooltip title={t("common.edit")}>
                          <IconButton component={RouterLink} to={`/products/${product.product_id}`} aria-label={t("products.editOf", { name: product.product_name })}>
                            <Edit fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      ) : null}
                      {canCreate ? (
                        <Tooltip title={t("products.clone")}>
                          <IconButton
                            onClick={() => clone.mutate(product)}
                            loading={clone.isPending && clone.variables?.product_id === product.product_id}
                            aria-label={t("products.cloneOf", { name: product.product_name })}
                          >
                            <ContentCopy fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      ) : null}
                      {canDelete ? (
                        <Tooltip title={t("common.delete")}>
                          <IconButton onClick={() => setDeleting(product)} aria-label={t("products.deleteOf", { name: product.product_name })}>
                            <DeleteOutline fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : null}
        <ListPagination page={filters.page} pages={pages} onChange={(next) => setParams(paramsFrom({ ...filters, page: next }))} />
      </Card>
      <DeleteDialog product={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

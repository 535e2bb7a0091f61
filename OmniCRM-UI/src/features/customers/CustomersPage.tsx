import People from "@mui/icons-material/People";
import {
  Card,
  Link,
  Pagination,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
} from "@mui/material";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link as RouterLink, useSearchParams } from "react-router";
import { api, apiHas } from "../../api/client";
import { call } from "../../api/errors";
import { EmptyState, ErrorState, LoadingState, PageHeader } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";

const PER_PAGE = 20;

/** A first, read-only customer list (search and paging); the full customer screens come with issue 8 §5. */
export function CustomersPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get("page")) || 1);
  const search = params.get("search") ?? "";
  const [draft, setDraft] = useState(search);
  const available = apiHas("/crm/customer/");

  const customers = useQuery({
    queryKey: ["customers", { page, search }],
    enabled: available,
    placeholderData: keepPreviousData,
    queryFn: () =>
      call(api.GET("/crm/customer/", { params: { query: { page, per_page: PER_PAGE, ...(search ? { search } : {}) } } })),
  });

  function applySearch(value: string) {
    setParams(value ? { search: value } : {});
  }

  if (!available) {
    return (
      <>
        <PageHeader title={t("customers.title")} />
        <EmptyState title={t("customers.unavailable")} icon={<People />} />
      </>
    );
  }

  const rows = customers.data?.data ?? [];
  const pages = customers.data?.pagination.total_pages ?? 1;
  return (
    <>
      <PageHeader title={t("customers.title")} />
      <Card>
        <Stack
          component="form"
          role="search"
          direction="row"
          sx={{ p: 2 }}
          onSubmit={(event) => {
            event.preventDefault();
            applySearch(draft.trim());
          }}
        >
          <TextField
            label={t("customers.search")}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            type="search"
            size="small"
            margin="none"
            sx={{ maxWidth: 360 }}
          />
        </Stack>
        {customers.isPending ? <LoadingState /> : null}
        {customers.isError ? <ErrorState error={customers.error} onRetry={() => customers.refetch()} /> : null}
        {customers.isSuccess && rows.length === 0 ? <EmptyState title={t("customers.empty")} icon={<People />} /> : null}
        {rows.length > 0 ? (
          <TableContainer>
            <Table size="small" aria-label={t("customers.title")}>
              <TableHead>
                <TableRow>
                  <TableCell>{t("customers.name")}</TableCell>
                  <TableCell>{t("customers.type")}</TableCell>
                  <TableCell>{t("customers.status")}</TableCell>
                  <TableCell>{t("customers.payment")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((customer) => (
                  <TableRow key={customer.customer_id} hover>
                    <TableCell>
                      <Link component={RouterLink} to={`/customers/${customer.customer_id}`}>
                        {customer.customer_name}
                      </Link>
                    </TableCell>
                    <TableCell>{customer.customer_account_type ?? "—"}</TableCell>
                    <TableCell>{customer.customer_status ?? "—"}</TableCell>
                    <TableCell>{customer.customer_payment_type ?? "—"}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        ) : null}
        {pages > 1 ? (
          <Stack alignItems="center" sx={{ p: 2 }}>
            <Pagination
              count={pages}
              page={page}
              onChange={(_, next) => setParams({ ...(search ? { search } : {}), page: String(next) })}
              getItemAriaLabel={(type, item) =>
                type === "page" ? t("common.page", { page: item ?? 1, pages }) : type === "next" ? t("common.nextPage") : t("common.previous")
              }
            />
          </Stack>
        ) : null}
      </Card>
    </>
  );
}

// A link to a service's customer, named once the customer is loaded (cached per customer across rows).
import { Link } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { Link as RouterLink } from "react-router";
import { api } from "../../api/client";
import { call } from "../../api/errors";
import { hasPermission } from "../../auth/permissions";
import { useSession } from "../../auth/useSession";
import { useI18n } from "../../i18n/I18nProvider";

export function CustomerLink({ customerId }: { customerId: number }) {
  const { t } = useI18n();
  const { user } = useSession();
  const customer = useQuery({
    enabled: hasPermission(user, "view_customer"),
    queryKey: ["services", "customer-name", customerId],
    staleTime: 5 * 60_000,
    retry: false,
    queryFn: () => call(api.GET("/crm/customer/customer_id/{customer_id}", { params: { path: { customer_id: customerId } } })),
  });
  return (
    <Link component={RouterLink} to={`/customers/${customerId}`}>
      {customer.data?.customer_name ?? t("services.customerLink", { id: customerId })}
    </Link>
  );
}

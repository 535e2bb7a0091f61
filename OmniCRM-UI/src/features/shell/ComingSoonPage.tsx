import Construction from "@mui/icons-material/Construction";
import { EmptyState, PageHeader } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";

/** A screen whose route, permission and navigation entry exist, but whose content lands in a later release. */
export function ComingSoonPage({ title }: { title: string }) {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={title} />
      <EmptyState title={t("common.comingSoon")} icon={<Construction />} />
    </>
  );
}

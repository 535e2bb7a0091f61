// Paging of lists: the page links (labelled for screen readers) and the list's place kept in the address.
import { Pagination, Stack } from "@mui/material";
import { useI18n } from "../i18n/I18nProvider";

interface PagingProps {
  page: number;
  pages: number;
  onChange: (page: number) => void;
}

/** The page links alone (for a footer that also shows a total); nothing when everything fits on one page. */
export function PageLinks({ page, pages, onChange }: PagingProps) {
  const { t } = useI18n();
  if (pages <= 1) return null;
  return (
    <Pagination
      count={pages}
      page={page}
      onChange={(_, next) => onChange(next)}
      getItemAriaLabel={(type, item) =>
        type === "page" ? t("common.page", { page: item ?? 1, pages }) : type === "next" ? t("common.nextPage") : t("common.previous")
      }
    />
  );
}

/** Page links centred under a list; hidden when everything fits on one page. */
export function ListPagination(props: PagingProps) {
  if (props.pages <= 1) return null;
  return (
    <Stack alignItems="center" sx={{ p: 2 }}>
      <PageLinks {...props} />
    </Stack>
  );
}

/** The current page of a list kept in the address (`?page=`), so reloads and links keep the place. */
export function pageFrom(params: URLSearchParams): number {
  return Math.max(1, Number(params.get("page")) || 1);
}

/** Query parameters with the empty ones left out (and the page reset unless given). */
export function withParams(params: URLSearchParams, changes: Record<string, string | null>): URLSearchParams {
  const next = new URLSearchParams(params);
  if (!("page" in changes)) next.delete("page");
  for (const [key, value] of Object.entries(changes)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  return next;
}

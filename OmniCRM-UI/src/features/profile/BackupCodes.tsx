import Download from "@mui/icons-material/Download";
import { Box, Button, Typography } from "@mui/material";
import { useI18n } from "../../i18n/I18nProvider";

export function backupCodesText(codes: readonly string[], heading: string): string {
  return [heading, "", ...codes, ""].join("\n");
}

export function downloadText(filename: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: "text/plain;charset=utf-8" }));
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = filename;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  URL.revokeObjectURL(url);
}

/** The list of single-use backup codes with a download button. */
export function BackupCodes({ codes, heading }: { codes: readonly string[]; heading: string }) {
  const { t } = useI18n();
  return (
    <Box>
      <Box
        component="ul"
        aria-label={t("wizard.step.codes")}
        sx={{
          listStyle: "none",
          p: 2,
          m: 0,
          display: "grid",
          gridTemplateColumns: "repeat(2, 1fr)",
          gap: 1,
          bgcolor: "action.hover",
          borderRadius: 1,
        }}
      >
        {codes.map((code) => (
          <Typography component="li" key={code} sx={{ fontFamily: "monospace", fontSize: "1.1rem", textAlign: "center" }}>
            {code}
          </Typography>
        ))}
      </Box>
      <Button
        startIcon={<Download />}
        sx={{ mt: 1 }}
        onClick={() => downloadText("backup-codes.txt", backupCodesText(codes, heading))}
      >
        {t("wizard.downloadCodes")}
      </Button>
    </Box>
  );
}

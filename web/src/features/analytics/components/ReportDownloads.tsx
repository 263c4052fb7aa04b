import { ErrorState } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { downloadReport, type Report } from "../api/analytics";
import type { Period } from "../types";

/** Download the period's returns as CSV, or the tearsheet: one HTML page of every figure. */
export function ReportDownloads({ portfolioId, period, benchmark }: { portfolioId: number; period: Period; benchmark: string }) {
  const download = useAction((report: Report) => downloadReport(portfolioId, report, period, benchmark));
  return (
    <div className="reports">
      <div className="toolbar toolbar--wrap">
        <button type="button" className="button button--secondary" disabled={download.pending}
          onClick={() => void download.run("returns.csv")}>
          Download returns (CSV)
        </button>
        <button type="button" className="button button--secondary" disabled={download.pending}
          onClick={() => void download.run("tearsheet.html")}>
          Download tearsheet (HTML)
        </button>
      </div>
      {download.pending && <p role="status" className="muted">Preparing the download…</p>}
      {download.error !== undefined && <ErrorState error={download.error} title="The download failed." />}
    </div>
  );
}

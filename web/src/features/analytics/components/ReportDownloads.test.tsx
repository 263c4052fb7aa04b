import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "@/test/fakeFetch";
import { filenameOf } from "../api/analytics";
import { ReportDownloads } from "./ReportDownloads";

describe("ReportDownloads", () => {
  const saved: string[] = [];
  beforeEach(() => {
    // jsdom has no object URLs; record the blob and the name the link saves it under.
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: vi.fn(() => "blob:report"), revokeObjectURL: vi.fn() }));
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
  });
  afterEach(() => {
    saved.length = 0;
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it("downloads the tearsheet of the chosen period and benchmark under the server's name", async () => {
    const { calls } = stubFetch((call) =>
      call.path.startsWith("/portfolios/7/tearsheet.html")
        ? { status: 200, body: "<html></html>", headers: { "Content-Type": "text/html", "Content-Disposition": 'attachment; filename="invsim-portfolio-7-tearsheet.html"' } }
        : undefined,
    );
    render(<ReportDownloads portfolioId={7} period="1Y" benchmark="QQQ" />);
    await userEvent.click(screen.getByRole("button", { name: "Download tearsheet (HTML)" }));
    await waitFor(() => expect(saved).toEqual(["invsim-portfolio-7-tearsheet.html"]));
    expect(calls[0]!.path).toBe("/portfolios/7/tearsheet.html?period=1Y&benchmark=QQQ");
  });

  it("shows the API's error when the CSV cannot be had", async () => {
    stubFetch(() => ({ status: 404, body: { error: { code: "portfolio_not_found", message: "No such portfolio.", details: {} } } }));
    render(<ReportDownloads portfolioId={7} period="ALL" benchmark="SPY" />);
    await userEvent.click(screen.getByRole("button", { name: "Download returns (CSV)" }));
    expect(await screen.findByText("The download failed.")).toBeInTheDocument();
    expect(saved).toEqual([]);
  });

  it("reads the file name from Content-Disposition", () => {
    expect(filenameOf('attachment; filename="a b.csv"')).toBe("a b.csv");
    expect(filenameOf("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.html")).toBe("résumé.html");
    expect(filenameOf(null)).toBeNull();
  });
});

import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetch, type FakeCall } from "@/test/fakeFetch";
import type { ApiKey, IssuedKey } from "../types";
import { ApiKeysPanel } from "./ApiKeysPanel";

const ORIGIN = "http://sim.test";
const PATH = "/portfolios/7/api-keys";

const key = (over: Partial<ApiKey> = {}): ApiKey => ({
  key_id: "PKOLDOLDOLDOLDOLDOLD",
  name: "old-bot",
  portfolio_id: 7,
  created_at: "2026-01-02T03:04:05Z",
  last_used_at: null,
  revoked_at: null,
  status: "active",
  ...over,
});

const issued: IssuedKey = {
  ...key({ key_id: "PKNEWNEWNEWNEWNEWNEW", name: "sma-bot", created_at: "2026-02-01T00:00:00Z" }),
  secret: "S3cretS3cretS3cretS3cretS3cretS3cretS3cr",
};

/** A fake server holding the portfolio's keys: list, create, revoke. */
function server(initial: ApiKey[], create: (c: FakeCall) => { status: number; body: unknown } = () => ({ status: 201, body: issued })) {
  let keys = [...initial];
  return stubFetch((c) => {
    if (c.method === "GET" && c.path === PATH) return { status: 200, body: { items: keys } };
    if (c.method === "POST" && c.path === PATH) {
      const reply = create(c);
      if (reply.status === 201) {
        const { secret: _secret, ...listed } = reply.body as IssuedKey;
        keys = [listed, ...keys];
      }
      return reply;
    }
    const revoke = c.method === "DELETE" && keys.find((k) => `${PATH}/${k.key_id}` === c.path);
    if (revoke) {
      keys = keys.map((k) => (k === revoke ? { ...k, status: "revoked", revoked_at: "2026-02-02T00:00:00Z" } : k));
      return { status: 200, body: keys.find((k) => k.key_id === revoke.key_id) };
    }
    return undefined;
  });
}

const renderPanel = (apiTrading = true) => render(<ApiKeysPanel portfolioId={7} apiTrading={apiTrading} origin={ORIGIN} />);

describe("ApiKeysPanel", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("lists the keys with id, dates and status", async () => {
    server([key(), key({ key_id: "PKGONEGONEGONEGONEGO", name: "gone-bot", status: "revoked", revoked_at: "2026-01-03T00:00:00Z", last_used_at: "2026-01-02T05:00:00Z" })]);
    renderPanel();
    const old = await screen.findByRole("listitem", { name: "old-bot" });
    expect(within(old).getByText("PKOLDOLDOLDOLDOLDOLD")).toBeInTheDocument();
    expect(within(old).getByText("Never")).toBeInTheDocument();
    expect(within(old).getByText("Active")).toBeInTheDocument();
    const gone = screen.getByRole("listitem", { name: "gone-bot" });
    expect(within(gone).getByText("Revoked", { selector: ".badge" })).toBeInTheDocument();
    expect(within(gone).queryByRole("button", { name: /Revoke/ })).not.toBeInTheDocument();
    expect(screen.getByText("1 of 10 active")).toBeInTheDocument();
  });

  it("checks the name, creates the key and shows its secret once, with how to connect", async () => {
    const { calls } = server([]);
    const u = userEvent.setup();
    renderPanel();
    await screen.findByText("No API keys yet.");
    await u.click(screen.getByRole("button", { name: "Create API key" }));
    expect(screen.getByLabelText("Key name")).toHaveAttribute("aria-invalid", "true");
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await u.type(screen.getByLabelText("Key name"), "  sma   bot ");
    await u.keyboard("{Enter}");
    const panel = await screen.findByRole("region", { name: /Your new API key/ });
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ name: "sma bot" });
    expect(within(panel).getByRole("heading", { level: 2 })).toHaveFocus();
    expect(within(panel).getByText(/it will not be shown again/)).toBeInTheDocument();
    expect(within(panel).getByTestId("new-key-id")).toHaveTextContent(issued.key_id);
    expect(within(panel).getByTestId("new-key-secret")).toHaveTextContent(issued.secret);
    expect(within(panel).getByText(`${ORIGIN}/alpaca/v2`)).toBeInTheDocument();
    expect(within(panel).getByText(/TradingClient\("PKNEWNEWNEWNEWNEWNEW", "S3cret/)).toBeInTheDocument();
    expect(await screen.findByRole("listitem", { name: "sma-bot" })).toBeInTheDocument();
    expect(screen.getByLabelText("Key name")).toHaveValue("");

    await u.click(within(panel).getByRole("button", { name: "Copy the secret key" }));
    expect(await navigator.clipboard.readText()).toBe(issued.secret);
    expect(within(panel).getByText("Copied the secret key.")).toBeInTheDocument();

    await u.click(screen.getByRole("button", { name: "I've stored the secret" }));
    expect(screen.queryByRole("region", { name: /Your new API key/ })).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(issued.secret);
  });

  it("shows the server's refusal above the form, and a refused name under the input", async () => {
    let reply = { status: 409, body: { error: { code: "too_many_api_keys", message: "at most 10", details: {} } } };
    server([], () => reply);
    const u = userEvent.setup();
    renderPanel();
    await u.type(screen.getByLabelText("Key name"), "eleventh");
    await u.click(screen.getByRole("button", { name: "Create API key" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("already has 10 active API keys");

    reply = { status: 422, body: { error: { code: "invalid_name", message: "bad", details: { fields: { name: ["must be 1 to 64 characters"] } } } } };
    await u.click(screen.getByRole("button", { name: "Create API key" }));
    await vi.waitFor(() => expect(screen.getByLabelText("Key name")).toHaveAccessibleDescription(/must be 1 to 64 characters/));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("revokes a key only after a confirmation that Escape cancels", async () => {
    const { calls } = server([key()]);
    const u = userEvent.setup();
    renderPanel();
    const revoke = await screen.findByRole("button", { name: "Revoke old-bot" });
    await u.click(revoke);
    const confirm = screen.getByRole("group", { name: "Confirm revoking old-bot" });
    expect(within(confirm).getByRole("button", { name: "Keep key" })).toHaveFocus();
    await u.keyboard("{Escape}");
    expect(screen.queryByRole("group", { name: "Confirm revoking old-bot" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Revoke old-bot" })).toHaveFocus();
    expect(calls.filter((c) => c.method === "DELETE")).toHaveLength(0);

    await u.click(screen.getByRole("button", { name: "Revoke old-bot" }));
    await u.click(screen.getByRole("button", { name: "Yes, revoke key" }));
    const done = await screen.findByText(/Revoked “old-bot”/);
    expect(done).toHaveFocus();
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([`${PATH}/PKOLDOLDOLDOLDOLDOLD`]);
    const item = screen.getByRole("listitem", { name: "old-bot" });
    await vi.waitFor(() => expect(within(item).getByText("Revoked", { selector: ".badge" })).toBeInTheDocument());
    expect(screen.getByText("0 of 10 active")).toBeInTheDocument();
  });

  it("offers no form when the challenge forbids bots", async () => {
    server([]);
    renderPanel(false);
    expect(screen.getByText(/doesn't allow trading through the API/)).toBeInTheDocument();
    expect(screen.queryByLabelText("Key name")).not.toBeInTheDocument();
    expect(await screen.findByText("No API keys yet.")).toBeInTheDocument();
  });
});

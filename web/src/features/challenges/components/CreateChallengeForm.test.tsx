import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "@/test/fakeFetch";
import { CreateChallengeForm } from "./CreateChallengeForm";

const created = { id: 12, name: "Spring cup", visibility: "private", status: "active" };

describe("CreateChallengeForm", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("checks the form before sending and opens the trading rules when one needs fixing", async () => {
    const { calls } = stubFetch(() => undefined);
    const u = userEvent.setup();
    render(<CreateChallengeForm />);
    await u.click(screen.getByText("Trading rules (optional)"));
    await u.clear(screen.getByLabelText("Most orders per day"));
    await u.type(screen.getByLabelText("Most orders per day"), "0");
    await u.click(screen.getByText("Trading rules (optional)"));
    await u.click(screen.getByRole("button", { name: "Create challenge" }));
    expect(screen.getByLabelText("Name")).toHaveAccessibleDescription("Give the challenge a name.");
    expect(screen.getByLabelText("Most orders per day")).toBeVisible();
    expect(screen.getByLabelText("Most orders per day")).toHaveAttribute("aria-invalid", "true");
    expect(calls).toHaveLength(0);
  });

  it("creates the challenge with its rules, then joins it", async () => {
    const { calls } = stubFetch((c) => (c.method === "POST" ? { status: c.path.endsWith("/join") ? 200 : 201, body: created } : undefined));
    const onCreated = vi.fn();
    const u = userEvent.setup();
    render(<CreateChallengeForm onCreated={onCreated} />);
    await u.type(screen.getByLabelText("Name"), "Spring cup");
    await u.click(screen.getByRole("radio", { name: "Only with an invite code" }));
    await u.click(screen.getByText("Trading rules (optional)"));
    await u.click(screen.getByRole("checkbox", { name: "Trailing stop" }));
    await u.click(screen.getByRole("checkbox", { name: "Allow short selling" }));
    await u.click(screen.getByRole("button", { name: "Create challenge" }));
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(["POST /challenges", "POST /challenges/12/join"]);
    expect(calls[0]!.body).toMatchObject({
      name: "Spring cup",
      visibility: "private",
      starting_cash: "100000.00",
      rules: {
        allowed_order_types: ["market", "limit", "stop", "stop_limit"],
        allow_short: true,
        account_type: "margin",
        ranking_metric: "total_return",
      },
    });
  });
});

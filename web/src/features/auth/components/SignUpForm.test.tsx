import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sessionStore } from "@/lib/auth";
import { stubFetch } from "@/test/fakeFetch";
import { SignUpForm } from "./SignUpForm";

const user = { id: 1, email: "ann@example.com", username: "ann", display_name: "Ann", created_at: "2025-01-01T00:00:00Z" };

async function fillAndSubmit(password = "a much longer password") {
  const u = userEvent.setup();
  await u.type(screen.getByLabelText("Email"), "ann@example.com");
  await u.type(screen.getByLabelText("Username"), "ann");
  await u.type(screen.getByLabelText("Password"), password);
  await u.click(screen.getByRole("button", { name: "Create account" }));
}

describe("SignUpForm", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    sessionStore().clear();
  });

  it("checks the password locally before calling the server", async () => {
    const { calls } = stubFetch(() => undefined);
    render(<SignUpForm onSignedUp={() => undefined} />);
    await fillAndSubmit("short");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/Use at least 10 characters/);
    expect(calls).toHaveLength(0);
  });

  it("shows the server's field messages next to the fields", async () => {
    stubFetch(() => ({
      status: 422,
      body: { error: { code: "weak_password", message: "weak", details: { fields: { password: ["is too common"] } } } },
    }));
    render(<SignUpForm onSignedUp={() => undefined} />);
    await fillAndSubmit();
    expect(await screen.findByText("This password is too common.")).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("alert")).toHaveTextContent("Please fix the highlighted fields.");
  });

  it("words a taken email", async () => {
    stubFetch(() => ({
      status: 409,
      body: { error: { code: "email_taken", message: "taken", details: { fields: { email: ["is already registered"] } } } },
    }));
    render(<SignUpForm onSignedUp={() => undefined} />);
    await fillAndSubmit();
    expect(await screen.findByRole("alert")).toHaveTextContent("An account with this email already exists.");
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("This email is already registered.");
  });

  it("shows every field the server refused at once, in sentences", async () => {
    stubFetch(() => ({
      status: 422,
      body: {
        error: {
          code: "weak_password",
          message: "weak",
          details: { fields: { email: ["is already registered"], username: ["is already taken"], password: ["is too common"] } },
        },
      },
    }));
    render(<SignUpForm onSignedUp={() => undefined} />);
    await fillAndSubmit();
    expect(await screen.findByText("This password is too common.")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("This email is already registered.");
    expect(screen.getByLabelText("Username")).toHaveAccessibleDescription(/This username is already taken\./);
  });

  it("stores the session and reports success", async () => {
    const { calls } = stubFetch((c) =>
      c.path === "/auth/register"
        ? { status: 201, body: { access_token: "a", refresh_token: "r", token_type: "Bearer", expires_in: 900, user } }
        : undefined,
    );
    const done = vi.fn();
    render(<SignUpForm onSignedUp={done} />);
    await fillAndSubmit();
    await vi.waitFor(() => expect(done).toHaveBeenCalled());
    expect(calls[0]!.body).toEqual({ email: "ann@example.com", username: "ann", password: "a much longer password" });
    expect(sessionStore().get()).toMatchObject({ accessToken: "a", refreshToken: "r", user });
  });
});

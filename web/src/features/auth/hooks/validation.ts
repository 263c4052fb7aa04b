import type { RegisterInput } from "../types";

export const MIN_PASSWORD_LENGTH = 10;

/** Check what the browser can know before asking the server (which has the final word). */
export function validateRegistration(input: RegisterInput): Partial<Record<keyof RegisterInput, string>> {
  const errors: Partial<Record<keyof RegisterInput, string>> = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email.trim())) errors.email = "Enter a valid email address.";
  if (!/^[A-Za-z0-9_.-]{3,32}$/.test(input.username.trim())) {
    errors.username = "Use 3–32 letters, digits, dots, dashes or underscores.";
  }
  const password = input.password;
  if (password.length < MIN_PASSWORD_LENGTH) {
    errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  } else if (
    password.toLowerCase() === input.username.trim().toLowerCase() ||
    password.toLowerCase() === input.email.trim().toLowerCase()
  ) {
    errors.password = "Don't use your username or email as the password.";
  }
  return errors;
}

const SUBJECTS: Record<string, string> = {
  email: "This email",
  username: "This username",
  password: "This password",
  display_name: "This display name",
};

/**
 * The server's field messages as one sentence: ["is too common"] for the password reads
 * "This password is too common." (the API sends predicates, made to follow the field's name).
 */
export function fieldSentence(field: string, messages: readonly string[]): string {
  const parts = messages.map((m) => m.trim().replace(/\.$/, "")).filter(Boolean);
  if (!parts.length) return "";
  if (/^[A-Z]/.test(parts[0]!)) return `${parts.join(". ")}.`;
  return `${SUBJECTS[field] ?? "This value"} ${parts.join(" and ")}.`;
}

import type { ReactNode } from "react";
import { Logo } from "./Logo";

/** The frame of the sign-in and sign-up pages. */
export function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="auth-layout">
      <main id="main" className="auth-card">
        <Logo />
        {children}
      </main>
      <footer className="auth-footer">
        <a href="/api/docs">API documentation</a>
      </footer>
    </div>
  );
}

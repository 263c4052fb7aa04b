/** The wordmark (an inline SVG element, not an HTML string, so CSP is happy). */
export function Logo() {
  return (
    <span className="logo">
      <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="6" className="logo__bg" />
        <path d="M6 22l6-7 5 4 9-11" className="logo__line" />
      </svg>
      <span className="logo__text">invsim</span>
    </span>
  );
}

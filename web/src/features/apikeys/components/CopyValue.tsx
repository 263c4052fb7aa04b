import type { Copier } from "../hooks/useCopy";

interface CopyValueProps {
  /** What the value is, for the button and the announcement ("secret key"). */
  what: string;
  value: string;
  copier: Copier;
  testId?: string;
  /** Show the value as a block of code (a snippet) instead of one line. */
  block?: boolean;
}

/** A value in monospace with its copy button; long values wrap instead of widening the page. */
export function CopyValue({ what, value, copier, testId, block = false }: CopyValueProps) {
  return (
    <div className={`copy-value${block ? " copy-value--block" : ""}`}>
      {block ? (
        <pre className="copy-value__text" data-testid={testId}>
          <code>{value}</code>
        </pre>
      ) : (
        <code className="copy-value__text" data-testid={testId}>
          {value}
        </code>
      )}
      <button
        type="button"
        className="button button--small button--secondary"
        aria-label={`Copy the ${what}`}
        onClick={() => void copier.copy(what, value)}
      >
        Copy
      </button>
    </div>
  );
}

import { useEffect, useRef, useState } from "react";
import { EmptyState, QueryView } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate, type QueryResult } from "@/hooks/useQuery";
import { formatDateTime } from "@/lib/format";
import { apiKeyKeys, revokeApiKey } from "../api/apiKeys";
import type { ApiKey } from "../types";
import { describeKeyError } from "../utils/keys";

interface ApiKeyListProps {
  portfolioId: number;
  keys: QueryResult<ApiKey[]>;
}

/** The portfolio's keys, newest first; active ones can be revoked after a confirmation. */
export function ApiKeyList({ portfolioId, keys }: ApiKeyListProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [revoked, setRevoked] = useState<ApiKey | null>(null);
  const status = useRef<HTMLParagraphElement>(null);
  const revoke = useAction(async (key: ApiKey) => {
    const done = await revokeApiKey(portfolioId, key.key_id);
    invalidate(apiKeyKeys.list(portfolioId));
    return done;
  });

  useEffect(() => {
    // The Revoke button is gone once the key is revoked: keep focus on the outcome.
    if (revoked) status.current?.focus();
  }, [revoked]);

  async function confirm(key: ApiKey) {
    const done = await revoke.run(key);
    if (done) {
      setConfirming(null);
      setRevoked(done);
    }
  }

  return (
    <>
      <p role="status" className="form-success keylist__status" ref={status} tabIndex={-1}>
        {revoked ? `Revoked “${revoked.name}”: requests with it are refused from now on.` : ""}
      </p>
      <QueryView
        query={keys}
        what="API keys"
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState title="No API keys yet.">
            <p>Create one above to let a program trade this portfolio.</p>
          </EmptyState>
        }
      >
        {(rows) => (
          <ul className="keylist">
            {rows.map((key) => (
              <KeyItem
                key={key.key_id}
                apiKey={key}
                confirming={confirming === key.key_id}
                pending={revoke.pending}
                error={confirming === key.key_id ? revoke.error : undefined}
                onAsk={() => {
                  revoke.reset();
                  setConfirming(key.key_id);
                }}
                onCancel={() => setConfirming(null)}
                onConfirm={() => void confirm(key)}
              />
            ))}
          </ul>
        )}
      </QueryView>
    </>
  );
}

interface KeyItemProps {
  apiKey: ApiKey;
  confirming: boolean;
  pending: boolean;
  error: unknown;
  onAsk: () => void;
  onCancel: () => void;
  onConfirm: () => void;
}

function KeyItem({ apiKey, confirming, pending, error, onAsk, onCancel, onConfirm }: KeyItemProps) {
  const active = apiKey.status === "active";
  const keep = useRef<HTMLButtonElement>(null);
  const ask = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    // Opening the confirmation focuses the safe choice (Enter must not revoke); closing returns to Revoke.
    if (confirming) keep.current?.focus();
    else if (wasConfirming.current) ask.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);
  const titleId = `key-${apiKey.key_id}`;
  return (
    <li className={`keylist__item${active ? "" : " keylist__item--revoked"}`} aria-labelledby={titleId}>
      <div className="keylist__head">
        <h3 id={titleId} className="keylist__name">
          {apiKey.name}
        </h3>
        <span className={`badge${active ? " badge--active" : ""}`}>{active ? "Active" : "Revoked"}</span>
      </div>
      <dl className="facts keylist__facts">
        <div>
          <dt>Key ID</dt>
          <dd>
            <code>{apiKey.key_id}</code>
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(apiKey.created_at)}</dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>{apiKey.last_used_at ? formatDateTime(apiKey.last_used_at) : "Never"}</dd>
        </div>
        {apiKey.revoked_at && (
          <div>
            <dt>Revoked</dt>
            <dd>{formatDateTime(apiKey.revoked_at)}</dd>
          </div>
        )}
      </dl>
      {active && !confirming && (
        <button ref={ask} type="button" className="button button--small button--danger" onClick={onAsk} aria-label={`Revoke ${apiKey.name}`}>
          Revoke…
        </button>
      )}
      {active && confirming && (
        <div
          className="keylist__confirm"
          role="group"
          aria-label={`Confirm revoking ${apiKey.name}`}
          onKeyDown={(e) => {
            if (e.key === "Escape" && !pending) onCancel();
          }}
        >
          <p>Revoke “{apiKey.name}”? Programs using it stop working at once. This can't be undone.</p>
          {error !== undefined && (
            <p className="form-error" role="alert">
              {describeKeyError(error)}
            </p>
          )}
          <div className="toolbar">
            <button type="button" className="button button--small button--danger" onClick={onConfirm} disabled={pending}>
              {pending ? "Revoking…" : "Yes, revoke key"}
            </button>
            <button ref={keep} type="button" className="button button--small button--secondary" onClick={onCancel} disabled={pending}>
              Keep key
            </button>
          </div>
        </div>
      )}
    </li>
  );
}

import { useEffect, useRef } from "react";
import { useCopy } from "../hooks/useCopy";
import type { IssuedKey } from "../types";
import { ConnectionDetails } from "./ConnectionDetails";
import { CopyValue } from "./CopyValue";

interface NewKeyPanelProps {
  issued: IssuedKey;
  origin: string;
  /** The user has stored the secret: forget it. */
  onDone: () => void;
}

/** The one time a secret is shown: id, secret, copy buttons, a clear warning and how to connect. */
export function NewKeyPanel({ issued, origin, onDone }: NewKeyPanelProps) {
  const copier = useCopy();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Screen readers and keyboards land on the panel, not back at the form.
    heading.current?.focus();
  }, [issued.key_id]);
  return (
    <section className="card new-key" aria-labelledby="new-key-title">
      <h2 id="new-key-title" ref={heading} tabIndex={-1}>
        Your new API key “{issued.name}”
      </h2>
      <p className="notice new-key__warning" id="new-key-warning">
        <strong>Copy the secret now: it will not be shown again.</strong> invsim stores only a fingerprint of it. If you
        lose it, revoke this key and create a new one.
      </p>
      <dl className="new-key__facts" aria-describedby="new-key-warning">
        <div>
          <dt>Key ID</dt>
          <dd>
            <CopyValue what="key ID" value={issued.key_id} copier={copier} testId="new-key-id" />
          </dd>
        </div>
        <div>
          <dt>Secret key</dt>
          <dd>
            <CopyValue what="secret key" value={issued.secret} copier={copier} testId="new-key-secret" />
          </dd>
        </div>
      </dl>
      <p role="status" className="muted new-key__status">
        {copier.message}
      </p>
      <h3 className="new-key__subhead">Connect a bot with this key</h3>
      <ConnectionDetails origin={origin} keyId={issued.key_id} secret={issued.secret} />
      <p className="new-key__done">
        <button type="button" className="button button--primary" onClick={onDone}>
          I've stored the secret
        </button>
      </p>
    </section>
  );
}

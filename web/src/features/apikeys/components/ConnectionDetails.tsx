import { useCopy } from "../hooks/useCopy";
import { alpacaPySnippet, connectionFor } from "../utils/keys";
import { CopyValue } from "./CopyValue";

interface ConnectionDetailsProps {
  origin: string;
  /** A key to fill the snippet with (the new key, while its secret is known). */
  keyId?: string;
  secret?: string;
}

/** Where a bot connects: the base URLs, the auth headers, and an alpaca-py snippet. */
export function ConnectionDetails({ origin, keyId, secret }: ConnectionDetailsProps) {
  const copier = useCopy();
  const { tradingUrl, sdkUrl } = connectionFor(origin);
  return (
    <div className="connection">
      <dl className="connection__facts">
        <div>
          <dt>Trading API base URL</dt>
          <dd>
            <CopyValue what="trading API base URL" value={tradingUrl} copier={copier} />
          </dd>
        </div>
        <div>
          <dt>
            alpaca-py <code>url_override</code>
          </dt>
          <dd>
            <CopyValue what="url_override value" value={sdkUrl} copier={copier} />
          </dd>
        </div>
        <div>
          <dt>Headers</dt>
          <dd>
            <code>APCA-API-KEY-ID</code> and <code>APCA-API-SECRET-KEY</code>
          </dd>
        </div>
      </dl>
      <p className="connection__label">Python (alpaca-py)</p>
      <CopyValue what="Python snippet" value={alpacaPySnippet(origin, keyId, secret)} copier={copier} block />
      <p role="status" className="muted connection__status">
        {copier.message}
      </p>
    </div>
  );
}

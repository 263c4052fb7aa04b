import { formatMoney, formatPercent, toneOf, type Numeric } from "@/lib/format";

/** A gain/loss in money: coloured and always signed, so colour is not the only cue. */
export function SignedMoney({ value }: { value: Numeric }) {
  return <span className={`tone tone--${toneOf(value)} nowrap`}>{formatMoney(value, { signed: true })}</span>;
}

/** A gain/loss as a percent of a fraction ("0.012" -> "+1.20%"). */
export function SignedPercent({ value }: { value: Numeric }) {
  return <span className={`tone tone--${toneOf(value)} nowrap`}>{formatPercent(value, { signed: true })}</span>;
}

/** Money change and percent change side by side: "+$12.00 (+1.20%)". */
export function Change({ amount, fraction }: { amount: Numeric; fraction: Numeric }) {
  return (
    <span className={`tone tone--${toneOf(amount ?? fraction)}`}>
      <span className="nowrap">{formatMoney(amount, { signed: true })}</span>{" "}
      <span className="nowrap">({formatPercent(fraction, { signed: true })})</span>
    </span>
  );
}

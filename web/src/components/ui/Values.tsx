import { formatMoney, formatPercent, returnDigits, toneOf, type Numeric, type Tone } from "@/lib/format";

/** The tone of a value as shown: a loss that rounds to "0.00%" is shown (and coloured) as flat. */
export function shownTone(value: Numeric, shown: string): Tone {
  return /[1-9]/.test(shown) ? toneOf(value) : "flat";
}

/** A gain/loss in money: coloured and always signed, so colour is not the only cue. */
export function SignedMoney({ value }: { value: Numeric }) {
  const text = formatMoney(value, { signed: true });
  return <span className={`tone tone--${shownTone(value, text)} nowrap`}>{text}</span>;
}

/** A gain/loss as a percent of a fraction ("0.012" -> "+1.20%"). */
export function SignedPercent({ value, digits }: { value: Numeric; digits?: number }) {
  const text = formatPercent(value, { signed: true, digits });
  return <span className={`tone tone--${shownTone(value, text)} nowrap`}>{text}</span>;
}

/** Money change and percent change side by side: "+$12.00 (+1.20%)"; a tiny change keeps its digits ("-$0.54 (-0.0005%)"). */
export function Change({ amount, fraction }: { amount: Numeric; fraction: Numeric }) {
  const money = formatMoney(amount, { signed: true });
  const percent = formatPercent(fraction, { signed: true, digits: returnDigits(fraction) });
  return (
    <span className={`tone tone--${shownTone(amount ?? fraction, money)}`}>
      <span className="nowrap">{money}</span> <span className="nowrap">({percent})</span>
    </span>
  );
}

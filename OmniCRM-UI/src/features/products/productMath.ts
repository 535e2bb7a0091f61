// Pricing figures the product editor shows next to the prices (seed-extract-5 §2.2: £15 retail against £5
// wholesale is a 200% markup and a 67% margin; a £1 wholesale setup against a £0 retail setup is -£1).

export interface PriceFigures {
  /** Retail minus wholesale: what the operator keeps (negative when selling below cost). */
  profit: number;
  /** Profit as a percentage of the retail price; null when the retail price is 0 (nothing to divide). */
  margin: number | null;
  /** Profit as a percentage of the wholesale cost; null when the wholesale cost is 0. */
  markup: number | null;
}

export function priceFigures(retail: number, wholesale: number): PriceFigures {
  const profit = roundCents(retail - wholesale);
  return {
    profit,
    margin: retail > 0 ? (profit / retail) * 100 : null,
    markup: wholesale > 0 ? (profit / wholesale) * 100 : null,
  };
}

/** The price a customer pays including tax (tax_percentage 10 = 10%). */
export function withTax(amount: number, taxPercentage: number): number {
  return roundCents(amount * (1 + taxPercentage / 100));
}

/** A percentage for display: whole numbers stay whole, others get one decimal (66.7%). */
export function formatPercent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  const rounded = Math.round(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

/** A form's money text as a number; blank or malformed text counts as 0 while the user is typing. */
export function amountOf(text: string | number | null | undefined): number {
  const value = typeof text === "number" ? text : Number(String(text ?? "").trim() || "0");
  return Number.isFinite(value) ? value : 0;
}

function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}

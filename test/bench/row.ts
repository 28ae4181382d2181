/** One line of `npm run bench`: a measured figure beside the baseline measured in the same run. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  baselineName: string | null;
  /** Human-readable budget from DESIGN.md, e.g. "≤ 30720 B" or "≥ 50 % of baseline". */
  budget: string;
  pass: boolean;
}

export interface BenchOptions {
  /** A small version for a quick check (under two minutes in all). */
  quick: boolean;
}

export const ratio = (row: BenchRow) => (row.baseline ? row.value / row.baseline : null);

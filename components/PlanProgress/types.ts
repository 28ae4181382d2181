import type { DealStatus, PeriodUnit } from '../../core/schema';

/** Which deals a clicked figure stands for (GET /api/progress/deals). */
export interface DrillTarget {
  /** undefined = the whole department (head) or the caller (manager). */
  ownerId?: string;
  /** Whose figure it is, for the dialog's title: "Priya Shah", "Department". */
  who: string;
  unit: PeriodUnit;
  status: DealStatus;
  currency?: string;
  /** What the figure was: "won this month", "open pipeline". */
  what: string;
}

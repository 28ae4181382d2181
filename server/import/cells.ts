import type { z } from 'zod';

const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A CSV cell as a number: plain digits with an optional decimal point, as spreadsheets export them. Thousands
 * separators and decimal commas are refused rather than guessed: "1,234" is 1234 in one locale and 1.234 in another.
 */
export function numberCell(text: string): number | null {
  const trimmed = text.trim();
  return plainNumber.test(trimmed) ? Number(trimmed) : null;
}

export function notANumber(column: string, text: string): string {
  return `${column}: ${JSON.stringify(text)} is not a number (write it like 125000 or 125000.50, without thousands separators)`;
}

/** zod's issues as one line: "target: a target cannot be negative; currency: …". */
export function zodReason(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ');
}

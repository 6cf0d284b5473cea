// Why a device import was refused, row by row: a stable code and the values a wording needs (the value found, a
// limit, the line an id was first on), never words for people; the dashboard words each code in the viewer's
// language. `message` says it in English for API users. Pure.
import { z } from 'zod';

/** What is wrong with a CSV file's quoting, at a line. */
export type CsvFault = 'unclosed_quote' | 'text_after_quote' | 'stray_quote';

export const importProblemCodes = [
  // the file is not CSV
  'csv.unclosed_quote', 'csv.text_after_quote', 'csv.stray_quote',
  // the file as a whole
  'file.empty', 'file.no_devices', 'file.too_many_rows',
  // the header
  'column.unknown', 'column.missing',
  // a row
  'row.field_count',
  // a cell
  'value.required', 'value.too_long', 'value.bad_id', 'value.unknown_family', 'value.not_integer', 'value.too_small', 'value.too_large', 'value.invalid',
  // against the other rows and the database
  'id.duplicate', 'id.exists', 'institution.unknown',
  // a transmission device's GB/T 26875.3 address: required for one, refused for the others, one device each
  'gb_address.required', 'gb_address.not_allowed', 'gb_address.duplicate', 'gb_address.exists',
] as const;
export const ImportProblemCode = z.enum(importProblemCodes);
export type ImportProblemCode = z.infer<typeof ImportProblemCode>;

export const ImportProblem = z.object({
  /** The file's line the row starts on (1: the header). */
  line: z.number().int(),
  /** The column, as the file names it; null for the row or the file as a whole. */
  field: z.string().nullable(),
  code: ImportProblemCode,
  /** What the wording needs: `value` (the cell as found, cut to 80 characters), `min`, `max`, `allowed`, `columns`, `firstLine`, `found`, `expected`. */
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  /** In English, for API users; the dashboard words `code` instead. */
  message: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

/** The 400's body: every problem, nothing imported. */
export const ImportRefusal = z.object({
  statusCode: z.literal(400),
  error: z.string(),
  code: z.literal('import.invalid_rows'),
  message: z.string(),
  rows: z.array(ImportProblem),
});
export type ImportRefusal = z.infer<typeof ImportRefusal>;

const MAX_VALUE = 80;

export function problem(line: number, field: string | null, code: ImportProblemCode, message: string, params: ImportProblem['params'] = {}): ImportProblem {
  const value = params.value;
  return { line, field, code, params: typeof value === 'string' && value.length > MAX_VALUE ? { ...params, value: `${value.slice(0, MAX_VALUE)}…` } : params, message };
}

export function csvProblem(line: number, fault: CsvFault, message: string): ImportProblem {
  return problem(line, null, `csv.${fault}`, message);
}

/** A cell's value refused by the device schema (NewDevice), as a code with its limits. */
export function valueProblem(line: number, field: string, value: string, issue: z.core.$ZodIssue): ImportProblem {
  const at = (code: ImportProblemCode, params: ImportProblem['params'] = {}) => problem(line, field, code, issue.message, { value, ...params });
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'number' ? at('value.too_small', { min: Number(issue.minimum) }) : at('value.required');
    case 'too_big':
      return issue.origin === 'number' ? at('value.too_large', { max: Number(issue.maximum) }) : at('value.too_long', { max: Number(issue.maximum) });
    case 'invalid_format':
      return at('value.bad_id');
    case 'invalid_value':
      return value === '' ? at('value.required') : at('value.unknown_family', { allowed: issue.values.map(String).join(',') });
    case 'invalid_type':
      return value === '' ? at('value.required') : at('value.not_integer');
    default:
      return at('value.invalid');
  }
}

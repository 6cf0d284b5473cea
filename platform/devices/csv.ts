// RFC 4180 CSV: fields split by commas, records by CRLF or LF; a quoted field may hold commas,
// line breaks and doubled quotes. Each record keeps the line it starts on, for error messages.
import type { CsvFault } from '../../contracts/device-import.js';

export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Why a file is not CSV, as a stable code (a program, or the dashboard in the viewer's language, words it). */
export type { CsvFault };

export type CsvParse = { ok: true; records: CsvRecord[] } | { ok: false; line: number; fault: CsvFault; message: string };

export function parseCsv(text: string): CsvParse {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // Excel's UTF-8 BOM
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    // a blank line (one empty field) is not a record
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"' && field === '') {
      const start = line;
      i++;
      for (;;) {
        if (i >= src.length) return { ok: false, line: start, fault: 'unclosed_quote', message: 'a quoted field is not closed' };
        const q = src[i]!;
        if (q === '"') {
          if (src[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = src[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        return { ok: false, line, fault: 'text_after_quote', message: 'text after a closing quote' };
      }
      continue;
    }
    if (c === ',') { fields.push(field); field = ''; i++; continue; }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (c === '"') return { ok: false, line, fault: 'stray_quote', message: 'a quote inside an unquoted field' };
    field += c;
    i++;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return { ok: true, records };
}

/** One CSV line (CRLF-terminated), quoting only the fields that need it. */
export function csvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',') + '\r\n';
}

/** CJK ideographs and full-width forms: what Chinese device lists are written in. */
const CHINESE = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

/**
 * A CSV file's text: UTF-8 (with or without Excel's BOM), or GB18030, the superset of GBK that Excel on a
 * Chinese Windows saves "CSV" in. Short GBK text can happen to be valid UTF-8 (住院楼 reads as "סԺ¥"), so
 * valid UTF-8 with no Chinese in it but non-ASCII letters is read as GB18030 when that gives Chinese.
 */
export function decodeCsv(bytes: Uint8Array): string {
  let utf8: string | null = null;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    /* not UTF-8 */
  }
  if (utf8 !== null && (!/[^\x00-\x7f]/.test(utf8.replace(/^\uFEFF/, '')) || CHINESE.test(utf8))) return utf8;
  const gb = new TextDecoder('gb18030').decode(bytes);
  return utf8 === null || CHINESE.test(gb) ? gb : utf8;
}

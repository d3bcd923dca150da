// CSV for the data grid's export and import (RFC 4180). NULL is an empty unquoted field and the
// empty string is `""`, so a table exported and imported again keeps the difference.
import { tokenizeCsv } from '../request/body-csv.js';


/** One CSV line: `csvLine(['a', null, '', 'x,y'])` → `a,,"","x,y"`. */
export function csvLine(values: readonly (string | null)[]): string {
  return values.map((v) => {
    if (v === null) return '';
    if (v === '' || /[",\r\n]/.test(v) || v.trim() !== v) return `"${v.replace(/"/g, '""')}"`;
    return v;
  }).join(',') + '\r\n';
}

export { CsvSyntaxError as CsvError } from '../request/body-csv.js';

/** Parses CSV text into rows of fields; unquoted empty fields are null (the export's convention). */
export function parseCsv(text: string): (string | null)[][] {
  return tokenizeCsv(text).map((r) => r.map((f) => (!f.quoted && f.text === '' ? null : f.text)));
}

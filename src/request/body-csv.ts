// The one CSV reader (RFC 4180: `,` separators, `"` quoting with `""` escapes, CRLF or LF line
// ends, a leading byte-order mark ignored). Callers choose what an unquoted field means as null:
// the API follows PostgREST (`NULL`), the admin UI's import round-trips its export (empty field).

export class CsvSyntaxError extends Error {}

export interface CsvField { readonly text: string; readonly quoted: boolean }

/** `a,"x, y"\n` → [[{text:'a',quoted:false}, {text:'x, y',quoted:true}]] */
export function tokenizeCsv(text: string): CsvField[][] {
  const rows: CsvField[][] = [];
  eachCsvRow(text, (row) => rows.push(row));
  return rows;
}

/** The rows of a CSV text one by one (a large body is never held as one list of fields). */
export function eachCsvRow(text: string, onRow: (row: CsvField[], line: number) => void): void {
  let lines = 0;
  let row: CsvField[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < n) {
    let field: CsvField;
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new CsvSyntaxError(`unterminated quoted field on line ${lines + 1}`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') { value += '"'; i += 2; continue; }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        throw new CsvSyntaxError(`unexpected character after a quoted field on line ${lines + 1}`);
      }
      field = { text: value, quoted: true };
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
      field = { text: text.slice(i, j), quoted: false };
      i = j;
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      if (i >= n) row.push({ text: '', quoted: false });
      continue;
    }
    // End of a line: a trailing newline does not start an empty row.
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    onRow(row, ++lines);
    row = [];
  }
  if (row.length > 0) onRow(row, lines + 1);
}

/** PostgREST's rule: an unquoted `NULL` is SQL null, an empty field is an empty string. */
export const apiCsvValue = (f: CsvField): string | null => (!f.quoted && f.text === 'NULL' ? null : f.text);

export function parseCsv(text: string): (string | null)[][] {
  return tokenizeCsv(text).map((r) => r.map(apiCsvValue));
}

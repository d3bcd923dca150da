// CSV for the data grid's export and import (RFC 4180). NULL is an empty unquoted field and the
// empty string is `""`, so a table exported and imported again keeps the difference.

/** One CSV line: `csvLine(['a', null, '', 'x,y'])` → `a,,"","x,y"`. */
export function csvLine(values: readonly (string | null)[]): string {
  return values.map((v) => {
    if (v === null) return '';
    if (v === '' || /[",\r\n]/.test(v) || v.trim() !== v) return `"${v.replace(/"/g, '""')}"`;
    return v;
  }).join(',') + '\r\n';
}

export class CsvError extends Error {}

/** Parses CSV text into rows of fields; unquoted empty fields are null. */
export function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte order mark from spreadsheet exports
  while (i < n) {
    let field: string | null;
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new CsvError(`unterminated quoted field on line ${rows.length + 1}`);
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') { value += '"'; i += 2; continue; }
          i++;
          break;
        }
        value += c;
        i++;
      }
      field = value;
      if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        throw new CsvError(`unexpected character after a quoted field on line ${rows.length + 1}`);
      }
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
      const raw = text.slice(i, j);
      field = raw === '' ? null : raw;
      i = j;
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      if (i >= n) row.push(null);
      continue;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    rows.push(row);
    row = [];
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

// CSV bodies as PostgREST reads them: a header row, `,` separators, `"` quoting with `""` escapes,
// CRLF or LF line ends; an unquoted NULL is SQL null and an empty field is an empty string.

/** `a,b\n1,"x, y"\n2,NULL` → [['a','b'], ['1','x, y'], ['2', null]] */
export function parseCsv(text: string): (string | null)[][] {
  const lines: (string | null)[][] = [];
  let fields: (string | null)[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return lines;
  while (i <= n) {
    let value: string | null;
    if (text[i] === '"') {
      let v = '';
      i++;
      while (i < n) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') { v += '"'; i += 2; continue; }
          i++;
          break;
        }
        v += text[i];
        i++;
      }
      value = v;
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
      const raw = text.slice(i, j);
      value = raw === 'NULL' ? null : raw;
      i = j;
    }
    fields.push(value);
    if (text[i] === ',') { i++; continue; }
    // End of a line (or of the text): a trailing newline does not start an empty row.
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    lines.push(fields);
    fields = [];
    if (i >= n) break;
  }
  return lines;
}

// Completion for the SQL editor: after `name.` the columns of that table (or the tables of that
// schema), otherwise tables, schemas, columns of the tables the script mentions, and keywords.
import { keywords } from './highlight';

export interface NameInfo { schema: string; name: string; columns: string[] }

export function currentWord(text: string, caret: number): { word: string; qualifier: string | null; start: number } {
  const before = text.slice(0, caret);
  const m = /(?:("?[\w$]+"?)\.)?([\w$]*)$/.exec(before);
  const word = m?.[2] ?? '';
  const qualifier = m?.[1]?.replace(/"/g, '') ?? null;
  return { word, qualifier, start: caret - word.length };
}

export function suggestions(text: string, caret: number, names: NameInfo[]): string[] {
  const { word, qualifier } = currentWord(text, caret);
  const w = word.toLowerCase();
  const starts = (s: string) => s.toLowerCase().startsWith(w) && s.toLowerCase() !== w;
  let pool: string[];
  if (qualifier) {
    const q = qualifier.toLowerCase();
    const tables = names.filter((n) => n.name.toLowerCase() === q);
    // An alias such as `t` in `from api.todos t`: find the table it stands for.
    const alias = new RegExp(`([\\w$."]+)\\s+(?:as\\s+)?${q.replace(/[^\w$]/g, '')}\\b`, 'i').exec(text)?.[1]?.split('.').pop()?.replace(/"/g, '');
    const aliased = alias ? names.filter((n) => n.name.toLowerCase() === alias.toLowerCase()) : [];
    pool = [...tables, ...aliased].flatMap((n) => n.columns);
    pool.push(...names.filter((n) => n.schema.toLowerCase() === q).map((n) => n.name));
  } else {
    const mentioned = names.filter((n) => new RegExp(`\\b${n.name.replace(/[^\w$]/g, '')}\\b`, 'i').test(text));
    pool = [
      ...mentioned.flatMap((n) => n.columns),
      ...names.map((n) => n.name),
      ...new Set(names.map((n) => n.schema)),
      ...[...keywords].map((k) => k.toUpperCase()),
      ...names.flatMap((n) => n.columns),
    ];
  }
  if (w === '' && !qualifier) return [];
  return [...new Set(pool.filter(starts))].slice(0, 12);
}

// "Perhaps you meant …" hints, chosen as PostgREST chooses them: a fuzzy set (fuzzyset.js, which
// PostgREST uses through its Haskell port Data.FuzzySet) of 2- and 3-grams compared by cosine
// similarity, the best 50 re-ranked by Levenshtein distance, scores below 0.33 dropped.
// Example: closest('sayhell', ['sayhello', 'add']) → 'sayhello'; closest('xyz', ['sayhello']) → null.

const GRAM_SIZES = [3, 2] as const; // largest first: the first size with any match decides
const MIN_SCORE = 0.33;
const RERANKED = 50;

interface Item {
  readonly value: string;
  readonly lower: string;
  /** Per gram size: the gram counts and their vector norm. */
  readonly norms: ReadonlyMap<number, number>;
}

/** fuzzyset.js's `_iterateGrams`: lowercased, non-word characters (underscore too) dropped, `-` around. */
function grams(value: string, size: number): string[] {
  let s = `-${value.toLowerCase().replace(/[^a-z0-9\u00C0-\u00FF, ]+/g, '')}-`;
  if (s.length < size) s += '-'.repeat(size - s.length);
  const out: string[] = [];
  for (let i = 0; i + size <= s.length; i++) out.push(s.slice(i, i + size));
  return out;
}

function gramCounts(value: string, size: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const g of grams(value, size)) counts.set(g, (counts.get(g) ?? 0) + 1);
  return counts;
}

const norm = (counts: ReadonlyMap<string, number>) => Math.sqrt([...counts.values()].reduce((s, c) => s + c * c, 0));

export class FuzzySet {
  private readonly items: Item[] = [];
  private readonly exact = new Map<string, string>();
  /** gram → [item index, count] per gram size. */
  private readonly matches = new Map<number, Map<string, Array<readonly [number, number]>>>();

  constructor(values: Iterable<string>) {
    for (const size of GRAM_SIZES) this.matches.set(size, new Map());
    for (const v of values) this.add(v);
  }

  private add(value: string): void {
    const lower = value.toLowerCase();
    if (this.exact.has(lower)) return;
    this.exact.set(lower, value);
    const index = this.items.length;
    const norms = new Map<number, number>();
    for (const size of GRAM_SIZES) {
      const counts = gramCounts(value, size);
      const dict = this.matches.get(size) as Map<string, Array<readonly [number, number]>>;
      for (const [g, c] of counts) {
        const list = dict.get(g);
        if (list) list.push([index, c]);
        else dict.set(g, [[index, c]]);
      }
      norms.set(size, norm(counts));
    }
    this.items.push({ value, lower, norms });
  }

  /** Candidates scoring at least `minScore`, best first; an exact (case-insensitive) match alone scores 1. */
  get(value: string, minScore = MIN_SCORE): Array<readonly [number, string]> {
    const lower = value.toLowerCase();
    const exact = this.exact.get(lower);
    if (exact !== undefined) return [[1, exact]];
    for (const size of GRAM_SIZES) {
      const found = this.matchesOf(lower, size, minScore);
      if (found.length > 0) return found;
    }
    return [];
  }

  getOne(value: string): string | null {
    return this.get(value)[0]?.[1] ?? null;
  }

  private matchesOf(lower: string, size: number, minScore: number): Array<readonly [number, string]> {
    const counts = gramCounts(lower, size);
    const dict = this.matches.get(size) as Map<string, Array<readonly [number, number]>>;
    const dot = new Map<number, number>();
    for (const [g, c] of counts) {
      for (const [index, other] of dict.get(g) ?? []) dot.set(index, (dot.get(index) ?? 0) + c * other);
    }
    if (dot.size === 0) return [];
    const n = norm(counts);
    const cosine = [...dot].map(([index, d]) => {
      const item = this.items[index] as Item;
      return [d / (n * (item.norms.get(size) as number)), item] as const;
    }).sort((a, b) => b[0] - a[0]);
    return cosine.slice(0, RERANKED)
      .map(([, item]) => [similarity(item.lower, lower), item.value] as const)
      .sort((a, b) => b[0] - a[0])
      .filter(([score]) => score >= minScore);
  }
}

/** The best candidate for `target`, or null when none is close (PostgREST's `Fuzzy.getOne`). */
export function closest(target: string, candidates: Iterable<string>): string | null {
  return new FuzzySet(candidates).getOne(target);
}

/** 1 − Levenshtein distance / the longer length. */
function similarity(a: string, b: string): number {
  return 1 - distance(a, b) / Math.max(a.length, b.length);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

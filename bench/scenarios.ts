// The benchmark scenarios: one HTTP request shape each (cycled over a few keys where the request
// addresses a row), sent identically to PeSquel and to the baseline servers.
import { createHash } from 'node:crypto';

export type ScenarioName =
  | 'get-1' | 'get-10' | 'get-100' | 'get-1000' | 'filtered' | 'embed-o2m' | 'embed-m2o'
  | 'post-1' | 'post-1000' | 'post-nested' | 'patch' | 'rpc' | `rows-${number}`;

export interface Scenario {
  readonly name: ScenarioName;
  readonly title: string;
  readonly method: 'GET' | 'POST' | 'PATCH';
  /** Path with `{key}` where a todo key is substituted (keys cycle per request). */
  readonly path: string;
  readonly body?: string;
  readonly write: boolean;
}

/** Todo n's primary key, as the fixture defines it: md5('todo' || n)::uuid. */
export function todoKey(n: number): string {
  const h = createHash('md5').update(`todo${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Requests that address a row cycle over this many keys (todos 1..KEY_COUNT). */
export const KEY_COUNT = 64;

const activity = (i: number) => ({ owner_id: 1 + (i % 1000), title: `bench activity ${i}`, done: i % 2 === 0 });

const nestedOrder = { title: 'bench purchase', purchase_items: Array.from({ length: 10 }, (_, j) => ({ sku: `sku-${j}`, qty: 1 + j })) };

export const scenarios: readonly Scenario[] = [
  { name: 'get-1', title: 'GET one row by primary key', method: 'GET', path: '/todos?id=eq.{key}', write: false },
  { name: 'get-10', title: 'GET 10 rows', method: 'GET', path: '/todos?limit=10', write: false },
  { name: 'get-100', title: 'GET 100 rows', method: 'GET', path: '/todos?limit=100', write: false },
  { name: 'get-1000', title: 'GET 1000 rows', method: 'GET', path: '/todos?limit=1000', write: false },
  {
    name: 'filtered', title: 'filtered and ordered GET', method: 'GET', write: false,
    path: '/todos?select=id,title,created_at&completed=is.false&priority=gte.3&order=created_at.desc&limit=50',
  },
  {
    name: 'embed-o2m', title: 'embedded GET, one-to-many', method: 'GET', write: false,
    path: '/todos?select=id,title,comments(id,body)&order=created_at.desc&limit=10',
  },
  {
    name: 'embed-m2o', title: 'embedded GET, many-to-one', method: 'GET', write: false,
    path: '/todos?select=id,title,owners(id,name)&limit=10',
  },
  { name: 'post-1', title: 'POST one row', method: 'POST', path: '/activity', body: JSON.stringify(activity(1)), write: true },
  {
    name: 'post-1000', title: 'POST 1000 rows (bulk array)', method: 'POST', path: '/activity', write: true,
    body: JSON.stringify(Array.from({ length: 1000 }, (_, i) => activity(i))),
  },
  // Issue 18: a purchase and its 10 items in one request (bench/nested-insert.ts compares it with 11 requests).
  { name: 'post-nested', title: 'POST one purchase with 10 items (nested insert)', method: 'POST', path: '/purchases', body: JSON.stringify(nestedOrder), write: true },
  { name: 'patch', title: 'PATCH one row by key', method: 'PATCH', path: '/todos?id=eq.{key}', body: '{"completed":true}', write: true },
  { name: 'rpc', title: 'RPC (POST /rpc/owner_summary)', method: 'POST', path: '/rpc/owner_summary', body: '{"owner":7}', write: false },
];

export function scenario(name: ScenarioName): Scenario {
  const s = scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`unknown scenario ${name}`);
  return s;
}

/** GET n rows, for the rows-scaling series (1 → 10k). */
export function rowsScenario(n: number): Scenario {
  return { name: `rows-${n}`, title: `GET ${n} rows`, method: 'GET', path: `/todos?limit=${n}`, write: false };
}

export const keyed = (s: Scenario) => s.path.includes('{key}');

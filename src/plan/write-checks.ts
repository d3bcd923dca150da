// Rules a write must pass before it is planned: PUT's primary-key filters (PGRST105/114/115) and
// PeSquel's guard against PATCH/DELETE restricted by what PostgREST ignores there (its issue #4352:
// such a DELETE removed every row). Here those are refused, never widened.
import { ApiError } from '../errors/api-error.js';
import { errors } from '../errors/codes.js';
import type { ApiRequest, Condition, SelectItem } from '../request/types.js';
import type { Table } from '../schema-cache/types.js';
import type { RowsPayload } from '../request/body.js';

type Embed = Extract<SelectItem, { kind: 'embed' }>;

const embedName = (e: Embed) => e.alias ?? e.name;

/**
 * PATCH/DELETE (and PUT): what would restrict the rows of a read but not those of a write — an
 * `!inner` embed, a null test on an embed (`directors=not.is.null`, by its alias or unaliased name)
 * or a top-level limit/offset (PostgREST v13 no longer limits writes) — is refused with 400, since
 * the write would change more rows than the request appears to select. Filters on embedded
 * resources (`directors.name=eq.X`) only shape the returned representation and are accepted.
 */
export function checkWriteRestrictions(req: ApiRequest): void {
  const method = req.method;
  const embeds = (req.query.select ?? []).filter((s): s is Embed => s.kind === 'embed');
  const names = new Set(embeds.map(embedName));
  for (const f of req.query.filters) {
    if (f.path.length === 0 && !(f.parsed instanceof ApiError) && testsEmbed(f.parsed, names)) {
      throw errors.writeEmbedFilter(method, `The filter '${f.key}=${f.value}' tests the embedded resource.`);
    }
  }
  if (method !== 'PUT' && (req.query.limit.some((l) => l.path.length === 0) || req.query.offset.some((o) => o.path.length === 0))) {
    throw errors.writeLimit(method);
  }
  for (const e of embeds) {
    if (e.joinType === 'inner') {
      throw errors.writeEmbedFilter(method, `The embed '${embedName(e)}!inner' would restrict the rows.`);
    }
  }
}

/** `rel=is.null` / `rel=not.is.null` anywhere in the condition (PostgREST's embed null filter). */
function testsEmbed(c: Condition, names: ReadonlySet<string>): boolean {
  if (c.kind === 'logic') return c.children.some((x) => testsEmbed(x, names));
  return c.field.path.length === 0 && names.has(c.field.name) && c.operation.kind === 'is' && c.operation.value === 'null';
}

/** PUT: only `eq` filters, one per primary-key column, and no limit/offset. Returns pk → value. */
export function putKey(req: ApiRequest, table: Table): Map<string, string> {
  if (req.query.limit.length > 0 || req.query.offset.length > 0) throw errors.putLimitOffset();
  const key = new Map<string, string>();
  for (const f of req.query.filters) {
    const c = f.parsed;
    if (c instanceof ApiError) throw c;
    const ok = f.path.length === 0 && c.kind === 'filter' && !c.negated && c.field.path.length === 0
      && c.operation.kind === 'simple' && c.operation.op === 'eq'
      && table.primaryKey.includes(c.field.name) && !key.has(c.field.name);
    if (!ok || c.kind !== 'filter' || c.operation.kind !== 'simple') throw errors.invalidPutFilters();
    key.set(c.field.name, c.operation.value);
  }
  if (table.primaryKey.length === 0 || key.size !== table.primaryKey.length) throw errors.invalidPutFilters();
  return key;
}

/** PUT's body is one row whose primary-key values equal the URL's (compared as text). */
export function checkPutBody(payload: RowsPayload, key: ReadonlyMap<string, string>): void {
  if (payload.rows.length !== 1) throw errors.invalidBody('A PUT body must be a single JSON object');
  const row = payload.rows[0] as Record<string, unknown>;
  for (const [col, value] of key) {
    const v = row[col];
    const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
    if (text !== value) throw errors.putPkMismatch();
  }
}

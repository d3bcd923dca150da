// Constructors for every PGRST error PeSquel raises, with PostgREST's codes, statuses and messages.
// docs/errors.md lists them; keep the two in step.
import { ApiError, type ErrorDetails } from './api-error.js';

const e = (code: string, status: number, message: string, details?: ErrorDetails, hint?: string | null, headers?: Record<string, string>) =>
  new ApiError({ code, status, message, details: details ?? null, hint: hint ?? null, headers });

export const errors = {
  // Group 0: connection and pool
  /** The driver's own message (host, port) goes to the log, not to the client. */
  dbConnection: () => e('PGRST000', 503, 'Database client error. Retrying the connection.', 'The database is not reachable right now.', null, { 'Retry-After': '5' }),
  schemaCacheUnavailable: () => e('PGRST002', 503, 'Could not query the database for the schema cache. Retrying.', null, null, { 'Retry-After': '5' }),
  poolTimeout: () => e('PGRST003', 504, 'Timed out acquiring connection from connection pool.'),
  /**
   * PeSquel: the HTTP client went away before its answer was ready, so its statement was cancelled
   * (or never run). Nobody receives this; logs and metrics show status 499 (nginx's "client closed
   * request") with PostgreSQL's query_canceled SQLSTATE.
   */
  clientClosed: () => e('57014', 499, 'The client closed the connection: its statement was cancelled'),

  // Group 1: API request
  /** A query-string parse error: `"failed to parse select (a,b(()" (line 1, column 6)`, details say what was expected. */
  parse: (what: string, details: string, column?: number) =>
    e('PGRST100', 400, column === undefined ? `"failed to parse ${what}"` : `"failed to parse ${what}" (line 1, column ${column})`, details),
  rpcVerb: (method: string) => e('PGRST101', 405, `Cannot use the ${method} method on RPC`),
  invalidBody: (message: string) => e('PGRST102', 400, message),
  bodyTooLarge: (limit: number) => e('PGRST102', 413, `Request body larger than ${limit} bytes`),
  /** PeSquel: PostgreSQL's JSON parser would run out of stack (54001, a 500) on such a body. */
  jsonTooDeep: (max: number) => e('PGRST102', 400, 'Empty or invalid json', `JSON nested deeper than ${max} levels`),
  /** PeSquel: the body stalled or trickled (server-body-idle-timeout, server-body-min-rate). */
  bodyTimeout: (details: string) => e('PGRST102', 408, 'Request body not received in time', details),
  invalidRange: (details?: string) => e('PGRST103', 416, 'Requested range not satisfiable', details ?? null),
  offsetBeyondTotal: (offset: number, total: number) =>
    e('PGRST103', 416, 'Requested range not satisfiable', `An offset of ${offset} was requested, but there are only ${total} rows.`, null, { 'Content-Range': `*/${total}` }),
  invalidPutFilters: () => e('PGRST105', 405, 'Filters must include all and only primary key columns with \'eq\' operators'),
  schemaNotExposed: (schema: string, exposed: readonly string[]) =>
    e('PGRST106', 406, `Invalid schema: ${schema}`, null, `Only the following schemas are exposed: ${exposed.join(', ')}`),
  mediaTypeNotAcceptable: (accept: string) => e('PGRST107', 406, `None of these media types are available: ${accept}`),
  filterOnMissingEmbed: (name: string) =>
    e('PGRST108', 400, `'${name}' is not an embedded resource in this request`, null, `Verify that '${name}' is included in the 'select' query parameter.`),
  invalidResponseHeaders: () => e('PGRST111', 500, 'response.headers guc must be a JSON array composed of objects with a single key and a string value'),
  invalidResponseStatus: (value: string) => e('PGRST112', 500, 'response.status guc must be a valid status code', `Got: ${value}`),
  putLimitOffset: () => e('PGRST114', 400, 'limit/offset querystring parameters are not allowed for PUT'),
  putPkMismatch: () => e('PGRST115', 400, 'Payload values do not match URL in primary key column(s)'),
  singularity: (rows: number) =>
    e('PGRST116', 406, 'Cannot coerce the result to a single JSON object', `The result contains ${rows} rows`),
  unsupportedVerb: (method: string) => e('PGRST117', 405, `Unsupported HTTP method: ${method}`),
  relatedOrderNotToOne: (origin: string, target: string) =>
    e('PGRST118', 400, `A related order on '${target}' is not possible`, `'${origin}' and '${target}' do not form a many-to-one or one-to-one relationship`),
  /** An upsert merging rows of a relation without a primary key and without `?on_conflict=`. */
  upsertWithoutKey: (table: string) =>
    e('42P10', 400, 'there is no unique or exclusion constraint matching the ON CONFLICT specification', null,
      `'${table}' has no primary key: name the conflict columns with the on_conflict query parameter`),
  /** Two unaliased embeds of one relation: PostgREST's SQL repeats their alias and PostgreSQL refuses it. */
  duplicateEmbed: (alias: string) => e('42712', 400, `table name "${alias}" specified more than once`),
  embedOperator: (name: string) =>
    e('PGRST120', 400, `Bad operator on the '${name}' embedded resource`, "Only is null or not is null filters are allowed on embedded resources"),
  raisePgrstJson: (details: string) => e('PGRST121', 500, "Could not parse JSON in the RAISE SQLSTATE 'PGRST' error", details),
  invalidPreferences: (prefs: readonly string[]) =>
    e('PGRST122', 400, 'Invalid preferences given with handling=strict', `Invalid preferences: ${prefs.join(', ')}`),
  aggregatesDisabled: () => e('PGRST123', 400, 'Use of aggregate functions is not allowed'),
  maxAffected: (rows: number) => e('PGRST124', 400, 'Query result exceeds max-affected preference constraint', `The query affects ${rows} rows`),
  // PostgREST's text: no details (the path is the client's own URL).
  invalidPath: (_path: string) => e('PGRST125', 404, 'Invalid path specified in request URL'),
  openApiDisabled: () => e('PGRST126', 404, 'Root endpoint metadata is disabled'),
  notImplemented: (what: string) => e('PGRST127', 400, 'Feature not implemented', what),
  /** PeSquel: PostgREST ignores these (its issue #4352: a DELETE removed every row); PeSquel refuses them. */
  writeEmbedFilter: (method: string, what: string) =>
    e('PGRST127', 400, `Embedded resources cannot restrict the rows of a ${method}`, what,
      'Filter on the columns of the table itself (e.g. id=in.(...)), or use a function (/rpc) for conditional changes.'),
  /** PeSquel: PostgREST v13 dropped limited PATCH/DELETE; ignoring limit/offset would widen the change, so it is refused. */
  writeLimit: (method: string) =>
    e('PGRST127', 400, `limit/offset cannot restrict the rows of a ${method}`, 'Every row matching the filters would change.',
      'Filter on a key instead (e.g. id=in.(...)).'),
  /** PeSquel: GET/HEAD run read-only, so only STABLE and IMMUTABLE functions may be called with them. */
  volatileRpcRead: (method: string, fn: string) =>
    e('PGRST101', 405, `Cannot use the ${method} method on RPC`, `${fn} is VOLATILE: call it with POST.`),
  maxAffectedRpc: () => e('PGRST128', 400, 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict'),

  // Group 2: schema cache
  noRelationship: (parent: string, child: string, schema: string, hint: string | null, embedHint: string | null = null) =>
    e('PGRST200', 400, `Could not find a relationship between '${parent}' and '${child}' in the schema cache`,
      `Searched for a foreign key relationship between '${parent}' and '${child}${embedHint === null ? '' : `' using the hint '${embedHint}`}' in the schema '${schema}', but no matches were found.`, hint),
  ambiguousEmbed: (parent: string, child: string, details: readonly unknown[], hint: string) =>
    e('PGRST201', 300, `Could not embed because more than one relationship was found for '${parent}' and '${child}'`, details, hint),
  noFunction: (qualified: string, details: string, hint: string | null) =>
    e('PGRST202', 404, `Could not find the function ${qualified} in the schema cache`, details, hint),
  ambiguousFunction: (qualified: string, hint: string) =>
    e('PGRST203', 300, `Could not choose the best candidate function between: ${qualified}`, null, hint),
  noColumn: (column: string, table: string) =>
    e('PGRST204', 400, `Could not find the '${column}' column of '${table}' in the schema cache`),
  noTable: (qualified: string, hint: string | null) =>
    e('PGRST205', 404, `Could not find the table '${qualified}' in the schema cache`, null, hint),

  // Group 3: JWT
  jwtSecretMissing: () => e('PGRST300', 500, 'Server lacks JWT secret'),
  jwtDecode: (message: string) => e('PGRST301', 401, message, null, null, { 'WWW-Authenticate': bearerChallenge(message) }),
  anonDisabled: () => e('PGRST302', 401, 'Anonymous access is disabled', null, null, { 'WWW-Authenticate': 'Bearer' }),
  jwtClaims: (message: string) => e('PGRST303', 401, message, null, null, { 'WWW-Authenticate': bearerChallenge(message) }),

  // PeSquel: limits of the HTTP server itself (answered before any request is parsed)
  headersTooLarge: (limit: number) => e('PGRST190', 431, 'Request header fields too large', `The request line and headers exceed ${limit} bytes (server-max-header-bytes).`),
  requestTimeout: () => e('PGRST190', 408, 'Request not received in time'),
  malformedHttp: () => e('PGRST190', 400, 'Malformed HTTP request'),
  serverBusy: (details: string, retryAfter: number) => e('PGRST191', 503, 'Server busy', details, null, { 'Retry-After': String(retryAfter) }),

  // PeSquel: nested inserts (docs/errors.md)
  /** PeSquel: a PATCH, PUT or upsert body holds a relationship key (nested writes are inserts only). */
  nestedWriteMethod: (what: string, key: string, table: string) =>
    e('PGRST192', 400, `${what} cannot write related rows: '${key}' is a relationship of '${table}'`, null,
      `Create related rows with a plain POST (no resolution= preference), or write '${key}' with its own request.`),
  /** PeSquel: a nested insert body the planner cannot follow; details give the path (`order_lines[1].author`). */
  nestedBody: (message: string, path: string) => e('PGRST193', 400, message, path),
  /** A column missing from a relation, at a path of a nested insert body. */
  noColumnAt: (column: string, table: string, path: string) =>
    e('PGRST204', 400, `Could not find the '${column}' column of '${table}' in the schema cache`, path),

  internal: (details: string | null = null) => e('PGRSTX00', 500, 'Internal server error', details),
};

export function bearerChallenge(description: string): string {
  return `Bearer error="invalid_token", error_description="${description.replace(/["\\]/g, '')}"`;
}

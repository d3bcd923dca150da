// log-query = main-query (PostgREST v13): the text a request log line shows of its main statement.
import { render, type Sql } from '../sql/sql.js';

/**
 * The statement with `$n` placeholders. Values are bind parameters and stay out of it, so a password
 * in a filter or a body never reaches the logs. Undefined when it cannot be rendered (the request
 * itself then reports why; logging must never be what fails it).
 * Example: GET /todos?id=eq.1 → `… WHERE "todos"."id" = $1 …`
 */
export function mainStatementText(main: Sql): string | undefined {
  try {
    return render(main).text.trim();
  } catch {
    return undefined;
  }
}

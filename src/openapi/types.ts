// The slice of the OpenAPI 3.0 object model the generator writes: plain JSON objects.
// Loose on purpose: documents are data for JSON.stringify, and extensions (x-…) are allowed anywhere.

export type JsonSchema = { readonly [key: string]: unknown };

export interface Parameter {
  readonly name: string;
  readonly in: 'query' | 'header' | 'path';
  readonly description?: string;
  readonly required?: boolean;
  readonly schema: JsonSchema;
  readonly example?: unknown;
  readonly style?: string;
  readonly explode?: boolean;
}

export type Ref = { readonly $ref: string };

export interface Operation {
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly operationId: string;
  readonly parameters: readonly (Parameter | Ref)[];
  /** `example`: what the docs' form starts from (a nested insert body for relations with relationships). */
  readonly requestBody?: { readonly required: boolean; readonly content: Record<string, { schema: JsonSchema; example?: unknown }> };
  readonly responses: Record<string, unknown>;
}

export type PathItem = Partial<Record<'get' | 'post' | 'patch' | 'delete', Operation>>;

export const ref = (section: 'schemas' | 'parameters' | 'responses', key: string): Ref => ({ $ref: `#/components/${section}/${key}` });

/** What the path builders add to while the document is assembled. */
export interface DocContext {
  readonly schemas: Record<string, JsonSchema>;
  readonly parameters: Record<string, Parameter>;
  /** Component keys for schemas (tables), unique after sanitising. */
  readonly schemaKeys: { key(name: string): string };
  readonly parameterKeys: { key(name: string): string };
  readonly functionKeys: { key(name: string): string };
  /** Row schema $refs of the documented relations, by name (for functions returning rows). */
  readonly tableRefs: Map<string, Ref>;
  /** True when requests need Accept-Profile/Content-Profile to reach the documented schema. */
  readonly needsProfile: boolean;
}

/** PostgREST's convention: a COMMENT's first line is the summary, the rest the description. */
export function splitComment(comment: string | null, fallback: string): { summary: string; description?: string } {
  if (comment === null || comment.trim() === '') return { summary: fallback };
  const [first = '', ...rest] = comment.trim().split('\n');
  const description = rest.join('\n').trim();
  return description === '' ? { summary: first.trim() } : { summary: first.trim(), description };
}

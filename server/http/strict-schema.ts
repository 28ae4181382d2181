import { z } from 'zod';

/*
 * Writes are parsed strictly: a key the schema does not name is a 400, so a typo ("defaultweight") is refused instead
 * of being dropped while the field it meant keeps its default. The schemas in core/schema stay tolerant, because the
 * extension parses the server's answers with them and must not break when a newer server adds a field; strictness is
 * derived here, once per schema, for everything the server reads from a client.
 */

type Def = z.core.$ZodTypeDef & Record<string, unknown>;
type Node = z.core.$ZodType;

const clone = (node: Node, def: Def): Node => z.core.clone(node, def as never);
const never = z.never();

function strictNode(node: Node, seen: Map<Node, Node>): Node {
  const known = seen.get(node);
  if (known) return known;
  const def = node._zod.def as Def;
  const inner = (key: string) => strictNode(def[key] as Node, seen);
  let result: Node;
  switch (def.type) {
    case 'object': {
      const shape = Object.fromEntries(Object.entries(def.shape as Record<string, Node>).map(([key, value]) => [key, strictNode(value, seen)]));
      // An object that declared its own catchall (loose, or a catchall schema) meant to accept other keys.
      result = clone(node, { ...def, shape, catchall: def.catchall === undefined ? never : strictNode(def.catchall as Node, seen) });
      break;
    }
    case 'array':
      result = clone(node, { ...def, element: inner('element') });
      break;
    case 'record':
      result = clone(node, { ...def, keyType: inner('keyType'), valueType: inner('valueType') });
      break;
    case 'union':
      result = clone(node, { ...def, options: (def.options as Node[]).map((option) => strictNode(option, seen)) });
      break;
    case 'intersection':
      result = clone(node, { ...def, left: inner('left'), right: inner('right') });
      break;
    case 'tuple':
      result = clone(node, { ...def, items: (def.items as Node[]).map((item) => strictNode(item, seen)), rest: def.rest ? inner('rest') : def.rest });
      break;
    case 'pipe':
      result = clone(node, { ...def, in: inner('in'), out: inner('out') });
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      result = clone(node, { ...def, innerType: inner('innerType') });
      break;
    case 'lazy': {
      const getter = def.getter as () => Node;
      const { _cachedInner: _memo, ...rest } = def;
      result = clone(node, { ...rest, getter: () => strictNode(getter(), seen) } as Def);
      break;
    }
    default:
      // Leaves (strings, numbers, enums, literals, unknown, transforms) hold no keys.
      result = node;
  }
  seen.set(node, result);
  return result;
}

const strictOf = new WeakMap<z.ZodType, z.ZodType>();

/** The same schema with every object, however deep, refusing keys it does not declare; built once per schema. */
export function strictSchema<S extends z.ZodType>(schema: S): S {
  let strict = strictOf.get(schema);
  if (!strict) {
    strict = strictNode(schema, new Map()) as z.ZodType;
    strictOf.set(schema, strict);
  }
  return strict as S;
}

import type { Op, Where } from './query';

// The part of SQL a v4_1 client may put into get_entry_list's `query` and `order_by` that this fake understands:
// comparisons of a column (optionally table-prefixed) with a quoted literal or a number, AND, OR and parentheses.
// SuiteCRM runs such clauses through include/SugarSQLValidate.php and refuses what fails it with the `no_access`
// fault; this fake refuses what it cannot read the same way, so a client cannot rely on more than it checks.

type Token = { type: 'ident' | 'string' | 'number' | 'op' | 'word' | 'paren'; value: string };

export class BadClause extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new BadClause('unterminated string');
        const d = text[i]!;
        if (d === '\\') {
          value += text[i + 1] ?? '';
          i += 2;
        } else if (d === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (d === "'") {
          i++;
          break;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ type: 'string', value });
    } else if (c === '(' || c === ')') {
      tokens.push({ type: 'paren', value: c });
      i++;
    } else if ('<>=!'.includes(c)) {
      const two = text.slice(i, i + 2);
      const op = ['<>', '>=', '<=', '!='].includes(two) ? two : c;
      tokens.push({ type: 'op', value: op === '!=' ? '<>' : op });
      i += op.length;
    } else if (/[0-9]/.test(c)) {
      const number = /^[0-9]+(\.[0-9]+)?/.exec(text.slice(i))![0];
      tokens.push({ type: 'number', value: number });
      i += number.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?/.exec(text.slice(i))![0];
      const upper = word.toUpperCase();
      tokens.push(['AND', 'OR', 'LIKE', 'ASC', 'DESC'].includes(upper) ? { type: 'word', value: upper } : { type: 'ident', value: word });
      i += word.length;
    } else {
      throw new BadClause(`unexpected ${c}`);
    }
  }
  return tokens;
}

function column(ident: string, table: string): string {
  const [first, second] = ident.split('.');
  if (second === undefined) return first!;
  if (first!.toLowerCase() !== table) throw new BadClause(`unknown table ${first}`);
  return second;
}

/** Parses a WHERE clause of `table` (without the word WHERE); '' is no condition. */
export function parseWhere(text: string, table: string, fields: readonly string[]): Where | null {
  const tokens = tokenize(text);
  if (tokens.length === 0) return null;
  let at = 0;
  const peek = () => tokens[at];
  const take = () => tokens[at++];

  function primary(): Where {
    const token = take();
    if (!token) throw new BadClause('clause ends early');
    if (token.type === 'paren' && token.value === '(') {
      const inner = disjunction();
      if (take()?.value !== ')') throw new BadClause('missing )');
      return inner;
    }
    if (token.type !== 'ident') throw new BadClause(`expected a column, got ${token.value}`);
    const field = column(token.value, table);
    if (!fields.includes(field)) throw new BadClause(`unknown column ${field}`);
    const op = take();
    if (!op || (op.type !== 'op' && !(op.type === 'word' && op.value === 'LIKE'))) throw new BadClause('expected an operator');
    const value = take();
    if (!value || (value.type !== 'string' && value.type !== 'number')) throw new BadClause('expected a literal');
    return { kind: 'cmp', field, op: op.value as Op, value: value.value };
  }
  function conjunction(): Where {
    const parts = [primary()];
    while (peek()?.type === 'word' && peek()?.value === 'AND') {
      take();
      parts.push(primary());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  }
  function disjunction(): Where {
    const parts = [conjunction()];
    while (peek()?.type === 'word' && peek()?.value === 'OR') {
      take();
      parts.push(conjunction());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  }
  const where = disjunction();
  if (at !== tokens.length) throw new BadClause(`unexpected ${tokens[at]!.value}`);
  return where;
}

/** Parses ORDER BY columns ("opportunities.date_modified DESC, opportunities.id"). */
export function parseOrderBy(text: string, table: string, fields: readonly string[]): { field: string; desc: boolean }[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const tokens = tokenize(part);
    const [ident, direction] = tokens;
    if (!ident || ident.type !== 'ident' || tokens.length > 2 || (direction && direction.type !== 'word')) throw new BadClause(`bad ORDER BY ${part}`);
    const field = column(ident.value, table);
    if (!fields.includes(field)) throw new BadClause(`unknown column ${field}`);
    return { field, desc: direction?.value === 'DESC' };
  });
}

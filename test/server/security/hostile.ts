import fc from 'fast-check';

/** Text that has broken servers before: traversal, NUL, SQL, template and script injection, odd numbers. */
export const nastyTexts = [
  '../', '../../etc/passwd', '..%2f..%2fetc%2fpasswd', '%2e%2e%2f', '%00', '\u0000', 'a\u0000b', '%', '%zz', '%E0%A4%A',
  "' OR '1'='1", "'; DROP TABLE users; --", '" OR ""="', '1; select pg_sleep(5)', "1' union select token_hash from device_tokens --",
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '<script>alert(1)</script>', '${7*7}', '{{7*7}}',
  'NaN', 'Infinity', '-1', '-0', '0x10', '1e309', '9007199254740993', '1.5', '', ' ', '\t\n', '\uD800', '\uFEFF', '🦄', 'İ', 'ß',
  'null', 'true', '[]', '{}', 'a'.repeat(300), '/api/users', 'http://evil.example', 'file:///etc/passwd',
];

export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nastyTexts) },
  { weight: 2, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'é', '\u0000', '🦄', "'"), fc.integer({ min: 1000, max: 20_000 })).map(([c, n]) => c.repeat(n)) },
);

/** Numbers JSON can carry that schemas often forget: huge, negative zero, past 2^53, fractions where ints belong. */
const oddNumber = fc.constantFrom(0, -0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 4_294_967_296);

/** Objects whose own keys are the prototype-pollution classics (JSON.parse makes `__proto__` an own key). */
export const pollutingObject: fc.Arbitrary<unknown> = fc.constantFrom(
  JSON.parse('{"__proto__":{"polluted":"yes","role":"admin","isAdmin":true}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'),
  JSON.parse('{"__proto__":[],"prototype":null,"toString":"x","valueOf":1,"hasOwnProperty":"no"}'),
);

/**
 * Nesting too deep for the test's own JSON.stringify (the server parses it with a fresh stack): stands in for the
 * value and is written out as raw text by renderJson.
 */
export class DeepNesting {
  constructor(readonly depth: number, readonly asObject: boolean) {}
  toJSON(): string {
    return `\u0001deep:${this.depth}:${this.asObject ? 'o' : 'a'}\u0001`;
  }
}

export const deeplyNested: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 50, max: 40_000 }), fc.boolean())
  .map(([depth, asObject]) => new DeepNesting(depth, asObject));

/** JSON text of a value that may hold DeepNesting stand-ins. */
export function renderJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.replace(/"\\u0001deep:(\d+):([oa])\\u0001"/g, (_all, depth: string, kind: string) => {
    const n = Number(depth);
    return kind === 'o' ? `${'{"a":'.repeat(n)}0${'}'.repeat(n)}` : `${'['.repeat(n)}0${']'.repeat(n)}`;
  });
}

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: hostileText },
  { weight: 2, arbitrary: oddNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': '' }) },
  { weight: 1, arbitrary: pollutingObject },
  { weight: 1, arbitrary: deeplyNested },
);

/** Every position (path) in a JSON value, the root included. */
function positions(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const here = [path];
  if (Array.isArray(value)) return here.concat(...value.map((item, index) => positions(item, [...path, index])));
  if (value !== null && typeof value === 'object') {
    return here.concat(...Object.entries(value).map(([key, item]) => positions(item, [...path, key])));
  }
  return here;
}

function replaceAt(value: unknown, path: (string | number)[], replacement: unknown | typeof remove): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === remove) copy.splice(Number(head), 1);
    else copy[Number(head)] = replaceAt(copy[Number(head)], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === remove) delete copy[String(head)];
  else copy[String(head)] = replaceAt(copy[String(head)], rest, replacement);
  return copy;
}

const remove = Symbol('remove');

/**
 * A valid request body with one to three spots broken: a value of the wrong type, a hostile string, a key dropped or
 * a stray key added. These get past the first layer of checks, which random JSON rarely does.
 */
export function brokenVariantOf(valid: unknown): fc.Arbitrary<unknown> {
  const spots = positions(valid);
  const edit = fc.tuple(fc.nat({ max: spots.length - 1 }), fc.oneof({ weight: 5, arbitrary: hostileValue }, { weight: 1, arbitrary: fc.constant(remove) }));
  const strayKey = fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'role', 'userId', 'authorId', 'ownerId', 'id'), fc.string()), hostileValue);
  return fc.tuple(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.option(strayKey, { nil: undefined })).map(([edits, stray]) => {
    let value = valid;
    for (const [index, replacement] of edits) value = replaceAt(value, spots[index] ?? [], replacement === remove && (spots[index] ?? []).length === 0 ? null : replacement);
    if (stray && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      // defineProperty, so that `__proto__` becomes an own key (as JSON.parse would make it) instead of a prototype.
      value = Object.defineProperty({ ...(value as object) }, stray[0], { value: stray[1], enumerable: true, configurable: true, writable: true });
    }
    return value;
  });
}

/** Bodies that are not JSON at all, or not quite. */
export const notJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,2', '{"a":1,}', "{'a':1}", 'undefined', 'NaN', '{"a":01}', '\uFEFF{}', '{"a":"\\u00"}', 'x'.repeat(1000), '<xml/>', 'a=1&b=2', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--'),
  fc.string().filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  }),
);

export const contentTypes = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom<string | null>(
      null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16',
      'application/vnd.api+json', 'application/jsonp', 'APPLICATION/JSON', 'application/json, text/html', '*/*', '',
    ),
  },
);

/** A valid CSV upload with cells, rows or quoting broken, formula injection, BOMs and odd line ends. */
export function csvVariantOf(valid: string): fc.Arbitrary<string> {
  const lines = valid.split('\n').filter((line) => line !== '');
  const cell = fc.oneof(hostileText, fc.constantFrom('=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', '"unclosed', 'a""b', '"a,b"', '', ' '));
  const edit = fc.tuple(fc.nat({ max: Math.max(0, lines.length - 1) }), fc.nat({ max: 8 }), cell);
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
      const rows = lines.map((line) => line.split(','));
      for (const [row, column, value] of edits) {
        const cells = rows[row] ?? [];
        cells[column % Math.max(1, cells.length + 1)] = value;
      }
      return rows.map((cells) => cells.join(',')).join('\n');
    }) },
    { weight: 1, arbitrary: fc.array(fc.array(cell, { maxLength: 12 }), { maxLength: 30 }).map((rows) => [lines[0] ?? '', ...rows.map((cells) => cells.join(','))].join('\r\n')) },
    { weight: 1, arbitrary: fc.constantFrom(`\uFEFF${valid}`, valid.replace(/\n/g, '\r'), `${lines[0]}\n`, '', '\n\n\n', `${valid}${(lines[1] ?? '') + '\n'}`.repeat(50)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 500 }) },
  );
}

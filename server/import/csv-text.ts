import { refusal } from '../refusal/refused';

// The text cannot be imported: too big, not UTF-8, or holding NUL. Thrown out of the import, which then rolls back.
export const csvNul = () => refusal('invalid_body', 'csvNul');
export const tooBig = (limit: number) => refusal('payload_too_large', 'csvTooBig', { bytes: limit });

/**
 * Bytes as UTF-8 text pieces while they arrive, so a big import never holds the file (issue 13 §7): a file
 * stream for the CLI, a request body for the route. Bytes that are not UTF-8 are refused rather than read as
 * replacement characters nobody typed, and NUL too (PostgreSQL text cannot hold it; both stores answer alike).
 */
export async function* csvTextPieces(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, limitBytes = Number.POSITIVE_INFINITY): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes?: Uint8Array) => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw refusal('invalid_encoding', 'csvNotUtf8');
    }
  };
  let size = 0;
  for await (const bytes of chunks) {
    size += bytes.byteLength;
    if (size > limitBytes) throw tooBig(limitBytes);
    const text = decode(bytes);
    if (text.includes('\u0000')) throw csvNul();
    yield text;
  }
  const rest = decode();
  if (rest !== '') yield rest;
}


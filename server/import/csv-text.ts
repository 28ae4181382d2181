export const nulMessage = 'The CSV contains a NUL character; save it again as plain UTF-8 text.';

/** The text cannot be imported: too big, not UTF-8, or holding NUL. Thrown out of the import, which then rolls back. */
export class CsvTextRefused extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const tooBig = (limit: number) => new CsvTextRefused(413, 'payload_too_large', `A CSV import is limited to ${limit} bytes; import a bigger file with the server's command line (deals import).`);

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
      throw new CsvTextRefused(400, 'invalid_encoding', 'The CSV is not valid UTF-8; save it again as UTF-8 text.');
    }
  };
  let size = 0;
  for await (const bytes of chunks) {
    size += bytes.byteLength;
    if (size > limitBytes) throw tooBig(limitBytes);
    const text = decode(bytes);
    if (text.includes('\u0000')) throw new CsvTextRefused(400, 'invalid_body', nulMessage);
    yield text;
  }
  const rest = decode();
  if (rest !== '') yield rest;
}


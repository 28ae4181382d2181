// JSON columns are text in both dialects; a corrupt value is a server bug, so it throws.
export function readJson(text: string): unknown {
  return JSON.parse(text);
}

export function writeJson(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * A translated sentence that names a command line: the catalogue holds the sentence with a `{command}` placeholder
 * (word order differs by language), the command itself is the same in every language and is shown as code.
 */
export function WithCommand({ text, command }: { text: string; command: string }) {
  const at = text.indexOf('{command}');
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <code>{command}</code>
      {text.slice(at + '{command}'.length)}
    </>
  );
}

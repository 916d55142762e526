// Test-only access to the fixture files, byte for byte (BOM and CRLF included).
const files = import.meta.glob<string>("./fixtures/*", {
  query: "?raw",
  import: "default",
  eager: true,
});

export function fixture(name: string): string {
  const text = files[`./fixtures/${name}`];
  if (text === undefined) throw new Error(`No fixture named ${name}`);
  return text;
}

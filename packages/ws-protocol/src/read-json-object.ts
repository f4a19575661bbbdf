/**
 * Parses a text frame that must hold a JSON object. `undefined` when the text is not JSON or its
 * value is not a plain object (an array, a string, a number, `null`).
 */
export function readJsonObject(data: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}

/** How much of an unknown `type` is quoted back: a frame may hold 64 KiB of it. */
const QUOTED_TYPE_LENGTH = 64;

/** The sentence of an `unknown_type` error, quoting (the start of) the type it got. */
export function unknownTypeMessage(type: string, expected: readonly string[]): string {
  const quoted =
    type.length > QUOTED_TYPE_LENGTH
      ? `${JSON.stringify(type.slice(0, QUOTED_TYPE_LENGTH))}…`
      : JSON.stringify(type);
  return `unknown message type ${quoted}; expected one of ${expected.join(', ')}`;
}

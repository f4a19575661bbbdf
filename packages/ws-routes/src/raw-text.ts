import type { RawData } from 'ws';

/** An inbound frame's payload as text (`ws` has already checked that it is valid UTF-8). */
export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

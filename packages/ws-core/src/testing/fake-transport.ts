import type { ChatEvent, ControlFrame, ServerFrame } from '@app/ws-protocol';
import type { Transport } from '../transport';

/** Options of {@link FakeTransport}. */
export interface FakeTransportOptions {
  /**
   * Add each sent text's length to `bufferedAmount`, as a peer that never reads would.
   * Default false (the buffer stays where the test sets it).
   */
  accumulate?: boolean;
}

/**
 * A {@link Transport} for tests: records every text sent (and what was attempted after close),
 * with a settable `bufferedAmount`. `frames`/`events`/`controls` parse what was sent.
 */
export class FakeTransport implements Transport {
  /** Every text sent before close, in order. */
  readonly sent: string[] = [];
  /** Sends attempted after close (ws-core must never make any). */
  sendsAfterClose = 0;
  /** Settable; grows on send with `accumulate`. */
  bufferedAmount = 0;
  /** The close code, once closed. */
  closeCode: number | undefined;
  closeReason: string | undefined;
  readonly #accumulate: boolean;

  constructor(options: FakeTransportOptions = {}) {
    this.#accumulate = options.accumulate ?? false;
  }

  get closed(): boolean {
    return this.closeCode !== undefined;
  }

  send(text: string): void {
    if (this.closeCode !== undefined) {
      this.sendsAfterClose++;
      return;
    }
    this.sent.push(text);
    if (this.#accumulate) this.bufferedAmount += text.length;
  }

  close(code: number, reason?: string): void {
    if (this.closeCode !== undefined) return;
    this.closeCode = code;
    this.closeReason = reason;
  }

  /** Every frame sent, parsed. */
  get frames(): ServerFrame[] {
    return this.sent.map((text) => JSON.parse(text) as ServerFrame);
  }

  /** The stream events sent (frames with a `seq`), in order. */
  get events(): ChatEvent[] {
    return this.frames.filter((f): f is ChatEvent => 'seq' in f && f.type !== 'welcome');
  }

  /** The control frames sent (welcome, resumed, ack, …), in order. */
  get controls(): ControlFrame[] {
    return this.frames.filter((f): f is ControlFrame => !('seq' in f) || f.type === 'welcome');
  }

  /** Forgets what was sent so far. */
  clear(): void {
    this.sent.length = 0;
  }
}

/**
 * The connection badge: connecting, connected, reconnecting (with the next attempt's delay),
 * resumed (after a drop, with how many events the server replayed), offline (closed for good).
 * `data-state` carries the state for tests and styles.
 */
import type { ResumedFrame } from '@app/ws-protocol';
import type { StateChange } from '@app/ws-client';
import { el } from './element-builder.js';

/** What the badge shows. */
type IndicatorState = 'connecting' | 'connected' | 'reconnecting' | 'resumed' | 'offline';

/** The badge element and what moves it. */
export interface ConnectionIndicator {
  readonly element: HTMLElement;
  /** The client's `state` event. */
  onState(change: StateChange): void;
  /** The client's `resumed` event. */
  onResumed(frame: ResumedFrame): void;
}

export function createConnectionIndicator(): ConnectionIndicator {
  const label = el('span', { className: 'indicator-label', testId: 'connection-label' });
  const element = el(
    'div',
    {
      className: 'indicator',
      testId: 'connection-indicator',
      attrs: { role: 'status', 'aria-live': 'polite' },
    },
    [el('span', { className: 'indicator-dot', attrs: { 'aria-hidden': 'true' } }), label],
  );
  const show = (state: IndicatorState, text: string, detail = ''): void => {
    element.dataset.state = state;
    label.textContent = text;
    element.title = detail || text;
  };
  show('connecting', 'Connecting…');

  return {
    element,
    onState(change) {
      switch (change.state) {
        case 'connecting':
          show('connecting', 'Connecting…');
          break;
        case 'open':
          // After a drop the server's `resumed` follows at once and says how it went.
          show('connected', 'Connected');
          break;
        case 'reconnecting': {
          const retry =
            change.retryInMs === undefined ? '' : ` in ${(change.retryInMs / 1000).toFixed(1)} s`;
          show(
            'reconnecting',
            `Reconnecting${retry}…`,
            change.code === undefined ? '' : `The connection closed (code ${change.code}).`,
          );
          break;
        }
        case 'closed':
          show('offline', 'Offline', 'The connection is closed. Reload the page to reconnect.');
          break;
      }
    },
    onResumed(frame) {
      if (frame.complete) {
        const events = frame.replayed === 1 ? 'event' : 'events';
        show(
          'resumed',
          `Resumed · ${frame.replayed} ${events} replayed`,
          `Reconnected and caught up: events ${frame.fromSeq}–${frame.toSeq} were replayed.`,
        );
      } else {
        show(
          'resumed',
          'Resumed · some events were lost',
          'Reconnected, but the server no longer had every missed event.',
        );
      }
    },
  };
}

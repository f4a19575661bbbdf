import type { Logger } from '@app/logging-ssot';
import { delay } from './delay';
import type { CommandSender } from './lua-script';
import { detectPubSubMode, type PubSubMode } from './pubsub-mode';
import type { RedisHealth } from './redis-health';

/**
 * The pub/sub mode one engine uses: the configured one, or with `auto` the one detected on the
 * server, asked once and retried until Redis answers (appends wait for it).
 */
export class PubSubModeChoice {
  #mode: Promise<PubSubMode> | undefined;
  #known: PubSubMode | undefined;

  constructor(
    private readonly setting: 'auto' | PubSubMode,
    private readonly client: CommandSender,
    private readonly health: Pick<RedisHealth, 'whenCommandReady'>,
    private readonly logger: Logger,
    /** Stops the retries: a closing engine rejects instead. */
    private readonly isClosing: () => boolean,
  ) {}

  /** The mode once chosen (for health reports); `undefined` while still detecting. */
  get known(): PubSubMode | undefined {
    return this.#known;
  }

  mode(): Promise<PubSubMode> {
    const fixed = this.setting;
    if (fixed !== 'auto') {
      this.#known = fixed;
      return Promise.resolve(fixed);
    }
    if (this.#mode === undefined) {
      this.#mode = (async () => {
        for (;;) {
          await this.health.whenCommandReady();
          try {
            const mode = await detectPubSubMode(this.client);
            this.#known = mode;
            this.logger.debug('Pub/sub mode chosen', { mode });
            return mode;
          } catch (error) {
            if (this.isClosing()) throw error;
            await delay(100);
          }
        }
      })();
      this.#mode.catch(() => undefined);
    }
    return this.#mode;
  }
}

import type { Agent, AgentInfo } from './agent';
import { InvalidAgentError } from './errors';

/** The agents a hub can run, by name. */
export class AgentRegistry {
  readonly #agents = new Map<string, Agent>();

  /** @param agents Initial agents (the first one is the default unless `defaultAgent` says otherwise). */
  constructor(agents: readonly Agent[] = []) {
    for (const agent of agents) this.register(agent);
  }

  /**
   * Adds an agent.
   * @throws InvalidAgentError (`WS_INVALID_AGENT`) when malformed or the name is taken.
   */
  register(agent: Agent): void {
    if (
      agent === null ||
      typeof agent !== 'object' ||
      typeof agent.name !== 'string' ||
      agent.name.length === 0 ||
      typeof agent.run !== 'function'
    ) {
      throw new InvalidAgentError('An agent needs a non-empty name and a run() function.');
    }
    if (this.#agents.has(agent.name)) {
      throw new InvalidAgentError(`An agent named "${agent.name}" is already registered.`);
    }
    this.#agents.set(agent.name, agent);
  }

  /** The agent registered under `name`, or undefined. */
  get(name: string): Agent | undefined {
    return this.#agents.get(name);
  }

  /** Whether an agent is registered under `name`. */
  has(name: string): boolean {
    return this.#agents.has(name);
  }

  /** The first registered agent's name (the default for `chat` without `agent`), if any. */
  get firstName(): string | undefined {
    return this.#agents.keys().next().value;
  }

  /** Every agent's name and description, in registration order. */
  list(): AgentInfo[] {
    return [...this.#agents.values()].map((a) => ({ name: a.name, description: a.description }));
  }
}

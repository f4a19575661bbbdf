/**
 * One chaos run against running chat-server nodes: several users, several tabs each (SDK
 * clients over a recording `ws` class), concurrent runs, and drops at seeded points of the
 * users' streams (see chaos-schedule.ts). It returns every breach it found, on the wire
 * (wire-recorder.ts) and as the SDK delivered, against the stream the server stored:
 *
 * - per connection: `seq` contiguous from `welcome`/`resumed`, no repeat outside an
 *   open-connection replay, no gap-repair `resume` (a gap the server left), every connect-time
 *   resume complete, only the user's own runs;
 * - per user: every tab saw the same sequence — every event of the stored stream, byte for
 *   byte, and nothing else;
 * - per client: every event delivered once, in order; each run started, ended once, last.
 *
 * A breach on the wire ends the run at once (its waits throw), so a broken server fails fast.
 */
import { createChatClient, type ChatClient, type ResetInfo } from '@app/ws-client';
import type { ReadSinceResult } from '@app/ws-core';
import type { ChatEvent } from '@app/ws-protocol';
import {
  chaosSeed,
  describeSchedule,
  planDrops,
  type PlannedDrop,
  type ScheduleShape,
} from './chaos-schedule.js';
import {
  WireRecorder,
  type RecordedConnection,
  type WireNode,
  type WireTab,
} from './wire-recorder.js';

/** A node of the system under test. */
interface ChaosNode extends WireNode {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
}

/** What a chaos run acts on. */
export interface ChaosTarget {
  /** The nodes; tabs spread over them and move to the next one at every reconnect. */
  readonly nodes: readonly ChaosNode[];
  /** The user's stream as the server stored it (the ground truth). */
  readStream(userId: string): Promise<ReadSinceResult>;
  /** A token for `userId` valid on every node. */
  login(userId: string): Promise<string>;
}

/** The size of a chaos run. */
export interface ChaosPlan {
  /** Names the run in user ids and in what it prints. */
  readonly name: string;
  readonly users: number;
  readonly tabsPerUser: number;
  /** Runs each tab starts, one after the other. */
  readonly runsPerTab: number;
  /** The chat texts, taken in turn. */
  readonly runTexts: readonly string[];
  /** The fewest events any of those runs emits (drop points lie below the stream's end). */
  readonly minEventsPerRun: number;
  readonly drops: number;
  /** Bound of each wait; only a hung run meets it. */
  readonly waitMs: number;
  /** See {@link WireRecorderOptions.stayWhileChatPending}. Default true. */
  readonly stayWhileChatPending?: boolean;
}

/** What a chaos run found. */
export interface ChaosOutcome {
  readonly seed: number;
  readonly schedule: readonly PlannedDrop[];
  /** Every breach, each naming where it was seen. Empty when the server behaved. */
  readonly problems: string[];
  /** Drops that fired (all of them, when every stream got far enough). */
  readonly fired: number;
  /** Sockets the server-side drops terminated. */
  readonly serverDropped: number;
  /** Connections opened with `?lastSeq=` that ended in `resumed {complete: true}`. */
  readonly completeConnectResumes: number;
  /** Connections opened in all. */
  readonly connections: number;
  /** Reconnects that went to another node than the tab's previous connection. */
  readonly crossNodeReconnects: number;
}

/** One tab: its client and what the SDK delivered. */
interface Tab extends WireTab {
  readonly client: ChatClient;
  readonly events: ChatEvent[];
  readonly resets: ResetInfo[];
  readonly errors: string[];
}

class WireProblem extends Error {}

/**
 * Runs `plan` against `target` with the seed from `CHAOS_SEED` (or a random one), printing the
 * seed and the drop schedule first.
 */
export async function runChaos(target: ChaosTarget, plan: ChaosPlan): Promise<ChaosOutcome> {
  const seed = chaosSeed();
  const runsPerUser = plan.tabsPerUser * plan.runsPerTab;
  const shape: ScheduleShape = {
    users: plan.users,
    tabsPerUser: plan.tabsPerUser,
    nodes: target.nodes.length,
    drops: plan.drops,
    minStreamLength: runsPerUser * plan.minEventsPerRun,
  };
  const schedule = planDrops(seed, shape);
  console.info(
    `chaos ${plan.name}: seed ${seed} (replay with CHAOS_SEED=${seed}); ${plan.users} users × ` +
      `${plan.tabsPerUser} tabs × ${plan.runsPerTab} runs on ${target.nodes.length} node(s); ` +
      `drops:\n${describeSchedule(schedule)}`,
  );

  const pendingDrops = new Set(schedule);
  const serverDrops: Promise<number>[] = [];
  /** Where each drop fired: `u3@17 tab 1 #2` (a cut of tab 1's connection #2), `u3@17 server`. */
  const firedAt: string[] = [];
  const dropProblems: string[] = [];
  const userIds = Array.from({ length: plan.users }, (_u, i) => `chaos-${plan.name}-${seed}-${i}`);
  const onEvent = (connection: RecordedConnection, seq: number): void => {
    for (const drop of pendingDrops) {
      if (drop.user !== connection.tab.user || drop.atSeq !== seq) continue;
      if (drop.kind === 'cut') {
        if (drop.tab !== connection.tab.tab) continue;
        pendingDrops.delete(drop);
        firedAt.push(`u${drop.user}@${seq} tab ${drop.tab} #${connection.attempt}`);
        connection.cut();
      } else {
        pendingDrops.delete(drop);
        firedAt.push(`u${drop.user}@${seq} server ${drop.node}`);
        const nodes = drop.node === 'all' ? target.nodes : [target.nodes[drop.node]!];
        for (const node of nodes) {
          serverDrops.push(
            dropConnections(node, connection.tab.userId).catch((error: unknown) => {
              dropProblems.push(`drop on ${node.url} failed: ${String(error)}`);
              return 0;
            }),
          );
        }
      }
    }
  };
  const recorder = new WireRecorder(
    target.nodes,
    (connection, event) => onEvent(connection, event.seq),
    { stayWhileChatPending: plan.stayWhileChatPending ?? true },
  );
  const waitUntil = async (condition: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + plan.waitMs;
    for (;;) {
      if (recorder.problems.length > 0) {
        throw new WireProblem(
          `seed ${seed}: the wire broke the protocol while waiting for ${what}:\n  ` +
            recorder.problems.slice(0, 20).join('\n  '),
        );
      }
      if (condition()) return;
      if (Date.now() > deadline) throw new Error(`seed ${seed}: timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  const tabs: Tab[] = [];
  try {
    for (const [user, userId] of userIds.entries()) {
      const token = await target.login(userId);
      for (let tab = 0; tab < plan.tabsPerUser; tab++) {
        tabs.push(openTab(recorder, target, { userId, user, tab }, token, plan.waitMs));
      }
    }
    // Everyone is connected before the first run, so every tab's stream starts at seq 0.
    await waitUntil(
      () => tabs.every((tab) => recorder.connectionsOf(tab)[0]?.check.welcomeSeq !== undefined),
      'every first welcome',
    );

    const runTab = async (tab: Tab): Promise<void> => {
      for (let run = 0; run < plan.runsPerTab; run++) {
        const text = plan.runTexts[(tab.tab + run) % plan.runTexts.length]!;
        const { runId } = await tab.client.chat(text);
        await waitUntil(
          () => tab.events.some((e) => e.type === 'agent_completed' && e.runId === runId),
          `user ${tab.user} tab ${tab.tab}: the end of ${runId}`,
        );
      }
    };
    await Promise.all(tabs.map(runTab));
    // Every tab of a user sees every run of that user end.
    await waitUntil(
      () =>
        tabs.every((tab) => {
          const runs = recorder.runsOf(tab.userId);
          return (
            runs.length === runsPerUser &&
            runs.every((runId) =>
              tab.events.some((e) => e.type === 'agent_completed' && e.runId === runId),
            )
          );
        }),
      "every tab seeing the end of every one of its user's runs",
    );
    const serverDropped = (await Promise.all(serverDrops)).reduce((sum, n) => sum + n, 0);

    const problems = [...recorder.problems, ...dropProblems];
    for (const drop of pendingDrops) {
      problems.push(`drop never fired (the stream did not reach it): ${describeSchedule([drop])}`);
    }
    for (const userId of userIds) {
      const stored = await target.readStream(userId);
      const userTabs = tabs.filter((tab) => tab.userId === userId);
      problems.push(...checkUser(userId, stored, userTabs, recorder, runsPerUser));
    }
    const outcome: ChaosOutcome = {
      seed,
      schedule,
      problems,
      fired: schedule.length - pendingDrops.size,
      serverDropped,
      completeConnectResumes: recorder.connections.filter(
        (c) => c.connectResume !== undefined && c.check.resumes[0]?.complete === true,
      ).length,
      connections: recorder.connections.length,
      crossNodeReconnects: tabs
        .map((tab) => recorder.connectionsOf(tab))
        .reduce(
          (sum, cs) => sum + cs.filter((c, i) => i > 0 && c.node !== cs[i - 1]!.node).length,
          0,
        ),
    };
    const closes = new Map<string, number>();
    for (const { closeCode } of recorder.connections) {
      const code = String(closeCode ?? 'open');
      closes.set(code, (closes.get(code) ?? 0) + 1);
    }
    console.info(
      `chaos ${plan.name} (seed ${seed}): ${outcome.fired}/${schedule.length} drops fired, ` +
        `${serverDropped} sockets dropped by the server, ${outcome.connections} connections ` +
        `(closes: ${[...closes].map(([code, n]) => `${code}×${n}`).join(', ')}), ` +
        `${outcome.crossNodeReconnects} reconnects to another node, ` +
        `${outcome.completeConnectResumes} complete connect-time resumes, ${problems.length} problems; ` +
        `fired: ${firedAt.sort().join(', ')}`,
    );
    return outcome;
  } finally {
    for (const tab of tabs) tab.client.close();
  }
}

function openTab(
  recorder: WireRecorder,
  target: ChaosTarget,
  identity: WireTab,
  token: string,
  waitMs: number,
): Tab {
  const client = createChatClient({
    url: `${target.nodes[identity.tab % target.nodes.length]!.wsUrl}/ws`,
    getToken: () => token,
    WebSocket: recorder.webSocketFor(identity),
    backoff: { baseMs: 20, capMs: 200 },
    requestTimeoutMs: waitMs,
    connectTimeoutMs: 30_000,
  });
  const tab: Tab = { ...identity, client, events: [], resets: [], errors: [] };
  client.on('event', (event) => tab.events.push(event));
  client.on('reset', (reset) => tab.resets.push(reset));
  client.on('error', (error) => tab.errors.push(`${error.code}: ${error.message}`));
  return tab;
}

/** Everything one user's tabs received, on the wire and through the SDK, against the store. */
function checkUser(
  userId: string,
  stored: ReadSinceResult,
  tabs: readonly Tab[],
  recorder: WireRecorder,
  runsPerUser: number,
): string[] {
  const problems: string[] = [];
  const runs = new Set(recorder.runsOf(userId));
  if (!stored.complete) problems.push(`${userId}: the stored stream is not fully retained`);
  // One run per chat, though chats were re-sent after drops.
  if (runs.size !== runsPerUser)
    problems.push(`${userId}: ${runs.size} runs acknowledged, ${runsPerUser} chats sent`);
  const storedRuns = stored.records.filter((r) => r.event.type === 'agent_started');
  if (storedRuns.length !== runs.size || !storedRuns.every((r) => runs.has(r.event.runId)))
    problems.push(`${userId}: the stored runs are not the acknowledged ones`);
  for (const record of stored.records) {
    if (!runs.has(record.event.runId))
      problems.push(`${userId}: stored seq ${record.seq} belongs to run ${record.event.runId}`);
  }
  const storedSeqs = stored.records.map((r) => r.seq);
  const expectedSeqs = storedSeqs.map((_seq, i) => i + 1);
  if (storedSeqs.join(',') !== expectedSeqs.join(','))
    problems.push(`${userId}: stored seqs are not 1…${storedSeqs.length}`);

  for (const tab of tabs) {
    const who = `${userId} tab ${tab.tab}`;
    const connections = recorder.connectionsOf(tab);
    // On the wire: the tab saw exactly the stored stream, each seq always with the same text.
    const seen = new Map<number, string>();
    for (const connection of connections) {
      if (connection.connectResume !== undefined && connection.check.resumes[0]?.complete === false)
        problems.push(`${who}: ${connection.label} resumed at connect time incompletely`);
      for (const event of connection.events) {
        if (!runs.has(event.runId))
          problems.push(`${who}: ${connection.label} got seq ${event.seq} of run ${event.runId}`);
        const before = seen.get(event.seq);
        if (before !== undefined && before !== event.text)
          problems.push(`${who}: seq ${event.seq} arrived with two different texts`);
        seen.set(event.seq, event.text);
      }
    }
    if (connections[0]?.check.welcomeSeq !== 0)
      problems.push(`${who}: the first welcome was at seq ${connections[0]?.check.welcomeSeq}`);
    const missing = stored.records.filter((r) => seen.get(r.seq) !== r.json).map((r) => r.seq);
    if (missing.length > 0)
      problems.push(`${who}: never received (as stored) seqs ${missing.slice(0, 20).join(',')}`);
    const extra = [...seen.keys()].filter((seq) => seq > stored.latestSeq);
    if (extra.length > 0)
      problems.push(`${who}: received seqs beyond the store: ${extra.join(',')}`);

    // Through the SDK: once, in order, identical to the store; each run whole.
    if (tab.errors.length > 0) problems.push(`${who}: SDK errors ${tab.errors.join('; ')}`);
    if (tab.resets.length > 0) problems.push(`${who}: ${tab.resets.length} SDK resets`);
    const delivered = tab.events.map((e) => JSON.stringify(e));
    const storedJson = stored.records.map((r) => r.json);
    if (delivered.join('\n') !== storedJson.join('\n'))
      problems.push(
        `${who}: the SDK delivered ${delivered.length} events, not the ${storedJson.length} stored`,
      );
    for (const runId of runs) {
      const types = tab.events
        .filter((e) => e.runId === runId && e.type !== 'user_message')
        .map((e) => e.type);
      const ends = types.filter((type) => type === 'agent_completed').length;
      if (types[0] !== 'agent_started' || ends !== 1 || types.at(-1) !== 'agent_completed')
        problems.push(`${who}: run ${runId} seen as ${types.join(',')}`);
    }
  }
  return problems;
}

async function dropConnections(node: ChaosNode, userId: string): Promise<number> {
  const response = await fetch(`${node.url}/api/v1/test/drop-connections`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (response.status !== 200) throw new Error(`drop-connections answered ${response.status}`);
  return ((await response.json()) as { dropped: number }).dropped;
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Agent, AgentContext } from '@app/ws-core';
import { calculatorTool } from './calculator-tool.js';
import { createClockTool } from './clock-tool.js';
import { findArithmeticExpression } from './expression-finder.js';
import type { Tool, ToolOutcome } from './tool.js';
import { callTool } from './tool-call.js';

/** The longest `slow N` run, in seconds; larger values are clamped. */
export const MAX_SLOW_SECONDS = 30;

/** Options of {@link createAssistantAgent}. */
export interface AssistantAgentOptions {
  /** The clock tool's clock. Default: the system clock. */
  now?: () => Date;
  /** One "second" of `slow N`, in milliseconds. Default 1000; tests shorten it. */
  slowTickMs?: number;
}

const HELP =
  'I am the demo assistant. Ask me arithmetic ("what is 12*(3+4)?") or the time, or try ' +
  '"fail tool", "crash agent" or "slow 5" to see how failures, crashes and long runs look.';

const CRASH = /\bcrash agent\b/i;
/** `stream N` or `stream N at R` (docs/server.md#the-demo-agent). */
const STREAM = /\bstream\s+(\d{1,6})(?:\s+at\s+(\d{1,6}))?\b/i;
/** Bounds of `stream N at R`: N deltas (1–20,000), R per second (1–1,000). */
export const MAX_STREAM_DELTAS = 20_000;
const MAX_STREAM_RATE = 1000;
const SLOW = /\bslow\s+(\d+)\b/i;
const FAIL_TOOL = /\bfail tool\b/i;
const ASKS_TIME = /\b(time|date|day|today|clock)\b/i;

/**
 * The deterministic demo agent `assistant`. Every run emits `agent_thinking` first and streams
 * its answer as `agent_response_delta` chunks; the words in the message choose the rest:
 * - an arithmetic expression → the `calculator` tool, answer with its result;
 * - time or date → the `clock` tool;
 * - `fail tool` → the tool call fails (`tool_completed ok:false`), the run still succeeds and
 *   explains the failure;
 * - `crash agent` → the agent throws (the server ends the run with status `error`);
 * - `slow N` → N seconds (at most 30) with one `agent_thinking` per second; a cancel or stall
 *   stops it at once through the run's signal;
 * - `stream N` → N `agent_response_delta` events of one word each (`w1 `, `w2 `, …, N clamped to
 *   1–20,000) as fast as the emitter takes them; `stream N at R` paces them at R per second
 *   (1–1,000); the response is their concatenation.
 */
export function createAssistantAgent(options: AssistantAgentOptions = {}): Agent {
  const clockTool = createClockTool(options.now);
  const slowTickMs = options.slowTickMs ?? 1000;
  return {
    name: 'assistant',
    description:
      'Deterministic demo agent: calculator and clock tools, plus "fail tool", "crash agent" and "slow N".',
    async run(ctx: AgentContext): Promise<{ response: string }> {
      const { emitter, input, signal } = ctx;
      await emitter.thinking('Reading your message…');
      if (CRASH.test(input)) {
        await emitter.thinking('Crashing on purpose, as the message asked.');
        throw new Error('The assistant crashed on purpose ("crash agent")');
      }
      const stream = STREAM.exec(input);
      if (stream) return streamWords(ctx, Number(stream[1]), stream[2]);
      const slow = SLOW.exec(input);
      const response = slow
        ? await runSlowly(ctx, Number(slow[1]), slowTickMs)
        : await answerWithTools(ctx, clockTool);
      signal.throwIfAborted();
      await streamResponse(ctx, response);
      return { response };
    },
  };
}

async function runSlowly(ctx: AgentContext, requested: number, tickMs: number): Promise<string> {
  const seconds = Math.min(requested, MAX_SLOW_SECONDS);
  for (let second = 1; second <= seconds; second += 1) {
    await sleep(tickMs, undefined, { signal: ctx.signal });
    await ctx.emitter.thinking(`Working slowly… ${second}/${seconds} s`);
  }
  const clamped =
    requested > seconds
      ? ` (you asked for ${requested}; ${MAX_SLOW_SECONDS} is the most I do)`
      : '';
  return `Done after ${seconds} seconds${clamped}.`;
}

async function answerWithTools(ctx: AgentContext, clockTool: Tool): Promise<string> {
  const { emitter, input, signal } = ctx;
  const expression = findArithmeticExpression(input);
  const asksTime = ASKS_TIME.test(input);
  const failOnPurpose = FAIL_TOOL.test(input);
  const calls: { tool: Tool; args: Record<string, unknown> }[] = [];
  if (expression !== undefined) calls.push({ tool: calculatorTool, args: { expression } });
  if (asksTime || (failOnPurpose && calls.length === 0)) calls.push({ tool: clockTool, args: {} });
  if (calls.length === 0) return HELP;

  const sentences: string[] = [];
  for (const { tool, args } of calls) {
    signal.throwIfAborted();
    await emitter.thinking(`Using the ${tool.name} tool.`);
    const failure = failOnPurpose
      ? {
          code: 'tool_failed',
          message: `The ${tool.name} failed on purpose: the message asked for "fail tool".`,
        }
      : undefined;
    const outcome = await callTool(emitter, tool, args, failure ? { failure } : {});
    sentences.push(describeOutcome(tool.name, args, outcome));
  }
  return sentences.join(' ');
}

function describeOutcome(
  toolName: string,
  args: Record<string, unknown>,
  outcome: ToolOutcome,
): string {
  if (!outcome.ok) {
    return `The ${toolName} tool failed (${outcome.error.code}: ${outcome.error.message}), so I cannot give you that result.`;
  }
  if (toolName === 'calculator') return `${String(args.expression)} = ${String(outcome.result)}.`;
  const reading = outcome.result as {
    time: string;
    timeZone: string;
    weekday: string;
    date: string;
  };
  return `It is ${reading.time} ${reading.timeZone} on ${reading.weekday}, ${reading.date}.`;
}

/**
 * `stream N [at R]`: N one-word deltas, paced at R per second when asked. Pacing follows a
 * schedule from the start (a late tick does not push the later ones back), like a model's tokens.
 */
async function streamWords(
  ctx: AgentContext,
  requested: number,
  rateText: string | undefined,
): Promise<{ response: string }> {
  const count = Math.min(Math.max(requested, 1), MAX_STREAM_DELTAS);
  const rate =
    rateText === undefined ? undefined : Math.min(Math.max(Number(rateText), 1), MAX_STREAM_RATE);
  const started = Date.now();
  const words: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    ctx.signal.throwIfAborted();
    if (rate !== undefined) {
      const due = started + ((i - 1) * 1000) / rate - Date.now();
      if (due > 0) await sleep(due, undefined, { signal: ctx.signal });
    }
    const word = `w${i} `;
    words.push(word);
    await ctx.emitter.delta(word);
  }
  return { response: words.join('') };
}

/** Streams the answer a few words at a time, as a model would. */
async function streamResponse(ctx: AgentContext, response: string): Promise<void> {
  const words = response.match(/\S+\s*/g) ?? [];
  for (let start = 0; start < words.length; start += 3) {
    ctx.signal.throwIfAborted();
    await ctx.emitter.delta(words.slice(start, start + 3).join(''));
  }
}

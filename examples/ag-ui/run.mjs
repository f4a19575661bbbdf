// A minimal AG-UI client of this server: dev login → token → HttpAgent.runAgent → the events
// and the new messages, printed. Usage (with `npm start` running):
//   node examples/ag-ui/run.mjs ["your question"]
// AG_UI_SERVER (default http://127.0.0.1:8080) and AG_UI_USER (default ag-ui-example) choose
// the server and the development-login user. See docs/interop.md#2-ag-ui-httpagent.
import { randomUUID } from 'node:crypto';
import { HttpAgent } from '@ag-ui/client';

const server = process.env.AG_UI_SERVER ?? 'http://127.0.0.1:8080';
const userId = process.env.AG_UI_USER ?? 'ag-ui-example';
const question = process.argv[2] ?? 'what is 12*(3+4)?';

const login = await fetch(`${server}/api/v1/dev/login`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ userId }),
});
if (!login.ok) throw new Error(`dev login answered ${login.status}: ${await login.text()}`);
const { token } = await login.json();

const agent = new HttpAgent({
  url: `${server}/ag-ui`,
  headers: { Authorization: `Bearer ${token}` },
});
agent.addMessage({ id: randomUUID(), role: 'user', content: question });

console.log(`> ${question}`);
const { newMessages } = await agent.runAgent(
  // forwardedProps.agent names the server's agent (default: assistant).
  { forwardedProps: { agent: 'assistant' } },
  {
    onEvent: ({ event }) => {
      const detail =
        event.delta ?? event.toolCallName ?? event.content ?? event.runId ?? event.message ?? '';
      console.log(`event ${event.type}${detail === '' ? '' : ` ${JSON.stringify(detail)}`}`);
    },
  },
);
for (const message of newMessages) {
  const calls = (message.toolCalls ?? []).map((c) => `${c.function.name}(${c.function.arguments})`);
  const text = typeof message.content === 'string' ? message.content : '';
  console.log(`message ${message.role}: ${[...calls, text].filter(Boolean).join(' ')}`);
}

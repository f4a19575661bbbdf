import { Hono } from 'hono';

const PLACEHOLDER = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat server</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style>
</head>
<body>
<h1>Chat server</h1>
<p>The server is running. The chat page arrives soon.</p>
<p>Meanwhile: <code>POST /api/v1/dev/login</code> for a token, then a WebSocket to <code>/ws</code>
with the subprotocols <code>chat.v1</code> and <code>bearer.&lt;token&gt;</code>.
<a href="/api/v1/agents">Agents</a> · <a href="/health/ready">Readiness</a> · <a href="/metrics">Metrics</a></p>
</body>
</html>
`;

/** `GET /`: a placeholder until the chat web page lands in `web/`. */
export function homePageRoutes(): Hono {
  return new Hono().get('/', (c) => c.html(PLACEHOLDER));
}

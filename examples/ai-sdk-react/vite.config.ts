import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

/**
 * The chat server the dev server (`npm run dev`) and `npm run preview` forward to. The page
 * talks to its own origin only: `/api/*` (login, tickets, history) and the `/ai-sdk/ws`
 * WebSocket are proxied, with the Host rewritten, so the chat server sees this page's origin in
 * the WebSocket's Origin header and must list it in ALLOWED_ORIGINS (docs/interop.md).
 */
const chatServer = process.env.CHAT_SERVER_URL ?? 'http://127.0.0.1:8080';

const proxy: Record<string, ProxyOptions> = {
  '/api': { target: chatServer, changeOrigin: true },
  '/ai-sdk': { target: chatServer, changeOrigin: true, ws: true },
};

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
});

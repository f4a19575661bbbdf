// The browser client still speaks the legacy wire format.
export function connect(host) {
  return new WebSocket(`wss://${host}/websocket`);
}

import { describe, expect, it } from 'vitest';
import { readRequestTarget } from './request-target.js';

describe('readRequestTarget', () => {
  it.each([
    ['/ws', 'v1'],
    ['/api/v1/websocket', 'v1'],
    ['/ws?mode=legacy', 'legacy'],
    ['/ws?mode=v1', 'v1'],
    ['/websocket', 'legacy'],
    ['/ai-sdk/ws', 'ai-sdk'],
    ['/ai-sdk/ws?ticket=t&mode=bogus&lastSeq=3&epoch=e', 'ai-sdk'],
  ])('%s selects %s', (url, mode) => {
    expect(readRequestTarget(url)).toMatchObject({ ok: true, mode });
  });

  it('refuses other paths with 404 before an unknown mode with 400', () => {
    expect(readRequestTarget('/other?mode=bogus')).toMatchObject({ ok: false, status: 404 });
    expect(readRequestTarget('/ws/')).toMatchObject({ ok: false, status: 404 });
    expect(readRequestTarget('/ws?mode=bogus')).toMatchObject({ ok: false, status: 400 });
    expect(readRequestTarget('/ai-sdk/ws/')).toMatchObject({ ok: false, status: 404 });
  });

  it('reads no resume on the AI SDK path: its query is the transport’s params', () => {
    expect(readRequestTarget('/ai-sdk/ws?lastSeq=3&epoch=e')).toMatchObject({ resume: undefined });
  });

  it('reads a connect-time resume, or marks it malformed', () => {
    const good = readRequestTarget('/ws?lastSeq=41&epoch=e_1');
    expect(good.ok && good.resume).toEqual({ lastSeq: 41, epoch: 'e_1' });
    for (const url of [
      '/ws?lastSeq=-1&epoch=e',
      '/ws?lastSeq=1.5&epoch=e',
      '/ws?lastSeq=3',
      '/ws?epoch=e',
    ]) {
      const target = readRequestTarget(url);
      expect(target.ok && target.resume).toEqual({ malformed: true });
    }
    const none = readRequestTarget('/ws');
    expect(none.ok && none.resume).toBeUndefined();
  });
});

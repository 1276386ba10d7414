import { SseParser, type SseEvent } from '../../console/src/sse.js';

/** The console's Server-Sent Events parser (console/src/sse.ts), fed as a network would. */
function parse(chunks: string[]): { events: SseEvent[]; parser: SseParser } {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  return { events, parser };
}

describe('the console SSE parser', () => {
  it('reads named events with ids, and ignores comments', () => {
    const { events, parser } = parse([
      'retry: 3000\n\n: keep-alive\n\n',
      'id: 7\nevent: comment.held\ndata: {"id":"a"}\n\n',
    ]);
    expect(parser.retry).toBe(3000);
    expect(events).toEqual([{ event: 'comment.held', data: '{"id":"a"}', id: '7' }]);
  });

  it('joins data lines and survives any chunk boundary, CRLF included', () => {
    const text = 'event: comment.spam\r\ndata: line one\r\ndata:line two\r\nid: 9\r\n\r\n';
    for (let cut = 0; cut <= text.length; cut += 1) {
      const { events } = parse([text.slice(0, cut), text.slice(cut)]);
      expect(events).toEqual([{ event: 'comment.spam', data: 'line one\nline two', id: '9' }]);
    }
  });

  it('dispatches nothing for an event without data or one that never ends', () => {
    expect(parse(['event: comment.held\n\n', 'data: cut off']).events).toEqual([]);
  });

  it('names an unnamed event "message" and keeps the last id for later events', () => {
    const { events } = parse(['id: 1\ndata: x\n\ndata: y\n\n']);
    expect(events).toEqual([
      { event: 'message', data: 'x', id: '1' },
      { event: 'message', data: 'y', id: '1' },
    ]);
  });
});

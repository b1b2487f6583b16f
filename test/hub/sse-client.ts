// A server-sent-events client for tests: one real HTTP connection (node:http), frames parsed as
// EventSource does (id, event, data lines; comments counted as heartbeats).
import { request, type IncomingMessage } from 'node:http';

export interface SseFrame {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: IncomingMessage['headers'];
  frames: SseFrame[];
  comments: string[];
  /** Resolves when the server has ended the stream. */
  ended: Promise<void>;
  /** The first frame (from `from`) that matches, waiting up to `ms`. */
  waitFor(pred: (f: SseFrame) => boolean, what: string, ms?: number): Promise<SseFrame>;
  /** The JSON of each frame's data, for frames of these event types. */
  data<T = unknown>(event?: string): T[];
  close(): void;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const frames: SseFrame[] = [];
      const comments: string[] = [];
      let buffer = '';
      let endResolve!: () => void;
      const ended = new Promise<void>((r) => (endResolve = r));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const f: SseFrame = { id: undefined, event: 'message', data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) f.id = line.slice(4);
            else if (line.startsWith('event: ')) f.event = line.slice(7);
            else if (line.startsWith('data: ')) f.data += line.slice(6);
          }
          if (f.data) frames.push(f);
        }
      });
      res.on('end', endResolve);
      res.on('close', endResolve);
      res.on('error', endResolve);
      const conn: SseConnection = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames,
        comments,
        ended,
        async waitFor(pred, what, ms = 10_000) {
          const until = Date.now() + ms;
          for (;;) {
            const hit = frames.find(pred);
            if (hit) return hit;
            if (Date.now() > until) throw new Error(`no ${what} within ${ms} ms; got ${frames.map((x) => x.event).join(', ') || 'nothing'}`);
            await new Promise((r) => setTimeout(r, 20));
          }
        },
        data<T>(event?: string) {
          return frames.filter((f) => event === undefined || f.event === event).map((f) => JSON.parse(f.data) as T);
        },
        close: () => req.destroy(),
      };
      resolve(conn);
    });
    req.on('error', reject);
    req.end();
  });
}

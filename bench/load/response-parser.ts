// Incremental HTTP/1.1 response framing for the load generator: status line, headers, then a body
// delimited by Content-Length or chunked encoding. Bodies are counted, not kept (a sample is kept
// for error messages), so a 10k-row response costs the client no copies.

const CRLFCRLF = Buffer.from('\r\n\r\n');

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailer';

export class ResponseParser {
  status = 0;
  bodyBytes = 0;
  bodySample = '';
  private state: State = 'head';
  private head: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private line = '';

  reset(): void {
    this.state = 'head';
    this.head = Buffer.alloc(0);
    this.status = 0;
    this.bodyBytes = 0;
    this.bodySample = '';
    this.line = '';
  }

  /** Feeds bytes; true when the response is complete (no pipelining: nothing follows it). */
  push(chunk: Buffer): boolean {
    let buf = chunk;
    if (this.state === 'head') {
      this.head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      const end = this.head.indexOf(CRLFCRLF);
      if (end < 0) return false;
      const state = this.parseHead(this.head.subarray(0, end).toString('latin1'));
      buf = this.head.subarray(end + 4);
      this.head = Buffer.alloc(0);
      if (state === 'length' && this.remaining === 0) return true;
    }
    return this.body(buf);
  }

  private parseHead(text: string): State {
    const lines = text.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!m) throw new Error(`bad status line: ${lines[0] ?? ''}`);
    this.status = Number(m[1]);
    let length: number | null = null;
    let chunked = false;
    for (const l of lines.slice(1)) {
      const colon = l.indexOf(':');
      const name = l.slice(0, colon).trim().toLowerCase();
      const value = l.slice(colon + 1).trim();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding' && /chunked/i.test(value)) chunked = true;
    }
    if (chunked) this.state = 'chunk-size';
    else if (length !== null) {
      this.state = 'length';
      this.remaining = length;
    } else if (this.status === 204 || this.status === 304) {
      this.state = 'length';
      this.remaining = 0;
    } else throw new Error('response without Content-Length or chunked encoding');
    return this.state;
  }

  private take(buf: Buffer): void {
    this.bodyBytes += buf.length;
    if (this.bodySample.length < 300) this.bodySample += buf.subarray(0, 300).toString('utf8');
  }

  private body(buf: Buffer): boolean {
    let i = 0;
    while (i < buf.length || this.state === 'length') {
      switch (this.state) {
        case 'length': {
          const n = Math.min(this.remaining, buf.length - i);
          this.take(buf.subarray(i, i + n));
          this.remaining -= n;
          return this.remaining === 0;
        }
        case 'chunk-size':
        case 'trailer': {
          const nl = buf.indexOf(10, i);
          if (nl < 0) {
            this.line += buf.subarray(i).toString('latin1');
            return false;
          }
          const line = (this.line + buf.subarray(i, nl).toString('latin1')).trim();
          this.line = '';
          i = nl + 1;
          if (this.state === 'trailer') {
            if (line === '') return true;
            continue;
          }
          this.remaining = parseInt(line, 16);
          if (Number.isNaN(this.remaining)) throw new Error(`bad chunk size: ${line}`);
          this.state = this.remaining === 0 ? 'trailer' : 'chunk-data';
          break;
        }
        case 'chunk-data': {
          const n = Math.min(this.remaining, buf.length - i);
          this.take(buf.subarray(i, i + n));
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) {
            this.state = 'chunk-crlf';
            this.remaining = 2;
          }
          break;
        }
        case 'chunk-crlf': {
          const n = Math.min(this.remaining, buf.length - i);
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) this.state = 'chunk-size';
          break;
        }
        case 'head':
          throw new Error('unreachable');
      }
    }
    return false;
  }
}

// Server-Timing for one request (server-timing-enabled), with PostgREST's metric names:
//   Server-Timing: jwt;dur=0.1, parse;dur=0.2, plan;dur=0.1, transaction;dur=1.9, response;dur=0.3
// Each mark closes a phase that began at the previous mark; phases that did not run are left out.
export class ServerTiming {
  private last: number;
  private readonly phases: Array<[string, number]> = [];

  constructor(start: number) {
    this.last = start;
  }

  mark(name: 'parse' | 'jwt' | 'plan' | 'transaction' | 'response'): void {
    const now = performance.now();
    this.phases.push([name, now - this.last]);
    this.last = now;
  }

  header(): string {
    return this.phases.map(([n, d]) => `${n};dur=${d.toFixed(1)}`).join(', ');
  }
}

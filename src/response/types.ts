// What every pipeline ends in: a status, headers and a body, ready for node:http.
export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** A list is written piece by piece, in order (a large body that no single string holds). */
  readonly body: string | Buffer | readonly string[] | null;
}

export const jsonType = 'application/json; charset=utf-8';

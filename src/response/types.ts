// What every pipeline ends in: a status, headers and a body, ready for node:http.
export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer | null;
}

export const jsonType = 'application/json; charset=utf-8';

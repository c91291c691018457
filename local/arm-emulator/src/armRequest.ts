import type { TokenClaims } from './accessTokens.js';

/** One ARM request, parsed once by the server and handed to the routes. */
export interface ArmRequest {
  method: string;
  /** Normalized path: single slashes, no trailing slash, original casing. */
  path: string;
  segments: string[];
  /** The same segments in lower case, for case-insensitive matching. */
  lower: string[];
  query: URLSearchParams;
  apiVersion: string;
  /** The parsed JSON body; undefined when there is none. */
  body: unknown;
  now: number;
  claims: TokenClaims;
}

export interface ArmResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const json = (status: number, body?: unknown, headers?: Record<string, string>) => ({
  status,
  body,
  headers,
});

export const iso = (ms: number) => new Date(ms).toISOString();

/** Turns a request path into segments, collapsing the empty segments that `//` leaves. */
export function splitPath(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

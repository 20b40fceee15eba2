/**
 * The error shape of the platform's JSON interfaces for buyers' pages (issue 17: `/claims`, `/scans`, `/taps`):
 * `{"error": "<code>", "message": "<English, says what to do>", "zh": "<Chinese>"}` plus fields of the case.
 * Node-only.
 */
import type { ServerResponse } from "node:http";
import { CONTENT_TYPES, send } from "./http";

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  send(res, status, CONTENT_TYPES[".json"], JSON.stringify(body));
}

/** Sends `{ error, message, zh, ...extra }`. */
export function sendApiError(
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  zh: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  sendJson(res, status, { error, message, zh, ...extra }, headers);
}

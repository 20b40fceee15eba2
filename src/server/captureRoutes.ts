/** SKELETON (replaced by the part that builds it). */
import type { RouteContext, RouteHandler } from "./routes";

export interface CaptureOptions {
  enabled?: boolean;
}

export function createCaptureRoutes(_context: RouteContext, _options?: CaptureOptions): RouteHandler | undefined {
  return undefined;
}

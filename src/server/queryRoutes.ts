/** SKELETON (replaced by the part that builds it). */
import type { RouteContext, RouteHandler } from "./routes";

export interface QueryOptions {
  enabled?: boolean;
}

export function createQueryRoutes(_context: RouteContext, _options?: QueryOptions): RouteHandler | undefined {
  return undefined;
}

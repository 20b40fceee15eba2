/** SKELETON (replaced by the part that builds it). */
import type { RouteContext, RouteHandler } from "./routes";

export interface ResolverOptions {
  enabled?: boolean;
}

export function createResolverRoutes(_context: RouteContext, _options?: ResolverOptions): RouteHandler | undefined {
  return undefined;
}

/**
 * What the platform server's interfaces (EPCIS capture, EPCIS query, the GS1 resolver) are built from and
 * what they give back: each is a handler that takes the requests of its paths and can be closed with the
 * server. Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DeploymentManifest } from "../config/manifest";
import type { IndexSql } from "../indexer/db";

/** What every interface of the server may use. */
export interface RouteContext {
  manifest: DeploymentManifest;
  /** The server's own JSON-RPC node, when it has one. */
  nodeUrl?: string;
  /** The ledger index, when the server has one. */
  index?: IndexSql;
  /** The off-chain record store's directory. */
  recordsDir: string;
}

export interface RouteHandler {
  /** Takes the request and answers it (returns true), or leaves it to the next handler (false). */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Stops background work (jobs, timers, deliveries); called when the server closes. */
  close?(): Promise<void>;
}

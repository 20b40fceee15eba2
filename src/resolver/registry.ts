/**
 * Is a unit registered on the ledger? The resolver's routing question, answered from the index (`units`)
 * when the server has one, else (and for a unit the index has not reached yet) from the chain. Its answer
 * only decides where a scan is sent: the verification page checks the chain itself, so an index that lies
 * can misroute a scan, never make a counterfeit pass. Node-only.
 */
import type { Hex } from "viem";
import { createTraceReader, type TraceReader } from "../read/reader";
import { unitByKey } from "../indexer/queries/units";
import type { RouteContext } from "../server/routes";
import { ResolverRequestError } from "./errors";

/** Answers whether one unit key is registered; rejects with a 503 error when nothing can be read. */
export type RegistrationLookup = (key: Hex) => Promise<boolean>;

/** The lookup of a server: its index, then its node; neither is a 503 for every code. */
export function registrationLookup(context: RouteContext): RegistrationLookup {
  let reader: TraceReader | undefined;
  const chain = (key: Hex): Promise<boolean> => {
    reader ??= createTraceReader({
      rpcUrl: context.nodeUrl,
      retryCount: 1,
      ledger: {
        address: context.manifest.ledger.address,
        chainId: context.manifest.chainId,
        deploymentBlock: BigInt(context.manifest.ledger.deploymentBlock),
      },
    });
    return reader.unitState(key).then((s) => s.registered);
  };
  return async (key) => {
    try {
      if (context.index && (await unitByKey(context.index, key))) return true;
      // The index follows the chain a few blocks behind: a fresh registration is asked of the node.
      if (context.nodeUrl) return await chain(key);
      if (context.index) return false;
    } catch {
      // A failed read is not "not registered": a 404 would tell a buyer a genuine code is unknown.
      throw new ResolverRequestError("UNAVAILABLE", "The ledger could not be read to resolve this code; try again.");
    }
    throw new ResolverRequestError("UNAVAILABLE", "This resolver has neither an index nor a node to look codes up in.");
  };
}

/**
 * The GS1 Company Prefix registry as the consortium admin plans it (issue 11 item 2): who holds a prefix and
 * under which licence number. Views answer for prefixes one names; the list of every licence comes from the
 * `PrefixLicensed` logs (each one then checked against the view, so a revoked licence is never shown as held).
 * A prefix's full history, with its manufacturers, is `readPrefixLicences` (`src/read/licences.ts`).
 */
import type { Address, PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";

/** A licensed prefix. */
export interface PrefixHolding {
  prefix: string;
  /** The holding organization. */
  holder: number;
  /** The licence number (authorizations belong to one licence). */
  licence: bigint;
}

interface At {
  client: PublicClient;
  ledger: Address;
  blockNumber: bigint;
}

/** The licences of the given prefixes at a block (unlicensed ones left out). */
export async function readPrefixHoldings(at: At, prefixes: string[]): Promise<PrefixHolding[]> {
  const unique = [...new Set(prefixes)];
  const read = await Promise.all(
    unique.map((prefix) =>
      at.client.readContract({
        address: at.ledger,
        abi: traceLedgerAbi,
        functionName: "prefixLicence",
        args: [prefix],
        blockNumber: at.blockNumber,
      }),
    ),
  );
  return unique.flatMap((prefix, i) => {
    const [holder, licence] = read[i];
    return holder === 0 ? [] : [{ prefix, holder, licence }];
  });
}

/** The prefixes any `PrefixLicensed` log names from `fromBlock` to the block, in log order. */
export async function licensedPrefixNames(at: At, fromBlock: bigint): Promise<string[]> {
  const logs = await at.client.getContractEvents({
    address: at.ledger,
    abi: traceLedgerAbi,
    eventName: "PrefixLicensed",
    fromBlock,
    toBlock: at.blockNumber,
    strict: true,
  });
  return [...new Set(logs.map((l) => l.args.prefix))];
}

/**
 * The GS1 Company Prefix registry as the chain has it (issue 11 item 2): who holds a prefix, under which
 * licence number, and which contract manufacturers the holder authorized under that licence. Views answer
 * for prefixes one names; the list of every licence comes from the `PrefixLicensed` logs (each one then
 * checked against the view, so a revoked licence is never shown as held).
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

/** A prefix's licence and its authorized manufacturers. */
export interface PrefixDetails extends PrefixHolding {
  /** Organizations the holder authorized under the current licence, by id. */
  manufacturers: number[];
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

/**
 * A prefix's licence with the manufacturers authorized under it: the `ManufacturerAuthorized` logs of its
 * current licence, each manufacturer's last decision kept (and confirmed with `mayRegisterUnder`).
 */
export async function readPrefixDetails(at: At, prefix: string, fromBlock: bigint): Promise<PrefixDetails | undefined> {
  const [holding] = await readPrefixHoldings(at, [prefix]);
  if (!holding) return undefined;
  const logs = await at.client.getContractEvents({
    address: at.ledger,
    abi: traceLedgerAbi,
    eventName: "ManufacturerAuthorized",
    args: { holder: holding.holder },
    fromBlock,
    toBlock: at.blockNumber,
    strict: true,
  });
  const last = new Map<number, boolean>();
  for (const log of logs)
    if (log.args.licence === holding.licence) last.set(log.args.manufacturer, log.args.authorized);
  const named = [...last].filter(([, authorized]) => authorized).map(([id]) => id);
  const still = await Promise.all(
    named.map((orgId) =>
      at.client.readContract({
        address: at.ledger,
        abi: traceLedgerAbi,
        functionName: "mayRegisterUnder",
        args: [prefix, orgId],
        blockNumber: at.blockNumber,
      }),
    ),
  );
  return { ...holding, manufacturers: named.filter((_, i) => still[i]).sort((a, b) => a - b) };
}

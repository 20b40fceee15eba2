/**
 * A unit's journey: its own history plus the entries recorded on the parents it was packed in, for the
 * time it was inside them (an event on a consignment holds for every item in it). Parents are followed
 * recursively (item → carton → consignment). Browser-safe.
 */
import type { Hex, PublicClient } from "viem";
import { STEPS } from "../codes";
import { traceLedgerAbi } from "../generated/abi";
import { readHistory, type ReadHistoryOptions } from "./history";
import type { Journey, JourneyEntry, LedgerLocation, TraceEntry, UnitHistory } from "./types";

const position = (e: TraceEntry) => e.blockNumber * 1_000_000n + BigInt(e.logIndex);

/** Orders entries by chain position (block, then log index). */
export function byChainPosition(a: TraceEntry, b: TraceEntry): number {
  const pa = position(a);
  const pb = position(b);
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/**
 * Whether an entry is the parent side of a (un)packing of other units (aux = child count): part of the
 * parent's own history, never inherited by what is inside it.
 */
export function isContainerSide(e: TraceEntry): boolean {
  return (e.step === STEPS.PACKING || e.step === STEPS.UNPACKING) && e.aux > 0n;
}

/** Collects a unit's journey, reading each involved history once (`state`, when given, is the unit's own). */
export async function readJourney(
  client: PublicClient,
  ledger: LedgerLocation,
  unit: Hex,
  options: ReadHistoryOptions & { maxDepth?: number } = {},
): Promise<Journey> {
  const done = new Map<Hex, UnitHistory>();
  // One version read for every history of the journey (it decides the hash-chain format).
  const located: LedgerLocation = ledger.version
    ? ledger
    : {
        ...ledger,
        version: await client.readContract({ address: ledger.address, abi: traceLedgerAbi, functionName: "version" }),
      };
  // Each history is read once; a unit's parents are all read at the same time (see `collect`).
  const reading = new Map<Hex, Promise<UnitHistory>>();
  const load = (key: Hex) => {
    let h = reading.get(key);
    if (!h) {
      h = readHistory(client, located, key, {
        maxBlockRange: options.maxBlockRange,
        blockNumber: options.blockNumber,
        // The caller's state is the unit's own (parents' states are read with their histories).
        state: key === unit ? options.state : undefined,
      }).then((read) => {
        done.set(key, read);
        return read;
      });
      h.catch(() => undefined); // awaited by whoever needs it; a failure is theirs, not unhandled
      reading.set(key, h);
    }
    return h;
  };
  const followed = new Set<Hex>();
  const follow = (key: Hex) => {
    followed.add(key);
    return load(key);
  };
  // The parent the unit is in now is known from its state: read its history alongside the unit's own.
  if (options.state?.parent) void load(options.state.parent);
  const entries = await collect(unit, undefined, undefined, options.maxDepth ?? 8, follow, load);
  entries.sort(byChainPosition);
  // The histories followed, in the order they were first followed, whatever order the node answered in (a
  // history read ahead but not followed is no part of the journey).
  const histories = new Map([...followed].map((k) => [k, done.get(k)!] as const));
  const intact = [...histories.values()].every((h) => h.intact);
  return { unit, entries, histories, intact };
}

/**
 * The entries of `unit` between `from` and `to` (exclusive chain positions), with those inherited from the
 * parents it was packed in during that time.
 */
async function collect(
  unit: Hex,
  from: bigint | undefined,
  to: bigint | undefined,
  depth: number,
  follow: (key: Hex) => Promise<UnitHistory>,
  readAhead: (key: Hex) => Promise<UnitHistory>,
): Promise<JourneyEntry[]> {
  const history = await follow(unit);
  const inWindow = (e: TraceEntry) =>
    (from === undefined || position(e) > from) && (to === undefined || position(e) < to);
  const own = history.entries.filter(inWindow);
  const result: JourneyEntry[] = own.filter((e) => !isContainerSide(e) || from === undefined);
  if (depth === 0) return result;
  // Each child-side PACKING entry opens a stay in a parent, closed by the next child-side UNPACKING. Every
  // stay is known from the child's own entries: all the parents are read at once, then followed in order.
  const stays: { parent: Hex; start: bigint; end: bigint | undefined }[] = [];
  for (let i = 0; i < history.entries.length; i++) {
    const e = history.entries[i];
    if (e.step !== STEPS.PACKING || isContainerSide(e)) continue;
    const close = history.entries
      .slice(i + 1)
      .find((x) => x.step === STEPS.UNPACKING && !isContainerSide(x) && x.data === e.data);
    const stayFrom = position(e);
    const stayTo = close ? position(close) : undefined;
    const start = from !== undefined && from > stayFrom ? from : stayFrom;
    const end = to !== undefined && (stayTo === undefined || to < stayTo) ? to : stayTo;
    if (end !== undefined && end <= start) continue;
    stays.push({ parent: e.data, start, end });
  }
  for (const stay of stays) void readAhead(stay.parent);
  for (const { parent, start, end } of stays) {
    const inherited = await collect(parent, start, end, depth - 1, follow, readAhead);
    for (const x of inherited) {
      if (isContainerSide(x)) continue;
      result.push({ ...x, inheritedFrom: x.inheritedFrom ?? parent });
    }
  }
  return result;
}

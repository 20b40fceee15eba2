/**
 * The pre-flight of a job: every ledger write of the document, in order, as the capture key, before any is
 * sent. Registrations are first checked against the prefix registry as the CLI does (the writer's
 * `LicenceChecker`); then the whole sequence is simulated (`simulateInOrder`), so an event on a unit the
 * same document registers earlier is checked on the state that registration leaves. Each refusal is the
 * ledger's own reason, decoded by the SDK.
 */
import { toUtf8Bytes } from "ethers";
import type { Hex } from "viem";
import { CodeNotLicensedError, unlicensedReason } from "../errors/licence";
import { BatchItemRejectedError, type ContractRefusalError } from "../errors/contract";
import { simulateInOrder, type LedgerCall } from "../write/simulate";
import type { TraceWriter } from "../write/writer";
import type { AggregationInput } from "../write/types";
import type { PlannedEvent } from "./plan";

/** Why the ledger would refuse one event (the job's `errors` entry). */
export interface EventRefusal {
  eventIndex: number;
  eventID: string;
  /** `cbectrace:ledger:<the ledger's error name>` (or `cbectrace:ledger:CodeNotLicensed`). */
  type: string;
  /** The SDK's error name (`OutOfScopeError`, `StageViolationError`, …). */
  title: string;
  /** The SDK's message. */
  detail: string;
}

/** The refusal entry for a decoded ledger error (a batch's refusal: its item's own reason). */
export function refusalOf(event: PlannedEvent, refusal: ContractRefusalError): EventRefusal {
  const error = refusal instanceof BatchItemRejectedError ? refusal.reason : refusal;
  return {
    eventIndex: event.eventIndex,
    eventID: event.eventID,
    type: `cbectrace:ledger:${error.errorName}`,
    title: error.name,
    detail: error.shortMessage,
  };
}

/** The refusals of a plan's ledger writes, in event order (empty: everything would be written). */
export async function preflight(plan: PlannedEvent[], writer: TraceWriter): Promise<EventRefusal[]> {
  const refusals = new Map<number, EventRefusal>();
  const regs = plan.flatMap((e) => (e.registrations ?? []).map((r) => ({ event: e, path: r.path })));
  const lengths = new Map<string, number>();
  try {
    const found = await writer.licences.prefixLengths(regs.map((r) => r.path));
    found.forEach((length, i) => lengths.set(regs[i].path, length));
  } catch (error) {
    if (!(error instanceof CodeNotLicensedError)) throw error;
    for (const code of error.refused) {
      const { event } = regs[code.index];
      refusals.set(event.eventIndex, {
        eventIndex: event.eventIndex,
        eventID: event.eventID,
        type: "cbectrace:ledger:CodeNotLicensed",
        title: error.name,
        detail: unlicensedReason(code, error.orgId),
      });
    }
    // The others' prefixes: one more lookup, of the licensed ones only.
    const rest = regs.filter((r) => !refusals.has(r.event.eventIndex));
    const again = await writer.licences.prefixLengths(rest.map((r) => r.path));
    again.forEach((length, i) => lengths.set(rest[i].path, length));
  }

  const ledger = writer.ledger.interface;
  const maxBatch = Number(await writer.ledger.MAX_BATCH());
  const calls: LedgerCall[] = [];
  const owner: PlannedEvent[] = [];
  const chunks = <T>(items: T[]) => {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += maxBatch) out.push(items.slice(i, i + maxBatch));
    return out;
  };
  for (const event of plan) {
    if (event.kind === "offchain" || refusals.has(event.eventIndex)) continue;
    const add = (data: string) => {
      calls.push({ data: data as Hex });
      owner.push(event);
    };
    // One call per event (a batch call for an event on several units), as the writer would send them.
    const registrations = (event.registrations ?? []).map((r) => ({
      path: toUtf8Bytes(r.path),
      prefixLength: lengths.get(r.path)!,
      eventTime: r.eventTime,
      location: r.location,
      recordHash: r.recordHash,
    }));
    for (const chunk of chunks(registrations)) {
      add(
        chunk.length === 1
          ? ledger.encodeFunctionData("register", [chunk[0]])
          : ledger.encodeFunctionData("registerBatch", [chunk]),
      );
    }
    for (const chunk of chunks(event.records ?? [])) {
      add(
        chunk.length === 1
          ? ledger.encodeFunctionData("record", [chunk[0]])
          : ledger.encodeFunctionData("recordBatch", [chunk]),
      );
    }
    for (const children of event.aggregation ? chunks(event.children!) : []) {
      const args: [AggregationInput, Hex[]] = [event.aggregation!, children];
      add(event.kind === "pack" ? ledger.encodeFunctionData("pack", args) : ledger.encodeFunctionData("unpack", args));
    }
  }
  const outcomes = await simulateInOrder(writer.ledger.runner!.provider! as never, {
    from: writer.address,
    ledger: await writer.ledger.getAddress(),
    calls,
  });
  outcomes.forEach((outcome, i) => {
    const event = owner[i];
    if (!outcome.ok && !refusals.has(event.eventIndex)) refusals.set(event.eventIndex, refusalOf(event, outcome.error));
  });
  return [...refusals.values()].sort((a, b) => a.eventIndex - b.eventIndex);
}

/**
 * Idempotent re-submission: before writing, drop what the chain already holds. A registration is on chain
 * when its unit is registered; an event when the unit's history has an entry with the same step and record
 * hash (the record hash covers the whole off-chain record, so the same event always has the same hash).
 * A customs document is on chain when the ledger holds its id. Rerunning an interrupted import therefore
 * records each item exactly once.
 */
import type { Hex } from "viem";
import type { TraceReader } from "../read/reader";
import type { CustomsDocumentInput, RegistrationInput, TraceInput } from "./types";
import { documentId } from "../customs/identifiers";
import { mapLimit } from "./mapLimit";
import { unitKeyOfPath } from "../gs1/key";

/** The registrations whose units are not registered yet (duplicates in the input kept once). */
export async function unregistered(reader: TraceReader, items: RegistrationInput[]): Promise<RegistrationInput[]> {
  const unique = [...new Map(items.map((r) => [r.path, r])).values()];
  const states = await mapLimit(unique, 16, (r) => reader.unitState(unitKeyOfPath(r.path)));
  return unique.filter((_, i) => !states[i].registered);
}

/** The events not yet in their unit's history (same step and record hash), in input order, deduplicated. */
export async function unrecorded(reader: TraceReader, events: TraceInput[]): Promise<TraceInput[]> {
  const units = [...new Set(events.map((e) => e.unit.toLowerCase()))];
  const recorded = new Map<string, Set<string>>();
  await mapLimit(units, 8, async (unit) => {
    const state = await reader.unitState(unit as Hex);
    const seen = new Set<string>();
    if (state.seq > 1) {
      const history = await reader.history(unit as Hex, { state });
      for (const e of history.entries) seen.add(`${e.step}:${e.data.toLowerCase()}`);
    }
    recorded.set(unit, seen);
  });
  const out: TraceInput[] = [];
  for (const e of events) {
    const seen = recorded.get(e.unit.toLowerCase())!;
    const id = `${e.step}:${e.recordHash.toLowerCase()}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(e);
  }
  return out;
}

/** Reads one filed document's kind (0 when none has the id): `TraceLedger.customsDocument(id).kind`. */
export type DocumentKindReader = (docId: Hex) => Promise<number>;

/**
 * The customs documents `orgId` has not filed yet, in input order, deduplicated: a document is filed when
 * the ledger holds its id (kind, issuing organization, number), which it files once.
 * @param kindOf Reads a document id's kind from the ledger.
 * @param orgId The filing organization (`TraceWriter.organization()`).
 * @param documents The documents to file.
 */
export async function unfiled(
  kindOf: DocumentKindReader,
  orgId: number,
  documents: CustomsDocumentInput[],
): Promise<CustomsDocumentInput[]> {
  const ids = documents.map((d) => documentId(d.kind, orgId, d.numberHash));
  const unique = [...new Set(ids)];
  const kinds = await mapLimit(unique, 16, (id) => kindOf(id));
  const filed = new Set(unique.filter((_, i) => kinds[i] !== 0));
  const out: CustomsDocumentInput[] = [];
  for (const [i, d] of documents.entries()) {
    if (filed.has(ids[i])) continue;
    filed.add(ids[i]);
    out.push(d);
  }
  return out;
}

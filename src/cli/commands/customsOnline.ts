/**
 * `trace customs check --unit <code>`: the three-document match of a shipment as filed. The unit's history
 * on the ledger names its documents (the entries of the order, payment, waybill and declaration steps hold
 * their records' hashes); their records are fetched from the platform (TRACE_PLATFORM_URL) with a read
 * signed by the caller's key (TRACE_PRIVATE_KEY), since the order and the payment are finance documents the
 * platform serves only to those entitled (`src/server/recordAccess.ts`); each record is checked against its
 * hash, then matched as `trace customs check` matches files.
 */
import type { Hex } from "viem";
import { dedicatedDocumentKind, type DocumentKindName } from "../../codes";
import { recordHash } from "../../epcis";
import { documentNumber, matchDocuments, parseCustomsRecord, type CustomsRecord } from "../../customs";
import { readRecordSigned } from "../../records/signedRead";
import type { MatchVerdict } from "../../customs";
import type { CliContext } from "../context";
import { unitRef } from "../inputs";
import { CliInputError } from "../output";

/** The documents the match reads, by their slot in `matchDocuments`. */
const SLOTS: Partial<Record<DocumentKindName, "order" | "payment" | "waybill" | "declaration">> = {
  ORDER: "order",
  PAYMENT: "payment",
  WAYBILL: "waybill",
  DECLARATION: "declaration",
};

/** What `check --unit` found: the verdict, the documents' numbers and the hashes their records were read by. */
export interface UnitCheck {
  unit: Hex;
  verdict: MatchVerdict;
  numbers: Record<string, string>;
  records: Record<string, Hex>;
}

/**
 * Matches the documents filed on the unit `code` names, reading their records from the platform.
 * @throws CliInputError without TRACE_PLATFORM_URL, or when a record is missing or does not hash to its
 * entry; RecordAccessError when the platform refuses the caller's key (its 403 reason).
 */
export async function checkUnitOnline(ctx: CliContext, code: string): Promise<UnitCheck> {
  const unit = unitRef(code).key;
  const platform = ctx.env.platformUrl;
  if (!platform) {
    throw new CliInputError("--unit reads the documents' records from the platform: set TRACE_PLATFORM_URL.", {
      hints: ["npm start's platform is http://127.0.0.1:8080."],
    });
  }
  const writer = await ctx.writer(); // the caller's key signs the reads
  const history = await (await ctx.reader()).history(unit);
  // The latest entry of each document step (a declaration refiled after a rejection replaces the first).
  const latest = new Map<"order" | "payment" | "waybill" | "declaration", Hex>();
  for (const e of history.entries) {
    const kind = dedicatedDocumentKind(e.step);
    const slot = kind ? SLOTS[kind] : undefined;
    if (slot) latest.set(slot, e.data.toLowerCase() as Hex);
  }
  if (latest.size === 0) {
    throw new CliInputError(`${code} has no order, payment, waybill or declaration filed on the ledger.`, {
      hints: ["File the shipment's documents on this unit first (its consignment, if the documents are there)."],
    });
  }
  const records: Partial<Record<string, CustomsRecord>> = {};
  for (const [slot, hash] of latest) {
    const json = await readRecordSigned(platform, hash, writer.sender.signer);
    if (json === undefined) {
      throw new CliInputError(`The platform has no record ${hash} (the ${slot} of ${code}).`, {
        hints: ["Its issuer publishes it: `trace records publish` with the issuer's record store."],
      });
    }
    if (typeof json !== "object" || json === null || recordHash(json) !== hash) {
      throw new CliInputError(`The platform served a ${slot} record that does not hash to ${hash}: it was altered.`);
    }
    records[slot] = parseCustomsRecord(json, slot.toUpperCase() as DocumentKindName);
  }
  const verdict = matchDocuments(records);
  const numbers = Object.fromEntries(Object.entries(records).map(([slot, r]) => [slot, documentNumber(r!)]));
  return { unit, verdict, numbers, records: Object.fromEntries(latest) };
}

/**
 * `documentInput`: the ledger's `CustomsDocumentInput` for a record — pure, so the SDK's write path, the CLI
 * and the demo file the same numbers and hashes. Declarations and summaries also get their `cites` here,
 * from the cited records and their issuers' organization ids, after checking that they are the documents
 * the mode needs and the ones the declaration names.
 */
import type { Hex } from "viem";
import { encodeLocation } from "../epcis/onchain";
import { parseDateTime } from "../epcis/time";
import { canonicalDocumentNumber, documentId, documentNumberHash } from "./identifiers";
import { CustomsInputError } from "./errors";
import { DOCUMENT_KINDS, MODE_CITES, type DocumentKindName } from "./kinds";
import { parseCustomsRecord } from "./records/parse";
import { customsRecordHash } from "./records/public";
import type { CustomsRecord, DeclarationRecord, SummaryRecord } from "./records/types";
import { documentNumber, orderRefOf, termsOf } from "./terms";

/** The ledger's `CustomsDocumentInput` struct: one definition, the write path's. */
export type { CustomsDocumentInput } from "../write/types";
import type { CustomsDocumentInput } from "../write/types";

/** A document a declaration or summary cites: its record and the organization that filed it. */
export interface CitedDocument {
  record: CustomsRecord | unknown;
  issuerOrg: number;
}

/** The `docId` the ledger gives a record filed by `issuerOrg`. */
export function documentIdOf(record: CustomsRecord | unknown, issuerOrg: number): Hex {
  const r = parseCustomsRecord(record);
  if (!Number.isSafeInteger(issuerOrg) || issuerOrg <= 0 || issuerOrg >= 2 ** 32) {
    throw new CustomsInputError(`issuer organization ${issuerOrg} is not an organization id (a whole number from 1).`);
  }
  return documentId(DOCUMENT_KINDS[r.kind], issuerOrg, documentNumberHash(documentNumber(r)));
}

/** A kind as words: `ZONE_ENTRY` → "zone entry". */
const words = (kind: DocumentKindName) => kind.toLowerCase().replace("_", " ");

const same = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && canonicalDocumentNumber(a) === canonicalDocumentNumber(b);

/** The number a declaration names for each cited kind, and the cited record's own number for it. */
function declarationNames(
  decl: DeclarationRecord,
  kind: DocumentKindName,
  cited: CustomsRecord,
): [string | undefined, string | undefined] {
  switch (kind) {
    case "ORDER":
    case "PAYMENT":
      return [decl.orderNo, (cited as { orderNo: string }).orderNo];
    case "WAYBILL":
      return [decl.logisticsNo, (cited as { logisticsNo: string }).logisticsNo];
    case "BOOKING":
      return [decl.bookingNo, (cited as { bookingNo: string }).bookingNo];
    default:
      return [decl.zoneEntryNo, (cited as { zoneEntryNo: string }).zoneEntryNo];
  }
}

function declarationCites(decl: DeclarationRecord, cited: CustomsRecord[]): void {
  const need = [...MODE_CITES[decl.mode]].sort().join(", ");
  const got = cited
    .map((c) => c.kind)
    .sort()
    .join(", ");
  if (need !== got) {
    throw new CustomsInputError(`a ${decl.mode} declaration cites ${need}; these are ${got || "none"}.`, {
      hints: ["Give exactly the documents the mode needs, one of each."],
    });
  }
  for (const c of cited) {
    const [named, own] = declarationNames(decl, c.kind, c);
    if (!same(named, own)) {
      throw new CustomsInputError(
        `the declaration names ${named ?? "no number"} for the ${words(c.kind)}, but the cited ${words(c.kind)} is ${own}: cite the document the declaration names.`,
      );
    }
  }
}

function summaryCites(sum: SummaryRecord, cited: CustomsRecord[]): void {
  const named = new Set(sum.invtNos.map(canonicalDocumentNumber));
  const lists = cited.map((c) => {
    if (c.kind !== "DECLARATION" || c.invtNo === undefined) {
      throw new CustomsInputError(`a summary cites 9610 declaration lists; a ${words(c.kind)} was given.`);
    }
    return canonicalDocumentNumber(c.invtNo);
  });
  const given = new Set(lists);
  if (given.size !== lists.length || given.size !== named.size || [...named].some((n) => !given.has(n))) {
    throw new CustomsInputError(
      `the summary sums ${[...named].join(", ")}; the lists cited are ${lists.join(", ") || "none"}: cite each summed list once.`,
    );
  }
}

/** Everything of a `CustomsDocumentInput` but the unit: what the record alone determines. */
export type CustomsDocumentFields = Omit<CustomsDocumentInput, "unit">;

/**
 * The ledger fields of a record, without the unit (for showing and checking a record before filing).
 * @param record The record (either form; parsed and checked here).
 * @param cites For a DECLARATION or a SUMMARY: the documents it cites, with their issuers' organization ids.
 * @returns kind, numberHash, orderRef, terms, mode, cites, eventTime, location, recordHash. Throws
 * `CustomsRecordError` for a bad record, `CustomsInputError` for wrong citations.
 */
export function documentFields(
  record: CustomsRecord | unknown,
  cites: readonly CitedDocument[] = [],
): CustomsDocumentFields {
  const r = parseCustomsRecord(record);
  const citedRecords = cites.map((c) => parseCustomsRecord(c.record));
  if (r.kind === "DECLARATION") declarationCites(r, citedRecords);
  else if (r.kind === "SUMMARY") summaryCites(r, citedRecords);
  else if (cites.length > 0) {
    throw new CustomsInputError(`a ${words(r.kind)} cites no documents; only declarations and summaries do.`);
  }
  const ms = (parseDateTime(r.time) as { ms: number }).ms;
  return {
    kind: DOCUMENT_KINDS[r.kind],
    numberHash: documentNumberHash(documentNumber(r)),
    orderRef: orderRefOf(r),
    terms: termsOf(r),
    mode: r.kind === "DECLARATION" ? r.mode : 0,
    cites: cites.map((c, i) => documentIdOf(citedRecords[i], c.issuerOrg)),
    eventTime: Math.floor(ms / 1000),
    location: r.location === undefined ? 0n : encodeLocation(r.location),
    recordHash: customsRecordHash(r),
  };
}

/**
 * The `CustomsDocumentInput` of a record on a unit: `documentFields` plus the unit key.
 * @param record The record (either form; parsed and checked here).
 * @param unit The unit key (bytes32) the document is about.
 * @param cites For a DECLARATION or a SUMMARY: the documents it cites, with their issuers' organization ids.
 * @returns The struct for `fileDocument`. Throws `CustomsRecordError` for a bad record, `CustomsInputError`
 * for a bad unit or wrong citations.
 */
export function documentInput(
  record: CustomsRecord | unknown,
  unit: Hex,
  cites: readonly CitedDocument[] = [],
): CustomsDocumentInput {
  if (typeof unit !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(unit) || /^0x0{64}$/.test(unit)) {
    throw new CustomsInputError(
      `unit ${String(unit)} is not a unit key (0x + 64 hex digits, not zero): give the key of the shipment the document is about.`,
    );
  }
  return { unit, ...documentFields(record, cites) };
}

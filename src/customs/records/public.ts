/**
 * The public form of a customs record and the hash the chain anchors. The public form is built field by
 * field from a parsed record (a whitelist, not a deletion of known personal fields): people become their
 * references, the salt is dropped, and the result is checked for any personal value left in a free-text
 * field (a goods name, a number). Whoever holds the private form recomputes the public form and so the
 * chain's `recordHash`; whoever holds only the public form can check it against the chain and learns no
 * personal data.
 */
import type { Hex } from "viem";
import { recordHash } from "../../epcis/hash";
import { parseCustomsRecord } from "./parse";
import { checkNoPersonalData, publicPerson } from "./personal";
import type { CustomsRecord, PersonRecord, PublicRecord } from "./types";

/** The person field of the kinds that name people. */
const PERSON_FIELD = { ORDER: "buyer", PAYMENT: "payer", WAYBILL: "consignee" } as const;

/** The people a private record names (none for public records and kinds without people). */
export function peopleOf(record: CustomsRecord): PersonRecord[] {
  if (record.form !== "private" || !(record.kind in PERSON_FIELD)) return [];
  const field = PERSON_FIELD[record.kind as keyof typeof PERSON_FIELD];
  return [(record as unknown as Record<string, PersonRecord>)[field]];
}

/**
 * The public form of a record. Accepts a record object or raw parsed JSON (re-checked either way, so a
 * record built in code with an extra field is refused like a file would be).
 * @throws CustomsRecordError for a malformed record; CustomsPersonalDataError when a personal value of the
 * record appears in a published field.
 */
export function publicForm(input: CustomsRecord | unknown): PublicRecord {
  const record = parseCustomsRecord(input);
  if (record.form === "public") return record as PublicRecord;
  const people = peopleOf(record);
  const { privacySalt, ...rest } = record as CustomsRecord & { privacySalt?: Hex };
  const out: Record<string, unknown> = { ...rest, form: "public" };
  if (record.kind in PERSON_FIELD) {
    const field = PERSON_FIELD[record.kind as keyof typeof PERSON_FIELD];
    out[field] = publicPerson(privacySalt as Hex, people[0]);
  }
  checkNoPersonalData(out, people);
  return out as unknown as PublicRecord;
}

/**
 * The document's `recordHash`: `sha256(JCS(public form))`, the same canonical JSON and hash as every EPCIS
 * record (`src/epcis/hash.ts`). Private and public forms of one document give the same hash.
 */
export function customsRecordHash(input: CustomsRecord | unknown): Hex {
  return recordHash(publicForm(input));
}

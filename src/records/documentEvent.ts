/**
 * A customs document filed as an EPCIS event: the event is recorded on the unit (the record path), and the
 * document's ledger input carries that event's hash, time and place with the document's own fields. The
 * demo journeys file their documents through this one builder, as the CLI files records through
 * `documentInput` (src/customs/onchain.ts).
 */
import { CUSTOMS_DOCUMENT_KINDS, type DocumentKindName } from "../codes";
import { documentNumberHash } from "../customs/identifiers";
import { ZERO_HASH } from "../customs/terms";
import type { CustomsDocumentInput } from "../write/types";
import { recordObjectEvent, type UnitEventInput, type UnitRef } from "./recordEvent";
import type { RecordSink } from "./store";

/** The document: its kind and number, and the fields its kind needs (see `CustomsDocumentInput`). */
export interface DocumentEventFields extends Partial<
  Pick<CustomsDocumentInput, "orderRef" | "terms" | "mode" | "cites">
> {
  kind: DocumentKindName;
  number: string;
}

/**
 * Records the document's event on `unit` and returns the document's ledger input; fields not given are
 * zero (no order, no terms, no mode, no citations).
 */
export function recordDocumentEvent(
  sink: RecordSink,
  unit: UnitRef,
  event: UnitEventInput,
  document: DocumentEventFields,
): CustomsDocumentInput {
  const { input } = recordObjectEvent(sink, unit, event);
  return {
    unit: input.unit,
    kind: CUSTOMS_DOCUMENT_KINDS[document.kind],
    numberHash: documentNumberHash(document.number),
    orderRef: document.orderRef ?? ZERO_HASH,
    terms: document.terms ?? [ZERO_HASH, ZERO_HASH],
    mode: document.mode ?? 0,
    cites: document.cites ?? [],
    eventTime: input.eventTime,
    location: input.location,
    recordHash: input.recordHash,
  };
}

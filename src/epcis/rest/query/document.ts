/**
 * The body of a query answer and of a subscription delivery: an EPCIS 2.0 `EPCISQueryDocument` whose events
 * carry their `recordTime` and their ledger anchor (`cbectrace:anchor`, null for an off-chain-only event).
 * The anchor is not part of the record: remove it before recomputing `recordHash` (docs/epcis-query.md).
 * Browser-safe.
 */
import { EPCIS_DOCUMENT_CONTEXT } from "../../document";
import type { JsonValue } from "../../types";
import { isoMillis } from "../../time";
import type { StoredEvent } from "../../repository";

/** The extension field naming where an event is anchored. */
import { ANCHOR_FIELD } from "../anchor";

export { ANCHOR_FIELD };

/** An event as the interface serves it. */
export function servedEvent(stored: StoredEvent): Record<string, unknown> {
  const event: Record<string, unknown> = { ...stored.event, recordTime: isoMillis(stored.recordTime) };
  delete event["@context"];
  event[ANCHOR_FIELD] = stored.anchor;
  return event;
}

/** An EPCISQueryDocument of `events` for the query `queryName` (and the subscription, for a delivery). */
export function queryDocument(
  queryName: string,
  events: StoredEvent[],
  subscriptionID?: string,
  now: number = Date.now(),
): Record<string, JsonValue> {
  return {
    "@context": EPCIS_DOCUMENT_CONTEXT as JsonValue[],
    type: "EPCISQueryDocument",
    schemaVersion: "2.0",
    creationDate: isoMillis(now),
    epcisBody: {
      queryResults: {
        queryName,
        ...(subscriptionID ? { subscriptionID } : {}),
        resultsBody: { eventList: events.map(servedEvent) as JsonValue[] },
      },
    },
  };
}

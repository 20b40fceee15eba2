/** The EPCIS event repository: the events the query interface serves, synced from the index and the record store. */
export { ensureEventRepository } from "./schema";
export { syncEvents, type SyncSummary, type RepositoryLedger } from "./sync";
export {
  searchEvents,
  distinctValues,
  sortValue,
  type EventFilter,
  type EventOrder,
  type OrderField,
  type StoredEvent,
} from "./search";
export { epcKey, epcMatch, type KeyMatch } from "./epcKeys";
export { vocabKey, type VocabKind } from "./vocabKeys";
export { eventColumns, type EpcField } from "./eventRow";

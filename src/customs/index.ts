/** Customs documents off chain: records (private and public form), their ledger input, and the three-document match. */
export * from "./identifiers";
export * from "./kinds";
export * from "./errors";
export * from "./amounts";
export * from "./records/types";
export { parseCustomsRecord } from "./records/parse";
export { publicForm, customsRecordHash, peopleOf } from "./records/public";
export { personalFieldHash, publicPerson, checkNoPersonalData } from "./records/personal";
export * from "./terms";
export * from "./onchain";
export * from "./explain";
export * from "./match";

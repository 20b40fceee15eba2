/**
 * Vocabulary mapping between the contract's codes and EPCIS 2.0 / CBV 2.0 URIs.
 *
 * - Steps: CBV 2.0 business steps map to `https://ref.gs1.org/cbv/BizStep-<name>`, this project's extension
 *   steps to `urn:cbec-trace:bizstep:<name>`, where `<name>` is the `Steps.sol` constant in lower case
 *   (`CUSTOMS_DECLARED` → `customs_declared`). Which steps are CBV is decided by the CBV 2.0 vocabulary
 *   itself (`CBV_BIZ_STEPS`), never by code ranges.
 * - Dispositions: `https://ref.gs1.org/cbv/Disp-<name>`; code 0 (`NONE`) means "no disposition".
 * - Business transaction types: the 13 CBV types (`https://ref.gs1.org/cbv/BTT-<name>`) plus extension types
 *   `urn:cbec-trace:btt:<name>` for the China customs export documents (CEB messages, 报关单).
 * - Locations (GLN or short code) are in `location.ts`.
 *
 * Reverse lookups also accept the other spellings found in EPCIS data: the JSON-LD compact CBV term
 * (`shipping`), the CURIE (`cbv:BizStep-shipping`, `cbectrace:bizstep:customs_declared`) and the EPCIS 1.x
 * URN (`urn:epcglobal:cbv:bizstep:shipping`).
 */
import { STEPS, DISPOSITIONS, STEP_NAMES, type StepName, type DispositionName } from "../codes";
import { EpcisVocabularyError, quote } from "./errors";
import { checkGln } from "./location";
import { CBEC_TRACE_NAMESPACE, isAbsoluteUri, stripPrefix } from "./uri";

export { CBEC_TRACE_NAMESPACE, isAbsoluteUri };

/** Base of CBV 2.0 term URIs. */
export const CBV_BASE = "https://ref.gs1.org/cbv/";
/** Prefix of CBV business step URIs. */
export const CBV_BIZ_STEP_PREFIX = `${CBV_BASE}BizStep-`;
/** Prefix of extension business step URIs. */
export const EXT_BIZ_STEP_PREFIX = `${CBEC_TRACE_NAMESPACE}bizstep:`;
/** Prefix of CBV disposition URIs. */
export const CBV_DISPOSITION_PREFIX = `${CBV_BASE}Disp-`;
/** Prefix of CBV business transaction type URIs. */
export const CBV_BTT_PREFIX = `${CBV_BASE}BTT-`;
/** Prefix of extension business transaction type URIs. */
export const EXT_BTT_PREFIX = `${CBEC_TRACE_NAMESPACE}btt:`;
/** Prefix of document URIs built from a document number (`bizTransactionUri`). */
export const EXT_BIZ_TRANSACTION_PREFIX = `${CBEC_TRACE_NAMESPACE}bt:`;
/** Prefix of CBV source/destination type URIs. */
export const CBV_SDT_PREFIX = `${CBV_BASE}SDT-`;
/** Prefix of a party GLN as a GS1 Digital Link URI (AI 417). */
export const PARTY_GLN_URI_PREFIX = "https://id.gs1.org/417/";

/** The 41 CBV 2.0 business steps. */
export const CBV_BIZ_STEPS = [
  "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning", "creating_class_instance",
  "cycle_counting", "decommissioning", "departing", "destroying", "disassembling", "dispensing", "encoding",
  "entering_exiting", "holding", "inspecting", "installing", "killing", "loading", "other", "packing", "picking",
  "receiving", "removing", "repackaging", "repairing", "replacing", "reserving", "retail_selling", "shipping",
  "staging_outbound", "stock_taking", "stocking", "storing", "transporting", "unloading", "unpacking",
  "void_shipping", "sensor_reporting", "sampling",
] as const; // prettier-ignore

/** The 33 CBV 2.0 dispositions. */
export const CBV_DISPOSITIONS = [
  "active", "container_closed", "damaged", "destroyed", "dispensed", "disposed", "encoded", "expired",
  "in_progress", "in_transit", "inactive", "no_pedigree_match", "non_sellable_other", "partially_dispensed",
  "recalled", "reserved", "retail_sold", "returned", "sellable_accessible", "sellable_not_accessible", "stolen",
  "unknown", "available", "completeness_verified", "completeness_inferred", "conformant", "container_open",
  "mismatch_instance", "mismatch_class", "mismatch_quantity", "needs_replacement", "non_conformant", "unavailable",
] as const; // prettier-ignore

/**
 * Business transaction types: the 13 CBV 2.0 types and this project's extension types for customs and trade
 * documents, with what each identifies. Use the extension types for China customs numbers; `po` stays for a
 * B2B purchase order (e.g. the 9710 buyer's order), `bol` for a carrier's bill of lading.
 */
export const BIZ_TRANSACTION_TYPES = {
  // CBV 2.0
  po: { uri: `${CBV_BTT_PREFIX}po`, description: "purchase order" },
  poc: { uri: `${CBV_BTT_PREFIX}poc`, description: "purchase order confirmation" },
  inv: { uri: `${CBV_BTT_PREFIX}inv`, description: "invoice" },
  desadv: { uri: `${CBV_BTT_PREFIX}desadv`, description: "despatch advice" },
  recadv: { uri: `${CBV_BTT_PREFIX}recadv`, description: "receiving advice" },
  bol: { uri: `${CBV_BTT_PREFIX}bol`, description: "bill of lading" },
  cert: { uri: `${CBV_BTT_PREFIX}cert`, description: "certificate (conformity, origin, inspection)" },
  pedigree: { uri: `${CBV_BTT_PREFIX}pedigree`, description: "pedigree" },
  prodorder: { uri: `${CBV_BTT_PREFIX}prodorder`, description: "production order" },
  rma: { uri: `${CBV_BTT_PREFIX}rma`, description: "return merchandise authorization" },
  testprd: { uri: `${CBV_BTT_PREFIX}testprd`, description: "test procedure" },
  testres: { uri: `${CBV_BTT_PREFIX}testres`, description: "test result" },
  upevt: { uri: `${CBV_BTT_PREFIX}upevt`, description: "upstream EPCIS event" },
  // cbec-trace extensions (China customs CBEC export)
  order: { uri: `${EXT_BTT_PREFIX}order`, description: "e-commerce order, CEB303 电子订单 orderNo" },
  receipt: { uri: `${EXT_BTT_PREFIX}receipt`, description: "payment receipt, CEB403 收款单" },
  waybill: { uri: `${EXT_BTT_PREFIX}waybill`, description: "logistics waybill, CEB505 运单 logisticsNo" },
  inventory: { uri: `${EXT_BTT_PREFIX}inventory`, description: "export inventory, CEB603 申报清单 invtNo" },
  declaration: { uri: `${EXT_BTT_PREFIX}declaration`, description: "export customs declaration, 报关单 entryId" },
  summary: { uri: `${EXT_BTT_PREFIX}summary`, description: "summary declaration, CEB701/CEB792 汇总 sumNo" },
  master_bill: { uri: `${EXT_BTT_PREFIX}master_bill`, description: "master/house bill list, CEB607 清单总分单" },
} as const;

/** Name of a business transaction type (`po`, `inventory`, …). */
export type BizTransactionTypeName = keyof typeof BIZ_TRANSACTION_TYPES;

/** CBV 2.0 source/destination types. */
export const SOURCE_DEST_TYPES = ["owning_party", "possessing_party", "location"] as const;
/** Name of a source/destination type. */
export type SourceDestTypeName = (typeof SOURCE_DEST_TYPES)[number];

// ---------------------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------------------

const CBV_STEP_SET: ReadonlySet<string> = new Set(CBV_BIZ_STEPS);
const STEP_CODES: readonly number[] = STEP_NAMES.map((s) => STEPS[s]);

/** Whether a step (name or code) is a CBV 2.0 business step rather than a cbec-trace extension step. */
export function isCbvStep(step: StepName | number): boolean {
  return CBV_STEP_SET.has(resolveStep(step).toLowerCase());
}

function resolveStep(step: StepName | number | string): StepName {
  if (typeof step === "number") {
    const name = STEP_NAMES.find((s) => STEPS[s] === step);
    if (name === undefined) {
      throw new EpcisVocabularyError(
        `Unknown step code ${quote(step)}: defined codes are ${Math.min(...STEP_CODES)}–${STEPS.MAX} ` +
          `(contracts/types/Steps.sol). Use a name from STEPS, e.g. "CUSTOMS_DECLARED".`,
      );
    }
    return name;
  }
  if (typeof step === "string" && (STEP_NAMES as readonly string[]).includes(step)) return step as StepName;
  const hint =
    typeof step === "string" && (STEP_NAMES as readonly string[]).includes(step.toUpperCase())
      ? ` Did you mean "${step.toUpperCase()}"?`
      : "";
  throw new EpcisVocabularyError(
    `Unknown step ${quote(step)}: use a step name from STEPS (upper case, e.g. "SHIPPING", ` +
      `"CUSTOMS_RELEASED") or its numeric code.${hint}`,
  );
}

/** The code of a step given by name or code (validated). */
export function stepCode(step: StepName | number): number {
  return STEPS[resolveStep(step)];
}

/** The bizStep URI of a step: CBV steps → `https://ref.gs1.org/cbv/BizStep-<name>`, others → the extension URN. */
export function stepUri(step: StepName | number): string {
  const name = resolveStep(step).toLowerCase();
  return CBV_STEP_SET.has(name) ? CBV_BIZ_STEP_PREFIX + name : EXT_BIZ_STEP_PREFIX + name;
}

const CBV_STEP_ALIASES = [CBV_BIZ_STEP_PREFIX, "cbv:BizStep-", "urn:epcglobal:cbv:bizstep:"];
const EXT_STEP_ALIASES = [EXT_BIZ_STEP_PREFIX, "cbectrace:bizstep:"];
const EXT_STEP_NAMES = STEP_NAMES.map((s) => s.toLowerCase()).filter((s) => !CBV_STEP_SET.has(s));

/** The step code of a bizStep value (full URI, compact CBV term, CURIE or EPCIS 1.x URN). */
export function stepCodeOfUri(uri: string): number {
  const defined = (name: string) => (STEP_NAMES as readonly string[]).includes(name.toUpperCase());
  if (typeof uri !== "string" || uri.length === 0) {
    throw new EpcisVocabularyError(`bizStep ${quote(uri)} is not a string: give a bizStep URI.`);
  }
  const cbvName = stripPrefix(uri, CBV_STEP_ALIASES) ?? (CBV_STEP_SET.has(uri) ? uri : undefined);
  if (cbvName !== undefined) {
    if (!CBV_STEP_SET.has(cbvName)) {
      const ext = defined(cbvName)
        ? ` "${cbvName}" is a cbec-trace extension step: use "${EXT_BIZ_STEP_PREFIX}${cbvName}".`
        : "";
      throw new EpcisVocabularyError(`bizStep ${quote(uri)} is not a CBV 2.0 business step.${ext}`);
    }
    if (!defined(cbvName)) {
      throw new EpcisVocabularyError(
        `bizStep ${quote(uri)} is a CBV 2.0 step that cbec-trace does not record: the ledger has no code for ` +
          `it (contracts/types/Steps.sol). Use one of: ${STEP_NAMES.map((s) => s.toLowerCase()).join(", ")}.`,
      );
    }
    return STEPS[cbvName.toUpperCase() as StepName];
  }
  const extName = stripPrefix(uri, EXT_STEP_ALIASES);
  if (extName !== undefined) {
    if (CBV_STEP_SET.has(extName)) {
      throw new EpcisVocabularyError(
        `bizStep ${quote(uri)} names the CBV step "${extName}" under the extension namespace: use "${CBV_BIZ_STEP_PREFIX}${extName}".`,
      );
    }
    if (!defined(extName) || extName !== extName.toLowerCase()) {
      throw new EpcisVocabularyError(
        `bizStep ${quote(uri)} is not a cbec-trace extension step. Extension steps are: ` +
          `${EXT_STEP_NAMES.join(", ")}.`,
      );
    }
    return STEPS[extName.toUpperCase() as StepName];
  }
  throw new EpcisVocabularyError(
    `bizStep ${quote(uri)} is not a known step URI: expected "${CBV_BIZ_STEP_PREFIX}<name>" for CBV steps or ` +
      `"${EXT_BIZ_STEP_PREFIX}<name>" for cbec-trace extension steps.`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Dispositions
// ---------------------------------------------------------------------------------------------------------

const DISPOSITION_NAMES = (Object.keys(DISPOSITIONS) as Array<keyof typeof DISPOSITIONS>).filter(
  (k): k is DispositionName => k !== "MAX" && k !== "NONE",
);
const CBV_DISPOSITION_SET: ReadonlySet<string> = new Set(CBV_DISPOSITIONS);

function resolveDisposition(disposition: DispositionName | number | string): Exclude<DispositionName, "NONE"> {
  if (disposition === "NONE" || disposition === DISPOSITIONS.NONE) {
    throw new EpcisVocabularyError(
      `Disposition ${quote(disposition)} means "no disposition": leave the disposition out instead.`,
    );
  }
  if (typeof disposition === "number") {
    const name = DISPOSITION_NAMES.find((d) => DISPOSITIONS[d] === disposition);
    if (name === undefined) {
      throw new EpcisVocabularyError(
        `Unknown disposition code ${quote(disposition)}: defined codes are 1–${DISPOSITIONS.MAX} ` +
          `(contracts/types/Dispositions.sol).`,
      );
    }
    return name as Exclude<DispositionName, "NONE">;
  }
  if (typeof disposition === "string" && (DISPOSITION_NAMES as string[]).includes(disposition)) {
    return disposition as Exclude<DispositionName, "NONE">;
  }
  const hint =
    typeof disposition === "string" && (DISPOSITION_NAMES as string[]).includes(disposition.toUpperCase())
      ? ` Did you mean "${disposition.toUpperCase()}"?`
      : "";
  throw new EpcisVocabularyError(
    `Unknown disposition ${quote(disposition)}: use a name from DISPOSITIONS (upper case, e.g. "IN_TRANSIT") ` +
      `or its numeric code.${hint}`,
  );
}

/** The code of a disposition given by name or code (validated; `NONE` / 0 is refused). */
export function dispositionCode(disposition: DispositionName | number): number {
  return DISPOSITIONS[resolveDisposition(disposition)];
}

/** The CBV URI of a disposition: `https://ref.gs1.org/cbv/Disp-<name>`. */
export function dispositionUri(disposition: DispositionName | number): string {
  return CBV_DISPOSITION_PREFIX + resolveDisposition(disposition).toLowerCase();
}

const DISPOSITION_ALIASES = [CBV_DISPOSITION_PREFIX, "cbv:Disp-", "urn:epcglobal:cbv:disp:"];

/** The disposition code of a disposition value (full URI, compact CBV term, CURIE or EPCIS 1.x URN). */
export function dispositionCodeOfUri(uri: string): number {
  if (typeof uri !== "string" || uri.length === 0) {
    throw new EpcisVocabularyError(`disposition ${quote(uri)} is not a string: give a CBV disposition URI.`);
  }
  const name = stripPrefix(uri, DISPOSITION_ALIASES) ?? (CBV_DISPOSITION_SET.has(uri) ? uri : undefined);
  if (name === undefined || !CBV_DISPOSITION_SET.has(name)) {
    throw new EpcisVocabularyError(
      `disposition ${quote(uri)} is not a CBV 2.0 disposition: expected "${CBV_DISPOSITION_PREFIX}<name>", ` +
        `e.g. "${CBV_DISPOSITION_PREFIX}in_transit".`,
    );
  }
  if (!(DISPOSITION_NAMES as string[]).includes(name.toUpperCase())) {
    throw new EpcisVocabularyError(
      `disposition ${quote(uri)} is a CBV 2.0 disposition the ledger has no code for ` +
        `(contracts/types/Dispositions.sol). Use one of: ${DISPOSITION_NAMES.map((d) => d.toLowerCase()).join(", ")}.`,
    );
  }
  return DISPOSITIONS[name.toUpperCase() as DispositionName];
}

// ---------------------------------------------------------------------------------------------------------
// Business transactions, sources and destinations
// ---------------------------------------------------------------------------------------------------------

const BTT_NAMES = Object.keys(BIZ_TRANSACTION_TYPES) as BizTransactionTypeName[];

/** The URI of a business transaction type given by name (`po`, `inventory`, …). */
export function bizTransactionTypeUri(type: BizTransactionTypeName): string {
  if (typeof type !== "string" || !Object.hasOwn(BIZ_TRANSACTION_TYPES, type)) {
    throw new EpcisVocabularyError(
      `Unknown business transaction type ${quote(type)}: use one of ${BTT_NAMES.join(", ")}.`,
    );
  }
  return BIZ_TRANSACTION_TYPES[type].uri;
}

const CBV_BTT_ALIASES = [CBV_BTT_PREFIX, "cbv:BTT-", "urn:epcglobal:cbv:btt:"];
const EXT_BTT_ALIASES = [EXT_BTT_PREFIX, "cbectrace:btt:"];

/** The name of a business transaction type URI (full URI, compact CBV term, CURIE or EPCIS 1.x URN). */
export function bizTransactionTypeName(uri: string): BizTransactionTypeName {
  const ext = typeof uri === "string" ? stripPrefix(uri, EXT_BTT_ALIASES) : undefined;
  const cbv = ext === undefined && typeof uri === "string" ? (stripPrefix(uri, CBV_BTT_ALIASES) ?? uri) : undefined;
  const name = ext ?? cbv;
  const entry =
    name !== undefined && Object.hasOwn(BIZ_TRANSACTION_TYPES, name)
      ? BIZ_TRANSACTION_TYPES[name as BizTransactionTypeName]
      : undefined;
  // A CBV spelling must name a CBV type, an extension spelling an extension type.
  if (entry === undefined || entry.uri.startsWith(EXT_BTT_PREFIX) !== (ext !== undefined)) {
    const extNames = BTT_NAMES.filter((n) => BIZ_TRANSACTION_TYPES[n].uri.startsWith(EXT_BTT_PREFIX));
    throw new EpcisVocabularyError(
      `Business transaction type ${quote(uri)} is not known: expected "${CBV_BTT_PREFIX}<po|inv|desadv|bol|…>" ` +
        `or "${EXT_BTT_PREFIX}<${extNames.join("|")}>".`,
    );
  }
  return name as BizTransactionTypeName;
}

/**
 * A document URI for a document number that has no URI of its own:
 * `urn:cbec-trace:bt:<type>:<number>` or, when the number is unique only per issuer (a carrier's
 * `logisticsNo` is unique per `logisticsCode`), `urn:cbec-trace:bt:<type>:<issuer>:<number>`.
 * Both parts are percent-encoded, so neither can contain a raw `:`.
 */
export function bizTransactionUri(type: BizTransactionTypeName, number: string, issuer?: string): string {
  bizTransactionTypeUri(type);
  const part = (value: string, what: string) => {
    if (typeof value !== "string" || value.length === 0 || value.trim() !== value || value.length > 128) {
      throw new EpcisVocabularyError(
        `Document ${what} ${quote(value)} for type "${type}" must be 1–128 characters without leading or ` +
          `trailing spaces, e.g. the invtNo or entryId as customs issued it.`,
      );
    }
    return encodeURIComponent(value);
  };
  const issuerPart = issuer === undefined ? "" : `${part(issuer, "issuer")}:`;
  return `${EXT_BIZ_TRANSACTION_PREFIX}${type}:${issuerPart}${part(number, "number")}`;
}

/** The CBV URI of a source/destination type. */
export function sourceDestTypeUri(type: SourceDestTypeName): string {
  if (!(SOURCE_DEST_TYPES as readonly string[]).includes(type)) {
    throw new EpcisVocabularyError(
      `Unknown source/destination type ${quote(type)}: use one of ${SOURCE_DEST_TYPES.join(", ")}.`,
    );
  }
  return CBV_SDT_PREFIX + type;
}

/** A party identifier: a 13-digit party GLN → `https://id.gs1.org/417/<GLN>`; an absolute URI as it is. */
export function partyUri(party: string): string {
  if (typeof party === "string" && /^[0-9]{13}$/.test(party)) {
    checkGln(party, "Party GLN");
    return PARTY_GLN_URI_PREFIX + party;
  }
  if (isAbsoluteUri(party)) return party;
  throw new EpcisVocabularyError(
    `Party ${quote(party)} is neither a 13-digit GLN nor an absolute URI (e.g. "urn:epc:id:pgln:0614141.00777").`,
  );
}

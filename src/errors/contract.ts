/**
 * Contract refusals in domain terms. A revert of the ledger is decoded with its ABI (generated from the
 * contract, so error names and arguments cannot drift) into a named SDK error with a human message.
 */
import { decodeErrorResult, type Hex } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import {
  rolesOf,
  stepName,
  stageName,
  documentKindName,
  dedicatedDocumentKind,
  DOCUMENT_KIND_NAMES,
  LIMITS,
} from "../codes";
import { TraceError } from "./base";

type Args = readonly unknown[];

/** A refusal by the ledger contract, decoded. */
export class ContractRefusalError extends TraceError {
  override name: string = "ContractRefusalError";
  constructor(
    readonly errorName: string,
    readonly args: Args,
    message: string,
    hints: string[] = [],
    readonly data?: Hex,
  ) {
    super(message, { hints, details: `${errorName}(${args.map(String).join(", ")})` });
  }
}

export class UnitNotRegisteredError extends ContractRefusalError {
  override name = "UnitNotRegisteredError" as const;
}
export class UnitAlreadyRegisteredError extends ContractRefusalError {
  override name = "UnitAlreadyRegisteredError" as const;
}
export class NotAllowedError extends ContractRefusalError {
  override name = "NotAllowedError" as const;
}
export class OutOfScopeError extends ContractRefusalError {
  override name = "OutOfScopeError" as const;
}
export class StageViolationError extends ContractRefusalError {
  override name = "StageViolationError" as const;
}
export class UnitBlockedError extends ContractRefusalError {
  override name = "UnitBlockedError" as const;
}
export class AccountNotActiveError extends ContractRefusalError {
  override name = "AccountNotActiveError" as const;
}
export class LedgerPausedError extends ContractRefusalError {
  override name = "LedgerPausedError" as const;
}
export class SignatureRejectedError extends ContractRefusalError {
  override name = "SignatureRejectedError" as const;
}
export class AggregationError extends ContractRefusalError {
  override name = "AggregationError" as const;
}
export class InvalidRequestError extends ContractRefusalError {
  override name = "InvalidRequestError" as const;
}
export class AdminOnlyError extends ContractRefusalError {
  override name = "AdminOnlyError" as const;
}
/** A fixed-width counter of the ledger is used up (history length, container numbers, block numbers). */
export class LedgerLimitError extends ContractRefusalError {
  override name = "LedgerLimitError" as const;
}

/** Governance (issue 11 item 7): a delayed consortium-admin call that was not scheduled or is not ready. */
export class OperationNotReadyError extends ContractRefusalError {
  override name = "OperationNotReadyError" as const;
}

/** Customs documents (issue 14): a document the ledger cannot take as given (kind, fields, mode, citations). */
export class CustomsDocumentError extends ContractRefusalError {
  override name = "CustomsDocumentError" as const;
}
/** Customs documents: the three-document match (三单对碰) failed — a cited document disagrees with the order. */
export class CustomsMatchError extends ContractRefusalError {
  override name = "CustomsMatchError" as const;
}
/** Customs documents: a rule that protects the FX settlement and the export tax refund refused the filing. */
export class CustomsRuleError extends ContractRefusalError {
  override name = "CustomsRuleError" as const;
}

/** One item of a batch was refused; the whole batch was reverted. */
export class BatchItemRejectedError extends ContractRefusalError {
  override name = "BatchItemRejectedError" as const;
  constructor(
    readonly index: number,
    readonly reason: ContractRefusalError,
    args: Args,
    data?: Hex,
  ) {
    super(
      "TraceLedgerBatchItemRejected",
      args,
      `Item ${index} of the batch was refused, so nothing in the batch was recorded: ${reason.shortMessage}`,
      [...reason.hints, "Fix or remove that item and submit the batch again."],
      data,
    );
  }
}

const step = (v: unknown) => stepName(Number(v)) ?? `step ${v}`;
const kind = (v: unknown) => documentKindName(Number(v)) ?? `kind ${v}`;
const MODE_NEEDS =
  "9610 cites ORDER, PAYMENT and WAYBILL; 9710 ORDER and WAYBILL; 9810 BOOKING and WAYBILL; 1210 ZONE_ENTRY.";
const roles = (v: unknown) => rolesOf(Number(v)).join(", ") || "no role";
const short = (v: unknown) => String(v).slice(0, 10) + "…";
/** Unix seconds (an error argument) as an ISO 8601 UTC time. */
const isoTime = (v: unknown) => new Date(Number(v) * 1000).toISOString().replace(".000Z", "Z");
const when = (v: unknown) => new Date(Number(v) * 1000).toISOString().replace(".000Z", "Z");

type Entry = [
  new (...a: ConstructorParameters<typeof ContractRefusalError>) => ContractRefusalError,
  (a: Args) => string,
  string[],
];

/** Message and hints for every custom error of the ledger. */
const TABLE: Record<string, Entry> = {
  TraceLedgerUnknownUnit: [
    UnitNotRegisteredError,
    (a) => `Unit ${a[0]} is not registered on this ledger.`,
    ["Register it first (trace register), or check the GS1 code and the ledger address."],
  ],
  TraceLedgerUnitAlreadyRegistered: [
    UnitAlreadyRegisteredError,
    (a) => `Unit ${a[0]} is already registered.`,
    ["Nothing to do: registration happens once."],
  ],
  TraceLedgerZeroUnitKey: [
    InvalidRequestError,
    () => "The unit key is zero.",
    ["Derive keys with the SDK's GS1 functions."],
  ],
  ConsortiumStepNotAllowed: [
    NotAllowedError,
    (a) => `Account ${a[0]} (organization ${a[1]}, roles: ${roles(a[3])}) may not record ${step(a[2])}.`,
    ["Ask the consortium admin which role records this step, or use an account of an organization that holds it."],
  ],
  TraceLedgerOutOfScope: [
    OutOfScopeError,
    (a) =>
      `Organization ${a[1]} has nothing to do with unit ${short(a[0])}: it is not its custodian, assigned by its custodian, or a regulator.`,
    ["Ask the custodian to assign your organization to the unit or its consignment (trace assign)."],
  ],
  TraceLedgerNotCustodian: [
    OutOfScopeError,
    (a) => `Organization ${a[1]} is not the custodian of unit ${short(a[0])}.`,
    ["Only the current custodian may hand over or assign; check `trace state`."],
  ],
  TraceLedgerCustodyMismatch: [
    AggregationError,
    (a) => `Unit ${short(a[0])} is in the custody of organization ${a[1]}, the parent in that of ${a[2]}.`,
    ["Hand both over to the same custodian before packing."],
  ],
  TraceLedgerStageViolation: [
    StageViolationError,
    (a) => `${step(a[1])} is not allowed for unit ${short(a[0])} at stage ${stageName(Number(a[2])) ?? a[2]}.`,
    ["Release needs a declaration, departure a release, delivery a departure: record the missing step first."],
  ],
  TraceLedgerUnitHeld: [
    UnitBlockedError,
    (a) => `Unit ${short(a[0])} is held, so ${step(a[1])} is refused.`,
    ["A regulator must lift the hold first."],
  ],
  TraceLedgerUnitRecalled: [
    UnitBlockedError,
    (a) => `Unit ${short(a[0])} is recalled, so ${step(a[1])} is refused.`,
    ["A regulator must lift the recall first."],
  ],
  TraceLedgerUnitDestroyed: [
    UnitBlockedError,
    (a) => `Unit ${short(a[0])} is destroyed: nothing may be recorded after that.`,
    [],
  ],
  TraceLedgerNothingToLift: [
    UnitBlockedError,
    (a) => `Unit ${short(a[0])} carries nothing that ${step(a[1])} could lift.`,
    ["Lift the hold or recall on the unit where it was set (maybe its parent)."],
  ],
  TraceLedgerStepNotRecordable: [
    InvalidRequestError,
    (a) =>
      dedicatedDocumentKind(Number(a[0])) !== undefined
        ? `Step ${step(a[0])} is a customs document: it is filed with fileDocument (TraceWriter.fileDocuments), not record().`
        : `Step ${step(a[0])} cannot be recorded with record().`,
    [
      "Use register, pack, unpack, handover, assign or correct for those steps, and fileDocument for customs documents.",
    ],
  ],
  TraceLedgerInvalidDisposition: [InvalidRequestError, (a) => `Disposition code ${a[0]} is not defined.`, []],
  TraceLedgerUnitPacked: [
    AggregationError,
    (a) => `Unit ${short(a[0])} is packed inside a parent.`,
    ["Unpack it first, or act on the parent."],
  ],
  TraceLedgerNotInParent: [
    AggregationError,
    (a) => `Unit ${short(a[0])} is not inside parent ${short(a[1])}.`,
    ["Check `trace state` for the unit's parent."],
  ],
  TraceLedgerPackingCycle: [
    AggregationError,
    (a) => `Packing ${short(a[1])} into ${short(a[0])} would put a unit inside itself.`,
    [],
  ],
  TraceLedgerAssignmentUnchanged: [
    InvalidRequestError,
    (a) => `Organization ${a[1]} assignment on ${short(a[0])} is already in that state.`,
    [],
  ],
  TraceLedgerInvalidCorrection: [
    InvalidRequestError,
    (a) => `Unit ${short(a[0])} has no entry ${a[1]} to correct.`,
    ["Correct an existing entry: see `trace history`."],
  ],
  TraceLedgerUnitHistoryFull: [
    LedgerLimitError,
    (a) => `Unit ${short(a[0])} already has 4,294,967,295 entries, the most its history can hold.`,
    ["Record further events on units of their own (e.g. per lot or per carton)."],
  ],
  TraceLedgerContainerNumbersExhausted: [
    LedgerLimitError,
    () => "All 4,294,967,295 container numbers of this ledger are in use: nothing can be packed into a new parent.",
    ["Pack into parents that were used before, or ask the consortium admin to move to a new ledger."],
  ],
  TraceLedgerBlockNumberTooLarge: [
    LedgerLimitError,
    (a) => `Block ${a[0]} is past the last block (2^32 − 1) this ledger can record in.`,
    ["The consortium moves to a new ledger (docs/contracts.md, migration); its history stays verifiable."],
  ],
  TraceLedgerEmptyBatch: [InvalidRequestError, () => "The batch is empty.", []],
  TraceLedgerBatchTooLarge: [
    InvalidRequestError,
    (a) => `The batch has ${a[0]} items; at most ${a[1]} fit one call.`,
    ["The SDK splits batches automatically; submit through it."],
  ],
  TraceLedgerSignatureExpired: [
    SignatureRejectedError,
    (a) => `The signed batch expired at ${new Date(Number(a[0]) * 1000).toISOString()}.`,
    ["Sign it again with a later deadline."],
  ],
  TraceLedgerInvalidNonce: [
    SignatureRejectedError,
    (a) => `The signed batch of ${a[0]} does not carry its current nonce ${a[1]} (replayed or out of order).`,
    [
      "Relay batches in nonce order; a replay is already recorded.",
      "A batch signed before the signer (or its organization) was suspended, or before it invalidated its nonces, is void: sign it again.",
    ],
  ],
  TraceLedgerInvalidSignature: [
    SignatureRejectedError,
    (a) => `The signature is not ${a[0]}'s for this ledger and chain.`,
    ["Sign with the signer's key for this chain id and ledger address."],
  ],
  ConsortiumUnknownAccount: [
    AccountNotActiveError,
    (a) => `${a[0]} is not an account of any consortium organization.`,
    ["Ask the consortium admin to add it to your organization."],
  ],
  ConsortiumAccountSuspended: [
    AccountNotActiveError,
    (a) => `Account ${a[0]} is suspended.`,
    ["Ask the consortium admin to reactivate it."],
  ],
  ConsortiumAccountRetired: [
    AccountNotActiveError,
    (a) => `Account ${a[0]} was retired by a key rotation.`,
    ["Use the organization's new key."],
  ],
  ConsortiumOrganizationSuspended: [
    AccountNotActiveError,
    (a) => `Organization ${a[0]} is suspended.`,
    ["Ask the consortium admin."],
  ],
  ConsortiumUnknownOrganization: [
    InvalidRequestError,
    (a) => `Organization ${a[0]} does not exist.`,
    ["List organizations with `trace consortium show`."],
  ],
  ConsortiumPaused: [
    LedgerPausedError,
    () => "The ledger is paused by the consortium admin.",
    ["Try again when it is unpaused."],
  ],
  AccessControlUnauthorizedAccount: [
    AdminOnlyError,
    (a) => `${a[0]} is not the consortium admin.`,
    ["Use the admin key."],
  ],
  // --- Signed batches, trust model v2 (issue 11 item 8) ---
  TraceLedgerRelayOutOfGas: [
    InvalidRequestError,
    (a) => `Signed batch ${a[0]} of the relay ran out of the gas the transaction carried; nothing was recorded.`,
    ["Send the relay with a higher gas limit (the SDK estimates it), or relay fewer batches per transaction."],
  ],
  ConsortiumNonceNotIncreased: [
    InvalidRequestError,
    (a) => `The nonce of ${a[0]} is already ${a[1]}; invalidating needs a larger one than ${a[2]}.`,
    ["Pick a nonce above the current one (`nonces(account)`), e.g. the start of its next epoch."],
  ],
  // --- Trust model v2: custody and corrections (issue 11 items 3-5) ---
  TraceLedgerSelfTarget: [
    InvalidRequestError,
    (a) => `Organization ${a[1]} cannot assign or hand over unit ${short(a[0])} to itself.`,
    ["Name the other organization."],
  ],
  TraceLedgerNoHandoverOffer: [
    OutOfScopeError,
    (a) => `No open handover offer of unit ${short(a[0])} names organization ${a[1]}.`,
    ["The custodian offers first (`trace handover <code> --to <yourOrgId>`); then accept with `trace accept`."],
  ],
  TraceLedgerHandoverOfferStale: [
    InvalidRequestError,
    (a) => `The handover offer of unit ${short(a[0])} was made before its latest entry and no longer holds.`,
    ["Ask the custodian to offer again (`trace handover`), then accept."],
  ],
  TraceLedgerInvalidCorrectionProof: [
    InvalidRequestError,
    (a) => `The proof for correcting entry ${a[1]} of unit ${short(a[0])} does not rebuild its chain head.`,
    ["Submit through the SDK or `trace correct`, which build the proof from the unit's current history."],
  ],
  // Event times of every entry (issue 15).
  TraceLedgerInvalidEventTime: [
    InvalidRequestError,
    (a) =>
      Number(a[0]) === 0
        ? "The event time is 0 (none): every entry carries when it happened."
        : `The event time ${isoTime(a[0])} is after ${isoTime(a[1])}, the latest this block accepts (its time plus ${LIMITS.MAX_EVENT_TIME_SKEW} s of clock skew).`,
    [
      "Give the time the event happened (`--time` with an ISO 8601 time and offset); events are recorded when or after they happen.",
      "If it is now, check this machine's clock (and its time zone offset).",
    ],
  ],
  TraceLedgerCorrectionPredatesEntry: [
    InvalidRequestError,
    (a) =>
      `Entry ${a[1]} of unit ${short(a[0])} happened at ${isoTime(a[2])}: an error declaration about it cannot be dated earlier.`,
    ["Date the correction when the error was declared (`--time`, default now), at or after the entry's time."],
  ],
  TraceLedgerNotEntryAuthor: [
    NotAllowedError,
    (a) =>
      `Entry ${a[1]} of unit ${short(a[0])} was recorded by organization ${a[2]}; only it or a regulator may correct it.`,
    ["Ask that organization (or a regulator) to declare the error."],
  ],
  // Trust model v2, aggregation and stopped units (issue 11 items 1 and 6).
  TraceLedgerPackingAdvancesChild: [
    StageViolationError,
    (a) =>
      `Packing ${short(a[0])} (stage ${stageName(Number(a[1])) ?? a[1]}) into a parent at stage ${stageName(Number(a[2])) ?? a[2]} would give it stages it never went through.`,
    [
      "Bring the unit to the parent's stage on its own first (e.g. declare and release it), or pack it before the parent moves on.",
    ],
  ],
  TraceLedgerCustomsControlled: [
    NotAllowedError,
    (a) =>
      `Unit ${short(a[0])} is declared or released: only customs may change what is packed in it before departure.`,
    ["Ask customs to pack or unpack it, or wait until it has departed (or customs rejects the declaration)."],
  ],
  TraceLedgerContainsStopped: [
    UnitBlockedError,
    (a) => `Unit ${short(a[0])} holds a held or recalled unit, so ${step(a[1])} is refused.`,
    [
      "Have a regulator lift the hold or recall, or unpack the stopped unit first (a regulator unpacks it from its own parent).",
    ],
  ],
  // --- Governance (issue 11 item 7) ---
  ConsortiumOperationNotReady: [
    OperationNotReadyError,
    (a) =>
      Number(a[1]) === 0
        ? `This consortium-admin change takes effect only after the governance delay, and operation ${short(a[0])} ` +
          `is not scheduled (never, or already applied or cancelled).`
        : `Operation ${short(a[0])} is scheduled; it can be applied from ${when(a[1])}, not before.`,
    [
      "`trace consortium apply` and the single commands schedule such a change and print when it is ready;",
      "run the same command again after that time to apply it.",
    ],
  ],
  ConsortiumOperationPending: [
    InvalidRequestError,
    (a) => `Operation ${short(a[0])} is already scheduled, ready at ${when(a[1])}.`,
    ["Run the same command again after that time, or cancel it with `trace consortium cancel-operation <opId>`."],
  ],
  ConsortiumNotDelayed: [
    InvalidRequestError,
    (a) => `Function ${a[0]} is not a delayed consortium-admin function: there is nothing to schedule.`,
    ["Send the call directly."],
  ],
  ConsortiumNotOrganizationAdmin: [
    AdminOnlyError,
    (a) => `${a[0]} is not an admin account of organization ${a[1]}: only its admin accounts manage its accounts.`,
    [
      "Use your organization's admin key (the first one onboarded, or one added as admin).",
      "A lost admin key is replaced by the consortium admin, after the public governance delay.",
    ],
  ],
  // --- Identity is owned (issue 11 item 2): the GS1 Company Prefix registry ---
  TraceLedgerCodeNotLicensed: [
    NotAllowedError,
    (a) =>
      Number(a[2]) === 0
        ? `Unit ${short(a[0])} has a GS1 company prefix that is not licensed to any organization on this ledger, ` +
          `so organization ${a[1]} cannot register it.`
        : `Unit ${short(a[0])} is under a prefix licensed to organization ${a[2]}, which has not authorized ` +
          `organization ${a[1]} to register its codes.`,
    [
      "`trace prefix <code>` shows who holds the code's prefix and whether your organization may register under it.",
      'No licence: the consortium admin licenses the prefix ("prefixes" in consortium.json, then `trace consortium apply`).',
      "Another holder: its organization admin runs `trace authorize-manufacturer <prefix> <your organization id>`.",
    ],
  ],
  PrefixInvalid: [
    InvalidRequestError,
    (a) => `"${a[0]}" is not a GS1 company prefix: 4 to 12 digits are expected.`,
    ["Give the prefix digits only, as GS1 allocated them (e.g. 6901234)."],
  ],
  PrefixAlreadyLicensed: [
    InvalidRequestError,
    (a) => `Prefix ${a[0]} is already licensed to organization ${a[1]}.`,
    ["To move it, revoke it first (`trace consortium revoke-prefix <prefix>`), then license it again."],
  ],
  PrefixWithinLicensed: [
    InvalidRequestError,
    (a) => `Prefix ${a[0]} lies within prefix ${a[1]}, which is already licensed: its codes are already someone's.`,
    ["Check the digits; GS1 prefixes never nest. `trace prefix <digits>` shows the holder."],
  ],
  PrefixCoversLicensed: [
    InvalidRequestError,
    (a) => `Prefix ${a[0]} covers ${a[1]} licensed longer prefix(es): licensing it would take their codes.`,
    ["Check the digits; GS1 prefixes never nest. License the exact prefix GS1 allocated."],
  ],
  PrefixNotLicensed: [
    InvalidRequestError,
    (a) => `Prefix ${a[0]} is not licensed to any organization.`,
    ["`trace consortium show` lists the licensed prefixes; the consortium admin licenses one in consortium.json."],
  ],
  PrefixNotHolder: [
    AdminOnlyError,
    (a) =>
      Number(a[2]) === 0
        ? `Prefix ${a[0]} is not licensed, so organization ${a[1]} cannot authorize anyone under it.`
        : `Prefix ${a[0]} is licensed to organization ${a[2]}, not to organization ${a[1]}: only its holder authorizes manufacturers.`,
    ["Run the command with an organization-admin key of the holder."],
  ],
  PrefixHolderIsManufacturer: [
    InvalidRequestError,
    (a) => `Organization ${a[1]} holds prefix ${a[0]}: it needs no authorization to register its own codes.`,
    ["Give the organization id of the contract manufacturer."],
  ],
  PrefixAuthorizationUnchanged: [
    InvalidRequestError,
    (a) =>
      a[2] === true || String(a[2]) === "true"
        ? `Organization ${a[1]} is already authorized under prefix ${a[0]}.`
        : `Organization ${a[1]} is not authorized under prefix ${a[0]}: nothing to withdraw.`,
    ["`trace prefix <digits>` shows the authorized manufacturers."],
  ],
  PrefixRecentlyRevoked: [
    OperationNotReadyError,
    (a) =>
      `Codes under prefix ${a[0]} were freed by a revoke less than the public delay ago: it can be licensed from ${new Date(Number(a[1]) * 1000).toISOString()}.`,
    ["Run `trace consortium apply` again after that time; the announcement stays valid."],
  ],
  // Customs documents (issue 14).
  CustomsUnknownDocumentKind: [
    CustomsDocumentError,
    (a) => `Document kind ${a[0]} is not defined (1–9: ${DOCUMENT_KIND_NAMES.join(", ")}).`,
    ["Use the CUSTOMS_DOCUMENT_KINDS codes of the SDK."],
  ],
  CustomsDocumentMalformed: [
    CustomsDocumentError,
    (a) => `The ${kind(a[0])} document does not have the fields its kind needs: ${SHAPE[kind(a[0])] ?? SHAPE.OTHER}.`,
    ["Derive them with the SDK's customs identifiers (documentNumberHash, orderRef, paymentTerms, shipmentTerms)."],
  ],
  CustomsInvalidMode: [
    CustomsDocumentError,
    (a) =>
      kind(a[0]) === "DECLARATION"
        ? `Customs mode ${a[1]} is not one the ledger accepts (9610, 9710, 9810 or 1210).`
        : `Only a DECLARATION names a customs mode; this ${kind(a[0])} names ${a[1]} (give 0).`,
    [],
  ],
  CustomsDocumentAlreadyFiled: [
    CustomsDocumentError,
    (a) => `Organization ${a[2]} already filed this ${kind(a[1])} (document ${short(a[0])}): a number is filed once.`,
    ["Nothing to do if it is the same document; a corrected or new document has a number of its own."],
  ],
  CustomsCitesNotExpected: [
    CustomsDocumentError,
    (a) =>
      kind(a[0]) === "SUMMARY"
        ? "A SUMMARY must cite the declarations it sums."
        : `A ${kind(a[0])} cites no documents, but ${a[1]} were given.`,
    ["Only a DECLARATION (the documents of its mode) and a SUMMARY (its declarations) cite documents."],
  ],
  CustomsUnknownDocument: [
    CustomsDocumentError,
    (a) => `The cited document ${short(a[0])} was never filed on this ledger.`,
    ["Its issuer files it first; the id is derived from its kind, the issuing organization and its number."],
  ],
  CustomsCitedKindNotExpected: [
    CustomsDocumentError,
    (a) =>
      Number(a[0]) === 0
        ? `A summary sums declarations; the cited document ${short(a[1])} is a ${kind(a[2])}.`
        : `A ${a[0]} declaration does not cite a ${kind(a[2])} (or cites one twice): ${short(a[1])}.`,
    [MODE_NEEDS],
  ],
  CustomsCitedDocumentMissing: [
    CustomsDocumentError,
    (a) => `A ${a[0]} declaration must cite a ${kind(a[1])}.`,
    [MODE_NEEDS],
  ],
  CustomsDocumentOfAnotherUnit: [
    CustomsMatchError,
    (a) =>
      `Document ${short(a[0])} was filed on unit ${short(a[1])}, not on ${short(a[2])}: a declaration cites the documents of its own shipment.`,
    ["File the shipment's own order, payment and waybill on it; one payment never backs two shipments."],
  ],
  CustomsDocumentAlreadyCited: [
    CustomsMatchError,
    (a) => `Document ${short(a[0])} already backs ${short(a[1])}: one document backs one declaration (or summary).`,
    ["Only a rejection (CUSTOMS_REJECTED) of that declaration frees its documents."],
  ],
  CustomsOrderMismatch: [
    CustomsMatchError,
    (a) => `Document ${short(a[0])} belongs to order ${short(a[1])}, the declaration to order ${short(a[2])}.`,
    ["Cite the documents of the declaration's own order (orderRef from platform code and order number)."],
  ],
  CustomsTermsMismatch: [
    CustomsMatchError,
    (a) =>
      `The three-document match failed: the ${kind(a[0])} (${short(a[1])}) states other ${kind(a[0]) === "PAYMENT" ? "payment terms (amount, currency or payer)" : "shipment terms (goods, quantity or consignee)"} than the order.`,
    ["Compare the order's and this document's records field by field; the off-chain customs check names the field."],
  ],
  CustomsUnitAlreadyDeclared: [
    CustomsRuleError,
    (a) => `Unit ${short(a[0])} already carries declaration ${short(a[1])}: a unit carries one declaration at a time.`,
    ["It may be declared again only after customs rejects that declaration (CUSTOMS_REJECTED)."],
  ],
  CustomsDeclarationRejected: [
    CustomsRuleError,
    (a) => `Declaration ${short(a[0])} was rejected by customs: a summary sums accepted declarations only.`,
    [],
  ],
  CustomsNotDeclared: [
    CustomsRuleError,
    (a) => `Unit ${short(a[0])} is not a declared export: FX is settled only against an accepted declaration.`,
    ["File the declaration of the unit (or of the consignment it is packed in) first."],
  ],
  CustomsPaymentMissing: [
    CustomsRuleError,
    (a) => `No payment (CEB403) is filed on unit ${short(a[0])} or the units around it: there is nothing to settle.`,
    ["The payment institution files the PAYMENT first (for 9810: the overseas sale's payment)."],
  ],
  CustomsUnitReturned: [
    CustomsRuleError,
    (a) => `Unit ${short(a[0])} was returned (退运): no ${kind(a[1])} is filed for it any more.`,
    [],
  ],
  CustomsNotExported: [
    CustomsRuleError,
    (a) => `Unit ${short(a[0])} has not exited (结关): the export tax is refunded only after customs exit.`,
    ["Wait for customs' exit (CUSTOMS_EXITED); for 1210 the accepted zone-entry declaration counts as the export."],
  ],
  CustomsNotSettled: [
    CustomsRuleError,
    (a) => `No FX settlement is filed for unit ${short(a[0])}: the export tax is refunded only after 结汇.`,
    ["The payment institution files the FX_SETTLEMENT first."],
  ],
  CustomsAlreadyRefunded: [
    CustomsRuleError,
    (a) =>
      a[0] === a[1]
        ? `The goods of unit ${short(a[0])} were already refunded (the unit itself, or goods packed into it).`
        : `The goods of unit ${short(a[0])} were already refunded with unit ${short(a[1])}, which they are packed in.`,
    ["The same goods are refunded once, however they are repacked."],
  ],
  CustomsExportSettled: [
    CustomsRuleError,
    (a) => `The export of unit ${short(a[0])} was already settled or refunded: customs cannot reject its declaration.`,
    ["A customs return (CUSTOMS_RETURNED) is what reverses a settled export."],
  ],
};

/** What each document kind must carry (for `CustomsDocumentMalformed`). */
const SHAPE: Record<string, string> = {
  ORDER: "a number hash, an orderRef and both the payment and the shipment terms",
  PAYMENT: "a number hash, an orderRef and the payment terms (terms[1] = 0)",
  WAYBILL: "a number hash and the shipment terms (terms[0] = 0)",
  OTHER: "a number hash and no terms",
};

/** Decodes revert data of the ledger into a named error, or undefined when it is not one of its errors. */
export function decodeLedgerError(data: Hex | undefined): ContractRefusalError | undefined {
  if (!data || data === "0x") return undefined;
  let decoded;
  try {
    decoded = decodeErrorResult({ abi: traceLedgerAbi, data });
  } catch {
    return undefined;
  }
  const args = (decoded.args ?? []) as Args;
  if (decoded.errorName === "TraceLedgerBatchItemRejected") {
    const inner = decodeLedgerError(args[1] as Hex);
    const reason = inner ?? new ContractRefusalError("unknown", [], `refused with ${String(args[1])}`);
    return new BatchItemRejectedError(Number(args[0]), reason, args, data);
  }
  const entry = TABLE[decoded.errorName];
  if (!entry) {
    return new ContractRefusalError(decoded.errorName, args, `The ledger refused: ${decoded.errorName}.`, [], data);
  }
  const [Cls, message, hints] = entry;
  return new Cls(decoded.errorName, args, message(args), hints, data);
}

/** Finds revert data anywhere in an ethers or viem error (they nest it differently). */
export function revertDataOf(error: unknown): Hex | undefined {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length) {
    const e = stack.pop();
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const o = e as Record<string, unknown>;
    for (const k of ["data", "raw"]) {
      const v = o[k];
      if (typeof v === "string" && /^0x[0-9a-fA-F]{8,}$/.test(v)) return v as Hex;
    }
    for (const k of ["error", "cause", "info", "data", "walk"]) if (o[k] && typeof o[k] === "object") stack.push(o[k]);
  }
  return undefined;
}

/** Turns any error from a contract call into a decoded refusal when possible; else returns it unchanged. */
export function explainContractError(error: unknown): unknown {
  const refusal = decodeLedgerError(revertDataOf(error));
  if (refusal) {
    (refusal as { cause?: unknown }).cause = error;
    return refusal;
  }
  return error;
}

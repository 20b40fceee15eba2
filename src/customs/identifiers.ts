/**
 * The on-chain identifiers of customs documents: every hash the ledger compares or stores for the customs
 * modes and the three-document match (三单对碰). The contract recomputes `docId` itself and compares the
 * others byte for byte, so these encodings are the one definition both sides follow — callers derive them
 * here, never by hand. Each preimage starts with its own domain string so two kinds of value never collide.
 */
import { encodeAbiParameters, keccak256, type Hex } from "viem";
import { TraceError } from "../errors/base";

/** ISO 4217 alphabetic code: three upper-case letters. */
const CURRENCY = /^[A-Z]{3}$/;

/** Thrown when a value cannot be turned into a customs identifier; the message says which and why. */
export class CustomsIdentifierError extends TraceError {
  override name = "CustomsIdentifierError" as const;
}

function nonEmpty(what: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0)
    throw new CustomsIdentifierError(`${what} is empty: give the number as printed on the document`);
  return trimmed;
}

/**
 * The canonical form of a document number: trimmed and upper case, as customs systems compare them.
 * @param number The number as printed (e.g. a CEB603 `invtNo`, an order's `orderNo`).
 */
export function canonicalDocumentNumber(number: string): string {
  return nonEmpty("document number", number).toUpperCase();
}

/**
 * A waybill's document number: `logisticsNo` is unique per logistics firm only within six months, so the
 * waybill is numbered `<logisticsNo>@<YYYYMMDD>` with its issue date.
 * @param logisticsNo The CEB505 `logisticsNo`.
 * @param issueDate The waybill's issue date, `YYYYMMDD` or a `Date` (its UTC date is used).
 */
export function waybillNumber(logisticsNo: string, issueDate: string | Date): string {
  const date = typeof issueDate === "string" ? issueDate : issueDate.toISOString().slice(0, 10).replaceAll("-", "");
  if (!/^\d{8}$/.test(date)) throw new CustomsIdentifierError(`waybill issue date "${date}" is not YYYYMMDD`);
  return `${canonicalDocumentNumber(logisticsNo)}@${date}`;
}

/**
 * `numberHash`: how the ledger and the regulator's search name a document number without the platform's
 * database. `keccak256(abi.encode("cbec-trace:customs-doc-no", canonicalNumber))`.
 * @param number The document number (canonicalized here).
 */
export function documentNumberHash(number: string): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "string" }],
      ["cbec-trace:customs-doc-no", canonicalDocumentNumber(number)],
    ),
  );
}

/**
 * `docId`: one issuer files one number of one kind once. The ledger computes it from the filing account's
 * organization, so nobody files in another's name. `keccak256(abi.encode(uint8 kind, uint32 issuerOrg, bytes32 numberHash))`.
 * @param kind The document kind (`CustomsDocuments` code).
 * @param issuerOrg The issuing organization's id.
 * @param numberHash The document's `documentNumberHash`.
 */
export function documentId(kind: number, issuerOrg: number, numberHash: Hex): Hex {
  return keccak256(
    encodeAbiParameters([{ type: "uint8" }, { type: "uint32" }, { type: "bytes32" }], [kind, issuerOrg, numberHash]),
  );
}

/**
 * `orderRef`: order numbers are unique per platform (CEB `ebpCode`).
 * `keccak256(abi.encode("cbec-trace:order-no", platformCode, canonicalOrderNo))`.
 * @param platformCode The platform's customs registration code or unified social credit code.
 * @param orderNo The order number.
 */
export function orderRef(platformCode: string, orderNo: string): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "string" }, { type: "string" }],
      ["cbec-trace:order-no", nonEmpty("platform code", platformCode).toUpperCase(), canonicalDocumentNumber(orderNo)],
    ),
  );
}

/** A person named on an order, a payment or a waybill: personal data that only ever leaves as `buyerRef`. */
export interface PersonIdentity {
  /** Identity document type, e.g. `ID` (居民身份证) or `PASSPORT`. */
  idType: string;
  /** Identity document number. */
  idNumber: string;
  /** Name as on the identity document. */
  name: string;
}

/**
 * `buyerRef`: the buyer's identity as the three documents must agree on it, salted with the order's
 * 32-byte `privacySalt` (shared off chain by the order's issuer with the payment institution and the carrier)
 * so an ID number cannot be found by trying them all.
 * `keccak256(abi.encode("cbec-trace:person", privacySalt, idType, idNumber, name))`, each field trimmed,
 * `idType` and `idNumber` upper case, the name's inner whitespace collapsed.
 * @param privacySalt The order's salt (32 bytes, hex).
 * @param person The identity.
 */
export function buyerRef(privacySalt: Hex, person: PersonIdentity): Hex {
  if (!/^0x[0-9a-fA-F]{64}$/.test(privacySalt)) {
    throw new CustomsIdentifierError(
      "privacySalt must be 32 bytes of hex (0x + 64 hex digits): generate one per order",
    );
  }
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "bytes32" }, { type: "string" }, { type: "string" }, { type: "string" }],
      [
        "cbec-trace:person",
        privacySalt,
        nonEmpty("identity type", person.idType).toUpperCase(),
        nonEmpty("identity number", person.idNumber).toUpperCase(),
        nonEmpty("name", person.name).replace(/\s+/g, " "),
      ],
    ),
  );
}

/**
 * `paymentTerms`: what the order and the payment (CEB403) must agree on.
 * `keccak256(abi.encode("cbec-trace:payment-terms", orderRef, currency, amountMinor, buyerRef))`.
 * @param terms The order reference, ISO 4217 currency, amount in minor units (cents, fen) and buyer reference.
 */
export function paymentTerms(terms: { orderRef: Hex; currency: string; amountMinor: bigint; buyerRef: Hex }): Hex {
  if (!CURRENCY.test(terms.currency)) {
    throw new CustomsIdentifierError(
      `currency "${terms.currency}" is not an ISO 4217 code (three upper-case letters, e.g. USD)`,
    );
  }
  if (terms.amountMinor < 0n) throw new CustomsIdentifierError("amount must not be negative");
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "bytes32" }, { type: "string" }, { type: "uint256" }, { type: "bytes32" }],
      ["cbec-trace:payment-terms", terms.orderRef, terms.currency, terms.amountMinor, terms.buyerRef],
    ),
  );
}

/**
 * `shipmentTerms`: what the order and the waybill (CEB505) must agree on.
 * `keccak256(abi.encode("cbec-trace:shipment-terms", orderRef, goodsRef, totalQuantity, buyerRef))`.
 * @param terms The order reference, goods reference, total quantity and buyer (consignee) reference.
 */
export function shipmentTerms(terms: { orderRef: Hex; goodsRef: Hex; totalQuantity: bigint; buyerRef: Hex }): Hex {
  if (terms.totalQuantity < 0n) throw new CustomsIdentifierError("quantity must not be negative");
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "bytes32" }],
      ["cbec-trace:shipment-terms", terms.orderRef, terms.goodsRef, terms.totalQuantity, terms.buyerRef],
    ),
  );
}

// ---- Added by the contract part (issue 14): the goods reference the shipment terms carry ----

/** One line of goods as the order and the waybill list it. */
export interface GoodsLine {
  /** The line number (gnum), from 1. */
  lineNo: number;
  /** GTIN or the seller's item code. */
  item: string;
  /** HS code (10 digits in China). */
  hsCode: string;
  /** Quantity in `unit`. */
  quantity: bigint;
  /** Unit of measure code (e.g. 011 pieces). */
  unit: string;
}

/**
 * `goodsRef`: the goods of an order or a waybill, line by line, sorted by line number (so the order in which
 * a document lists them does not matter). `keccak256(abi.encode("cbec-trace:goods", (uint32 lineNo,
 * string item, string hsCode, uint256 quantity, string unit)[]))`, item, HS code and unit trimmed.
 * @param lines The goods lines.
 */
export function goodsRef(lines: readonly GoodsLine[]): Hex {
  if (lines.length === 0) throw new CustomsIdentifierError("no goods lines: list at least one line of goods");
  const sorted = [...lines].sort((a, b) => a.lineNo - b.lineNo);
  for (const [i, l] of sorted.entries()) {
    if (!Number.isInteger(l.lineNo) || l.lineNo < 1) {
      throw new CustomsIdentifierError(`goods line number ${l.lineNo} is not a positive integer`);
    }
    if (i > 0 && sorted[i - 1].lineNo === l.lineNo)
      throw new CustomsIdentifierError(`goods line ${l.lineNo} is listed twice`);
    if (l.quantity < 0n) throw new CustomsIdentifierError(`goods line ${l.lineNo}: quantity must not be negative`);
  }
  return keccak256(
    encodeAbiParameters(
      [
        { type: "string" },
        {
          type: "tuple[]",
          components: [
            { name: "lineNo", type: "uint32" },
            { name: "item", type: "string" },
            { name: "hsCode", type: "string" },
            { name: "quantity", type: "uint256" },
            { name: "unit", type: "string" },
          ],
        },
      ],
      [
        "cbec-trace:goods",
        sorted.map((l) => ({
          lineNo: l.lineNo,
          item: nonEmpty("goods item", l.item),
          hsCode: nonEmpty("HS code", l.hsCode),
          quantity: l.quantity,
          unit: nonEmpty("unit of measure", l.unit),
        })),
      ],
    ),
  );
}

/**
 * Customs documents in contract tests: document inputs with real identifiers (`src/customs/identifiers.ts`),
 * the ids the ledger derives, and `declareExport`, which files what a mode needs and then the declaration.
 */
import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import type { Hex } from "viem";
import type { ICustoms } from "../../typechain-types/contracts/TraceLedger";
import { CUSTOMS_DOCUMENT_KINDS, type CustomsMode, type DocumentKindName } from "../../src/codes";
import {
  buyerRef,
  documentId,
  documentNumberHash,
  orderRef as orderRefOf,
  paymentTerms,
  shipmentTerms,
} from "../../src/customs/identifiers";
import { recordHash, type CustomsMemberName, type LedgerFixture } from "./ledger";

const ZERO = ethers.ZeroHash;

/** What these helpers use of a fixture. */
type Members = Pick<LedgerFixture, "ledger" | "accounts" | "orgIds">;

/** The commercial facts of one order, as the three documents state them. */
export interface OrderFacts {
  orderNo: string;
  currency?: string;
  amountMinor?: bigint;
  quantity?: bigint;
  goods?: string;
  buyer?: string;
}

/** The order reference and both terms hashes of an order's facts. */
export function termsOf(o: OrderFacts): { orderRef: Hex; payment: Hex; shipment: Hex } {
  const ref = orderRefOf("PLT4403", o.orderNo);
  const buyer = buyerRef(ethers.zeroPadValue("0x01", 32) as Hex, {
    idType: "PASSPORT",
    idNumber: o.buyer ?? "E1234567",
    name: "Test Buyer",
  });
  const goodsRef = ethers.keccak256(ethers.toUtf8Bytes(`goods:${o.goods ?? "A"}`)) as Hex;
  return {
    orderRef: ref,
    payment: paymentTerms({
      orderRef: ref,
      currency: o.currency ?? "USD",
      amountMinor: o.amountMinor ?? 1999n,
      buyerRef: buyer,
    }),
    shipment: shipmentTerms({ orderRef: ref, goodsRef, totalQuantity: o.quantity ?? 2n, buyerRef: buyer }),
  };
}

/** A document input; `number` is the printed document number. */
export function doc(
  unit: string,
  kind: DocumentKindName,
  number: string,
  opts: { orderRef?: string; terms?: [string, string]; mode?: number; cites?: string[] } = {},
): ICustoms.CustomsDocumentInputStruct {
  return {
    unit,
    kind: CUSTOMS_DOCUMENT_KINDS[kind],
    numberHash: documentNumberHash(number),
    orderRef: opts.orderRef ?? ZERO,
    terms: opts.terms ?? [ZERO, ZERO],
    mode: opts.mode ?? 0,
    cites: opts.cites ?? [],
    eventTime: 1_767_225_600,
    location: 6901234000004n,
    recordHash: recordHash(`${kind}:${number}`),
  };
}

/** A member of the fixture, or a clear error when it has none of that name (`deployCustomsLedger` adds two). */
function member(f: Members, name: CustomsMemberName) {
  const account = (f.accounts as Record<string, LedgerFixture["admin"] | undefined>)[name];
  const orgId = (f.orgIds as Record<string, number | undefined>)[name];
  if (!account || !orgId)
    throw new Error(`the fixture has no "${name}" organization: deploy it with deployCustomsLedger`);
  return { account, orgId };
}

/** The id the ledger gives a document filed by `name`'s organization. */
export function idOf(f: Members, name: CustomsMemberName, kind: DocumentKindName, number: string): string {
  return documentId(CUSTOMS_DOCUMENT_KINDS[kind], member(f, name).orgId, documentNumberHash(number));
}

/** Files one document as `name`. */
export function file(f: Members, name: CustomsMemberName, d: ICustoms.CustomsDocumentInputStruct) {
  return f.ledger.connect(member(f, name).account).fileDocument(d);
}

/** The documents a declaration of `mode` cites on `unit`, filed by their default issuers; returns their ids. */
export async function fileSupporting(
  f: Members,
  unit: string,
  mode: CustomsMode,
  tag: string,
  facts: OrderFacts = { orderNo: `O-${tag}` },
): Promise<string[]> {
  const t = termsOf(facts);
  const cites: string[] = [];
  const put = async (
    member: CustomsMemberName,
    kind: DocumentKindName,
    number: string,
    o: Parameters<typeof doc>[3],
  ) => {
    await (await file(f, member, doc(unit, kind, number, o))).wait();
    cites.push(idOf(f, member, kind, number));
  };
  if (mode === 9610 || mode === 9710) {
    await put("platform", "ORDER", facts.orderNo, { orderRef: t.orderRef, terms: [t.payment, t.shipment] });
  }
  if (mode === 9610) await put("payment", "PAYMENT", `P-${tag}`, { orderRef: t.orderRef, terms: [t.payment, ZERO] });
  if (mode === 9810) await put("exporter", "BOOKING", `B-${tag}`, {});
  if (mode !== 1210) {
    await put("carrier", "WAYBILL", `W-${tag}@20260101`, {
      orderRef: mode === 9810 ? ZERO : t.orderRef,
      terms: [ZERO, t.shipment],
    });
  }
  if (mode === 1210) await put("customs", "ZONE_ENTRY", `Z-${tag}`, {});
  return cites;
}

/** The declaration input of `unit` under `mode` citing `cites`. */
export function declaration(unit: string, mode: CustomsMode, tag: string, cites: string[], facts?: OrderFacts) {
  const orderRef = mode === 9610 || mode === 9710 ? termsOf(facts ?? { orderNo: `O-${tag}` }).orderRef : ZERO;
  return doc(unit, "DECLARATION", `D-${tag}`, { mode, cites, orderRef });
}

/**
 * Declares `unit` for export under `mode`: files the documents the mode needs (order and payment by the
 * platform and the payment institution, waybill by the carrier, booking by the exporter, zone entry by
 * customs), then sends the declaration as `by` (the broker by default) and returns that transaction.
 * The issuers must be in scope of the unit (assigned, or regulators).
 */
export async function declareExport(
  f: Members,
  unit: string,
  mode: CustomsMode = 1210,
  opts: { by?: CustomsMemberName; tag?: string } = {},
): Promise<ContractTransactionResponse> {
  const tag = opts.tag ?? `${unit.slice(2, 10)}-${await ethers.provider.getBlockNumber()}`;
  const cites = await fileSupporting(f, unit, mode, tag);
  return file(f, opts.by ?? "broker", declaration(unit, mode, tag, cites));
}

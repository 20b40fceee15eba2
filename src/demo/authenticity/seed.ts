/**
 * Seeds the demo's three authenticity units (issue 17) beside the demo journey: the brand (the demo exporter)
 * registers them and ships them in one 9610 consignment to their buyers (the same members' writers as the
 * journey, its documents filed by their issuers), commits a claim code for two of them, the platform relays
 * both buyers' claims once delivered, and the brand binds the demo NTAG 424 DNA tag to the third and records
 * two taps through the brand's tap service. Every step is skipped when the chain shows it done, so a start on a
 * data directory from before issue 17 (the journey seeded, no registry) only adds these, and a second start
 * sends nothing. Node-only.
 */
import type { Hex, PublicClient } from "viem";
import { UnitClaims__factory } from "../../../typechain-types";
import { type DispositionName, type DocumentKindName, type StepName } from "../../codes";
import type { BizTransactionTypeName } from "../../epcis";
import {
  buyerRef,
  documentId,
  goodsRef,
  orderRef,
  paymentTerms,
  shipmentTerms,
  waybillNumber,
} from "../../customs/identifiers";
import { ZERO_HASH } from "../../customs/terms";
import type { TraceWriter } from "../../write/writer";
import type { CustomsDocumentInput } from "../../write/types";
import {
  RecordStore,
  recordAggregation,
  recordDocumentEvent,
  recordObjectEvent,
  recordRegistration,
  unitRefOf,
  type UnitRef,
} from "../../records";
import {
  claimCommitment,
  claimSecret,
  readUnitAuthenticity,
  TAG_KINDS,
  type ClaimsDeployment,
} from "../../authenticity";
import { createSunTapService } from "../../authenticity/tapService";
import type { TagKeyStore } from "../../authenticity/tagKeys";
import type { DemoMember } from "../journey";
import {
  DEMO_AUTHENTICITY_CODES,
  DEMO_AUTHENTICITY_CONSIGNMENT,
  DEMO_CLAIM_CODES,
  DEMO_SUN_TAG_UID,
  type DemoAuthenticityUnit,
} from "./codes";
import { DEMO_RECORDED_TAPS, demoTapMessage } from "./tag";

/** Where things happen: the exporter's site, the declaring customs (Shenzhen Dachanmen 5316), the ports. */
const PLACE = { exporter: "6901234000047", customs: "5316", yantian: "CNYTN", hamburg: "DEHAM" };

export interface AuthenticitySeedOptions {
  /** One writer per demo member (the exporter is the units' brand; the platform relays the claims). */
  writers: Record<DemoMember, TraceWriter>;
  /** The record store the platform serves. */
  recordsDir: string;
  client: Pick<PublicClient, "readContract">;
  /** The claims registry. */
  claims: ClaimsDeployment;
  /** The brand's tag-keys file, holding the demo tag (`demoTagKeys`). */
  tagKeys: TagKeyStore;
}

/** What seeding did. */
export interface SeededAuthenticity {
  keys: Record<DemoAuthenticityUnit, Hex>;
  /** Transactions sent by this call (0 when everything was on chain already). */
  transactions: number;
  /** The demo tag's last recorded counter. */
  lastCounter: number;
}

const unitOf = unitRefOf;

/**
 * Seeds what is missing of the three units.
 * @throws The writer's error when a write is refused (the demo is then broken, not "seeded").
 */
export async function seedAuthenticity(o: AuthenticitySeedOptions): Promise<SeededAuthenticity> {
  const { writers } = o;
  const items = (Object.keys(DEMO_AUTHENTICITY_CODES) as DemoAuthenticityUnit[]).map((name) => ({
    name,
    ref: unitOf(DEMO_AUTHENTICITY_CODES[name]),
  }));
  const keys = Object.fromEntries(items.map((i) => [i.name, i.ref.key])) as Record<DemoAuthenticityUnit, Hex>;
  let transactions = 0;
  const [, , , , , registrant] = await writers.exporter.ledger.unitState(unitOf(DEMO_AUTHENTICITY_CONSIGNMENT).key);
  if (registrant === 0n)
    transactions += await shipToBuyers(
      writers,
      o.recordsDir,
      items.map((i) => i.ref),
    );

  const brand = UnitClaims__factory.connect(o.claims.claims, writers.exporter.sender.signer);
  const state = Object.fromEntries(
    await Promise.all(
      items.map(async (i) => [i.name, await readUnitAuthenticity(o.client, o.claims.claims, i.ref.key)] as const),
    ),
  ) as Record<DemoAuthenticityUnit, Awaited<ReturnType<typeof readUnitAuthenticity>>>;

  // The brand commits both claim codes in one batch; the platform relays each buyer's claim once delivered.
  const claimed = (["claimed", "cloned"] as const).filter((n) => /^0x0{64}$/.test(state[n].claim.commitment));
  if (claimed.length > 0) {
    const units = claimed.map((n) => keys[n]);
    const commitments = claimed.map((n) => claimCommitment(o.claims, keys[n], claimSecret(DEMO_CLAIM_CODES[n])));
    await writers.exporter.sender.send(await brand.commitClaims.populateTransaction(units, commitments));
    transactions++;
  }
  const relay = UnitClaims__factory.connect(o.claims.claims, writers.platform.sender.signer);
  for (const n of ["claimed", "cloned"] as const) {
    if (state[n].claim.claimedAt > 0) continue;
    await writers.platform.sender.send(
      await relay.claim.populateTransaction(keys[n], claimSecret(DEMO_CLAIM_CODES[n])),
    );
    transactions++;
  }

  // The brand binds its tag, then its tap service records the first taps (the chain never sees the keys).
  if (state.tagged.tag.kind === TAG_KINDS.NONE) {
    await writers.exporter.sender.send(
      await brand.bindSunTag.populateTransaction(keys.tagged, `0x${DEMO_SUN_TAG_UID}`),
    );
    transactions++;
  }
  const service = createSunTapService({
    client: o.client,
    claims: o.claims.claims,
    keys: o.tagKeys,
    signer: writers.exporter.sender.signer,
    sender: writers.exporter.sender,
  });
  let lastCounter = state.tagged.tag.lastCounter;
  for (let counter = lastCounter + 1; counter <= DEMO_RECORDED_TAPS; counter++) {
    const m = demoTapMessage(counter);
    const tap = await service.verifyAndRecord({ unit: keys.tagged, e: m.e, c: m.c });
    if (tap.outcome !== "verified") throw new Error(`the demo tag's tap ${counter} was not recorded: ${tap.outcome}`);
    lastCounter = tap.counter;
    transactions++;
  }
  return { keys, transactions, lastCounter };
}

/** The buyers' order (one 9610 order for the three units) and the numbers of the documents filed for it. */
const ORDER = {
  platformCode: "4403660001",
  orderNo: "SO-2026-112001",
  paymentNo: "RC-2026-112001",
  logisticsNo: "YT7840020017",
  invtNo: "53162026E107000217",
  currency: "EUR",
  amountMinor: 17970n,
  /** Fixed only so the demo is reproducible; real orders take 32 random bytes. */
  privacySalt: "0x2a9c4e6f8b0d1f3a5c7e9b1d3f5a7c9e0b2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a" as Hex,
  buyer: { idType: "PASSPORT", idNumber: "C01X00T47", name: "Erika Mustermann" },
  goods: [{ lineNo: 1, gtin: "06901234567892", hsCode: "8518300000", quantity: 3n, unit: "011" }],
} as const;

/**
 * The three units' journey to their buyers, in one consignment: registered and packed by the brand, the 9610
 * declaration backed by the platform's order, the payment institution's receipt and the carrier's waybill
 * (三单, each an EPCIS record naming the consignment), released, departed and exited, delivered in Hamburg.
 * Returns the transactions sent.
 */
async function shipToBuyers(writers: Record<DemoMember, TraceWriter>, recordsDir: string, items: UnitRef[]) {
  const store = new RecordStore(recordsDir);
  const consignment = unitOf(DEMO_AUTHENTICITY_CONSIGNMENT);
  let transactions = 0;
  const sent = (result: { transactions: unknown[] }) => (transactions += result.transactions.length);
  const event = (step: StepName, time: string, location: string, disposition?: DispositionName) =>
    recordObjectEvent(store, consignment, {
      step,
      eventTime: time,
      location,
      ...(disposition ? { disposition } : {}),
    }).input;
  const org = {} as Record<DemoMember, number>;
  for (const m of ["platform", "payment", "carrier", "broker"] as const) org[m] = await writers[m].organization();

  const ref = orderRef(ORDER.platformCode, ORDER.orderNo);
  const buyer = buyerRef(ORDER.privacySalt, ORDER.buyer);
  const terms = {
    payment: paymentTerms({ orderRef: ref, currency: ORDER.currency, amountMinor: ORDER.amountMinor, buyerRef: buyer }),
    shipment: shipmentTerms({
      orderRef: ref,
      goodsRef: goodsRef(ORDER.goods),
      totalQuantity: ORDER.goods.reduce((n, l) => n + l.quantity, 0n),
      buyerRef: buyer,
    }),
  };
  /** Records a document's EPCIS event and files the document with its hash; returns the document's id. */
  const file = async (
    by: DemoMember,
    d: { kind: DocumentKindName; step: StepName; number: string; time: string; location?: string },
    bizTransactions: Array<{ type: BizTransactionTypeName; number: string }>,
    fields: Partial<Pick<CustomsDocumentInput, "terms" | "mode" | "cites">>,
  ): Promise<Hex> => {
    const document = recordDocumentEvent(
      store,
      consignment,
      { step: d.step, eventTime: d.time, ...(d.location ? { location: d.location } : {}), bizTransactions },
      { kind: d.kind, number: d.number, orderRef: ref, ...fields },
    );
    sent(await writers[by].fileDocuments([document]));
    return documentId(document.kind, org[by], document.numberHash);
  };

  const at = { eventTime: "2026-11-19T09:00:00+08:00", location: PLACE.exporter };
  sent(await writers.exporter.register([...items, consignment].map((u) => recordRegistration(store, u, at).input)));
  const packed = recordAggregation(store, consignment, items, {
    action: "ADD",
    eventTime: "2026-11-19T11:00:00+08:00",
    location: PLACE.exporter,
  });
  sent(await writers.exporter.pack(packed.input, packed.children));
  for (const member of ["platform", "payment", "carrier", "broker"] as const) {
    const note = recordObjectEvent(store, consignment, {
      step: "ASSIGNED",
      eventTime: "2026-11-19T11:30:00+08:00",
      extensions: { "cbectrace:organization": String(org[member]), "cbectrace:member": member },
    }).input;
    sent(await writers.exporter.assign(consignment.key, org[member], true, note));
  }
  const order = await file(
    "platform",
    { kind: "ORDER", step: "ORDER_PLACED", number: ORDER.orderNo, time: "2026-11-20T09:15:00+08:00" },
    [{ type: "order", number: ORDER.orderNo }],
    { terms: [terms.payment, terms.shipment] },
  );
  const receipt = await file(
    "payment",
    { kind: "PAYMENT", step: "PAYMENT_RECEIVED", number: ORDER.paymentNo, time: "2026-11-20T09:20:00+08:00" },
    [{ type: "receipt", number: ORDER.paymentNo }],
    { terms: [terms.payment, ZERO_HASH] },
  );
  const waybill = await file(
    "carrier",
    {
      kind: "WAYBILL",
      step: "WAYBILL_ISSUED",
      number: waybillNumber(ORDER.logisticsNo, "20261120"),
      time: "2026-11-20T14:00:00+08:00",
    },
    [{ type: "waybill", number: ORDER.logisticsNo }],
    { terms: [ZERO_HASH, terms.shipment] },
  );
  await file(
    "broker",
    {
      kind: "DECLARATION",
      step: "CUSTOMS_DECLARED",
      number: ORDER.invtNo,
      time: "2026-11-20T16:30:00+08:00",
      location: PLACE.customs,
    },
    [
      { type: "inventory", number: ORDER.invtNo },
      { type: "waybill", number: ORDER.logisticsNo },
    ],
    { mode: 9610, cites: [order, receipt, waybill] },
  );
  sent(await writers.customs.record([event("CUSTOMS_RELEASED", "2026-11-20T18:00:00+08:00", PLACE.customs)]));
  sent(
    await writers.carrier.record([
      event("LOADING", "2026-11-21T08:00:00+08:00", PLACE.yantian),
      event("DEPARTING", "2026-11-21T18:00:00+08:00", PLACE.yantian, "IN_TRANSIT"),
    ]),
  );
  sent(await writers.customs.record([event("CUSTOMS_EXITED", "2026-11-22T09:00:00+08:00", PLACE.customs)]));
  sent(
    await writers.carrier.record([
      event("ARRIVING", "2026-12-01T07:00:00+01:00", PLACE.hamburg),
      event("DELIVERED", "2026-12-01T15:00:00+01:00", PLACE.hamburg, "COMPLETENESS_VERIFIED"),
    ]),
  );
  return transactions;
}

/**
 * The demo data of `npm start`: one complete 9610 (B2C cross-border e-commerce) export journey of wireless
 * earbuds — commissioned at the factory, inspected by a lab, packed into a carton, handed to the exporter,
 * consolidated into a consignment, stored in a bonded warehouse, declared by the customs broker under 9610
 * (the declaration list backed by the order, the payment and the waybill: 三单), inspected and released by
 * customs, loaded and departed by the carrier, exited (结关) and delivered abroad, with the FX settlement by
 * the payment institution and the export tax refund by the tax authority — plus one product recalled by the
 * market regulator and one counterfeit code that was never registered. Every EPCIS record is saved in the
 * record store; the chain holds its hash.
 */
import type { Hex } from "viem";
import type { BizTransactionTypeName } from "../epcis";
import { type StepName, type DispositionName, type DocumentKindName } from "../codes";
import type { TraceWriter } from "../write/writer";
import { demoOrderTerms, DEMO_ORDER } from "./order";
import { documentId, waybillNumber } from "../customs/identifiers";
import { ZERO_HASH } from "../customs/terms";
import {
  RecordStore,
  recordAggregation,
  recordDocumentEvent,
  type DocumentEventFields,
  recordObjectEvent,
  recordRegistration,
  unitRefOf,
} from "../records";

/** The demo's GS1 codes (valid check digits), as Digital Link URIs on id.gs1.org. */
export const DEMO_CODES = {
  authentic: "https://id.gs1.org/01/06901234567892/10/2026A01/21/SN0001",
  authenticSibling: "https://id.gs1.org/01/06901234567892/10/2026A01/21/SN0002",
  carton: "https://id.gs1.org/00/169012340000000013",
  consignment: "https://id.gs1.org/401/6901234MAWB784001",
  recalled: "https://id.gs1.org/01/06901234567892/10/2026B07/21/SN0101",
  counterfeit: "https://id.gs1.org/01/06901234567892/10/2026A01/21/SN9999",
} as const;

/**
 * The GS1 Company Prefixes the demo exporter (the brand) holds: every demo code is under the first one; the
 * second is the README's own GTIN. The factory registers under the first as the exporter's contract manufacturer.
 */
export const DEMO_PREFIXES = ["6901234", "9521234"] as const;

export type DemoMember =
  | "exporter"
  | "factory"
  | "warehouse"
  | "carrier"
  | "broker"
  | "lab"
  | "platform"
  | "customs"
  | "market"
  | "payment"
  | "tax";

/** The demo members, in the order of demo/consortium.json (mnemonic accounts 1..9 in `npm start`). */
export const DEMO_MEMBERS: readonly DemoMember[] = [
  "exporter",
  "factory",
  "warehouse",
  "carrier",
  "broker",
  "lab",
  "platform",
  "customs",
  "market",
  "payment",
  "tax",
];

/** Organization ids of the demo members, in the order of demo/consortium.json. */
export const DEMO_ORG_IDS: Record<DemoMember, number> = {
  exporter: 1,
  factory: 2,
  warehouse: 3,
  carrier: 4,
  broker: 5,
  lab: 6,
  platform: 7,
  customs: 8,
  market: 9,
  payment: 10,
  tax: 11,
};

const GLN = {
  factory: "6901234000016",
  warehouse: "6901234000023",
  lab: "6901234000030",
  exporter: "6901234000047",
};

interface Step {
  by: DemoMember;
  step: StepName;
  time: string;
  disposition?: DispositionName;
  location?: string;
  bizTx?: Array<{ type: BizTransactionTypeName; number: string }>;
}

/** Seeds the demo journey through the SDK, one writer per member. Returns the keys of the demo units. */
export async function seedDemo(
  writers: Record<DemoMember, TraceWriter>,
  recordsDir: string,
): Promise<Record<keyof typeof DEMO_CODES, Hex>> {
  const store = new RecordStore(recordsDir);
  const unit = unitRefOf;
  const keys = Object.fromEntries(Object.entries(DEMO_CODES).map(([k, v]) => [k, unit(v).key])) as Record<
    keyof typeof DEMO_CODES,
    Hex
  >;

  const register = async (by: DemoMember, codes: string[], time: string, location: string) => {
    const regs = codes.map((code) => recordRegistration(store, unit(code), { eventTime: time, location }).input);
    await writers[by].register(regs);
  };
  const record = async (code: string, s: Step) => {
    const { input } = recordObjectEvent(store, unit(code), {
      step: s.step,
      eventTime: s.time,
      ...(s.disposition ? { disposition: s.disposition } : {}),
      ...(s.location ? { location: s.location } : {}),
      ...(s.bizTx ? { bizTransactions: s.bizTx } : {}),
    });
    await writers[s.by].record([input]);
  };
  /** Records a customs document's EPCIS event and files the document with its hash (the same fields). */
  const fileDocument = async (
    code: string,
    s: Step & { kind: DocumentKindName; number: string },
    fields: Omit<DocumentEventFields, "kind" | "number"> = {},
  ): Promise<Hex> => {
    const document = recordDocumentEvent(
      store,
      unit(code),
      {
        step: s.step,
        eventTime: s.time,
        ...(s.location ? { location: s.location } : {}),
        ...(s.bizTx ? { bizTransactions: s.bizTx } : {}),
      },
      { kind: s.kind, number: s.number, ...fields },
    );
    await writers[s.by].fileDocuments([document]);
    return documentId(document.kind, await writers[s.by].organization(), document.numberHash);
  };
  const pack = async (by: DemoMember, parent: string, children: string[], time: string, location: string) => {
    const packed = recordAggregation(store, unit(parent), children.map(unit), {
      action: "ADD",
      eventTime: time,
      location,
    });
    await writers[by].pack(packed.input, packed.children);
  };
  /** Records a custody or assignment note; its ledger input carries the note's own time (and place). */
  const note = (code: string, step: StepName, time: string, extensions: Record<string, string>, location?: string) =>
    recordObjectEvent(store, unit(code), {
      step,
      eventTime: time,
      ...(location ? { location } : {}),
      extensions: Object.fromEntries(Object.entries(extensions).map(([k, v]) => [`cbectrace:${k}`, v])),
    }).input;
  // Custody moves only when the receiver accepts: the custodian offers, the receiver's key accepts.
  const handOver = async (
    code: string,
    from: DemoMember,
    to: DemoMember,
    offered: string,
    accepted: string,
    location: string,
  ) => {
    const toOrganization = String(DEMO_ORG_IDS[to]);
    const key = unit(code).key;
    const offer = note(code, "CUSTODY_TRANSFERRED", offered, { toOrganization }, location);
    await writers[from].handover(key, DEMO_ORG_IDS[to], offer);
    const acceptance = { toOrganization, acceptedBy: toOrganization };
    await writers[to].acceptHandover(key, note(code, "CUSTODY_TRANSFERRED", accepted, acceptance, location));
  };

  const items = [DEMO_CODES.authentic, DEMO_CODES.authenticSibling];
  const { carton, consignment } = DEMO_CODES;

  // The brand authorizes its contract manufacturer to register codes under its prefix (the factory's
  // registrations then show "under the exporter's authorization").
  const [prefix] = DEMO_PREFIXES;
  if (!(await writers.exporter.licences.mayRegisterUnder(prefix, DEMO_ORG_IDS.factory))) {
    await writers.exporter.authorizeManufacturer(prefix, DEMO_ORG_IDS.factory);
  }

  // Factory: production, carton, lab inspection of the carton.
  await register("factory", [...items, carton], "2026-11-02T09:00:00+08:00", GLN.factory);
  await pack("factory", carton, items, "2026-11-02T15:30:00+08:00", GLN.factory);
  await writers.factory.assign(
    unit(carton).key,
    DEMO_ORG_IDS.lab,
    true,
    note(carton, "ASSIGNED", "2026-11-03T08:00:00+08:00", { organization: "6" }),
  );
  await record(carton, { by: "lab", step: "SAMPLING", time: "2026-11-03T10:00:00+08:00", location: GLN.lab });
  await record(carton, {
    by: "lab",
    step: "INSPECTING",
    time: "2026-11-04T16:00:00+08:00",
    disposition: "CONFORMANT",
    location: GLN.lab,
  });
  // At the factory's dock: the exporter collects the inspected carton.
  await handOver(carton, "factory", "exporter", "2026-11-05T09:00:00+08:00", "2026-11-05T09:30:00+08:00", GLN.factory);

  // Exporter: consignment (master waybill); the organizations that file its documents and handle it.
  await register("exporter", [consignment], "2026-11-05T10:00:00+08:00", GLN.exporter);
  await pack("exporter", consignment, [carton], "2026-11-05T11:00:00+08:00", GLN.exporter);
  const payment = await writers.payment.organization();
  for (const [member, org] of [
    ["warehouse", DEMO_ORG_IDS.warehouse],
    ["broker", DEMO_ORG_IDS.broker],
    ["platform", DEMO_ORG_IDS.platform],
    ["carrier", DEMO_ORG_IDS.carrier],
    ["payment", payment],
  ] as const) {
    await writers.exporter.assign(
      unit(consignment).key,
      org,
      true,
      note(consignment, "ASSIGNED", "2026-11-05T11:30:00+08:00", { organization: String(org), member }),
    );
  }
  // The three documents of the 9610 declaration (三单), each filed by its issuer: the platform's order, the
  // payment institution's receipt and the carrier's waybill, agreeing on the terms the match compares.
  const terms = demoOrderTerms();
  const order = await fileDocument(
    consignment,
    {
      by: "platform",
      kind: "ORDER",
      step: "ORDER_PLACED",
      number: DEMO_ORDER.orderNo,
      time: "2026-11-05T12:00:00+08:00",
      bizTx: [{ type: "order", number: DEMO_ORDER.orderNo }],
    },
    { orderRef: terms.orderRef, terms: [terms.payment, terms.shipment] },
  );
  const receipt = await fileDocument(
    consignment,
    {
      by: "payment",
      kind: "PAYMENT",
      step: "PAYMENT_RECEIVED",
      number: DEMO_ORDER.paymentNo,
      time: "2026-11-05T12:05:00+08:00",
      bizTx: [{ type: "receipt", number: DEMO_ORDER.paymentNo }],
    },
    { orderRef: terms.orderRef, terms: [terms.payment, ZERO_HASH] },
  );
  const waybill = await fileDocument(
    consignment,
    {
      by: "carrier",
      kind: "WAYBILL",
      step: "WAYBILL_ISSUED",
      number: waybillNumber(DEMO_ORDER.logisticsNo, "20261105"),
      time: "2026-11-05T12:30:00+08:00",
      bizTx: [{ type: "waybill", number: DEMO_ORDER.logisticsNo }],
    },
    { orderRef: terms.orderRef, terms: [ZERO_HASH, terms.shipment] },
  );
  await record(consignment, {
    by: "warehouse",
    step: "RECEIVING",
    time: "2026-11-06T09:00:00+08:00",
    disposition: "IN_PROGRESS",
    location: GLN.warehouse,
  });
  await record(consignment, {
    by: "warehouse",
    step: "STORING",
    time: "2026-11-06T09:30:00+08:00",
    disposition: "SELLABLE_NOT_ACCESSIBLE",
    location: GLN.warehouse,
  });
  await fileDocument(
    consignment,
    {
      by: "broker",
      kind: "DECLARATION",
      step: "CUSTOMS_DECLARED",
      number: DEMO_ORDER.invtNo,
      time: "2026-11-07T10:00:00+08:00",
      location: "5316",
      bizTx: [
        { type: "inventory", number: DEMO_ORDER.invtNo },
        { type: "waybill", number: DEMO_ORDER.logisticsNo },
      ],
    },
    { orderRef: terms.orderRef, mode: 9610, cites: [order, receipt, waybill] },
  );
  await record(consignment, {
    by: "customs",
    step: "CUSTOMS_INSPECTED",
    time: "2026-11-07T14:00:00+08:00",
    location: "5316",
  });
  await record(consignment, {
    by: "customs",
    step: "CUSTOMS_RELEASED",
    time: "2026-11-07T16:00:00+08:00",
    location: "5316",
  });
  // At the bonded warehouse, after release: the carrier takes the consignment to the port.
  await handOver(
    consignment,
    "exporter",
    "carrier",
    "2026-11-08T08:00:00+08:00",
    "2026-11-08T08:30:00+08:00",
    GLN.warehouse,
  );
  // The exporter's assignments ended with its custody: the carrier, now custodian, assigns the payment
  // institution that files the FX settlement (the tax authority, a regulator, needs no assignment).
  await writers.carrier.assign(
    unit(consignment).key,
    payment,
    true,
    note(consignment, "ASSIGNED", "2026-11-08T09:00:00+08:00", { organization: String(payment), member: "payment" }),
  );

  // Carrier and customs: departure, exit, arrival abroad, delivery.
  await record(consignment, { by: "carrier", step: "LOADING", time: "2026-11-08T10:00:00+08:00", location: "CNYTN" });
  await record(consignment, {
    by: "carrier",
    step: "DEPARTING",
    time: "2026-11-08T18:00:00+08:00",
    disposition: "IN_TRANSIT",
    location: "CNYTN",
  });
  await record(consignment, {
    by: "customs",
    step: "CUSTOMS_EXITED",
    time: "2026-11-09T09:00:00+08:00",
    location: "5316",
  });
  await record(consignment, { by: "carrier", step: "ARRIVING", time: "2026-11-24T07:00:00+01:00", location: "DEHAM" });
  await record(consignment, {
    by: "carrier",
    step: "DELIVERED",
    time: "2026-11-26T15:00:00+01:00",
    disposition: "COMPLETENESS_VERIFIED",
    location: "DEHAM",
  });
  // After exit and receipt of payment: FX settlement (结汇), then the export tax refund (出口退税).
  await fileDocument(consignment, {
    by: "payment",
    kind: "FX_SETTLEMENT",
    step: "FX_SETTLED",
    number: DEMO_ORDER.fxNo,
    time: "2026-11-27T10:00:00+08:00",
  });
  await fileDocument(consignment, {
    by: "tax",
    kind: "TAX_REFUND",
    step: "TAX_REFUNDED",
    number: DEMO_ORDER.refundNo,
    time: "2026-11-27T11:00:00+08:00",
    bizTx: [{ type: "declaration", number: "531620261107000456" }],
  });

  // A product of another lot, recalled by the market regulator after a battery safety complaint.
  const recalled = DEMO_CODES.recalled;
  await register("factory", [recalled], "2026-10-20T09:00:00+08:00", GLN.factory);
  await record(recalled, { by: "market", step: "RECALL", time: "2026-11-20T10:00:00+08:00", disposition: "RECALLED" });
  return keys;
}

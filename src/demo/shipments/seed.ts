/**
 * Seeds the demo's three customs shipments (issue 14) beside the demo journey: (a) a clean 9610 retail
 * export, (b) a 9810 export to an overseas warehouse sold there after export, with a second consignment
 * still unsold, and (c) a 9610 order whose payment amount disagrees, whose declaration the ledger refuses.
 * Every document is filed by its issuer's key with the hash of its public form, and the public form is put
 * in the record store (the platform serves it; finance documents only to those entitled, see
 * `src/server/recordAccess.ts`). Writes are grouped per issuer across the shipments, so the whole seeding
 * takes a few dozen transactions. Node-only.
 */
import type { Hex } from "viem";
import type { StepName, DispositionName } from "../../codes";
import type { EpcisEvent } from "../../epcis";
import { documentInput, publicForm, type CustomsRecord, type CitedDocument } from "../../customs";
import { CustomsMatchError } from "../../errors/contract";
import type { TraceWriter } from "../../write/writer";
import type { CustomsDocumentInput, TraceInput } from "../../write/types";
import { RecordStore, recordObjectEvent, recordRegistration, unitRefOf, type UnitRef } from "../../records";
import type { DemoMember } from "../journey";
import { SHIPMENT_CODES, type ShipmentName } from "./codes";
import { CLEAN_9610, MISMATCH_9610, OVERSEAS_9810, UNSOLD_9810 } from "./documents";

/** Where things happen: the exporter's site, the declaring customs (Shenzhen Dachanmen 5316), ports. */
const PLACE = {
  exporter: "6901234000047",
  customs: "5316",
  yantian: "CNYTN",
  hamburg: "DEHAM",
  duisburg: "DEDUI",
};

/** A document filed on a unit: its kind, the hash of its public form and the organization that filed it. */
export interface FiledDocument {
  kind: CustomsRecord["kind"];
  recordHash: Hex;
  issuerOrg: number;
}

/** What seeding the shipments did. */
export interface SeededShipments {
  /** Unit keys of the shipments. */
  keys: Record<ShipmentName, Hex>;
  /** The documents filed on each shipment, in filing order. */
  documents: Record<ShipmentName, FiledDocument[]>;
  /** Shipment (c): the declaration the ledger refused, with the refusal (`CustomsTermsMismatch`, PAYMENT). */
  refused: { shipment: "mismatch9610"; recordHash: Hex; error: CustomsMatchError };
}

const unitOf = unitRefOf;

/**
 * Seeds the three shipments with the demo members' writers (the demo consortium: exporter, platform,
 * payment institution, carrier, broker, warehouse, customs, tax authority) and stores their records.
 * @param writers One writer per demo member.
 * @param recordsDir The record store the platform serves.
 * @returns The units, the documents filed, and the refused declaration of shipment (c).
 * @throws The writer's error when any other write is refused (the demo is then broken, not "seeded").
 */
export async function seedShipments(
  writers: Record<DemoMember, TraceWriter>,
  recordsDir: string,
): Promise<SeededShipments> {
  const store = new RecordStore(recordsDir);
  const units = Object.fromEntries(
    Object.entries(SHIPMENT_CODES).map(([name, code]) => [name, unitOf(code)]),
  ) as Record<ShipmentName, UnitRef>;
  const keys = Object.fromEntries(Object.entries(units).map(([n, u]) => [n, u.key])) as Record<ShipmentName, Hex>;
  const documents = Object.fromEntries(Object.keys(units).map((n) => [n, []])) as unknown as Record<
    ShipmentName,
    FiledDocument[]
  >;
  const org = {} as Record<DemoMember, number>;
  for (const m of Object.keys(writers) as DemoMember[]) org[m] = await writers[m].organization();

  const event = (
    name: ShipmentName,
    step: StepName,
    time: string,
    location: string,
    extra: { disposition?: DispositionName; extensions?: Record<string, string> } = {},
  ): TraceInput =>
    recordObjectEvent(store, units[name], {
      step,
      eventTime: time,
      location,
      ...(extra.disposition ? { disposition: extra.disposition } : {}),
      ...(extra.extensions ? { extensions: extra.extensions } : {}),
    }).input;

  /** A document of a shipment: its ledger input, with its public form stored under its hash. */
  const doc = (
    name: ShipmentName,
    by: DemoMember,
    record: CustomsRecord,
    cites: readonly CitedDocument[] = [],
  ): CustomsDocumentInput => {
    const input = documentInput(record, keys[name], cites);
    store.put(input.recordHash, publicForm(record) as unknown as EpcisEvent);
    documents[name].push({ kind: record.kind, recordHash: input.recordHash, issuerOrg: org[by] });
    return input;
  };
  const cite = (by: DemoMember, record: CustomsRecord): CitedDocument => ({ record, issuerOrg: org[by] });

  // The exporter ships all four consignments and gives each the organizations that file its documents.
  await writers.exporter.register([
    recordRegistration(store, units.clean9610, { eventTime: "2026-03-02T08:00:00+08:00", location: PLACE.exporter })
      .input,
    recordRegistration(store, units.mismatch9610, { eventTime: "2026-03-02T08:00:00+08:00", location: PLACE.exporter })
      .input,
    recordRegistration(store, units.overseas9810, { eventTime: "2026-03-03T09:00:00+08:00", location: PLACE.exporter })
      .input,
    recordRegistration(store, units.unsold9810, { eventTime: "2026-03-03T09:00:00+08:00", location: PLACE.exporter })
      .input,
  ]);
  const parties: Record<ShipmentName, DemoMember[]> = {
    clean9610: ["platform", "payment", "carrier", "broker"],
    mismatch9610: ["platform", "payment", "carrier", "broker"],
    overseas9810: ["carrier", "broker", "warehouse", "platform", "payment"],
    unsold9810: ["carrier", "broker", "warehouse"],
  };
  for (const [name, members] of Object.entries(parties) as Array<[ShipmentName, DemoMember[]]>) {
    const time = name.endsWith("9810") ? "2026-03-03T09:10:00+08:00" : "2026-03-02T08:10:00+08:00";
    for (const member of members) {
      const note = recordObjectEvent(store, units[name], {
        step: "ASSIGNED",
        eventTime: time,
        extensions: { "cbectrace:organization": String(org[member]), "cbectrace:member": member },
      });
      await writers.exporter.assign(keys[name], org[member], true, note.input);
    }
  }

  // The documents before the declarations, one transaction per issuer: the exporter's 9810 bookings, the
  // platform's orders, the payment institution's receipts, the carrier's waybills.
  await writers.exporter.fileDocuments([
    doc("overseas9810", "exporter", OVERSEAS_9810.booking),
    doc("unsold9810", "exporter", UNSOLD_9810.booking),
  ]);
  await writers.platform.fileDocuments([
    doc("clean9610", "platform", CLEAN_9610.order),
    doc("mismatch9610", "platform", MISMATCH_9610.order),
  ]);
  // The chain takes (c)'s payment: a receipt is the payment institution's to file; the match is the declaration's.
  await writers.payment.fileDocuments([
    doc("clean9610", "payment", CLEAN_9610.payment),
    doc("mismatch9610", "payment", MISMATCH_9610.payment),
  ]);
  await writers.carrier.fileDocuments([
    doc("clean9610", "carrier", CLEAN_9610.waybill),
    doc("mismatch9610", "carrier", MISMATCH_9610.waybill),
    doc("overseas9810", "carrier", OVERSEAS_9810.waybill),
    doc("unsold9810", "carrier", UNSOLD_9810.waybill),
  ]);
  await writers.broker.fileDocuments([
    doc("clean9610", "broker", CLEAN_9610.declaration, [
      cite("platform", CLEAN_9610.order),
      cite("payment", CLEAN_9610.payment),
      cite("carrier", CLEAN_9610.waybill),
    ]),
    doc("overseas9810", "broker", OVERSEAS_9810.declaration, [
      cite("exporter", OVERSEAS_9810.booking),
      cite("carrier", OVERSEAS_9810.waybill),
    ]),
    doc("unsold9810", "broker", UNSOLD_9810.declaration, [
      cite("exporter", UNSOLD_9810.booking),
      cite("carrier", UNSOLD_9810.waybill),
    ]),
  ]);
  // (c): the ledger's three-document match refuses the list; the shipment stays undeclared.
  const refusedInput = documentInput(MISMATCH_9610.declaration, keys.mismatch9610, [
    cite("platform", MISMATCH_9610.order),
    cite("payment", MISMATCH_9610.payment),
    cite("carrier", MISMATCH_9610.waybill),
  ]);
  let refusal: CustomsMatchError | undefined;
  try {
    await writers.broker.fileDocuments([refusedInput]);
  } catch (error) {
    if (!(error instanceof CustomsMatchError)) throw error;
    refusal = error;
  }
  if (!refusal) throw new Error("the ledger accepted a 9610 declaration whose payment disagrees with its order");

  // Customs releases the three declared consignments; the carrier loads and departs them; customs exits them.
  const exported: ShipmentName[] = ["clean9610", "overseas9810", "unsold9810"];
  const on = (name: ShipmentName, a: string, b: string) => (name === "clean9610" ? a : b);
  await writers.customs.record(
    exported.map((n) =>
      event(n, "CUSTOMS_RELEASED", on(n, "2026-03-02T18:00:00+08:00", "2026-03-04T17:00:00+08:00"), PLACE.customs),
    ),
  );
  await writers.carrier.record(
    exported.flatMap((n) => [
      event(n, "LOADING", on(n, "2026-03-03T08:00:00+08:00", "2026-03-05T08:00:00+08:00"), PLACE.yantian),
      event(n, "DEPARTING", on(n, "2026-03-03T18:00:00+08:00", "2026-03-05T18:00:00+08:00"), PLACE.yantian, {
        disposition: "IN_TRANSIT",
      }),
    ]),
  );
  await writers.customs.record(
    exported.map((n) =>
      event(n, "CUSTOMS_EXITED", on(n, "2026-03-04T09:00:00+08:00", "2026-03-06T09:00:00+08:00"), PLACE.customs),
    ),
  );
  // Arrival abroad: (a) delivered to its buyer; (b) both consignments into the overseas warehouse.
  await writers.carrier.record([
    event("clean9610", "ARRIVING", "2026-03-09T07:00:00+01:00", PLACE.hamburg),
    event("clean9610", "DELIVERED", "2026-03-10T15:00:00+01:00", PLACE.hamburg, {
      disposition: "COMPLETENESS_VERIFIED",
    }),
    event("overseas9810", "ARRIVING", "2026-03-30T07:00:00+02:00", PLACE.duisburg),
    event("unsold9810", "ARRIVING", "2026-03-30T07:00:00+02:00", PLACE.duisburg),
  ]);
  await writers.warehouse.record(
    (["overseas9810", "unsold9810"] as const).map((n) =>
      event(n, "STORING", "2026-03-30T14:00:00+02:00", PLACE.duisburg, { disposition: "SELLABLE_ACCESSIBLE" }),
    ),
  );

  // (b) After export, the sale to the final buyer in the overseas warehouse: the platform's order and the
  // payment institution's receipt, then the FX settlements of (a) and (b), then (a)'s export tax refund.
  await writers.platform.fileDocuments([doc("overseas9810", "platform", OVERSEAS_9810.order)]);
  await writers.payment.fileDocuments([
    doc("overseas9810", "payment", OVERSEAS_9810.payment),
    doc("clean9610", "payment", CLEAN_9610.fx),
    doc("overseas9810", "payment", OVERSEAS_9810.fx),
  ]);
  await writers.tax.fileDocuments([doc("clean9610", "tax", CLEAN_9610.refund)]);

  return {
    keys,
    documents,
    refused: { shipment: "mismatch9610", recordHash: refusedInput.recordHash, error: refusal },
  };
}

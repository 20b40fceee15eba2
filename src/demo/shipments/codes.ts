/**
 * The GS1 codes of the demo's three customs shipments (consignments, AI 401 under the demo brand's prefix),
 * apart from every code of the demo journey (`DEMO_CODES`), as Digital Link URIs on id.gs1.org.
 */
export const SHIPMENT_CODES = {
  /** (a) A clean 9610 retail export: order, payment and waybill agree; released, exited, settled, refunded. */
  clean9610: "https://id.gs1.org/401/6901234CB9610A0001",
  /** (b) A 9810 export to the overseas warehouse, one of its goods sold there after export. */
  overseas9810: "https://id.gs1.org/401/6901234CB9810A0001",
  /** (b) A second 9810 consignment, exported and still unsold in the overseas warehouse (stock aging). */
  unsold9810: "https://id.gs1.org/401/6901234CB9810A0002",
  /** (c) A 9610 order whose payment amount disagrees with the order: its declaration was refused. */
  mismatch9610: "https://id.gs1.org/401/6901234CB9610A0002",
} as const;

export type ShipmentName = keyof typeof SHIPMENT_CODES;

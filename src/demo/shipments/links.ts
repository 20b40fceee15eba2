/**
 * The lines `npm start` prints for the demo's customs shipments: each consignment's link on the platform's
 * resolver (as its label encodes it) and the `trace customs check --unit` that shows its match.
 */
import { parseGs1 } from "../../gs1";
import { labelUri } from "../../qrLabels/uri";
import { SHIPMENT_CODES, type ShipmentName } from "./codes";

const LABELS: Record<ShipmentName, string> = {
  clean9610: "9610 clean 三单一致        ",
  overseas9810: "9810 sold abroad 海外仓已售 ",
  unsold9810: "9810 unsold 海外仓未售      ",
  mismatch9610: "9610 mismatch 三单不一致    ",
};

/** The shipments' printed lines, on `resolverUrl` (TRACE_RESOLVER_URL, or the page server's address). */
export function shipmentLines(resolverUrl: string): string[] {
  return (Object.keys(SHIPMENT_CODES) as ShipmentName[]).map(
    (name) =>
      `  ${LABELS[name]}${labelUri(parseGs1(SHIPMENT_CODES[name]), { domain: resolverUrl, attributes: false })}`,
  );
}

/**
 * A unit's code in words a buyer reads — "GTIN 06901234567892 · lot 2026A01 · serial SN0001", "carton SSCC …",
 * "consignment 6901234MAWB784001" — never its on-chain key, and the codes named in checked records, so a
 * parent key the journey shows can be told by its code. Pure, browser-safe.
 */
import type { Hex } from "viem";
import { parseGs1, type Gs1Identity } from "../gs1";
import type { EpcisEvent } from "../epcis/types";

/** A unit's code in English and Chinese. */
export function unitWords(id: Gs1Identity): { en: string; zh: string } {
  if (id.sscc) return { en: `carton SSCC ${id.sscc}`, zh: `箱 SSCC ${id.sscc}` };
  if (id.ginc) return { en: `consignment ${id.ginc}`, zh: `运单 ${id.ginc}` };
  if (id.gln) return { en: `location GLN ${id.gln}`, zh: `位置 GLN ${id.gln}` };
  const en = [`GTIN ${id.gtin}`];
  const zh = [`GTIN ${id.gtin}`];
  if (id.cpv) (en.push(`variant ${id.cpv}`), zh.push(`款式 ${id.cpv}`));
  if (id.lot) (en.push(`lot ${id.lot}`), zh.push(`批号 ${id.lot}`));
  if (id.serial) (en.push(`serial ${id.serial}`), zh.push(`序列号 ${id.serial}`));
  return { en: en.join(" · "), zh: zh.join(" · ") };
}

/** Every GS1 unit a record names (its objects, its parent, its children), by unit key (lower case). */
export function unitsNamed(records: Iterable<EpcisEvent>): Map<Hex, Gs1Identity> {
  const found = new Map<Hex, Gs1Identity>();
  for (const r of records) {
    const uris = [
      ...("epcList" in r && Array.isArray(r.epcList) ? r.epcList : []),
      ...("childEPCs" in r && Array.isArray(r.childEPCs) ? r.childEPCs : []),
      ...("parentID" in r && typeof r.parentID === "string" ? [r.parentID] : []),
    ];
    for (const uri of uris) {
      try {
        const id = parseGs1(uri);
        found.set(id.key.toLowerCase() as Hex, id);
      } catch {
        // A URI that is not a GS1 code (a class-level URN) names no unit a buyer could look up.
      }
    }
  }
  return found;
}

/**
 * The trace units an EPCIS event names, as on-chain keys: a record is only evidence for the unit it names
 * (a registration record copied from another unit hashes fine but proves nothing about this one).
 */
import type { Hex } from "viem";
import { parseGs1 } from "../gs1";
import type { EpcisEvent } from "./types";

/** The keys of every GS1 identifier the event names (`epcList`, `parentID`, `childEPCs`, quantity classes). */
export function unitKeysNamed(event: EpcisEvent): Set<Hex> {
  const uris: unknown[] = [];
  if ("epcList" in event && Array.isArray(event.epcList)) uris.push(...event.epcList);
  if ("parentID" in event) uris.push(event.parentID);
  if ("childEPCs" in event && Array.isArray(event.childEPCs)) uris.push(...event.childEPCs);
  for (const list of ["quantityList", "childQuantityList"] as const) {
    const items = (event as unknown as Record<string, unknown>)[list];
    if (Array.isArray(items)) for (const q of items) uris.push((q as { epcClass?: unknown } | null)?.epcClass);
  }
  const keys = new Set<Hex>();
  for (const uri of uris) {
    if (typeof uri !== "string") continue;
    try {
      keys.add(parseGs1(uri).key.toLowerCase() as Hex);
    } catch {
      // Not a GS1 identifier this SDK reads (e.g. an EPC URN): it names no unit here.
    }
  }
  return keys;
}

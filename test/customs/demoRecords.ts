/** The demo document sets of demo/customs, read fresh for each test so a test may change its copy. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const DEMO_DIR = join(__dirname, "..", "..", "demo", "customs");

export type DemoSet = "9610-clean" | "9610-amount-mismatch" | "9810-overseas-warehouse";

/** A demo record file as parsed JSON (a fresh copy). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function demo(set: DemoSet, document: string): any {
  return JSON.parse(readFileSync(join(DEMO_DIR, set, `${document}.json`), "utf8"));
}

/** The four documents of a 9610 set. */
export function demo9610(set: "9610-clean" | "9610-amount-mismatch" = "9610-clean") {
  return {
    order: demo(set, "order"),
    payment: demo(set, "payment"),
    waybill: demo(set, "waybill"),
    declaration: demo(set, "declaration"),
  };
}

/** The demo journey of `npm start`, seeded on the in-process network, and its record store. */
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { Address, Hex, PublicClient } from "viem";
import { deployCustomsLedger, licensePrefixes, type CustomsLedgerFixture } from "./ledger";
import { hardhatClient, writerFor } from "./sdk";
import { seedDemo, type DemoMember, DEMO_MEMBERS, DEMO_PREFIXES } from "../../src/demo/journey";
import { verifyUnit } from "../../src/verify/verify";
import type { TraceWriter } from "../../src/write/writer";
import type { EpcisEvent } from "../../src/epcis";

export interface DemoFixture extends CustomsLedgerFixture {
  records: string;
  address: Address;
}

/** Deploys a ledger and seeds the demo journey on it (use with `loadFixture`). */
export async function demoFixture(): Promise<DemoFixture> {
  const f = await deployCustomsLedger();
  // The demo brand's codes are licensed to it, as `npm start` does from demo/consortium.json (the fixture
  // already licenses the second one, the README's, to the exporter).
  await licensePrefixes(f.ledger, f.admin, { [DEMO_PREFIXES[0]]: f.orgIds.exporter });
  const records = mkdtempSync(join(tmpdir(), "cbec-records-"));
  const writers = {} as Record<DemoMember, TraceWriter>;
  for (const m of DEMO_MEMBERS) writers[m] = await writerFor(f.ledger, f.accounts[m].address);
  await seedDemo(writers, records);
  return { ...f, records, address: (await f.ledger.getAddress()) as Address };
}

/** Reads records from a record directory, as the platform serves them. */
export const fromStore = (dir: string) => async (hash: Hex) => {
  const file = join(dir, `${hash}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as EpcisEvent) : undefined;
};

/** Verifies a code against the demo ledger, with its records. */
export function verifyDemo(f: DemoFixture, input: string, client: PublicClient = hardhatClient(), extra: object = {}) {
  return verifyUnit(input, { client, ledger: { address: f.address }, fetchRecord: fromStore(f.records), ...extra });
}

/** The reason codes of a report, in order. */
export const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);

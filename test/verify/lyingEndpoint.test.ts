/**
 * A buyer's own RPC endpoint that lies consistently: it serves a state, headers or records the chain does
 * not prove. The verifier derives what it shows from the hash-chained entries, so each lie fails the
 * verdict instead of changing it.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  createPublicClient,
  custom,
  decodeFunctionData,
  decodeFunctionResult,
  encodeFunctionResult,
  toFunctionSelector,
  toEventSelector,
  getAbiItem,
  type AbiEvent,
  pad,
  type AbiFunction,
  type Hex,
  type PublicClient,
} from "viem";
import { traceLedgerAbi } from "../../src/generated/abi";
import { DEMO_CODES } from "../../src/demo/journey";
import { FLAGS } from "../../src/codes";
import { parseGs1 } from "../../src/gs1";
import { recordHash as hashRecord } from "../../src/epcis";
import { pathKey, registration } from "../helpers/ledger";
import { codes, demoFixture, fromStore, verifyDemo } from "../helpers/demo";

/** The demo brand's GS1 company prefix (licensed to the exporter; the factory is authorized under it). */
const DEMO_PREFIX = "6901234";
type RawLog = { topics: Hex[]; data: Hex };
const topic = (name: string) => toEventSelector(getAbiItem({ abi: traceLedgerAbi, name } as never) as AbiEvent);
type UnitStateTuple = readonly [Hex, number, number, number, number, number, number, Hex];
const UNIT_STATE = toFunctionSelector(getAbiItem({ abi: traceLedgerAbi, name: "unitState" }) as AbiFunction);

/** An endpoint that serves the in-process chain, with `edit` applied to one kind of answer. */
function lyingClient(edit: {
  unitState?: (unit: Hex, s: UnitStateTuple) => UnitStateTuple;
  block?: (b: Record<string, unknown>) => Record<string, unknown>;
  logs?: (logs: RawLog[]) => RawLog[];
}) {
  return createPublicClient({
    transport: custom({
      async request({ method, params }: { method: string; params?: unknown }) {
        const list = params as unknown[];
        const result = await network.provider.request({ method, params: list });
        const data = ((list?.[0] as { data?: Hex } | undefined)?.data ?? "0x") as Hex;
        if (method === "eth_call" && edit.unitState && data.startsWith(UNIT_STATE)) {
          const { args } = decodeFunctionData({ abi: traceLedgerAbi, data });
          const decoded = decodeFunctionResult({ abi: traceLedgerAbi, functionName: "unitState", data: result as Hex });
          const edited = edit.unitState((args![0] as Hex).toLowerCase() as Hex, decoded as unknown as UnitStateTuple);
          return encodeFunctionResult({ abi: traceLedgerAbi, functionName: "unitState", result: edited as never });
        }
        if (method === "eth_getLogs" && edit.logs) return edit.logs(result as RawLog[]);
        if (method === "eth_getBlockByNumber" && edit.block && result)
          return edit.block(result as Record<string, unknown>);
        return result;
      },
    }),
  }) as PublicClient;
}

describe("verification against a lying endpoint", () => {
  it("honest endpoint: the recalled product is a warning, the authentic one authentic", async () => {
    const f = await loadFixture(demoFixture);
    expect(codes(await verifyDemo(f, DEMO_CODES.recalled))).to.include("RECALLED");
    expect((await verifyDemo(f, DEMO_CODES.authentic)).verdict).to.equal("authentic");
  });

  it("an endpoint that clears the recall bit fails the verdict (it used to hide the recall)", async () => {
    const f = await loadFixture(demoFixture);
    const client = lyingClient({
      unitState: (_, s) => [s[0], s[1], s[2], s[3], s[4] & ~FLAGS.RECALLED, s[5], s[6], s[7]],
    });
    const r = await verifyDemo(f, DEMO_CODES.recalled, client);
    expect(r.verdict).to.equal("fail");
    expect(codes(r)).to.deep.equal(["STATE_MISMATCH"]);
    expect(r.reasons[0].detail).to.match(/recalled served as false, its history says true/);
  });

  it("an endpoint that names another registrant, or unpacks the item, or moves its stage fails the verdict", async () => {
    const f = await loadFixture(demoFixture);
    const item = parseGs1(DEMO_CODES.authentic).key.toLowerCase();
    const onItem = (edit: (s: UnitStateTuple) => UnitStateTuple) =>
      lyingClient({ unitState: (unit, s) => (unit === item ? edit(s) : s) });
    const registrant = await verifyDemo(
      f,
      DEMO_CODES.authentic,
      onItem((s) => [s[0], s[1], s[2], s[3], s[4], 6, s[6], s[7]]),
    );
    expect([registrant.verdict, codes(registrant)[0]]).to.deep.equal(["fail", "STATE_MISMATCH"]);
    expect(registrant.reasons[0].detail).to.match(/registrant served as 6/);
    const unpacked = await verifyDemo(
      f,
      DEMO_CODES.authentic,
      onItem((s) => [s[0], s[1], s[2], s[3], s[4] & ~FLAGS.PACKED, s[5], s[6], `0x${"00".repeat(32)}`]),
    );
    expect([unpacked.verdict, codes(unpacked)[0]]).to.deep.equal(["fail", "STATE_MISMATCH"]);
    const stage = await verifyDemo(
      f,
      DEMO_CODES.authentic,
      onItem((s) => [s[0], s[1], s[2], 5, s[4], s[5], s[6], s[7]]),
    );
    expect([stage.verdict, codes(stage)[0]]).to.deep.equal(["fail", "STATE_MISMATCH"]);
  });

  it("an endpoint that re-dates the blocks of the entries fails the verdict (the chain covers block times)", async () => {
    const f = await loadFixture(demoFixture);
    const client = lyingClient({
      block: (b) => ({ ...b, timestamp: `0x${(BigInt(b.timestamp as string) - 86_400n).toString(16)}` }),
    });
    const r = await verifyDemo(f, DEMO_CODES.authentic, client);
    expect([r.verdict, codes(r)[0]]).to.deep.equal(["fail", "HISTORY_MISMATCH"]);
  });

  it("a record that hashes right but names another unit is no evidence for this one", async () => {
    const f = await loadFixture(demoFixture);
    const honest = fromStore(f.records);
    // A member registers a new unit citing the authentic item's registration record.
    const item = await verifyDemo(f, DEMO_CODES.authentic);
    const original = item.entries.find((e) => e.seq === 1 && !e.inheritedFrom)!;
    const record = (await honest(original.data))!;
    expect(hashRecord(record)).to.equal(original.data);
    const copy = "https://id.gs1.org/01/06901234567892/10/2026A01/21/SN0077";
    // Issue 11: the code must be under a prefix the factory may register under (the demo brand authorized it).
    const path = parseGs1(copy).canonicalPath;
    await f.ledger
      .connect(f.accounts.factory)
      .register({ ...registration(pathKey(path)), prefixLength: DEMO_PREFIX.length, recordHash: original.data });
    const r = await verifyDemo(f, copy);
    const entry = r.entries.find((e) => e.seq === 1)!;
    expect([entry.recordMatches, entry.recordNamesOtherUnit]).to.deep.equal([false, true]);
    expect(codes(r)).to.include("RECORD_MISMATCH");
    expect(r.reasons.find((x) => x.code === "RECORD_MISMATCH")!.detail).to.match(/names another unit/);
  });

  // Issue 11 item 2: who owns the code is read from the registry's logs, which a lying endpoint can edit too.
  it("honest endpoint: the demo item is 'licensed to' the brand and registered under its authorization", async () => {
    const f = await loadFixture(demoFixture);
    const r = await verifyDemo(f, DEMO_CODES.authentic);
    if (r.ownership?.status !== "held") throw new Error(`ownership ${r.ownership?.status}`);
    expect([r.ownership.licence.holder.name, r.ownership.licence.manufacturer?.organization.name]).to.deep.equal([
      "exporter org",
      "factory org",
    ]);
  });

  for (const [what, dropped] of [
    ["drops the PrefixLicensed log", ["PrefixLicensed"]],
    ["drops every registry log", ["PrefixLicensed", "ManufacturerAuthorized"]],
    ["hides the ManufacturerAuthorized log", ["ManufacturerAuthorized"]],
  ] as const) {
    it(`an endpoint that ${what} fails the verdict (PREFIX_NOT_HELD)`, async () => {
      const f = await loadFixture(demoFixture);
      const names = (dropped as readonly string[]).map(topic);
      const client = lyingClient({ logs: (logs) => logs.filter((l) => !names.includes(l.topics[0])) });
      const r = await verifyDemo(f, DEMO_CODES.authentic, client);
      expect(r.verdict).to.equal("fail");
      expect(codes(r)).to.deep.equal(["PREFIX_NOT_HELD"]);
    });
  }

  it("an endpoint that serves the brand's licence as another organization's fails the verdict", async () => {
    const f = await loadFixture(demoFixture);
    const other = pad(`0x${f.orgIds.rival.toString(16)}`, { size: 32 });
    const relabelled = [topic("PrefixLicensed"), topic("ManufacturerAuthorized")];
    const client = lyingClient({
      logs: (logs) =>
        logs.map((l) =>
          relabelled.includes(l.topics[0])
            ? { ...l, topics: [l.topics[0], l.topics[1], other, ...l.topics.slice(3)] }
            : l,
        ),
    });
    const r = await verifyDemo(f, DEMO_CODES.authentic, client);
    expect(r.verdict).to.equal("fail");
    // The registry's present view (not edited by this endpoint) contradicts the relabelled logs.
    expect(r.reasons.find((x) => x.code === "PREFIX_NOT_HELD")?.detail).to.match(
      new RegExp(
        `the registry says prefix ${DEMO_PREFIX} is held by organization ${f.orgIds.exporter} .* its logs say organization ${f.orgIds.rival}`,
      ),
    );
  });
});

/**
 * Identity is owned (issue 11 item 2), the verifier's side: a code verifies only when its registrant held the
 * code's GS1 company prefix at the registration, or was authorized under the holder's licence. Each honest
 * case sits next to the endpoint lie that would turn it around, and every lie fails the verdict. Item 7: a
 * signing key the consortium admin added after the public delay is shown as a notice with its blocks.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  createPublicClient,
  custom,
  decodeFunctionResult,
  encodeFunctionResult,
  getAbiItem,
  pad,
  toEventSelector,
  toFunctionSelector,
  type AbiEvent,
  type AbiFunction,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { traceLedgerAbi } from "../../src/generated/abi";
import { itemPath } from "../../src/gs1/key";
import { verifyUnit } from "../../src/verify/verify";
import type { VerificationReport } from "../../src/verify/types";
import { deployLedger, EXPORTER_PREFIX, GTIN, itemKey, registration, type LedgerFixture } from "../helpers/ledger";
import { afterDelay } from "../helpers/governance";
import { hardhatClient } from "../helpers/sdk";

type RawLog = { topics: Hex[]; data: Hex; address: Address };
const topic = (name: string) => toEventSelector(getAbiItem({ abi: traceLedgerAbi, name } as never) as AbiEvent);
const PREFIX_LICENCE = toFunctionSelector(getAbiItem({ abi: traceLedgerAbi, name: "prefixLicence" }) as AbiFunction);
const VERSION = toFunctionSelector(getAbiItem({ abi: traceLedgerAbi, name: "version" }) as AbiFunction);

/** The code of test item n, as a buyer scans it. */
const code = (n: number) => `https://id.gs1.org${itemPath({ gtin: GTIN, lot: "LOT1", serial: `S${n}` })}`;

/** An endpoint serving the in-process chain with its logs (and optionally its `version()`) edited. */
function lyingClient(edit: {
  logs?: (logs: RawLog[]) => RawLog[];
  version?: string;
  /** The holder `prefixLicence` answers (the licence number kept). */
  holder?: number;
}): PublicClient {
  return createPublicClient({
    transport: custom({
      async request({ method, params }: { method: string; params?: unknown }) {
        const list = params as unknown[];
        const result = await network.provider.request({ method, params: list });
        if (method === "eth_getLogs" && edit.logs) return edit.logs(result as RawLog[]);
        const data = ((list?.[0] as { data?: Hex } | undefined)?.data ?? "0x") as Hex;
        if (method === "eth_call" && edit.version && data.startsWith(VERSION)) {
          decodeFunctionResult({ abi: traceLedgerAbi, functionName: "version", data: result as Hex });
          return encodeFunctionResult({ abi: traceLedgerAbi, functionName: "version", result: edit.version });
        }
        if (method === "eth_call" && edit.holder !== undefined && data.startsWith(PREFIX_LICENCE)) {
          const [, licence] = decodeFunctionResult({
            abi: traceLedgerAbi,
            functionName: "prefixLicence",
            data: result as Hex,
          });
          const answer = licence ? edit.holder : 0;
          return encodeFunctionResult({
            abi: traceLedgerAbi,
            functionName: "prefixLicence",
            result: [answer, licence],
          });
        }
        return result;
      },
    }),
  }) as PublicClient;
}

const verify = (f: LedgerFixture, n: number, client: PublicClient = hardhatClient()) =>
  f.ledger.getAddress().then((address) => verifyUnit(code(n), { client, ledger: { address: address as Address } }));

const codes = (r: VerificationReport) => r.reasons.map((x) => x.code);
const orgTopic = (orgId: number) => pad(`0x${orgId.toString(16)}`, { size: 32 });

/** The exporter registers item 1; it authorizes the factory, which registers item 2. */
async function licensedFixture() {
  const f = await deployLedger();
  await (await f.ledger.connect(f.accounts.exporter).register(registration(itemKey(1)))).wait();
  await (
    await f.ledger.connect(f.accounts.exporter).authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, true)
  ).wait();
  await (await f.ledger.connect(f.accounts.factory).register(registration(itemKey(2)))).wait();
  return f;
}

describe("verification: who owns the code (prefix licences)", () => {
  it("holder: 'GTIN licensed to' the exporter, with its licence block; no ownership reason", async () => {
    const f = await loadFixture(licensedFixture);
    const r = await verify(f, 1);
    expect(codes(r)).to.deep.equal(["NO_CUSTOMS_RELEASE"]);
    expect(r.ownership?.status).to.equal("held");
    if (r.ownership?.status !== "held") return;
    const l = r.ownership.licence;
    expect([l.codeType, l.prefix, l.holder.orgId, l.holder.name]).to.deep.equal([
      "GTIN",
      EXPORTER_PREFIX,
      f.orgIds.exporter,
      "exporter org",
    ]);
    const [, licence] = await f.ledger.prefixLicence(EXPORTER_PREFIX);
    expect(l.licence).to.equal(licence);
    expect(l.licensedAtBlock < r.entries[0].blockNumber).to.equal(true);
    expect(l.revokedAtBlock).to.equal(undefined);
    expect(l.manufacturer).to.equal(undefined);
    expect(r.notices).to.deep.equal([]);
  });

  it("authorized manufacturer: registered by the factory under the exporter's authorization", async () => {
    const f = await loadFixture(licensedFixture);
    const r = await verify(f, 2);
    expect(codes(r)).to.deep.equal(["NO_CUSTOMS_RELEASE"]);
    expect(r.registrant?.orgId).to.equal(f.orgIds.factory);
    if (r.ownership?.status !== "held") throw new Error(`ownership ${r.ownership?.status}`);
    const l = r.ownership.licence;
    expect([l.holder.orgId, l.manufacturer?.organization.orgId, l.manufacturer?.organization.name]).to.deep.equal([
      f.orgIds.exporter,
      f.orgIds.factory,
      "factory org",
    ]);
    expect(l.manufacturer!.authorizedAtBlock < r.entries[0].blockNumber).to.equal(true);
  });

  it("a licence revoked after the registration does not fail the code, and is shown", async () => {
    const f = await loadFixture(licensedFixture);
    await (await f.ledger.connect(f.admin).revokePrefix(EXPORTER_PREFIX)).wait();
    const revokedAt = BigInt(await ethers.provider.getBlockNumber());
    for (const n of [1, 2]) {
      const r = await verify(f, n);
      expect(codes(r)).to.deep.equal(["NO_CUSTOMS_RELEASE"]);
      if (r.ownership?.status !== "held") throw new Error(`ownership ${r.ownership?.status}`);
      expect(r.ownership.licence.revokedAtBlock).to.equal(revokedAt);
    }
  });

  it("ATTACK: an endpoint that drops the PrefixLicensed log fails the code", async () => {
    const f = await loadFixture(licensedFixture);
    const notHeld = (r: VerificationReport) => {
      expect(r.verdict).to.equal("fail");
      expect(r.ownership?.status).to.equal("notHeld");
      return r.reasons.find((x) => x.code === "PREFIX_NOT_HELD")?.detail;
    };
    // Dropped alone, the authorization left behind names a licence that never was.
    const dropped = lyingClient({ logs: (logs) => logs.filter((l) => l.topics[0] !== topic("PrefixLicensed")) });
    expect(notHeld(await verify(f, 1, dropped))).to.match(
      /registry logs served cannot be the ledger's: authorization under 9521234 licence \d+ .* no such licence stands/,
    );
    // Dropped with everything under it, the registry's present view still names the holder.
    const registry = [topic("PrefixLicensed"), topic("ManufacturerAuthorized")];
    const erased = lyingClient({ logs: (logs) => logs.filter((l) => !registry.includes(l.topics[0])) });
    expect(notHeld(await verify(f, 1, erased))).to.match(
      new RegExp(
        `the registry says prefix ${EXPORTER_PREFIX} is held by organization ${f.orgIds.exporter} .* its logs say nobody$`,
      ),
    );
  });

  it("ATTACK: an endpoint that serves the PrefixLicensed log for another organization fails the code", async () => {
    const f = await loadFixture(licensedFixture);
    const rival = orgTopic(f.orgIds.rival);
    const relabel = (names: string[], holder?: number) =>
      lyingClient({
        holder,
        logs: (logs) =>
          logs.map((l) =>
            names.map(topic).includes(l.topics[0])
              ? { ...l, topics: [l.topics[0], l.topics[1], rival, ...l.topics.slice(3)] }
              : l,
          ),
      });
    const detail = (r: VerificationReport) => {
      expect(r.verdict).to.equal("fail");
      return r.reasons.find((x) => x.code === "PREFIX_NOT_HELD")?.detail;
    };
    // Relabelled alone, the holder's own authorization contradicts it.
    expect(detail(await verify(f, 1, relabel(["PrefixLicensed"])))).to.match(/no such licence stands/);
    // Relabelled consistently in the logs, the registry's present view contradicts them — for the holder's
    // code and for the manufacturer's alike.
    const logsOnly = relabel(["PrefixLicensed", "ManufacturerAuthorized"]);
    for (const n of [1, 2]) {
      expect(detail(await verify(f, n, logsOnly))).to.match(
        new RegExp(
          `the registry says prefix ${EXPORTER_PREFIX} is held by organization ${f.orgIds.exporter} \\(licence \\d+\\) at block \\d+, its logs say organization ${f.orgIds.rival}`,
        ),
      );
    }
    // Views lied about too, the holder's own code still fails: the rival never authorized the exporter.
    const everywhere = await verify(f, 1, relabel(["PrefixLicensed", "ManufacturerAuthorized"], f.orgIds.rival));
    expect(detail(everywhere)).to.match(
      new RegExp(
        `organization ${f.orgIds.exporter} registered it .* licensed to organization ${f.orgIds.rival}, which had not authorized it`,
      ),
    );
    if (everywhere.ownership?.status !== "notHeld") throw new Error("held");
    expect(everywhere.ownership.licence?.holder.name).to.equal("rival org");
  });

  it("ATTACK: an endpoint that hides the ManufacturerAuthorized log fails the manufacturer's code (not the holder's)", async () => {
    const f = await loadFixture(licensedFixture);
    const client = lyingClient({
      logs: (logs) => logs.filter((l) => l.topics[0] !== topic("ManufacturerAuthorized")),
    });
    const byFactory = await verify(f, 2, client);
    expect(byFactory.verdict).to.equal("fail");
    expect(byFactory.reasons.find((x) => x.code === "PREFIX_NOT_HELD")?.detail).to.match(
      new RegExp(`organization ${f.orgIds.factory} registered it .* licensed to organization ${f.orgIds.exporter}`),
    );
    expect(codes(await verify(f, 1, client))).to.deep.equal(["NO_CUSTOMS_RELEASE"]);
  });

  it("ATTACK: an endpoint that adds a revocation before the registration fails the code", async () => {
    const f = await loadFixture(licensedFixture);
    // A forged revocation of the real licence, placed in the licence's own block right after it.
    const client = lyingClient({
      logs: (logs) =>
        logs.flatMap((l) =>
          l.topics[0] === topic("PrefixLicensed")
            ? [l, { ...l, topics: [topic("PrefixRevoked"), l.topics[1], l.topics[2]], logIndex: "0x63" } as RawLog]
            : [l],
        ),
    });
    const r = await verify(f, 1, client);
    expect(codes(r)).to.include("PREFIX_NOT_HELD");
  });

  it("an older ledger (2.0.x) does not check code ownership: a warning, and no registry read", async () => {
    const f = await loadFixture(licensedFixture);
    const asked: Hex[] = [];
    const client = lyingClient({
      version: "2.0.3",
      logs: (logs) => {
        asked.push(...logs.map((l) => l.topics[0]));
        return logs;
      },
    });
    const r = await verify(f, 1, client);
    expect(r.verdict).to.equal("warning");
    expect(codes(r)).to.deep.equal(["OWNERSHIP_NOT_CHECKED", "NO_CUSTOMS_RELEASE"]);
    expect(r.reasons[0].detail).to.equal("ledger version 2.0.3");
    expect(r.ownership).to.deep.equal({ status: "unchecked", version: "2.0.3" });
    expect(asked).to.not.include(topic("PrefixLicensed"));
  });
});

describe("verification: who added the journey's keys (item 7)", () => {
  it("onboarding keys give no notice", async () => {
    const f = await loadFixture(licensedFixture);
    const r = await verify(f, 1);
    expect(r.notices).to.deep.equal([]);
  });

  it("a key the consortium admin added after the delay is a notice with its announcement and execution blocks; the verdict stays", async () => {
    const f = await loadFixture(licensedFixture);
    const newKey = f.spare[0];
    const announcedFrom = BigInt(await ethers.provider.getBlockNumber()) + 1n;
    await (await afterDelay(f.ledger.connect(f.admin), "addAccount", f.orgIds.exporter, newKey.address)).wait();
    const executed = BigInt(await ethers.provider.getBlockNumber());
    await (await f.ledger.connect(newKey).register(registration(itemKey(3)))).wait();
    const r = await verify(f, 3);
    expect(r.verdict).to.equal("warning");
    expect(codes(r)).to.deep.equal(["NO_CUSTOMS_RELEASE"]);
    expect(r.notices?.map((n) => n.code)).to.deep.equal(["KEY_ADDED_BY_ADMIN"]);
    const n = r.notices![0];
    expect(n.key).to.deep.equal({
      account: newKey.address,
      orgId: f.orgIds.exporter,
      announcedAtBlock: announcedFrom,
      executedAtBlock: executed,
    });
    expect(n.detail).to.equal(
      `${newKey.address} of exporter org, added: announced at block ${announcedFrom}, executed at block ${executed}`,
    );
  });

  it("a key rotated in by the consortium admin, and a key the organization added with an admin-added key, are traced back", async () => {
    const f = await loadFixture(licensedFixture);
    const [rotated, added] = f.spare;
    await (
      await afterDelay(f.ledger.connect(f.admin), "rotateAccount", f.accounts.exporter.address, rotated.address)
    ).wait();
    // The rotated-in key is an org admin (it replaced one): it adds a key of its own at once.
    await (await f.ledger.connect(rotated).addAccountAsOrg(added.address, false)).wait();
    await (await f.ledger.connect(added).register(registration(itemKey(4)))).wait();
    const r = await verify(f, 4);
    expect(codes(r)).to.deep.equal(["NO_CUSTOMS_RELEASE"]);
    expect(r.notices?.map((n) => [n.code, n.key?.account])).to.deep.equal([["KEY_ADDED_BY_ADMIN", rotated.address]]);
    expect(r.notices![0].detail).to.match(new RegExp(`rotated in \\(replacing ${f.accounts.exporter.address}\\)`));
  });

  it("keys the organization added or rotated in itself (from its onboarding key) give no notice", async () => {
    const f = await loadFixture(licensedFixture);
    const [added, rotated] = f.spare;
    const ex = f.ledger.connect(f.accounts.exporter);
    await (await ex.addAccountAsOrg(added.address, true)).wait();
    await (await f.ledger.connect(added).rotateAccountAsOrg(f.accounts.exporter.address, rotated.address)).wait();
    await (await f.ledger.connect(added).register(registration(itemKey(5)))).wait();
    await (await f.ledger.connect(rotated).register(registration(itemKey(6)))).wait();
    for (const n of [5, 6]) {
      const r = await verify(f, n);
      expect([codes(r), r.notices]).to.deep.equal([["NO_CUSTOMS_RELEASE"], []]);
    }
  });

  it("ATTACK: an endpoint that hides how a key joined gives a warning", async () => {
    const f = await loadFixture(licensedFixture);
    const client = lyingClient({ logs: (logs) => logs.filter((l) => l.topics[0] !== topic("AccountAdded")) });
    const r = await verify(f, 1, client);
    expect(codes(r)).to.deep.equal(["KEY_ORIGIN_UNKNOWN", "NO_CUSTOMS_RELEASE"]);
    expect(r.reasons[0].detail).to.equal(`${f.accounts.exporter.address} of exporter org`);
  });

  it("ATTACK: an endpoint that hides the announcement of the admin's key gives a warning instead of the notice", async () => {
    const f = await loadFixture(licensedFixture);
    const newKey = f.spare[0];
    await (await afterDelay(f.ledger.connect(f.admin), "addAccount", f.orgIds.exporter, newKey.address)).wait();
    await (await f.ledger.connect(newKey).register(registration(itemKey(3)))).wait();
    const client = lyingClient({ logs: (logs) => logs.filter((l) => l.topics[0] !== topic("OperationScheduled")) });
    const r = await verify(f, 3, client);
    expect(codes(r)).to.deep.equal(["KEY_DELAY_UNPROVEN", "NO_CUSTOMS_RELEASE"]);
    expect(r.notices).to.deep.equal([]);
  });
});

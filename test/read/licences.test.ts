/** The prefix-registry history of a code, rebuilt from its logs (not from the registry's present-only views). */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import type { Address, Hex } from "viem";
import { deployLedger, EXPORTER_PREFIX, GTIN, licensePrefixes, RIVAL_PREFIX } from "../helpers/ledger";
import { hardhatClient, logRangeRecordingClient } from "../helpers/sdk";
import { buildLicenceTimeline, prefixHashOf, readPrefixLicences } from "../../src/read/licences";
import { prefixCandidates } from "../../src/gs1/prefix";
import type { DecodedLedgerLog } from "../../src/read/logRange";
import { consignmentPath, itemPath, ssccPath } from "../../src/gs1/key";

const ITEM = itemPath({ gtin: GTIN, lot: "LOT1", serial: "S1" });

describe("readPrefixLicences", () => {
  it("candidate prefixes: 4 to 12 digits after the code's primary key, for every kind of code", () => {
    expect(prefixCandidates(ITEM)).to.deep.equal([
      "9521",
      "95212",
      "952123",
      "9521234",
      "95212345",
      "952123454",
      "9521234543",
      "95212345432",
      "952123454321",
    ]);
    expect(prefixCandidates(ssccPath("095212340000000013"))[3]).to.equal(EXPORTER_PREFIX);
    // A GINC ends at its first non-digit: no licence can cover a longer candidate.
    expect(prefixCandidates(consignmentPath("9521234MAWB1"))).to.deep.equal(["9521", "95212", "952123", "9521234"]);
    expect(prefixCandidates("/401/95A")).to.deep.equal([]);
  });

  it("reads licence, authorizations, revocation and a new licence from the logs, as of any block", async () => {
    const f = await loadFixture(deployLedger);
    const client = hardhatClient();
    const ledger = { address: (await f.ledger.getAddress()) as Address };
    const ex = f.ledger.connect(f.accounts.exporter);
    await (await ex.authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, true)).wait();
    const authorizedAt = BigInt(await ethers.provider.getBlockNumber());
    await (await ex.authorizeManufacturer(EXPORTER_PREFIX, f.orgIds.factory, false)).wait();
    await (await f.ledger.connect(f.admin).revokePrefix(EXPORTER_PREFIX)).wait();
    const revokedAt = BigInt(await ethers.provider.getBlockNumber());
    await licensePrefixes(f.ledger, f.admin, { [EXPORTER_PREFIX]: f.orgIds.rival });

    const t = await readPrefixLicences(client, { ledger, path: ITEM });
    expect(t.anomalies).to.deep.equal([]);
    expect(t.licences.map((l) => [l.prefix, l.holder, l.revoked?.blockNumber])).to.deep.equal([
      [EXPORTER_PREFIX, f.orgIds.exporter, revokedAt],
      [EXPORTER_PREFIX, f.orgIds.rival, undefined],
    ]);
    const [first, second] = t.licences;
    expect(second.licence > first.licence).to.equal(true);
    expect((await f.ledger.prefixLicence(EXPORTER_PREFIX))[1]).to.equal(second.licence);
    expect(first.authorizations.map((a) => [a.manufacturer, a.authorized, a.at.blockNumber])).to.deep.equal([
      [f.orgIds.factory, true, authorizedAt],
      [f.orgIds.factory, false, authorizedAt + 1n],
    ]);
    // The rival's own prefix is not a candidate of this code: none of its logs is read.
    expect(t.licences.some((l) => l.prefix === RIVAL_PREFIX)).to.equal(false);

    const before = await readPrefixLicences(client, { ledger, path: ITEM, blockNumber: authorizedAt });
    expect(before.licences.map((l) => [l.holder, l.revoked, l.authorizations.length])).to.deep.equal([
      [f.orgIds.exporter, undefined, 1],
    ]);
  });

  it("splits the range into windows of maxBlockRange from the deployment block, with the same result", async () => {
    const f = await loadFixture(deployLedger);
    await mine(30);
    const address = (await f.ledger.getAddress()) as Address;
    const deploymentBlock = BigInt((await f.ledger.deploymentTransaction()!.wait())!.blockNumber);
    const whole = await readPrefixLicences(hardhatClient(), { ledger: { address }, path: ITEM });
    const { client, ranges } = logRangeRecordingClient();
    const to = BigInt(await ethers.provider.getBlockNumber());
    const split = await readPrefixLicences(client, {
      ledger: { address, deploymentBlock },
      path: ITEM,
      maxBlockRange: 10n,
    });
    expect(split.licences).to.deep.equal(whole.licences);
    expect(split.logQueries).to.equal(ranges.length);
    expect(ranges.length).to.equal(Number((to - deploymentBlock) / 10n) + 1);
    expect(BigInt(ranges[0][0])).to.equal(deploymentBlock);
    expect(ranges.every(([a, b]) => BigInt(b) - BigInt(a) < 10n)).to.equal(true);
  });
});

describe("buildLicenceTimeline: logs that cannot be the registry's are anomalies, never licences", () => {
  const hash = prefixHashOf(EXPORTER_PREFIX);
  let n = 0;
  const log = (eventName: string, args: Record<string, unknown>): DecodedLedgerLog => ({
    eventName,
    args: { prefixHash: hash, ...args },
    topics: [],
    blockNumber: BigInt(++n),
    logIndex: 0,
    transactionHash: `0x${"aa".repeat(32)}` as Hex,
    blockHash: `0x${"bb".repeat(32)}` as Hex,
  });
  const licensed = (orgId: number, licence: bigint, prefix = EXPORTER_PREFIX) =>
    log("PrefixLicensed", { orgId, licence, prefix });

  it("a licence granted twice, a revocation or authorization of a licence that does not stand, a prefix under another's hash", () => {
    const built = buildLicenceTimeline(prefixCandidates(ITEM), [
      licensed(1, 1n),
      licensed(2, 2n),
      log("PrefixRevoked", { orgId: 1, licence: 9n, prefix: EXPORTER_PREFIX }),
      log("ManufacturerAuthorized", { holder: 2, manufacturer: 3, licence: 1n, authorized: true }),
      licensed(2, 3n, "9521235"),
    ]);
    expect(built.licences.map((l) => [l.holder, l.licence])).to.deep.equal([[1, 1n]]);
    expect(built.anomalies).to.have.length(4);
    expect(built.anomalies[0]).to.match(/^9521234 licensed again at block \d+ log 0 while licence 1 stands$/);
    expect(built.anomalies[1]).to.match(/licence 9 revoked .* no such licence stands/);
    expect(built.anomalies[2]).to.match(/authorization under 9521234 licence 1 .* no such licence stands/);
    expect(built.anomalies[3]).to.match(/names "9521235" under the hash of 9521234/);
  });

  it("logs of prefixes that are not candidates are ignored (a filter the endpoint did not honour)", () => {
    const other = { ...licensed(5, 5n, "1234"), args: { prefixHash: prefixHashOf("1234"), orgId: 5, licence: 5n } };
    const built = buildLicenceTimeline(prefixCandidates(ITEM), [other]);
    expect([built.licences, built.anomalies, built.positions]).to.deep.equal([[], [], []]);
  });
});

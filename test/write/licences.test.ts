/**
 * Identity is owned (issue 11 item 2), on the SDK's side: the writer sends the code, finds the licensed
 * prefix on the ledger and refuses — before anything is sent — codes its organization neither holds nor was
 * authorized under. Every attack sits next to the legitimate flow it must not break.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  deployLedger,
  licensePrefixes,
  itemKey,
  cartonKey,
  rivalItemKey,
  pathKey,
  registration,
  EXPORTER_PREFIX,
  RIVAL_PREFIX,
} from "../helpers/ledger";
import { rejection, toSdkRegistration, writerFor } from "../helpers/sdk";
import { itemPath } from "../../src/gs1/key";
import { gs1CheckDigit } from "../../src/gs1/checkDigit";
import { CodeNotLicensedError } from "../../src/errors/licence";
import { prefixCandidates } from "../../src/gs1/prefix";
import type { TraceWriter } from "../../src/write/writer";

const reg = (key: string) => toSdkRegistration(registration(key));
/** An item under a prefix nobody holds on the fixture ledger. */
const unlicensedItem = (n: number) => {
  const body = "0400000154321";
  return pathKey(itemPath({ gtin: body + gs1CheckDigit(body), lot: "LOT1", serial: `U${n}` }));
};

/** Runs a write that must be refused before sending: the key's nonce does not move. */
async function refusedBeforeSending(writer: TraceWriter, write: Promise<unknown>): Promise<CodeNotLicensedError> {
  const before = await ethers.provider.getTransactionCount(writer.address);
  const error = await rejection(write, CodeNotLicensedError);
  expect(await ethers.provider.getTransactionCount(writer.address), "nothing was sent").to.equal(before);
  return error;
}

describe("SDK writer: registering needs the code's prefix", () => {
  it("finds the prefix candidates at the prefix offset of every kind of code", () => {
    expect(prefixCandidates("/01/09521234543213/21/1")).to.deep.equal(
      ["9521", "95212", "952123", "9521234", "95212345", "952123454", "9521234543"].concat([
        "95212345432",
        "952123454321",
      ]),
    );
    expect(prefixCandidates("/401/6901234MAWB1")).to.deep.equal(["6901", "69012", "690123", "6901234"]);
    expect(prefixCandidates("/00/169012340000000013")[3]).to.equal("6901234");
    expect(prefixCandidates("/401/69A")).to.deep.equal([]);
  });

  it("registers the holder's own codes with the licensed prefix length; the ledger's key is the SDK's", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address);
    const result = await writer.register([reg(itemKey(1)), reg(cartonKey(1))]);
    expect(result.items).to.equal(2);
    for (const key of [itemKey(1), cartonKey(1)]) {
      const state = await ledger.unitState(key);
      expect(state.seq).to.equal(1n);
      expect(state.registrant).to.equal(BigInt(orgIds.exporter));
    }
  });

  it("ATTACK: a code under a prefix nobody holds is refused before sending, saying who can license it", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address);
    const error = await refusedBeforeSending(writer, writer.register([reg(unlicensedItem(1))]));
    expect(error.refused).to.deep.equal([{ index: 0, path: "/01/04000001543212/10/LOT1/21/U1", holder: 0 }]);
    expect(error.shortMessage).to.include("not licensed to any organization on this ledger");
    expect(error.shortMessage).to.include("ask the consortium admin to license it (trace consortium");
    expect((await ledger.unitState(unlicensedItem(1))).seq).to.equal(0n);
  });

  it("ATTACK: a rival exporter registering the brand's codes is refused, naming the holder and its command", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const rival = await writerFor(ledger, accounts.rival.address);
    const error = await refusedBeforeSending(rival, rival.register([reg(itemKey(1))]));
    expect(error.refused).to.deep.equal([
      {
        index: 0,
        path: "/01/09521234543213/10/LOT1/21/S1",
        prefix: EXPORTER_PREFIX,
        holder: orgIds.exporter,
        holderName: "exporter org",
      },
    ]);
    expect(error.shortMessage).to.include(`licensed to exporter org (organization ${orgIds.exporter})`);
    expect(error.shortMessage).to.include(`trace authorize-manufacturer ${EXPORTER_PREFIX} ${orgIds.rival}`);
    // the rival's own codes still go through
    await rival.register([reg(rivalItemKey(1))]);
    expect((await ledger.unitState(rivalItemKey(1))).registrant).to.equal(BigInt(orgIds.rival));
    expect((await ledger.unitState(itemKey(1))).seq).to.equal(0n);
  });

  it("an authorized contract manufacturer registers the brand's codes; withdrawn, it is refused again", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const brand = await writerFor(ledger, accounts.exporter.address);
    const factory = await writerFor(ledger, accounts.factory.address);
    await refusedBeforeSending(factory, factory.register([reg(itemKey(1))]));

    await brand.authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory);
    expect(await ledger.mayRegisterUnder(EXPORTER_PREFIX, orgIds.factory)).to.equal(true);
    await factory.register([reg(itemKey(1))]);
    expect((await ledger.unitState(itemKey(1))).registrant).to.equal(BigInt(orgIds.factory));

    // ATTACK: the same writer (its licence lookup remembered) after the brand withdrew the authorization
    await brand.authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory, false);
    const error = await refusedBeforeSending(factory, factory.register([reg(itemKey(2))]));
    expect(error.refused[0]).to.include({ prefix: EXPORTER_PREFIX, holder: orgIds.exporter });
    expect((await ledger.unitState(itemKey(2))).seq).to.equal(0n);
    // what it registered while authorized stays registered
    expect((await ledger.unitState(itemKey(1))).seq).to.equal(1n);
  });

  it("ATTACK: an authorization dies with its licence, even when the prefix is licensed to the brand again", async () => {
    const { ledger, admin, accounts, orgIds } = await loadFixture(deployLedger);
    const brand = await writerFor(ledger, accounts.exporter.address);
    const factory = await writerFor(ledger, accounts.factory.address);
    await brand.authorizeManufacturer(EXPORTER_PREFIX, orgIds.factory);
    await factory.register([reg(itemKey(1))]); // remembers the licence
    await (await ledger.connect(admin).revokePrefix(EXPORTER_PREFIX)).wait();
    await licensePrefixes(ledger, admin, { [EXPORTER_PREFIX]: orgIds.exporter });
    const error = await refusedBeforeSending(factory, factory.register([reg(itemKey(2))]));
    expect(error.refused[0]).to.include({ prefix: EXPORTER_PREFIX, holder: orgIds.exporter });
    // the brand itself, under its new licence, registers as before
    await brand.register([reg(itemKey(2))]);
    expect((await ledger.unitState(itemKey(2))).registrant).to.equal(BigInt(orgIds.exporter));
  });

  it("ATTACK: a revoked holder's writer that remembered its licence is refused before sending", async () => {
    const { ledger, admin, accounts } = await loadFixture(deployLedger);
    const brand = await writerFor(ledger, accounts.exporter.address);
    await brand.register([reg(itemKey(1))]);
    await (await ledger.connect(admin).revokePrefix(EXPORTER_PREFIX)).wait();
    const error = await refusedBeforeSending(brand, brand.register([reg(itemKey(2))]));
    expect(error.refused).to.deep.equal([{ index: 0, path: "/01/09521234543213/10/LOT1/21/S2", holder: 0 }]);
  });

  it("checks every row of a batch and names each refused one by index and code; nothing of it is sent", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const writer = await writerFor(ledger, accounts.exporter.address);
    const batch = [itemKey(1), rivalItemKey(1), itemKey(2), unlicensedItem(1), cartonKey(1)].map(reg);
    const error = await refusedBeforeSending(writer, writer.register(batch));
    expect(error.refused.map((r) => [r.index, r.path, r.holder])).to.deep.equal([
      [1, "/01/09521235543212/10/LOT1/21/S1", orgIds.rival],
      [3, "/01/04000001543212/10/LOT1/21/U1", 0],
    ]);
    expect(error.shortMessage).to.equal(
      `Refused before sending: 2 of 5 codes may not be registered by organization ${orgIds.exporter}, so nothing was registered.`,
    );
    expect(error.hints[0]).to.match(new RegExp(`^#1: .*prefix ${RIVAL_PREFIX}, licensed to rival org`));
    expect(error.hints[1]).to.match(/^#3: .*not licensed to any organization/);
    for (const key of [itemKey(1), itemKey(2), cartonKey(1)]) expect((await ledger.unitState(key)).seq).to.equal(0n);
  });
});

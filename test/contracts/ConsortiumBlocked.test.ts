/**
 * Every ledger write entry point, sent by (or, for relayed events, signed by) an account that may not act:
 * suspended, of a suspended organization, retired by a key rotation, or no account at all (the admin
 * included). Each is refused with its exact error, unwrapped even for batches.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TraceLedger } from "../../typechain-types";
import {
  aggregation,
  itemKey,
  recordHash,
  registration,
  signBatch,
  traceInput,
  type LedgerFixture,
  EVENT_TIME,
} from "../helpers/ledger";
import { everyWriteFixture, WRITE_UNITS } from "../helpers/fixtures";
import { proofOf } from "../helpers/custody";
import { afterDelay } from "../helpers/governance";

const { ITEM, LOOSE, PACKED, CARTON, FULL } = WRITE_UNITS;

/** A write as `who`; recordBySig is signed by `who` and relayed by an address without an account. */
type Write = [string, (f: LedgerFixture, who: HardhatEthersSigner) => Promise<unknown>];
const as = (f: LedgerFixture, who: HardhatEthersSigner): TraceLedger => f.ledger.connect(who);
const WRITES: Write[] = [
  ["register", (f, w) => as(f, w).register(registration(itemKey(50)))],
  ["registerBatch", (f, w) => as(f, w).registerBatch([registration(itemKey(51)), registration(itemKey(52))])],
  ["record", (f, w) => as(f, w).record(traceInput(ITEM, "INSPECTING"))],
  ["recordBatch", (f, w) => as(f, w).recordBatch([traceInput(ITEM, "INSPECTING"), traceInput(ITEM, "STORING")])],
  [
    "recordBySig",
    async (f, w) =>
      f.ledger.connect(f.stranger).recordBySig([await signBatch(f.ledger, w, [traceInput(ITEM, "STORING")])]),
  ],
  ["pack", (f, w) => as(f, w).pack(aggregation(CARTON), [LOOSE])],
  ["unpack", (f, w) => as(f, w).unpack(aggregation(FULL), [PACKED])],
  ["handover", (f, w) => as(f, w).handover(ITEM, f.orgIds.warehouse, EVENT_TIME, 0, recordHash("h"))],
  ["assign", (f, w) => as(f, w).assign(ITEM, f.orgIds.broker, true, EVENT_TIME, recordHash("a"))],
  ["acceptHandover", (f, w) => as(f, w).acceptHandover(ITEM, EVENT_TIME, 0, recordHash("h"))],
  [
    "correct",
    async (f, w) => as(f, w).correct(ITEM, 1, EVENT_TIME, recordHash("c"), ...(await proofOf(f.ledger, ITEM, 1))),
  ],
];

type Status = {
  name: string;
  /** Blocks the exporter's key and returns the signer to act with. */
  block: (f: LedgerFixture) => Promise<HardhatEthersSigner>;
  error: string;
  args: (f: LedgerFixture) => unknown[];
};
const STATUSES: Status[] = [
  {
    name: "a suspended account",
    block: async (f) => {
      await f.ledger.suspendAccount(f.accounts.exporter.address);
      return f.accounts.exporter;
    },
    error: "ConsortiumAccountSuspended",
    args: (f) => [f.accounts.exporter.address],
  },
  {
    name: "an account of a suspended organization",
    block: async (f) => {
      await f.ledger.suspendOrganization(f.orgIds.exporter);
      return f.accounts.exporter;
    },
    error: "ConsortiumOrganizationSuspended",
    args: (f) => [f.orgIds.exporter],
  },
  {
    name: "a retired (rotated-out) account",
    block: async (f) => {
      await afterDelay(f.ledger, "rotateAccount", f.accounts.exporter.address, f.spare[0].address);
      return f.accounts.exporter;
    },
    error: "ConsortiumAccountRetired",
    args: (f) => [f.accounts.exporter.address],
  },
  {
    name: "an address without an account",
    block: async (f) => f.stranger,
    error: "ConsortiumUnknownAccount",
    args: (f) => [f.stranger.address],
  },
  {
    name: "the consortium admin (not a ledger account)",
    block: async (f) => f.admin,
    error: "ConsortiumUnknownAccount",
    args: (f) => [f.admin.address],
  },
];

describe("Consortium: writes by accounts that may not act", () => {
  for (const s of STATUSES) {
    describe(s.name, () => {
      for (const [name, write] of WRITES) {
        it(`${name} → ${s.error}`, async () => {
          const f = await loadFixture(everyWriteFixture);
          const who = await s.block(f);
          const before = await f.ledger.unitState(ITEM);
          if (name === "recordBySig") {
            // Relayed batches name the refused batch: the signer's error comes wrapped with index 0 << 16.
            await expect(write(f, who))
              .to.be.revertedWithCustomError(f.ledger, "TraceLedgerBatchItemRejected")
              .withArgs(0, f.ledger.interface.encodeErrorResult(s.error, s.args(f)));
          } else {
            await expect(write(f, who))
              .to.be.revertedWithCustomError(f.ledger, s.error)
              .withArgs(...s.args(f));
          }
          expect((await f.ledger.unitState(ITEM)).head).to.equal(before.head);
        });
      }
    });
  }
});

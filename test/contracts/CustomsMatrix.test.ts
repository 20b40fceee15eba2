/**
 * Access matrix of `fileDocument`: every document kind × every member organization (the two roles of issue
 * 14 included) is either filed (when the default matrix lets the member's role record the kind's step) or
 * refused with `ConsortiumStepNotAllowed`. Scope and the customs rules are taken out of the question: every
 * non-regulator member is assigned to the unit, and the unit carries what the kind needs (a 1210
 * declaration and a payment for FX, an FX settlement too for the refund).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  CUSTOMS_MEMBERS,
  MEMBERS,
  consignmentKey,
  deployCustomsLedger,
  type CustomsLedgerFixture,
  type CustomsMemberName,
} from "../helpers/ledger";
import { unitsFixture } from "../helpers/fixtures";
import { ASSIGNEES, DEFAULT_MATRIX, MATRIX_MEMBERS } from "../helpers/matrix";
import { doc, file, idOf, termsOf } from "../helpers/customs";
import { tracedLogs } from "../helpers/reads";
import {
  DOCUMENT_KIND_NAMES,
  DOCUMENT_KIND_STEPS,
  STEPS,
  roleMask,
  type DocumentKindName,
  type RoleName,
} from "../../src/codes";

const ZERO = ethers.ZeroHash;
const UNIT = consignmentKey(1);
const MEMBERS_ALL: CustomsMemberName[] = [...MATRIX_MEMBERS, "payment", "tax"];
const ROLE: Record<CustomsMemberName, RoleName> = Object.fromEntries(
  Object.entries({ ...MEMBERS, ...CUSTOMS_MEMBERS }).map(([m, roles]) => [m, roles[0]]),
) as Record<CustomsMemberName, RoleName>;
const T = termsOf({ orderNo: "MX" });

const baseFixture = unitsFixture(
  { batch: [UNIT], assigns: [...ASSIGNEES, "payment" as const].map((m) => [UNIT, m, `assign:${m}`]) },
  deployCustomsLedger,
);

/** What the unit needs before a kind may be filed, filed by the usual issuers. */
async function prepare(f: CustomsLedgerFixture, kind: DocumentKindName): Promise<string[]> {
  if (kind !== "DECLARATION" && kind !== "SUMMARY" && kind !== "FX_SETTLEMENT" && kind !== "TAX_REFUND") return [];
  await file(f, "customs", doc(UNIT, "ZONE_ENTRY", "MX-ZONE"));
  const zone = idOf(f, "customs", "ZONE_ENTRY", "MX-ZONE");
  if (kind === "DECLARATION") return [zone];
  await file(f, "broker", doc(UNIT, "DECLARATION", "MX-DECL", { mode: 1210, cites: [zone] }));
  if (kind === "SUMMARY") return [idOf(f, "broker", "DECLARATION", "MX-DECL")];
  await file(f, "payment", doc(UNIT, "PAYMENT", "MX-PAY", { orderRef: T.orderRef, terms: [T.payment, ZERO] }));
  if (kind === "TAX_REFUND") await file(f, "payment", doc(UNIT, "FX_SETTLEMENT", "MX-FX"));
  return [];
}

const fixtures = new Map<DocumentKindName, () => Promise<CustomsLedgerFixture>>();
function kindFixture(kind: DocumentKindName) {
  let fixture = fixtures.get(kind);
  if (!fixture) {
    fixture = async function preparedForKind() {
      const f = await loadFixture(baseFixture);
      await prepare(f, kind);
      return f;
    };
    fixtures.set(kind, fixture);
  }
  return fixture;
}

/** The document of number `n` a member files in the test of `kind`. */
function input(f: CustomsLedgerFixture, kind: DocumentKindName, n: string) {
  if (kind === "ORDER") return doc(UNIT, kind, n, { orderRef: T.orderRef, terms: [T.payment, T.shipment] });
  if (kind === "PAYMENT") return doc(UNIT, kind, n, { orderRef: T.orderRef, terms: [T.payment, ZERO] });
  if (kind === "WAYBILL") return doc(UNIT, kind, n, { terms: [ZERO, T.shipment] });
  if (kind === "DECLARATION")
    return doc(UNIT, kind, n, { mode: 1210, cites: [idOf(f, "customs", "ZONE_ENTRY", "MX-ZONE")] });
  if (kind === "SUMMARY") return doc(UNIT, kind, n, { cites: [idOf(f, "broker", "DECLARATION", "MX-DECL")] });
  return doc(UNIT, kind, n);
}

describe("AccessMatrix: fileDocument", () => {
  for (const kind of DOCUMENT_KIND_NAMES) {
    const step = DOCUMENT_KIND_STEPS[kind];
    describe(`${kind} (step ${STEPS[step]} ${step})`, () => {
      for (const member of MEMBERS_ALL) {
        const role = ROLE[member];
        const allowed = DEFAULT_MATRIX[step].includes(role);
        it(`${member} (${role}) is ${allowed ? "allowed" : "refused"}`, async () => {
          const f = await loadFixture(kindFixture(kind));
          const number = `MX-${kind}-${member}`;
          const d = input(f, kind, number);
          const sent = file(f, member, d);
          if (!allowed) {
            await expect(sent)
              .to.be.revertedWithCustomError(f.ledger, "ConsortiumStepNotAllowed")
              .withArgs(f.accounts[member].address, f.orgIds[member], STEPS[step], roleMask(role));
            return;
          }
          const tx = await sent;
          await expect(tx)
            .to.emit(f.ledger, "CustomsDocumentFiled")
            .withArgs(
              UNIT,
              idOf(f, member, kind, number),
              d.numberHash,
              d.kind,
              f.orgIds[member],
              d.orderRef,
              d.mode,
              d.recordHash,
            );
          const [log] = await tracedLogs(f.ledger, tx);
          expect([log.step, log.org, log.data]).to.deep.equal([STEPS[step], f.orgIds[member], d.recordHash]);
        });
      }
    });
  }
});

/**
 * Unit fixtures on top of {deployLedger}: the exporter registers, packs and assigns units before a test.
 * Each fixture is built once at module level, so that `loadFixture` snapshots it once.
 */
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  aggregation,
  cartonKey,
  deployLedger,
  itemKey,
  recordHash,
  registration,
  type CustomsMemberName,
  type LedgerFixture,
  type MemberName,
  EVENT_TIME,
} from "./ledger";

/** What the exporter sets up, in this order: registrations, packs, assignments. */
export interface UnitsSetup {
  /** Registered in one `registerBatch`. */
  batch?: string[];
  /** Registered one `register` each. */
  each?: string[];
  /** Registered by the rival exporter in one `registerBatch`. */
  rivalBatch?: string[];
  /** `pack(aggregation(parent, label), children)`; the label defaults to the parent. */
  packs?: Array<[parent: string, children: string[], label?: string]>;
  /** `assign(unit, member, true, recordHash(label))`. */
  assigns?: Array<[unit: string, member: MemberName | CustomsMemberName, label: string]>;
}

/**
 * A named fixture function that deploys the ledger (with `base`, `deployLedger` by default) and performs
 * `setup` as the exporter.
 */
export function unitsFixture<F extends LedgerFixture = LedgerFixture>(
  setup: UnitsSetup,
  base: () => Promise<F> = deployLedger as () => Promise<F>,
): () => Promise<F> {
  return async function exporterUnits() {
    const f = await loadFixture(base);
    const ex = f.ledger.connect(f.accounts.exporter);
    if (setup.batch) await ex.registerBatch(setup.batch.map((u) => registration(u)));
    for (const u of setup.each ?? []) await ex.register(registration(u));
    if (setup.rivalBatch) {
      await f.ledger.connect(f.accounts.rival).registerBatch(setup.rivalBatch.map((u) => registration(u)));
    }
    for (const [parent, children, label] of setup.packs ?? []) await ex.pack(aggregation(parent, label), children);
    for (const [unit, member, label] of setup.assigns ?? []) {
      await ex.assign(unit, (f.orgIds as Record<string, number>)[member], true, EVENT_TIME, recordHash(label));
    }
    return f;
  };
}

/** The units of {stageFixture}: the unit every state-machine test drives, and a second one to pack with. */
export const STAGE_UNITS = { U: itemKey(1), BOX: cartonKey(1) } as const;

/** Exporter registers U and BOX, and assigns the carrier and the customs broker to U. */
export const stageFixture = unitsFixture({
  each: [STAGE_UNITS.U, STAGE_UNITS.BOX],
  assigns: [
    [STAGE_UNITS.U, "carrier", "assign carrier"],
    [STAGE_UNITS.U, "broker", "assign broker"],
  ],
});

/** The units of {everyWriteFixture}. */
export const WRITE_UNITS = {
  ITEM: itemKey(1),
  /** To be packed into CARTON. */
  LOOSE: itemKey(2),
  /** Already packed into FULL. */
  PACKED: itemKey(3),
  CARTON: cartonKey(1),
  FULL: cartonKey(2),
} as const;

/** Units registered by the exporter (one packed), so that each ledger write entry point would succeed for it. */
export const everyWriteFixture = unitsFixture({
  each: [WRITE_UNITS.ITEM, WRITE_UNITS.LOOSE, WRITE_UNITS.PACKED, WRITE_UNITS.CARTON, WRITE_UNITS.FULL],
  packs: [[WRITE_UNITS.FULL, [WRITE_UNITS.PACKED]]],
});

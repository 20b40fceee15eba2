/**
 * The Hardhat Ignition module of the ledger, and the schema of its parameters file
 * (`deploy/parameters/<network>.json`).
 *
 * Parameters (Ignition format, under the module id `TraceLedgerModule`):
 * - `admin`: the first consortium admin (default: the deploying account, `m.getAccount(0)`);
 * - `adminTransferDelay`: seconds between proposing a new admin and the new admin accepting (default 172800);
 * - `permissions`: `{ "STEP_NAME": ["ROLE", ...] }`, overrides of the contract's built-in default matrix,
 *   applied with one `setPermissions` call after the deployment when non-empty.
 *
 * Ignition cannot branch on parameter values while it builds a module, so the permission overrides are baked
 * into the module by `buildTraceLedgerModule()`; `deploy/lib/deployLedger.ts` (`npm run deploy`) reads the
 * parameters file, validates it with `parseTraceLedgerParameters()` (`deploy/lib/parameters.ts`) and builds
 * the module. The default export (no overrides) is what `npx hardhat ignition deploy deploy/modules/TraceLedger.ts`
 * would run.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { IgnitionModuleResult } from "@nomicfoundation/ignition-core";
import { ParametersError } from "../lib/errors";

/** The Ignition module id; also the key of the parameters object in a parameters file. */
export const MODULE_ID = "TraceLedgerModule";
/** The Ignition future id of the ledger deployment. */
export const LEDGER_FUTURE_ID = `${MODULE_ID}#TraceLedger`;
/** The Ignition future id of the claims registry (`UnitClaims`, issue 17), deployed when asked for. */
export const CLAIMS_FUTURE_ID = `${MODULE_ID}#UnitClaims`;
/** Two days, in seconds. */
export const DEFAULT_ADMIN_TRANSFER_DELAY = 172_800;

/** Arguments of the one `setPermissions(uint8[] steps, uint16[] roles)` call, sorted by step code. */
export interface PermissionCall {
  steps: number[];
  roles: number[];
}

/** The Ignition module, with the permission overrides (if any) applied by one `setPermissions` call. */
export function buildTraceLedgerModule(
  permissionCall: PermissionCall = { steps: [], roles: [] },
  extras: { claims?: boolean } = {},
) {
  if (permissionCall.steps.length !== permissionCall.roles.length) {
    throw new ParametersError("setPermissions needs as many role masks as steps.");
  }
  return buildModule(MODULE_ID, (m) => {
    const admin = m.getParameter("admin", m.getAccount(0));
    const adminTransferDelay = m.getParameter("adminTransferDelay", DEFAULT_ADMIN_TRANSFER_DELAY);
    const ledger = m.contract("TraceLedger", [admin, adminTransferDelay]);
    if (permissionCall.steps.length > 0) {
      m.call(ledger, "setPermissions", [[...permissionCall.steps], [...permissionCall.roles]]);
    }
    // The claims registry (issue 17) reads this ledger; a later run with it asked for adds just this future.
    const result: IgnitionModuleResult<"TraceLedger" | "UnitClaims"> = { ledger };
    if (extras.claims) result.claims = m.contract("UnitClaims", [ledger]);
    return result;
  });
}

/** The module without permission overrides (for the Ignition CLI; `npm run deploy` builds its own). */
const TraceLedgerModule = buildTraceLedgerModule();
export default TraceLedgerModule;

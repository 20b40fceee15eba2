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
 * into the module by `buildTraceLedgerModule()`; `scripts/lib/deploy.ts` (`npm run deploy`) reads the
 * parameters file, validates it with `parseTraceLedgerParameters()` and builds the module. The default export
 * (no overrides) is what `npx hardhat ignition deploy deploy/modules/TraceLedger.ts` would run.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { getAddress, ZeroAddress } from "ethers";
import { ROLE_NAMES, ROLES, STEP_NAMES, STEPS, type RoleName, type StepName } from "../../src/codes";
import { TraceError } from "../../src/errors/base";

/** The Ignition module id; also the key of the parameters object in a parameters file. */
export const MODULE_ID = "TraceLedgerModule";
/** The Ignition future id of the ledger deployment. */
export const LEDGER_FUTURE_ID = `${MODULE_ID}#TraceLedger`;
/** The Ignition future id of the permission-override call. */
export const PERMISSIONS_FUTURE_ID = `${MODULE_ID}#TraceLedger.setPermissions`;
/** Two days, in seconds. */
export const DEFAULT_ADMIN_TRANSFER_DELAY = 172_800;
/** `uint48` maximum: the constructor's `adminTransferDelay` type. */
const MAX_DELAY = 2 ** 48 - 1;

const PARAMETER_NAMES = ["admin", "adminTransferDelay", "permissions"] as const;

/** Arguments of the one `setPermissions(uint8[] steps, uint16[] roles)` call, sorted by step code. */
export interface PermissionCall {
  steps: number[];
  roles: number[];
}

/** A validated parameters file. */
export interface TraceLedgerParameters {
  /** Checksummed admin address, or undefined for the default (the deploying account). */
  admin?: string;
  adminTransferDelay: number;
  /** The overrides by name, as written (validated). */
  permissions: Partial<Record<StepName, RoleName[]>>;
  /** The overrides as `setPermissions` arguments (empty arrays when there are none). */
  permissionCall: PermissionCall;
  /** The parameters to hand to Ignition (`{ TraceLedgerModule: { admin?, adminTransferDelay } }`). */
  ignitionParameters: { [MODULE_ID]: { admin?: string; adminTransferDelay: number } };
}

/** The parameters file is malformed: unknown names, a negative delay, a bad address. */
export class ParametersError extends TraceError {
  override name = "ParametersError" as const;
}

/** The Ignition module, with the permission overrides (if any) applied by one `setPermissions` call. */
export function buildTraceLedgerModule(permissionCall: PermissionCall = { steps: [], roles: [] }) {
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
    return { ledger };
  });
}

/** The module without permission overrides (for the Ignition CLI; `npm run deploy` builds its own). */
const TraceLedgerModule = buildTraceLedgerModule();
export default TraceLedgerModule;

/** A close name (same letters in another case, or `-`/space for `_`), for "did you mean". */
function closeName<T extends string>(name: string, names: readonly T[]): T | undefined {
  const norm = (s: string) => s.toUpperCase().replace(/[\s-]+/g, "_");
  return names.find((n) => norm(n) === norm(name));
}

function unknownName(kind: string, name: string, names: readonly string[]): string {
  const close = closeName(name, names);
  return close
    ? `unknown ${kind} ${JSON.stringify(name)} (did you mean ${close}?)`
    : `unknown ${kind} ${JSON.stringify(name)}; known ${kind}s: ${names.join(", ")}`;
}

/**
 * Validates a parameters file's content (already parsed JSON). Throws `ParametersError` listing every
 * problem found; nothing is sent anywhere.
 *
 * @param value The parsed JSON: `{ "TraceLedgerModule": { admin?, adminTransferDelay?, permissions? } }`.
 * @param source Where it came from (a file path), for the messages.
 */
export function parseTraceLedgerParameters(value: unknown, source = "parameters"): TraceLedgerParameters {
  const problems: string[] = [];
  const fail = (): never => {
    throw new ParametersError(`${source}: ${problems.join("; ")}.`, {
      hints: [
        `The file looks like { "${MODULE_ID}": { "admin": "0x…", "adminTransferDelay": ${DEFAULT_ADMIN_TRANSFER_DELAY}, ` +
          `"permissions": { "COMMISSIONING": ["EXPORTER", "MANUFACTURER"] } } } (see docs/deploy.md).`,
      ],
    });
  };

  if (!value || typeof value !== "object" || Array.isArray(value)) {
    problems.push("is not a JSON object");
    fail();
  }
  const top = value as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (key !== MODULE_ID) problems.push(`unknown module ${JSON.stringify(key)} (the only module is ${MODULE_ID})`);
  }
  const raw = top[MODULE_ID] ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problems.push(`"${MODULE_ID}" must be an object of parameters`);
    fail();
  }
  const params = raw as Record<string, unknown>;
  for (const key of Object.keys(params)) {
    if (!(PARAMETER_NAMES as readonly string[]).includes(key)) {
      problems.push(unknownName("parameter", key, PARAMETER_NAMES));
    }
  }

  let admin: string | undefined;
  if (params.admin !== undefined) {
    if (typeof params.admin !== "string") {
      problems.push(`"admin" must be an address string, not ${JSON.stringify(params.admin)}`);
    } else {
      try {
        admin = getAddress(params.admin);
      } catch {
        problems.push(
          `"admin" ${JSON.stringify(params.admin)} is not a valid address (0x and 40 hex digits, with a correct checksum if mixed case)`,
        );
      }
      if (admin === ZeroAddress) {
        problems.push(`"admin" may not be the zero address`);
        admin = undefined;
      }
    }
  }

  let adminTransferDelay = DEFAULT_ADMIN_TRANSFER_DELAY;
  if (params.adminTransferDelay !== undefined) {
    const d = params.adminTransferDelay;
    if (typeof d !== "number" || !Number.isFinite(d)) {
      problems.push(`"adminTransferDelay" must be a number of seconds, not ${JSON.stringify(d)}`);
    } else if (d < 0) {
      problems.push(`"adminTransferDelay" must not be negative (got ${d})`);
    } else if (!Number.isInteger(d)) {
      problems.push(`"adminTransferDelay" must be a whole number of seconds (got ${d})`);
    } else if (d > MAX_DELAY) {
      problems.push(`"adminTransferDelay" ${d} does not fit a uint48`);
    } else {
      adminTransferDelay = d;
    }
  }

  const permissions: Partial<Record<StepName, RoleName[]>> = {};
  const entries: Array<[number, number]> = [];
  if (params.permissions !== undefined) {
    const p = params.permissions;
    if (typeof p !== "object" || p === null || Array.isArray(p)) {
      problems.push(`"permissions" must be an object { "STEP_NAME": ["ROLE", ...] }`);
    } else {
      for (const [step, roles] of Object.entries(p as Record<string, unknown>)) {
        if (!(STEP_NAMES as readonly string[]).includes(step)) {
          problems.push(`permissions: ${unknownName("step", step, STEP_NAMES)}`);
          continue;
        }
        if (!Array.isArray(roles)) {
          problems.push(`permissions.${step} must be a list of role names, e.g. ["EXPORTER"]`);
          continue;
        }
        let mask = 0;
        const names: RoleName[] = [];
        for (const role of roles) {
          if (typeof role !== "string" || !(ROLE_NAMES as readonly string[]).includes(role)) {
            problems.push(`permissions.${step}: ${unknownName("role", String(role), ROLE_NAMES)}`);
            continue;
          }
          if (names.includes(role as RoleName)) {
            problems.push(`permissions.${step} lists ${role} twice`);
            continue;
          }
          names.push(role as RoleName);
          mask |= 1 << ROLES[role as RoleName];
        }
        permissions[step as StepName] = names;
        entries.push([STEPS[step as StepName], mask]);
      }
    }
  }

  if (problems.length) fail();
  entries.sort((a, b) => a[0] - b[0]);
  return {
    ...(admin !== undefined ? { admin } : {}),
    adminTransferDelay,
    permissions,
    permissionCall: { steps: entries.map((e) => e[0]), roles: entries.map((e) => e[1]) },
    ignitionParameters: { [MODULE_ID]: { ...(admin !== undefined ? { admin } : {}), adminTransferDelay } },
  };
}

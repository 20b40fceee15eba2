/**
 * The parameters file of a deployment (`deploy/parameters/<network>.json`): read, then validated in full
 * before anything touches the network.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { getAddress, ZeroAddress } from "ethers";
import { ROLE_NAMES, ROLES, STEP_NAMES, STEPS, type RoleName, type StepName } from "../../src/codes";
import { DEFAULT_ADMIN_TRANSFER_DELAY, MODULE_ID, type PermissionCall } from "../modules/TraceLedger";
import { ParametersError, reason } from "./errors";
import { displayPath, type DeployHre } from "./hre";

/** `uint48` maximum: the constructor's `adminTransferDelay` type. */
const MAX_DELAY = 2 ** 48 - 1;

const PARAMETER_NAMES = ["admin", "adminTransferDelay", "permissions"] as const;

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

/** Where the parameters come from: given directly, or a file (default `deploy/parameters/<network>.json`). */
export interface ParametersSource {
  parametersFile?: string;
  parameters?: unknown;
}

export function readParameters(hre: DeployHre, network: string, options: ParametersSource): TraceLedgerParameters {
  if (options.parameters !== undefined) {
    return parseTraceLedgerParameters(options.parameters, "parameters");
  }
  const root = hre.config.paths.root;
  const file = resolve(root, options.parametersFile ?? join("deploy", "parameters", `${network}.json`));
  const shown = displayPath(file);
  if (!existsSync(file)) {
    throw new ParametersError(`No parameters file ${shown} for network "${network}".`, {
      hints: [
        `Create it (deploy/parameters/consortium.example.json is a template), or pass another file (--parameters).`,
      ],
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new ParametersError(`${shown} is not valid JSON.`, { details: reason(cause), cause });
  }
  return parseTraceLedgerParameters(value, shown);
}

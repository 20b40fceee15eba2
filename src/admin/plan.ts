/**
 * Planning: the difference between a consortium file (what should be) and the chain (what is), as an
 * ordered list of changes — one transaction each — with a human description. Organizations are matched by
 * credit code. Nothing is ever removed: accounts on chain but not in the file, and organizations on chain
 * but not in the file, are reported as warnings and left as they are. Applying a plan and planning again
 * gives an empty plan.
 */
import type { Address } from "viem";
import { TraceError } from "../errors/base";
import { STEP_NAMES, roleMask, type RoleName, type StepName } from "../codes";
import {
  sortRoles,
  type ConsortiumFile,
  type InputProblem,
  type OrganizationEntry,
  type PermissionsEntry,
} from "./consortiumFile";
import type { ConsortiumOrganization, ConsortiumState, PermissionMatrix } from "./read";

/** Where a change applies: an organization on chain (`orgId`) or one the plan adds (`orgId` undefined). */
interface OrgTarget {
  /** Credit code from the file (the match key). */
  creditCode: string;
  /** Name from the file. */
  name: string;
  /** The organization's id; undefined for an organization this plan adds (known once it is added). */
  orgId?: number;
}

/**
 * Set on the changes the ledger delays (issue 11 item 7): a key for an organization that already has one,
 * a role added to an organization with keys, the matrix once organizations exist. Applying schedules them;
 * an apply after their `readyAt` makes them.
 */
interface Delayable {
  delayed?: true;
}

export type ConsortiumChange = Delayable &
  (
    | ({ kind: "addOrganization" } & OrgTarget & {
          gln?: string;
          country: string;
          roles: RoleName[];
          description: string;
        })
    | ({ kind: "setRoles" } & OrgTarget & { orgId: number; from: RoleName[]; to: RoleName[]; description: string })
    | ({ kind: "reactivateOrganization" } & OrgTarget & { orgId: number; description: string })
    | ({ kind: "addAccount" } & OrgTarget & { account: Address; description: string })
    | ({ kind: "suspendOrganization" } & OrgTarget & { description: string })
    | ({ kind: "licensePrefix" } & OrgTarget & { prefix: string; description: string })
    | {
        kind: "setPermissions";
        steps: { step: StepName; from: RoleName[]; to: RoleName[] }[];
        description: string;
      }
  );

export type ConsortiumChangeKind = ConsortiumChange["kind"];

/** A plan: what to send, in order, and what will be left alone. */
export interface ConsortiumPlan {
  changes: ConsortiumChange[];
  /** Differences the plan does not change (never removed, identity fixed at onboarding, …). */
  warnings: string[];
  /** The chain state the plan was computed against. */
  basis: { ledger: Address; chainId: number; blockNumber: bigint; admin: Address };
}

/** The file contradicts the chain in a way no change can fix (e.g. an account of another organization). */
export class ConsortiumConflictError extends TraceError {
  override name = "ConsortiumConflictError" as const;
  constructor(
    readonly problems: InputProblem[],
    source = "consortium file",
  ) {
    super(
      problems.length === 1
        ? `${source}: ${problems[0].path}: ${problems[0].message}`
        : `${source} conflicts with the chain in ${problems.length} places:\n${problems
            .map((p) => `  - ${p.path}: ${p.message}`)
            .join("\n")}`,
      {
        hints: [
          "An account belongs to one organization forever; give the member a new key instead.",
          "Nothing was sent: fix the file and run the command again.",
        ],
      },
    );
  }
}

const list = (roles: RoleName[]) => (roles.length ? roles.join(", ") : "(nobody)");
const label = (t: { orgId?: number; name: string }) =>
  t.orgId === undefined ? `new organization "${t.name}"` : `organization ${t.orgId} "${t.name}"`;

/** Every prefix a consortium file lists (read them with `readConsortium({ prefixes })` before planning). */
export function filePrefixes(file: ConsortiumFile): string[] {
  return file.organizations.flatMap((o) => o.prefixes);
}

/**
 * Computes the changes that make the chain match the file. Throws `ConsortiumConflictError`. `current` must
 * have been read with the file's prefixes (`filePrefixes`), or licensed ones would be planned again.
 */
export function planConsortium(
  desired: ConsortiumFile,
  current: ConsortiumState,
  options: { source?: string } = {},
): ConsortiumPlan {
  const changes: ConsortiumChange[] = [];
  const warnings: string[] = [];
  const problems: InputProblem[] = [];

  // Chain organizations by credit code (the lowest id wins when a code was registered twice).
  const byCode = new Map<string, ConsortiumOrganization>();
  for (const org of current.organizations) {
    const code = org.creditCode.toUpperCase();
    const first = byCode.get(code);
    if (first) {
      warnings.push(
        `Credit code ${code} belongs to organizations ${first.orgId} and ${org.orgId} on chain; the file's entry ` +
          `is matched with organization ${first.orgId}.`,
      );
    } else byCode.set(code, org);
  }
  // Chain accounts by address.
  const owners = new Map<string, { org: ConsortiumOrganization; status: string }>();
  for (const org of current.organizations) {
    for (const a of org.accounts) owners.set(a.address.toLowerCase(), { org, status: a.status });
  }

  const matched = new Set<number>();
  desired.organizations.forEach((want, i) => {
    const path = `organizations[${i}]`;
    const have = byCode.get(want.creditCode.toUpperCase());
    if (have) matched.add(have.orgId);
    const target: OrgTarget = { creditCode: want.creditCode, name: want.name, orgId: have?.orgId };
    const roles = sortRoles(want.roles);

    if (!have) {
      // A GLN locates one party (events name places by GLN): a second organization may not take it.
      const glnOwner = want.gln ? current.organizations.find((o) => o.gln === want.gln) : undefined;
      if (glnOwner) {
        problems.push({
          path: `${path}.gln`,
          message:
            `GLN ${want.gln} is already that of organization ${glnOwner.orgId} "${glnOwner.name}" on chain ` +
            `(credit code ${glnOwner.creditCode}); "${want.name}" needs a GLN of its own`,
        });
      }
      changes.push({
        kind: "addOrganization",
        ...target,
        ...(want.gln ? { gln: want.gln } : {}),
        country: want.country,
        roles,
        description:
          `add organization "${want.name}" (credit code ${want.creditCode}` +
          `${want.gln ? `, GLN ${want.gln}` : ""}, ${want.country}) with roles ${list(roles)}`,
      });
    } else {
      identityWarnings(want, have, warnings);
      if (roleMask(...roles) !== have.roleMask) {
        const grants = (roleMask(...roles) & ~have.roleMask) !== 0 && have.accounts.length > 0;
        changes.push({
          ...(grants ? { delayed: true as const } : {}),
          kind: "setRoles",
          ...target,
          orgId: have.orgId,
          from: have.roles,
          to: roles,
          description: `${label(target)}: roles ${list(have.roles)} → ${list(roles)}`,
        });
      }
      if (have.suspended && !want.suspended) {
        changes.push({
          kind: "reactivateOrganization",
          ...target,
          orgId: have.orgId,
          description: `${label(target)}: reactivate`,
        });
      }
    }

    const listed = new Set<string>();
    let keys = have?.accounts.length ?? 0;
    want.accounts.forEach((account, j) => {
      listed.add(account.toLowerCase());
      const owner = owners.get(account.toLowerCase());
      if (owner && owner.org.orgId !== have?.orgId) {
        problems.push({
          path: `${path}.accounts[${j}]`,
          message:
            `${account} is already an account (${owner.status}) of organization ${owner.org.orgId} ` +
            `"${owner.org.name}" on chain, not of "${want.name}"`,
        });
        return;
      }
      if (owner) {
        if (owner.status === "retired") {
          warnings.push(
            `${label(target)}: account ${account} was retired by a key rotation; list the new key instead.`,
          );
        } else if (owner.status === "suspended") {
          warnings.push(
            `${label(target)}: account ${account} is suspended on chain (reactivate it with ` +
              `\`trace consortium reactivate-account ${account}\` if it should write).`,
          );
        }
        return;
      }
      changes.push({
        ...(keys++ > 0 ? { delayed: true as const } : {}),
        kind: "addAccount",
        ...target,
        account,
        description: `${label(target)}: add account ${account}`,
      });
    });
    if (have) {
      for (const a of have.accounts) {
        if (a.status === "retired" || listed.has(a.address.toLowerCase())) continue;
        warnings.push(
          `${label(target)}: account ${a.address} (${a.status}) is on chain but not in the file; it is left as ` +
            `it is (accounts are never removed; suspend it with \`trace consortium suspend-account\`).`,
        );
      }
    }

    // Prefixes (issue 11 item 2): a licence waits the public delay; one held by another organization is a
    // conflict (revoking it is a separate, deliberate command), one held but not listed is left alone.
    const held = new Map(current.prefixes.map((h) => [h.prefix, h.holder]));
    want.prefixes.forEach((prefix, j) => {
      const holder = held.get(prefix);
      if (holder !== undefined && holder === have?.orgId) return;
      if (holder !== undefined) {
        const other = current.organizations.find((o) => o.orgId === holder);
        problems.push({
          path: `${path}.prefixes[${j}]`,
          message:
            `prefix ${prefix} is licensed to organization ${holder}${other ? ` "${other.name}"` : ""} on chain, ` +
            `not to "${want.name}" (revoke it first with \`trace consortium revoke-prefix ${prefix}\` if it moves)`,
        });
        return;
      }
      changes.push({
        delayed: true,
        kind: "licensePrefix",
        ...target,
        prefix,
        description: `${label(target)}: license GS1 company prefix ${prefix}`,
      });
    });
    for (const prefix of have?.prefixes ?? []) {
      if (want.prefixes.includes(prefix)) continue;
      warnings.push(
        `${label(target)}: prefix ${prefix} is licensed on chain but not in the file; it is left as it is ` +
          `(revoke it with \`trace consortium revoke-prefix ${prefix}\`).`,
      );
    }

    if (want.suspended && !have?.suspended) {
      changes.push({ kind: "suspendOrganization", ...target, description: `${label(target)}: suspend` });
    }
  });

  for (const org of current.organizations) {
    if (!matched.has(org.orgId) && byCode.get(org.creditCode.toUpperCase()) === org) {
      warnings.push(
        `Organization ${org.orgId} "${org.name}" (credit code ${org.creditCode}) is on chain but not in the file; ` +
          `it is left as it is.`,
      );
    }
  }

  const permissions = planPermissions(desired.permissions, current);
  // Genesis: before the first organization exists the matrix changes at once (nobody can be surprised),
  // so on an empty consortium it goes first; later it is delayed.
  if (permissions && current.organizations.length === 0) changes.unshift(permissions);
  else if (permissions) changes.push({ ...permissions, delayed: true });

  if (problems.length) throw new ConsortiumConflictError(problems, options.source);
  return {
    changes,
    warnings,
    basis: {
      ledger: current.ledger,
      chainId: current.chainId,
      blockNumber: current.blockNumber,
      admin: current.admin,
    },
  };
}

/** The `setPermissions` change for the steps whose roles differ, or undefined when none does. */
export function planPermissions(
  desired: PermissionsEntry,
  current: PermissionMatrix,
): Extract<ConsortiumChange, { kind: "setPermissions" }> | undefined {
  const steps: { step: StepName; from: RoleName[]; to: RoleName[] }[] = [];
  for (const step of STEP_NAMES) {
    const to = desired[step];
    if (!to) continue;
    if (roleMask(...to) !== current.permissionMasks[step]) {
      steps.push({ step, from: current.permissions[step], to: sortRoles(to) });
    }
  }
  if (steps.length === 0) return undefined;
  return {
    kind: "setPermissions",
    steps,
    description:
      `set the permissions of ${steps.length} step${steps.length > 1 ? "s" : ""}: ` +
      steps.map((s) => `${s.step} ${list(s.from)} → ${list(s.to)}`).join("; "),
  };
}

function identityWarnings(want: OrganizationEntry, have: ConsortiumOrganization, warnings: string[]) {
  const diffs: string[] = [];
  if (want.name !== have.name) diffs.push(`name "${have.name}" (file: "${want.name}")`);
  if ((want.gln ?? "") !== (have.gln ?? "")) diffs.push(`GLN ${have.gln ?? "none"} (file: ${want.gln ?? "none"})`);
  if (want.country !== have.country) diffs.push(`country ${have.country} (file: ${want.country})`);
  if (diffs.length) {
    warnings.push(
      `Organization ${have.orgId} (credit code ${have.creditCode}) was onboarded with ${diffs.join(", ")}; ` +
        `the identity is recorded once and is not changed.`,
    );
  }
}

const MARK: Record<ConsortiumChangeKind, string> = {
  addOrganization: "+",
  addAccount: "+",
  setRoles: "~",
  setPermissions: "~",
  reactivateOrganization: "~",
  suspendOrganization: "-",
  licensePrefix: "+",
};

/** The plan as text: one line per change (a line per step for permissions), then the warnings. */
export function formatPlan(plan: ConsortiumPlan): string {
  const lines: string[] = [];
  const b = plan.basis;
  lines.push(`Consortium of ledger ${b.ledger} on chain ${b.chainId} (block ${b.blockNumber}), admin ${b.admin}:`);
  if (plan.changes.length === 0) lines.push("  no changes: the chain already matches the file.");
  for (const c of plan.changes) {
    const later = c.delayed ? " [delayed]" : "";
    if (c.kind === "setPermissions") {
      lines.push(
        `  ${MARK[c.kind]} set the permissions of ${c.steps.length} step${c.steps.length > 1 ? "s" : ""}${later}:`,
      );
      for (const s of c.steps) lines.push(`      ${s.step}: ${list(s.from)} → ${list(s.to)}`);
    } else lines.push(`  ${MARK[c.kind]} ${c.description}${later}`);
  }
  if (plan.warnings.length) {
    lines.push("Left as it is:");
    for (const w of plan.warnings) lines.push(`  ! ${w}`);
  }
  if (plan.changes.length) {
    lines.push(`${plan.changes.length} change${plan.changes.length > 1 ? "s" : ""}, one transaction each.`);
    const delayed = plan.changes.filter((c) => c.delayed).length;
    if (delayed) {
      lines.push(
        `${delayed} [delayed] change${delayed > 1 ? "s" : ""}: the ledger makes the consortium admin wait a public ` +
          `delay for ${delayed > 1 ? "them" : "it"}; apply schedules ${delayed > 1 ? "them" : "it"} and prints ` +
          `when to apply the file again.`,
      );
    }
  }
  return lines.join("\n");
}

/**
 * `trace consortium …`: the consortium admin's commands. `show` reads; `apply` makes the chain match a
 * consortium file (printing the diff first); the rest are single admin operations. They act with the key
 * of --key-file, else TRACE_DEPLOYER_KEY (the admin key of the deploy scripts), else TRACE_PRIVATE_KEY (the
 * admin's; for accept-admin the new admin's). Every input is checked
 * before anything is sent (exit 2); refusals of the ledger exit 3.
 */
import { latestBlockTime } from "../../write/chainTime";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import type { Address, Hex } from "viem";
import { AdminOnlyError } from "../../errors/contract";
import type { SentTransaction } from "../../write/sender";
import {
  ConsortiumAdmin,
  OrganizationAccounts,
  type GovernedResult,
  ConsortiumConflictError,
  ConsortiumFileError,
  applyConsortium,
  roughly,
  formatConsortium,
  formatPlan,
  parseAccountAddress,
  parseOrganizationInput,
  parsePermissions,
  parseRoleList,
  planConsortium,
  planPermissions,
  filePrefixes,
  checkPrefix,
  readConsortium,
  readConsortiumFile,
  readJsonFile,
  readPermissions,
  type ConsortiumState,
} from "../../admin";
import type { CliContext } from "../context";
import { orgArg } from "../inputs";
import { CliInputError } from "../output";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

/** Runs an input check; its errors become CLI input errors (exit 2). */
function checked<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ConsortiumFileError || error instanceof ConsortiumConflictError) {
      throw new CliInputError(error.shortMessage, { hints: error.hints, cause: error });
    }
    throw error;
  }
}

const address = (text: string, what: string) => checked(() => parseAccountAddress(text, what));

async function readState(
  ctx: CliContext,
  prefixes: { names?: string[]; logs?: boolean } = {},
): Promise<ConsortiumState> {
  const range = ctx.env.maxBlockRange;
  const reader = await ctx.reader();
  return readConsortium({
    client: reader.client,
    ledger: reader.ledger,
    maxBlockRange: range,
    ...(prefixes.names ? { prefixes: prefixes.names } : {}),
    ...(prefixes.logs ? { prefixLogsFrom: reader.ledger.deploymentBlock ?? 0n } : {}),
  });
}

async function adminOf(ctx: CliContext): Promise<ConsortiumAdmin> {
  return ConsortiumAdmin.fromWriter(await ctx.adminWriter());
}

const txJson = (t: SentTransaction) => ({ hash: t.hash, block: t.blockNumber, gasUsed: t.gasUsed });
const txText = (t: SentTransaction) => `tx ${t.hash}, block ${t.blockNumber}`;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

function printTx(ctx: CliContext, what: string, tx: SentTransaction, extra: Record<string, unknown> = {}) {
  ctx.out.result({ ...extra, transaction: txJson(tx) }, `${what} (${txText(tx)})`);
}

/** The chain's time (Unix seconds): delays run on it, and a test or consortium chain's clock may differ from ours. */
async function chainNow(admin: ConsortiumAdmin): Promise<number> {
  return latestBlockTime(admin.sender.provider);
}
const inAbout = (readyAt: number, now: number) => roughly(Math.max(0, readyAt - now));

/**
 * Prints a call the ledger may delay: done now, or scheduled / waiting with when it is ready and the
 * command to run then (`again`).
 */
async function printGoverned(
  admin: ConsortiumAdmin,
  ctx: CliContext,
  done: string,
  result: GovernedResult,
  again: string,
  extra: Record<string, unknown> = {},
) {
  const json = {
    ...extra,
    status: result.status,
    ...(result.opId ? { opId: result.opId } : {}),
    ...("readyAt" in result ? { readyAt: result.readyAt } : {}),
    ...("transaction" in result ? { transaction: txJson(result.transaction) } : {}),
  };
  if (result.status === "executed") return ctx.out.result(json, `${done} (${txText(result.transaction)})`);
  const when = `${iso(result.readyAt)} (in about ${inAbout(result.readyAt, await chainNow(admin))})`;
  const head =
    result.status === "scheduled"
      ? `Scheduled, not yet in effect: ${done.charAt(0).toLowerCase()}${done.slice(1)} — the ledger delays this ` +
        `consortium-admin change publicly (operation ${result.opId}, ${txText(result.transaction)}).`
      : `Waiting: this change was scheduled earlier (operation ${result.opId}); nothing sent.`;
  ctx.out.result(
    json,
    `${head}
It can be applied from ${when}: run \`${again}\` again then. ` +
      `Cancel it before with \`trace consortium cancel-operation ${result.opId}\`.`,
  );
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function addConsortiumCommands(program: Command, run: Run): void {
  const consortium = program
    .command("consortium")
    .description("consortium administration: organizations, accounts, permissions, pause, admin transfer");

  consortium
    .command("show")
    .description(
      "organizations, roles, accounts and their status, licensed prefixes, the permission matrix, admin, pause",
    )
    .action(
      run(async (ctx: CliContext) => {
        const state = await readState(ctx, { logs: true });
        ctx.out.result(state, () => formatConsortium(state));
      }),
    );

  consortium
    .command("apply")
    .description("make the chain match a consortium file: prints the diff, then applies it as the admin")
    .argument("<file>", "consortium.json (format: docs/consortium.md)")
    .option("--dry-run", "only print the diff; send nothing")
    .option("--yes", "apply without asking (needed when there is no terminal to ask on)")
    .action(
      run(async (ctx: CliContext, file: string, flags: { dryRun?: boolean; yes?: boolean }) => {
        const desired = checked(() => readConsortiumFile(file));
        // Before reading the chain, wait for the admin's transactions still in flight (an interrupted
        // apply), so that none of them is planned a second time.
        const writer = flags.dryRun ? undefined : await ctx.adminWriter();
        await writer?.settle();
        const state = await readState(ctx, { names: filePrefixes(desired) });
        const plan = checked(() => planConsortium(desired, state, { source: file }));
        if (!ctx.out.json) process.stdout.write(formatPlan(plan) + "\n");
        const n = plan.changes.length;
        if (n === 0 || flags.dryRun) {
          ctx.out.result(
            { plan, applied: [], dryRun: Boolean(flags.dryRun) },
            n === 0 ? "Nothing to do." : `Dry run: ${n} change(s) shown, nothing sent.`,
          );
          return;
        }
        const admin = ConsortiumAdmin.fromWriter(writer!);
        if (admin.address.toLowerCase() !== plan.basis.admin.toLowerCase()) {
          throw new AdminOnlyError(
            "AccessControlUnauthorizedAccount",
            [admin.address],
            `${admin.address} (the key of ${ctx.keySource()}) is not the consortium admin (the admin is ` +
              `${plan.basis.admin}); nothing was sent.`,
            [
              "Use the admin's key: TRACE_DEPLOYER_KEY, TRACE_PRIVATE_KEY or --key-file (used in that order: --key-file first).",
            ],
          );
        }
        if (!flags.yes) {
          if (!process.stdin.isTTY || ctx.out.json) {
            const why = ctx.out.json ? "--json output cannot ask for it" : "there is no terminal to ask on";
            throw new CliInputError(
              `Not applied: ${n} change(s) need confirmation and ${why}. ` +
                `Rerun with --yes to apply them, or with --dry-run to only print the diff.`,
            );
          }
          if (!(await confirm(`Apply ${n} change(s) as ${admin.address}? [y/N] `))) {
            ctx.out.result({ plan, applied: [], cancelled: true }, "Cancelled: nothing sent.");
            return;
          }
        }
        const result = await applyConsortium(admin, plan, {
          onApplied: (a, i, total) => {
            const tx = a.transaction ? ` (tx ${a.transaction.hash})` : "";
            const at = a.readyAt ? `${iso(a.readyAt)}, operation ${a.opId}` : "";
            const line =
              a.status === "executed"
                ? a.change.description
                : a.status === "scheduled"
                  ? `scheduled (delayed change, in effect once applied again from ${at}): ${a.change.description}`
                  : `waiting (scheduled earlier, ready at ${at}; nothing sent): ${a.change.description}`;
            ctx.out.info(`  [${i + 1}/${total}] ${line}${tx}`);
          },
        });
        const pending = result.pending;
        const done = result.applied.length - pending.length;
        const readyAt = Math.max(0, ...pending.map((a) => a.readyAt ?? 0));
        ctx.out.result(
          { plan, applied: result.applied, pending, gasUsed: result.gasUsed },
          pending.length === 0
            ? `Applied ${done} change(s) (gas ${result.gasUsed}). Applying the file again changes nothing.`
            : `Applied ${done} change(s) (gas ${result.gasUsed}); ${pending.length} delayed change(s) are ` +
                `scheduled and not in effect yet. Run \`trace consortium apply ${file}\` again from ` +
                `${iso(readyAt)} (in about ${inAbout(readyAt, await chainNow(admin))}) to apply them.`,
        );
      }),
    );

  consortium
    .command("revoke-prefix")
    .description("end a GS1 company prefix's licence and its manufacturer authorizations, at once (admin)")
    .argument("<prefix>", "the licensed prefix digits, e.g. 6901234")
    .action(
      run(async (ctx: CliContext, prefix: string) => {
        checked(() => checkPrefix(prefix));
        const tx = await (await adminOf(ctx)).revokePrefix(prefix);
        printTx(
          ctx,
          `Revoked the licence of prefix ${prefix}: nobody registers new codes under it until it is licensed ` +
            `again (codes registered under it stay registered)`,
          tx,
          { prefix },
        );
      }),
    );

  consortium
    .command("add-org")
    .description("add an organization with its identity and roles (add its accounts with add-account)")
    .requiredOption("--name <name>", "legal name")
    .requiredOption("--credit-code <code>", "unified social credit code (18 characters, GB 32100)")
    .option("--gln <gln>", "GS1 GLN of the organization (13 digits)")
    .requiredOption("--country <cc>", "ISO 3166-1 alpha-2 country code, e.g. CN")
    .requiredOption("--roles <list>", "comma-separated roles, e.g. EXPORTER,MANUFACTURER")
    .action(
      run(async (ctx: CliContext, flags: Record<string, string>) => {
        const org = checked(() =>
          parseOrganizationInput(
            {
              name: flags.name,
              creditCode: flags.creditCode,
              gln: flags.gln,
              country: flags.country,
              roles: flags.roles,
            },
            "add-org",
          ),
        );
        const state = await readState(ctx);
        const existing = state.organizations.find((o) => o.creditCode.toUpperCase() === org.creditCode);
        if (existing) {
          throw new CliInputError(
            `Credit code ${org.creditCode} is already organization ${existing.orgId} "${existing.name}"; nothing sent.`,
            { hints: [`Change its roles with \`trace consortium set-roles ${existing.orgId} --roles …\`.`] },
          );
        }
        const glnOwner = org.gln ? state.organizations.find((o) => o.gln === org.gln) : undefined;
        if (glnOwner) {
          throw new CliInputError(
            `GLN ${org.gln} is already that of organization ${glnOwner.orgId} "${glnOwner.name}"; nothing sent.`,
            { hints: ["Each organization needs a GLN of its own (or none): check the GLN with the member."] },
          );
        }
        const { orgId, transaction } = await (await adminOf(ctx)).addOrganization(org);
        printTx(
          ctx,
          `Added organization ${orgId} "${org.name}" with roles ${org.roles.join(", ")}; ` +
            `add its accounts with \`trace consortium add-account ${orgId} <address>\``,
          transaction,
          { orgId, ...org },
        );
      }),
    );

  consortium
    .command("set-roles")
    .description("replace an organization's roles (adding a role to an organization with keys is delayed)")
    .argument("<orgId>", "organization id")
    .requiredOption("--roles <list>", "comma-separated roles, e.g. EXPORTER,MANUFACTURER")
    .action(
      run(async (ctx: CliContext, id: string, flags: { roles: string }) => {
        const orgId = orgArg(id);
        const roles = checked(() => parseRoleList(flags.roles, "--roles"));
        const admin = await adminOf(ctx);
        const result = await admin.setOrganizationRoles(orgId, roles);
        await printGoverned(
          admin,
          ctx,
          `Organization ${orgId} now has roles ${roles.join(", ")}`,
          result,
          `trace consortium set-roles ${orgId} --roles ${flags.roles}`,
          { orgId, roles },
        );
      }),
    );

  for (const [name, what, done] of [
    ["suspend-org", "suspend an organization: none of its accounts may write", "suspended"],
    ["reactivate-org", "reactivate a suspended organization", "reactivated"],
  ] as const) {
    consortium
      .command(name)
      .description(what)
      .argument("<orgId>", "organization id")
      .action(
        run(async (ctx: CliContext, id: string) => {
          const orgId = orgArg(id);
          const admin = await adminOf(ctx);
          const tx =
            name === "suspend-org" ? await admin.suspendOrganization(orgId) : await admin.reactivateOrganization(orgId);
          printTx(ctx, `Organization ${orgId} ${done}`, tx, { orgId, status: done });
        }),
      );
  }

  consortium
    .command("add-account")
    .description("add an organization's first (admin) account; a later one is delayed (the org adds its own)")
    .argument("<orgId>", "organization id")
    .argument("<address>", "the account address (the member's own key; never send the admin a private key)")
    .action(
      run(async (ctx: CliContext, id: string, text: string) => {
        const orgId = orgArg(id);
        const account = address(text, "add-account <address>");
        const admin = await adminOf(ctx);
        await refuseUsed(admin, account);
        const result = await admin.addAccount(orgId, account);
        await printGoverned(
          admin,
          ctx,
          `Added admin account ${account} to organization ${orgId}`,
          result,
          `trace consortium add-account ${orgId} ${account}`,
          { orgId, account },
        );
      }),
    );

  consortium
    .command("rotate-account")
    .description("replace a key after the governance delay: retires <old>, adds <new> to the same organization")
    .argument("<old>", "the account to retire")
    .argument("<new>", "the replacement account")
    .action(
      run(async (ctx: CliContext, oldText: string, newText: string) => {
        const from = address(oldText, "rotate-account <old>");
        const to = address(newText, "rotate-account <new>");
        if (from.toLowerCase() === to.toLowerCase()) {
          throw new CliInputError(`The old and the new account are both ${from}; give the member's new address.`);
        }
        const admin = await adminOf(ctx);
        await refuseUsed(admin, to);
        const result = await admin.rotateAccount(from, to);
        await printGoverned(
          admin,
          ctx,
          `Retired ${from}; ${to} replaces it`,
          result,
          `trace consortium rotate-account ${from} ${to}`,
          {
            retired: from,
            account: to,
          },
        );
      }),
    );

  for (const [name, what, done] of [
    ["suspend-account", "suspend an account (it can be reactivated)", "suspended"],
    ["reactivate-account", "reactivate a suspended account", "reactivated"],
  ] as const) {
    consortium
      .command(name)
      .description(what)
      .argument("<address>", "the account")
      .action(
        run(async (ctx: CliContext, text: string) => {
          const account = address(text, `${name} <address>`);
          const admin = await adminOf(ctx);
          const tx =
            name === "suspend-account" ? await admin.suspendAccount(account) : await admin.reactivateAccount(account);
          printTx(ctx, `Account ${account} ${done}`, tx, { account, status: done });
        }),
      );
  }

  consortium
    .command("set-permissions")
    .description("set which roles may record which steps from a JSON file { STEP: [ROLE, …] }")
    .argument("<file>", "JSON file; steps not listed keep their roles, [] forbids a step")
    .action(
      run(async (ctx: CliContext, file: string) => {
        const desired = checked(() => parsePermissions(readJsonFile(file), file));
        const reader = await ctx.reader();
        const current = await readPermissions({ client: reader.client, ledger: reader.ledger });
        const change = planPermissions(desired, current);
        if (!change) {
          ctx.out.result({ changed: [] }, "No changes: the chain already has these permissions.");
          return;
        }
        if (!ctx.out.json) {
          for (const s of change.steps) {
            process.stdout.write(
              `  ~ ${s.step}: ${s.from.join(", ") || "(nobody)"} → ${s.to.join(", ") || "(nobody)"}\n`,
            );
          }
        }
        const admin = await adminOf(ctx);
        const result = await admin.setPermissions(Object.fromEntries(change.steps.map((s) => [s.step, s.to])));
        await printGoverned(
          admin,
          ctx,
          `Set the permissions of ${change.steps.length} step(s)`,
          result,
          `trace consortium set-permissions ${file}`,
          { changed: change.steps },
        );
      }),
    );

  consortium
    .command("cancel-operation")
    .description("cancel a scheduled (delayed) consortium-admin change before it is applied")
    .argument("<opId>", "the operation id printed when it was scheduled (0x + 64 hex digits)")
    .action(
      run(async (ctx: CliContext, text: string) => {
        if (!/^0x[0-9a-fA-F]{64}$/.test(text)) {
          throw new CliInputError(`cancel-operation <opId>: "${text}" is not 0x followed by 64 hex digits.`);
        }
        const opId = text.toLowerCase() as Hex;
        const admin = await adminOf(ctx);
        if ((await admin.operationReadyAt(opId)) === 0) {
          throw new CliInputError(`Operation ${opId} is not scheduled (never, or already applied or cancelled).`);
        }
        printTx(ctx, `Operation ${opId} cancelled`, await admin.cancelOperation(opId), { cancelled: opId });
      }),
    );

  consortium
    .command("add-own-account")
    .description("as your organization's admin account: add a key to your organization, at once")
    .argument("<address>", "the new account (the member's own key)")
    .option("--admin", "the new key may manage the organization's accounts too")
    .action(
      run(async (ctx: CliContext, text: string, flags: { admin?: boolean }) => {
        const account = address(text, "add-own-account <address>");
        const org = OrganizationAccounts.fromWriter(await ctx.writer());
        const tx = await org.addAccount(account, { admin: Boolean(flags.admin) });
        printTx(ctx, `Added ${flags.admin ? "admin " : ""}account ${account} to your organization`, tx, {
          account,
          orgAdmin: Boolean(flags.admin),
        });
      }),
    );

  consortium
    .command("rotate-own-account")
    .description("as your organization's admin account: retire <old> and add <new>, at once")
    .argument("<old>", "an account of your organization (your own key included)")
    .argument("<new>", "the replacement account")
    .action(
      run(async (ctx: CliContext, oldText: string, newText: string) => {
        const from = address(oldText, "rotate-own-account <old>");
        const to = address(newText, "rotate-own-account <new>");
        const org = OrganizationAccounts.fromWriter(await ctx.writer());
        printTx(ctx, `Retired ${from}; ${to} replaces it`, await org.rotateAccount(from, to), {
          retired: from,
          account: to,
        });
      }),
    );

  consortium
    .command("pause")
    .description("stop every ledger write (admin functions still work)")
    .action(
      run(async (ctx: CliContext) => {
        printTx(
          ctx,
          "Ledger paused: writes are refused until `trace consortium unpause`",
          await (await adminOf(ctx)).pause(),
          {
            paused: true,
          },
        );
      }),
    );

  consortium
    .command("unpause")
    .description("resume ledger writes")
    .action(
      run(async (ctx: CliContext) => {
        printTx(ctx, "Ledger unpaused", await (await adminOf(ctx)).unpause(), { paused: false });
      }),
    );

  consortium
    .command("transfer-admin")
    .description("begin the two-step, delayed admin transfer to <address> (it accepts after the delay)")
    .argument("<address>", "the new admin (e.g. a multisig)")
    .action(
      run(async (ctx: CliContext, text: string) => {
        const to = address(text, "transfer-admin <address>");
        const admin = await adminOf(ctx);
        if (to.toLowerCase() === admin.address.toLowerCase()) {
          throw new CliInputError(`${to} is already the admin's address (the key you use).`);
        }
        const { transaction, pending } = await admin.beginAdminTransfer(to);
        const wait = Math.max(0, pending.acceptableAfter - (await chainNow(admin)));
        printTx(
          ctx,
          `Admin transfer to ${pending.address} begun: it can accept after ${iso(pending.acceptableAfter)} ` +
            `(in about ${roughly(wait)}) with \`trace consortium accept-admin\` and its own key; ` +
            `cancel before then with \`trace consortium cancel-admin-transfer\``,
          transaction,
          { pendingAdmin: pending.address, acceptableAfter: pending.acceptableAfter },
        );
      }),
    );

  consortium
    .command("accept-admin")
    .description("accept a pending admin transfer (run with the new admin's key, after the delay)")
    .action(
      run(async (ctx: CliContext) => {
        const admin = await adminOf(ctx);
        const tx = await admin.acceptAdminTransfer();
        printTx(ctx, `${admin.address} is now the consortium admin`, tx, { admin: admin.address });
      }),
    );

  consortium
    .command("cancel-admin-transfer")
    .description("cancel a pending admin transfer (current admin)")
    .action(
      run(async (ctx: CliContext) => {
        const admin = await adminOf(ctx);
        const pending = await admin.pendingAdmin();
        if (!pending) throw new CliInputError("No admin transfer is pending: nothing to cancel.");
        const tx = await admin.cancelAdminTransfer();
        printTx(ctx, `Admin transfer to ${pending.address} cancelled`, tx, { cancelled: pending.address });
      }),
    );
}

/** Refuses (exit 2, nothing sent) an address that already is or was an account. */
async function refuseUsed(admin: ConsortiumAdmin, account: Address): Promise<void> {
  const info = await admin.accountInfo(account);
  if (info.orgId !== 0) {
    throw new CliInputError(
      `${account} is already an account (${info.status}) of organization ${info.orgId}; nothing sent.`,
      { hints: ["An address joins one organization, once: ask the member for a new address."] },
    );
  }
}

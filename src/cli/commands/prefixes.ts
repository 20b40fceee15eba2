/**
 * The GS1 Company Prefix commands of members (issue 11 item 2): `prefix` shows who holds a code's prefix and
 * whether the caller's organization may register under it; `authorize-manufacturer` lets a holder's
 * organization admin authorize (or stop authorizing) a contract manufacturer to register its codes.
 * Licensing and revoking prefixes are the consortium admin's (`trace consortium apply`, `revoke-prefix`).
 */
import type { Command } from "commander";
import { checkPrefix, ConsortiumFileError } from "../../admin";
import { readPrefixLicences, standingLicence } from "../../read/licences";
import { readOrganizations } from "../../read/organizations";
import { prefixCandidates } from "../../gs1/prefix";
import type { CliContext } from "../context";
import { orgArg, unitRef } from "../inputs";
import { CliInputError } from "../output";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

/** The prefix digits as given, checked (exit 2 when malformed). */
function prefixArg(text: string): string {
  try {
    checkPrefix(text);
  } catch (error) {
    if (error instanceof ConsortiumFileError) throw new CliInputError(error.shortMessage, { hints: error.hints });
    throw error;
  }
  return text;
}

/** Digits alone are a prefix; anything else is a GS1 code whose candidate prefixes are looked up. */
const looksLikePrefix = (text: string) => /^[0-9]{1,12}$/.test(text);

export function addPrefixCommands(program: Command, run: Run): void {
  program
    .command("prefix")
    .description(
      "who holds a GS1 company prefix (or a code's prefix), and whether your organization may register under it",
    )
    .argument("<code-or-prefix>", "a GS1 code (Digital Link URI or element string) or the prefix digits")
    .action(
      run(async (ctx: CliContext, input: string) => {
        const prefixes = looksLikePrefix(input) ? [prefixArg(input)] : prefixCandidates(unitRef(input).path);
        const reader = await ctx.reader();
        // The verifier's reader: one log query for every candidate, checked against the registry's views.
        const timeline = await readPrefixLicences(reader.client, { ledger: reader.ledger, prefixes });
        for (const anomaly of timeline.anomalies)
          ctx.out.info(`warning: the registry's logs and views disagree: ${anomaly}`);
        const found = standingLicence(timeline);
        // With a key, say what the caller's organization may do; without one, the public facts only.
        const keyed = Boolean(ctx.options.keyFile || ctx.env.privateKey);
        const writer = keyed ? await ctx.writer() : undefined;
        const orgId = writer ? await writer.organization() : undefined;
        if (!found) {
          ctx.out.result(
            { input, licensed: false, ...(orgId !== undefined ? { orgId, mayRegister: false } : {}) },
            `${input}: no GS1 company prefix of it is licensed on this ledger, so nobody can register its codes. ` +
              `The consortium admin licenses prefixes ("prefixes" in consortium.json, then \`trace consortium apply\`).`,
          );
          return;
        }
        const mayRegister =
          orgId === undefined ? undefined : orgId === found.holder || found.manufacturers.includes(orgId);
        const orgs = await readOrganizations(reader.client, {
          ledger: reader.ledger,
          orgIds: [found.holder, ...found.manufacturers],
        });
        const name = (id: number) => orgs.get(id)?.identity?.name;
        const named = (id: number) => (name(id) ? `${name(id)} (organization ${id})` : `organization ${id}`);
        const lines = [
          `prefix ${found.prefix}: licensed to ${named(found.holder)}, licence ${found.licence}`,
          `  authorized manufacturers: ${found.manufacturers.length ? found.manufacturers.map(named).join(", ") : "none"}`,
        ];
        if (orgId !== undefined) {
          lines.push(
            mayRegister
              ? `  your organization (${orgId}) may register codes under it`
              : `  your organization (${orgId}) may NOT register codes under it: the holder's organization admin ` +
                  `runs \`trace authorize-manufacturer ${found.prefix} ${orgId}\``,
          );
        }
        ctx.out.result(
          {
            input,
            licensed: true,
            prefix: found.prefix,
            holder: found.holder,
            holderName: name(found.holder) ?? null,
            licence: found.licence,
            manufacturers: found.manufacturers,
            ...(orgId !== undefined ? { orgId, mayRegister } : {}),
          },
          lines.join("\n"),
        );
      }),
    );

  program
    .command("authorize-manufacturer")
    .description("let a contract manufacturer register codes under a prefix your organization holds (its admin key)")
    .argument("<prefix>", "the prefix digits your organization holds, e.g. 6901234")
    .argument("<organization>", "the manufacturer's organization id")
    .option("--withdraw", "stop authorizing it (codes it registered stay registered)")
    .action(
      run(async (ctx: CliContext, prefixText: string, orgText: string, flags: { withdraw?: boolean }) => {
        const prefix = prefixArg(prefixText);
        const manufacturer = orgArg(orgText);
        const writer = await ctx.writer();
        const authorized = !flags.withdraw;
        const result = await writer.authorizeManufacturer(prefix, manufacturer, authorized);
        const tx = result.transactions[0];
        ctx.out.result(
          {
            prefix,
            manufacturer,
            authorized,
            transaction: { hash: tx.hash, block: tx.blockNumber, gasUsed: tx.gasUsed },
          },
          authorized
            ? `Organization ${manufacturer} may now register codes under prefix ${prefix} (tx ${tx.hash}, block ${tx.blockNumber}).`
            : `Organization ${manufacturer} may no longer register codes under prefix ${prefix}; what it registered ` +
                `stays (tx ${tx.hash}, block ${tx.blockNumber}).`,
        );
      }),
    );
}

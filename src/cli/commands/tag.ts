/**
 * `trace tag` (issue 17), the brand's NFC tags on the command line:
 *  - `bind <code> --sun-uid <14 hex>` or `--chip <address>`: binds an NTAG 424 DNA tag (by UID) or a signing
 *    chip (by address) to a unit, once per unit and once per tag, as an account of the unit's registrant;
 *  - `status <code>`: the unit's tag as the chain has it (`tagOf`): kind, id, last counter, last tap time;
 *  - `tap <url>`: the brand's operator checks a tapped URL (`…?e=<PICCData>&c=<MAC>`) with the tag-keys file
 *    (`--keys`, else TRACE_TAG_KEYS) against the tag and counter on chain, and says genuine, replayed or not
 *    genuine — without recording anything (the platform's tap service records). Exit 0 genuine, 10 replayed,
 *    11 not genuine (the verdict codes of `trace verify`); errors keep their codes.
 */
import type { Command } from "commander";
import { getAddress, isAddress, type Address, type Hex } from "viem";
import { UnitClaims__factory } from "../../../typechain-types";
import { readUnitAuthenticity, TAG_KINDS, AuthenticityInputError } from "../../authenticity";
import { assessSunMessage, sunUidOf } from "../../authenticity/tapService";
import { loadTagKeys, TagKeysError, type TagKeyStore } from "../../authenticity/tagKeys";
import { claimsRefusalOf } from "../../authenticity/claimsRefusal";
import { ContractRefusalError } from "../../errors/contract";
import { parseGs1 } from "../../gs1";
import type { CliContext } from "../context";
import { unitRef } from "../inputs";
import { CliInputError } from "../output";
import { EXIT } from "../exitCodes";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

const KIND_NAMES: Record<number, string> = {
  [TAG_KINDS.NONE]: "none",
  [TAG_KINDS.SUN]: "SUN",
  [TAG_KINDS.CHIP]: "chip",
};

/** What the registry's refusals of a binding mean, and what to do. */
const BIND_REFUSALS: Record<string, (args: readonly unknown[]) => [string, string[]]> = {
  UnitClaimsNotBrand: (a) => [
    `Only the unit's brand binds its tags: this key's account is not of organization ${String(a[2])}, the unit's registrant.`,
    ["Use a key of the organization that registered the unit."],
  ],
  UnitClaimsTagAlreadyBound: () => [
    "The unit has a tag bound already: a unit's tag is bound once, so a swapped tag shows.",
    ["`trace tag status <code>` shows which."],
  ],
  UnitClaimsTagInUse: (a) => [
    `This tag is bound to another unit already (${String(a[1])}): one tag, one product.`,
    ["Check the UID or address printed on the tag's reel."],
  ],
  UnitClaimsUnknownUnit: () => ["The unit is not registered on the ledger.", ["Register it first (`trace register`)."]],
  UnitClaimsUnitDestroyed: () => ["The unit was destroyed: no tag can be bound to it.", []],
  UnitClaimsPaused: () => ["The ledger is paused: nothing is written now.", ["Try again once it is unpaused."]],
};

/** The claims registry this command talks to: the manifest's. */
function claimsOf(ctx: CliContext): Address {
  const claims = ctx.manifest()?.claims?.address;
  if (!claims) {
    throw new CliInputError("The deployment manifest names no claims registry (UnitClaims).", {
      hints: ["Deploy it beside the ledger: `npm run deploy -- --claims` (npm start does), then use that manifest."],
    });
  }
  return claims as Address;
}

/** The tag-keys file of `--keys` or TRACE_TAG_KEYS, its errors as input errors. */
function keysOf(ctx: CliContext, path: string | undefined): TagKeyStore {
  const file = path ?? ctx.env.tagKeys;
  if (!file) {
    throw new CliInputError("No tag-keys file: give --keys <file> or set TRACE_TAG_KEYS.", {
      hints: ["The brand's tag-keys file holds each tag's SDM keys (docs/authenticity.md)."],
    });
  }
  try {
    return loadTagKeys(file);
  } catch (error) {
    if (!(error instanceof TagKeysError)) throw error;
    throw new CliInputError(error.shortMessage, { hints: error.hints, cause: error });
  }
}

/** A tapped URL's unit and SUN message. */
function tapUrlArg(url: string): { code: string; unit: Hex; e: string; c: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliInputError(`"${url}" is not a URL: give the whole link the tag opened (…?e=…&c=…).`);
  }
  const e = parsed.searchParams.get("e");
  const c = parsed.searchParams.get("c");
  if (!e || !c) {
    throw new CliInputError("The URL has no SUN message: a tapped NTAG 424 DNA link ends in ?e=<32 hex>&c=<16 hex>.", {
      hints: ["Copy the link the phone opened when it read the tag, with its query."],
    });
  }
  parsed.searchParams.delete("e");
  parsed.searchParams.delete("c");
  const code = parsed.toString().replace(/\?$/, "");
  return { code, unit: parseGs1(code).key as Hex, e, c };
}

export function addTagCommands(program: Command, run: Run): void {
  const tag = program.command("tag").description("the brand's NFC tags: bind, status, check a tapped URL");

  tag
    .command("bind <code>")
    .description("bind an NTAG 424 DNA tag (--sun-uid) or a signing chip (--chip) to a unit, as its brand")
    .option("--sun-uid <uid>", "the tag's 7-byte UID, 14 hex digits")
    .option("--chip <address>", "the chip's secp256k1 address")
    .action(
      run(async (ctx: CliContext, code: string, flags: { sunUid?: string; chip?: string }) => {
        const unit = unitRef(code);
        if (Boolean(flags.sunUid) === Boolean(flags.chip)) {
          throw new CliInputError("Give one of --sun-uid <14 hex digits> or --chip <address>.");
        }
        const uid = flags.sunUid?.trim().toLowerCase().replace(/^0x/, "");
        if (uid !== undefined && !/^[0-9a-f]{14}$/.test(uid)) {
          throw new CliInputError(`--sun-uid "${flags.sunUid}" must be the tag's UID: 14 hex digits (7 bytes).`);
        }
        if (flags.chip !== undefined && !isAddress(flags.chip)) {
          throw new CliInputError(`--chip "${flags.chip}" is not an address (0x and 40 hex digits).`);
        }
        const claims = claimsOf(ctx);
        const writer = await ctx.writer();
        const registry = UnitClaims__factory.connect(claims, writer.sender.signer);
        const tx =
          uid !== undefined
            ? await registry.bindSunTag.populateTransaction(unit.key, `0x${uid}`)
            : await registry.bindChip.populateTransaction(unit.key, getAddress(flags.chip!));
        let sent;
        try {
          sent = await writer.sender.send(tx);
        } catch (error) {
          const refusal = claimsRefusalOf(error);
          if (!refusal) throw error;
          const [message, hints] = BIND_REFUSALS[refusal.name]?.(refusal.args) ?? [
            `The claims registry refused: ${refusal.name}.`,
            [],
          ];
          throw new ContractRefusalError(refusal.name, refusal.args as never, message, hints);
        }
        const what = uid !== undefined ? `SUN tag ${uid}` : `chip ${getAddress(flags.chip!)}`;
        ctx.out.result(
          { unit: unit.key, kind: uid !== undefined ? "SUN" : "chip", id: uid ?? flags.chip, txHash: sent.hash },
          `Bound ${what} to ${unit.uri} (transaction ${sent.hash}, block ${sent.blockNumber}).`,
        );
      }),
    );

  tag
    .command("status <code>")
    .description("the unit's tag as the chain has it: kind, id, last counter and tap time")
    .action(
      run(async (ctx: CliContext, code: string) => {
        const unit = unitRef(code);
        const reader = await ctx.reader();
        const { tag: t } = await readUnitAuthenticity(reader.client, claimsOf(ctx), unit.key);
        const kind = KIND_NAMES[t.kind] ?? String(t.kind);
        const id = t.kind === TAG_KINDS.SUN ? sunUidOf(t.id) : t.kind === TAG_KINDS.CHIP ? getAddress(t.id) : null;
        const lastTapAt = t.lastTapAt > 0 ? new Date(t.lastTapAt * 1000).toISOString() : null;
        ctx.out.result({ unit: unit.key, kind, id, lastCounter: t.lastCounter, lastTapAt }, () =>
          t.kind === TAG_KINDS.NONE
            ? `${unit.uri}: no tag bound.`
            : `${unit.uri}: ${kind} tag ${id}; last recorded tap #${t.lastCounter}${lastTapAt ? ` at ${lastTapAt}` : " (none yet)"}.`,
        );
      }),
    );

  tag
    .command("tap <url>")
    .description("check a tapped URL with the tag-keys file against the chain, without recording it")
    .option("--keys <file>", "the brand's tag-keys file (env TRACE_TAG_KEYS)")
    .action(
      run(async (ctx: CliContext, url: string, flags: { keys?: string }) => {
        const tap = tapUrlArg(url);
        const keys = keysOf(ctx, flags.keys);
        const reader = await ctx.reader();
        const { tag: t } = await readUnitAuthenticity(reader.client, claimsOf(ctx), tap.unit);
        let assessed;
        try {
          assessed = assessSunMessage(keys, t, tap);
        } catch (error) {
          if (!(error instanceof AuthenticityInputError)) throw error;
          throw new CliInputError(`The URL's SUN message is malformed: ${error.shortMessage}`, { hints: error.hints });
        }
        switch (assessed.outcome) {
          case "no-tag":
            throw new CliInputError(`${tap.code} has no SUN tag bound on the ledger: there is no tap to check.`, {
              hints: ["`trace tag status <code>` shows its tag; `trace tag bind` binds one."],
            });
          case "no-keys":
            throw new CliInputError(`The tag-keys file ${keys.path} has no keys for the unit's tag ${assessed.uid}.`, {
              hints: ["Add the tag's SDM keys to the file, or use the file the tag was personalized with."],
            });
          case "genuine":
            ctx.out.result(
              { unit: tap.unit, ...assessed },
              `genuine: tag ${assessed.uid}, read #${assessed.counter}, above the last recorded #${assessed.lastCounter} (not recorded).`,
            );
            return;
          case "replayed":
            ctx.out.result(
              { unit: tap.unit, ...assessed },
              `replayed: tag ${assessed.uid}'s read #${assessed.counter} is not above the last recorded #${assessed.lastCounter} — a copied or recorded tap URL.`,
            );
            process.exitCode = EXIT.VERDICT_WARNING;
            return;
          case "not-genuine":
            ctx.out.result(
              { unit: tap.unit, ...assessed },
              `not genuine: ${assessed.reason} This URL was not written by the unit's tag.`,
            );
            process.exitCode = EXIT.VERDICT_FAIL;
            return;
        }
      }),
    );
}

/**
 * `trace claim` (issue 17): first-scan claims on the command line.
 *  - `claim <code> --claim-code <code in the packaging>`: checks the code off chain (a wrong one sends
 *    nothing), then claims through the platform's relay (`--platform`, default TRACE_PLATFORM_URL) or, with
 *    `--direct`, with the CLI's own key; either way it reads the chain afterwards and prints what it records;
 *  - `claim status <code>`: the unit's commitment, claim time and stage at claim, from the chain;
 *  - `claim commit <code...> --out <file>`: for the brand — a new claim code per unit, written to a new file
 *    (never overwritten) before any transaction is sent, then committed in batches.
 * The claims registry is the manifest's `claims` (or `--claims <address>`).
 */
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { encodeFunctionData, isAddress, type Address, type Hex } from "viem";
import { unitClaimsAbi } from "../../generated/abi";
import { assessClaimCode, claimSecret, generateClaimCode } from "../../authenticity/claimCode";
import { claimCommitment } from "../../authenticity/domain";
import { readUnitAuthenticity, type UnitAuthenticity } from "../../authenticity/read";
import type { ClaimsDeployment } from "../../authenticity/domain";
import { STAGES, stageName } from "../../codes";
import { ContractRefusalError } from "../../errors/contract";
import { NetworkError } from "../../errors/base";
import { claimsRefusalOf } from "../../authenticity/claimsRefusal";
import type { CliContext } from "../context";
import { unitRef, type UnitArg } from "../inputs";
import { CliInputError } from "../output";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

/** A claim the chain's rules refuse, found off chain (nothing sent) or reverted: exit code REFUSED. */
export class ClaimRefusedError extends ContractRefusalError {
  override name = "ClaimRefusedError" as const;
}

/** Units per `commitClaims` transaction (the contract takes up to 500; 250 stay well under a block). */
export const DEFAULT_COMMIT_BATCH = 250;

/** The claims registry of the settings, with the chain it is on (checked against the endpoint). */
async function claimsOf(ctx: CliContext, flag: string | undefined): Promise<ClaimsDeployment> {
  const address = flag ?? ctx.manifest()?.claims?.address;
  if (address === undefined) {
    throw new CliInputError("No claims registry: the deployment manifest names none.", {
      hints: ["Deploy one beside the ledger (npm run deploy -- --claims), or pass --claims <address>."],
    });
  }
  if (!isAddress(address)) throw new CliInputError(`--claims "${address}" is not an address.`);
  const reader = await ctx.reader();
  return { chainId: reader.ledger.chainId!, claims: address as Address };
}

const day = (t: number) => new Date(t * 1000).toISOString();

/** What the chain says about a unit's claim, as printed and as --json. */
function claimStatus(unit: UnitArg, state: UnitAuthenticity) {
  const { commitment, claimedAt, claimBlock, stage } = state.claim;
  const committed = !/^0x0{64}$/i.test(commitment);
  return {
    uri: unit.uri,
    unit: unit.key,
    committed,
    commitment: committed ? commitment : null,
    claimed: claimedAt > 0,
    claimedAt: claimedAt > 0 ? day(claimedAt) : null,
    claimBlock: claimedAt > 0 ? claimBlock : null,
    stage: claimedAt > 0 ? (stageName(stage) ?? String(stage)) : null,
    beforeDelivery: claimedAt > 0 && stage < STAGES.DELIVERED,
  };
}

function statusLines(s: ReturnType<typeof claimStatus>): string {
  return [
    s.uri,
    `  commitment  ${s.committed ? s.commitment : "none (the brand committed no claim code)"}`,
    `  claimed     ${s.claimed ? `${s.claimedAt} (block ${s.claimBlock})` : "not claimed"}`,
    ...(s.claimed
      ? [
          `  stage       ${s.stage}${s.beforeDelivery ? "  BEFORE DELIVERY: the code was revealed before the buyer had it" : ""}`,
        ]
      : []),
  ].join("\n");
}

const refusalOf = (outcome: "no-commitment" | "wrong-code" | "already-claimed", state: UnitAuthenticity) => {
  if (outcome === "no-commitment") {
    return new ClaimRefusedError(
      "UnitClaimsNoCommitment",
      [],
      "The brand committed no claim code for this unit: there is nothing to claim.",
      ["`trace claim status <code>` shows what the chain records for it."],
    );
  }
  if (outcome === "wrong-code") {
    return new ClaimRefusedError("UnitClaimsWrongSecret", [], "This is not the unit's claim code (nothing was sent).", [
      state.claim.claimedAt > 0
        ? `The unit was claimed on ${day(state.claim.claimedAt)}: a different code in the packaging likely belongs to a copy.`
        : "Check the code printed inside the packaging for typing mistakes.",
    ]);
  }
  return new ClaimRefusedError(
    "UnitClaimsAlreadyClaimed",
    [state.claim.claimedAt],
    `This code was already claimed on ${day(state.claim.claimedAt)} (nothing was sent).`,
    ["If it was not you who claimed it, the product likely carries a copy of a genuine code: contact the seller."],
  );
};

/** POSTs the claim to the platform; its answer is only a hint: the chain is read afterwards. */
async function relayClaim(platform: string, unit: Hex, secret: Hex): Promise<{ txHash?: string }> {
  let res: Response;
  try {
    res = await fetch(`${platform}/claims`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ unit, secret }),
    });
  } catch (cause) {
    throw new NetworkError(`The platform ${platform} could not be reached to relay the claim.`, {
      hints: ["Check --platform / TRACE_PLATFORM_URL, or claim with your own key: --direct."],
      cause,
    });
  }
  const body = (await res.json().catch(() => ({}))) as { error?: string; message?: string; txHash?: string };
  if (res.status === 200) return { txHash: body.txHash };
  const message = body.message ?? `HTTP ${res.status}`;
  if (["already-claimed", "wrong-code", "no-commitment"].includes(body.error ?? "")) {
    throw new ClaimRefusedError(body.error!, [], `The platform refused the claim: ${message}`);
  }
  throw new NetworkError(`The platform did not relay the claim (${body.error ?? res.status}): ${message}`, {
    hints: ["Nothing was claimed: try again later, or claim with your own key: --direct."],
  });
}

/** Writes the codes file once (refusing an existing file) and makes it durable before anything is sent. */
function writeCodesFile(file: string, rows: Array<{ uri: string; key: Hex; code: string }>): void {
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new CliInputError(`${file} exists: claim codes are never written over (they may be committed already).`, {
        hints: ["Name a new file with --out."],
      });
    }
    throw new CliInputError(`${file} cannot be created: ${(error as Error).message}`);
  }
  try {
    writeSync(fd, "unit,unit_key,claim_code\n" + rows.map((r) => `${r.uri},${r.key},${r.code}\n`).join(""));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function addClaimCommands(program: Command, run: Run): void {
  const claim = program
    .command("claim")
    .description("first-scan claims: claim a unit with the code in its packaging (status, commit: subcommands)")
    .argument("<code>", "the unit (Digital Link or element string)")
    // Not a required option: Commander would ask the subcommands (status, commit) for it too.
    .option("--claim-code <code>", "the claim code printed inside the packaging (required)")
    .option("--platform <url>", "the platform that relays the claim (env TRACE_PLATFORM_URL)")
    .option("--direct", "send the claim with your own key (TRACE_PRIVATE_KEY) instead of the platform's relay")
    .option("--claims <address>", "the claims registry (default: the manifest's)")
    .action(
      run(
        async (
          ctx: CliContext,
          code: string,
          flags: { claimCode?: string; platform?: string; direct?: boolean; claims?: string },
        ) => {
          const unit = unitRef(code);
          const typed = flags.claimCode;
          if (typed === undefined) {
            throw new CliInputError("Give the claim code printed inside the packaging: --claim-code <code>.", {
              hints: ["`trace claim status <code>` reads a unit's claim without one."],
            });
          }
          let secret: Hex;
          try {
            secret = claimSecret(typed);
          } catch (error) {
            const e = error as { shortMessage?: string; hints?: string[] };
            throw new CliInputError(`--claim-code: ${e.shortMessage ?? String(error)}`, { hints: e.hints ?? [] });
          }
          const at = await claimsOf(ctx, flags.claims);
          const client = (await ctx.reader()).client;
          const before = await readUnitAuthenticity(client, at.claims, unit.key);
          const outcome = assessClaimCode(at, unit.key, before.claim, typed);
          if (outcome !== "claimable") throw refusalOf(outcome, before);
          // Only now: a wrong or copied code is refused from the chain alone, with no platform needed.
          const platform = flags.platform?.replace(/\/+$/, "") ?? ctx.env.platformUrl;
          if (!flags.direct && !platform) {
            throw new CliInputError(
              "No platform to relay the claim: pass --platform <url> or set TRACE_PLATFORM_URL.",
              {
                hints: ["Or send it with your own key: --direct."],
              },
            );
          }
          let txHash: string | undefined;
          if (flags.direct) {
            const writer = await ctx.writer();
            const data = encodeFunctionData({ abi: unitClaimsAbi, functionName: "claim", args: [unit.key, secret] });
            try {
              txHash = (await writer.sender.send({ to: at.claims, data })).hash;
            } catch (error) {
              const refusal = claimsRefusalOf(error);
              if (refusal)
                throw new ClaimRefusedError(
                  refusal.name,
                  refusal.args,
                  `The claims registry refused the claim: ${refusal.name}.`,
                );
              throw error;
            }
          } else {
            txHash = (await relayClaim(platform!, unit.key, secret)).txHash;
          }
          // The relay's 200 is not believed: the chain says whether the unit is claimed.
          const after = await readUnitAuthenticity(client, at.claims, unit.key);
          if (after.claim.claimedAt === 0) {
            throw new NetworkError("The claim was reported sent, but the chain does not show the unit claimed.", {
              hints: [
                "Run `trace claim status <code>` in a few seconds; if it stays unclaimed, claim again with --direct.",
              ],
            });
          }
          const status = {
            ...claimStatus(unit, after),
            txHash: txHash ?? null,
            via: flags.direct ? "direct" : platform,
          };
          ctx.out.result(status, () => `claimed: ${statusLines(status)}${txHash ? `\n  tx          ${txHash}` : ""}`);
        },
      ),
    );

  claim
    .command("status")
    .description("a unit's claim as the chain records it: commitment, claim time, stage at claim")
    .argument("<code>", "the unit (Digital Link or element string)")
    .option("--claims <address>", "the claims registry (default: the manifest's)")
    .action(
      run(async (ctx: CliContext, code: string, flags: { claims?: string }) => {
        const unit = unitRef(code);
        const at = await claimsOf(ctx, flags.claims);
        const state = await readUnitAuthenticity((await ctx.reader()).client, at.claims, unit.key);
        const status = claimStatus(unit, state);
        ctx.out.result(status, () => statusLines(status));
      }),
    );

  claim
    .command("commit")
    .description("for the brand: a new claim code per unit, written to --out, then committed on chain")
    .argument("<code...>", "the units (Digital Links or element strings)")
    .requiredOption("--out <file>", "a new file for the codes (CSV: unit, unit key, claim code); never overwritten")
    .option("--batch <n>", `units per transaction (1 to 500, default ${DEFAULT_COMMIT_BATCH})`)
    .option("--claims <address>", "the claims registry (default: the manifest's)")
    .action(
      run(async (ctx: CliContext, codes: string[], flags: { out: string; batch?: string; claims?: string }) => {
        const batch = flags.batch === undefined ? DEFAULT_COMMIT_BATCH : Number(flags.batch);
        if (!/^\d+$/.test(flags.batch ?? "1") || batch < 1 || batch > 500) {
          throw new CliInputError(`--batch must be a whole number from 1 to 500, not "${flags.batch}".`);
        }
        const units = codes.map(unitRef);
        const seen = new Set<string>();
        for (const u of units) {
          if (seen.has(u.key)) throw new CliInputError(`${u.uri} is named twice: give each unit once.`);
          seen.add(u.key);
        }
        const file = resolve(flags.out);
        const at = await claimsOf(ctx, flags.claims);
        const client = (await ctx.reader()).client;
        // Units committed already keep their code (nobody can replace a commitment): they are skipped.
        const states = await Promise.all(units.map((u) => readUnitAuthenticity(client, at.claims, u.key)));
        const todo = units.filter((_, i) => /^0x0{64}$/i.test(states[i].claim.commitment));
        const skipped = units.filter((u) => !todo.includes(u)).map((u) => u.uri);
        const writer = await ctx.writer();
        const rows = todo.map((u) => ({ uri: u.uri, key: u.key, code: generateClaimCode() }));
        const batches: Array<typeof rows> = [];
        for (let i = 0; i < rows.length; i += batch) batches.push(rows.slice(i, i + batch));
        const call = (b: typeof rows) =>
          encodeFunctionData({
            abi: unitClaimsAbi,
            functionName: "commitClaims",
            args: [b.map((r) => r.key), b.map((r) => claimCommitment(at, r.key, claimSecret(r.code)))],
          });
        // Every batch is tried first (a unit of another brand, an unknown unit): refused, nothing is written.
        for (const b of batches) {
          try {
            await writer.sender.estimate({ to: at.claims, data: call(b) });
          } catch (error) {
            const refusal = claimsRefusalOf(error);
            if (!refusal) throw error;
            const unitArg = refusal.args.find((a) => typeof a === "string" && /^0x[0-9a-f]{64}$/i.test(a)) as
              string | undefined;
            const named = unitArg
              ? (units.find((u) => u.key.toLowerCase() === unitArg.toLowerCase())?.uri ?? unitArg)
              : "";
            throw new ClaimRefusedError(
              refusal.name,
              refusal.args,
              `The claims registry would refuse the commitment${named ? ` of ${named}` : ""}: ${refusal.name}. Nothing was written or sent.`,
              [
                refusal.name === "UnitClaimsNotBrand"
                  ? "Only an active account of the organization that registered the unit commits its claim codes."
                  : "Check the units: registered, not destroyed, and named once.",
              ],
            );
          }
        }
        if (rows.length > 0) writeCodesFile(file, rows);
        const transactions: Array<{ hash: string; block: number; units: number; gasUsed: bigint }> = [];
        for (const b of batches) {
          const sent = await writer.sender.send({ to: at.claims, data: call(b) });
          transactions.push({ hash: sent.hash, block: sent.blockNumber, units: b.length, gasUsed: sent.gasUsed });
          ctx.out.info(`claim commit: ${transactions.reduce((n, t) => n + t.units, 0)} of ${rows.length} committed`);
        }
        const data = { file: rows.length > 0 ? file : null, committed: rows.length, skipped, transactions };
        ctx.out.result(data, () =>
          [
            rows.length > 0
              ? `claim commit: ${rows.length} claim codes committed; the codes are in ${file} (print them inside the packaging, then destroy the file).`
              : "claim commit: nothing to commit.",
            ...skipped.map((uri) => `  skipped (committed already): ${uri}`),
            ...transactions.map((t) => `  tx ${t.hash} (block ${t.block}, ${t.units} units, gas ${t.gasUsed})`),
          ].join("\n"),
        );
      }),
    );
}

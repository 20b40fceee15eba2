/**
 * `trace verify <code>`: the buyer's check from the command line — the same verdict engine as the page.
 * Exit code 0 authentic, 1 warning, 2 fail (4 when the chain cannot be reached at all).
 */
import type { Command } from "commander";
import type { Hex } from "viem";
import { verifyUnit } from "../../verify/verify";
import type { VerificationReport } from "../../verify/types";
import type { EpcisEvent } from "../../epcis";
import { dispositionName } from "../../codes";
import type { CliContext } from "../context";
import { RecordStore } from "../../records";
import { locationText } from "./read";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

const EXIT_OF = { authentic: 0, warning: 1, fail: 2 } as const;

export function addVerifyCommand(program: Command, run: Run): void {
  program
    .command("verify")
    .description("verify a product from its QR payload (Digital Link) or element string: verdict and journey")
    .argument("<code>", "the scanned code")
    .option(
      "--records-url <url>",
      "fetch off-chain records from this server (e.g. http://127.0.0.1:8080) instead of --records-dir",
    )
    .option("--no-signatures", "skip reading each transaction to check who signed it (faster)")
    .action(
      run(async (ctx: CliContext, code: string, flags: { recordsUrl?: string; signatures: boolean }) => {
        const reader = await ctx.reader().catch((error) => {
          const name = (error as Error).name;
          if (name === "WrongChainError" || name === "WrongContractError") return undefined;
          throw error;
        });
        const store = new RecordStore(ctx.recordsDir);
        const fetchRecord = flags.recordsUrl
          ? async (hash: Hex) => {
              const res = await fetch(`${flags.recordsUrl!.replace(/\/$/, "")}/records/${hash}.json`);
              return res.ok ? ((await res.json()) as EpcisEvent) : undefined;
            }
          : async (hash: Hex) => store.get(hash);
        let report: VerificationReport;
        if (!reader) {
          // Wrong chain or contract: let the engine produce its "fail" verdict with the reason.
          const { createPublicClient, http } = await import("viem");
          const manifest = ctx.manifest();
          const client = createPublicClient({
            transport: http(ctx.options.rpc ?? process.env.TRACE_RPC_URL ?? "http://127.0.0.1:8545"),
          });
          report = await verifyUnit(code, {
            client: client as never,
            ledger: { address: (ctx.options.ledger ?? manifest?.ledger.address) as Hex, chainId: manifest?.chainId },
          });
        } else {
          report = await verifyUnit(code, {
            client: reader.client,
            ledger: reader.ledger,
            fetchRecord,
            checkSignatures: flags.signatures,
            confirmations: ctx.confirmations(),
            maxBlockRange: ctx.options.maxBlockRange ? BigInt(ctx.options.maxBlockRange) : undefined,
          });
        }
        ctx.out.result(report, () => render(report));
        process.exitCode = EXIT_OF[report.verdict];
      }),
    );
}

function render(r: VerificationReport): string {
  const banner = { authentic: "AUTHENTIC 正品", warning: "WARNING 注意", fail: "FAIL 验证失败" }[r.verdict];
  const lines = [`${banner}  ${r.unit?.uri ?? r.input}`];
  for (const reason of r.reasons)
    lines.push(`  - ${reason.en} / ${reason.zh}${reason.detail ? ` (${reason.detail})` : ""}`);
  if (r.registrant)
    lines.push(
      `  registered by: ${r.registrant.name ?? `organization ${r.registrant.orgId}`} (${r.registrant.country ?? ""})`,
    );
  if (r.asOf) {
    const depth = r.asOf.confirmations > 1 ? `, ${r.asOf.confirmations} confirmations` : "";
    lines.push(`  as of block ${r.asOf.blockNumber} (${r.asOf.blockHash.slice(0, 10)}…${depth})`);
  }
  if (r.entries.length) lines.push(`  journey (${r.entries.length} events, hash chains intact):`);
  for (const e of r.entries) {
    const who = e.organization?.name ?? `org ${e.org}`;
    const proof = [
      e.signatureValid === undefined ? "" : e.signatureValid ? "signed" : "BAD SIGNATURE",
      e.recordMatches === null ? "" : e.recordMatches ? "record ok" : "RECORD MISMATCH",
      e.corrected ? "CORRECTED" : "",
      e.inheritedFrom ? "via parent" : "",
    ]
      .filter(Boolean)
      .join(", ");
    lines.push(
      `    ${new Date(e.eventTime * 1000).toISOString().slice(0, 16).replace("T", " ")}  ${String(e.stepName).padEnd(18)} ` +
        `${(dispositionName(e.disposition) ?? "").toLowerCase().padEnd(16)} ${who}  ${locationText(e.location)}  [${proof}] block ${e.blockNumber}`,
    );
  }
  return lines.join("\n");
}

/**
 * `trace verify <code>`: the buyer's check from the command line — the same verdict engine as the page.
 * Exit code 0 authentic, 10 warning, 11 fail (`EXIT.VERDICT_*`); the error codes stay for errors: 2 for an
 * input that is not a GS1 code (decided before any setting is read or the network is touched), 4 when the
 * chain cannot be reached at all.
 */
import type { Command } from "commander";
import type { Hex } from "viem";
import { parseGs1 } from "../../gs1";
import { verifyUnit } from "../../verify/verify";
import { judge } from "../../verify/judge";
import type { VerificationReport } from "../../verify/types";
import type { Verdict } from "../../verify/reasons";
import type { EpcisEvent } from "../../epcis";
import { dispositionName } from "../../codes";
import type { CliContext } from "../context";
import { EXIT } from "../exitCodes";
import { CliInputError } from "../output";
import { RecordStore } from "../../records";
import { locationText } from "./read";
import { ownershipLines } from "../../verify/ownershipText";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

const EXIT_OF: Record<Verdict, number> = {
  authentic: EXIT.OK,
  warning: EXIT.VERDICT_WARNING,
  fail: EXIT.VERDICT_FAIL,
};

/** What is printed for an input that is not a GS1 code: no ledger was consulted. */
type InputReport = Pick<VerificationReport, "verdict" | "reasons" | "input">;

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
        // Input first, then settings, then the network: a mistyped code is told as such even with no node.
        try {
          parseGs1(code);
        } catch (error) {
          const report: InputReport = {
            verdict: "fail",
            reasons: judge({ kind: "invalidCode", error: (error as Error).message }),
            input: code,
          };
          ctx.out.result(report, () => render(report));
          process.exitCode = EXIT.INVALID_INPUT;
          return;
        }
        const confirmations = ctx.confirmations();
        if (flags.recordsUrl !== undefined && !/^https?:\/\//.test(flags.recordsUrl)) {
          throw new CliInputError(`The records URL "${flags.recordsUrl}" must start with http:// or https://.`);
        }
        // Unchecked: the engine checks the deployment once and turns a wrong chain into a verdict.
        const reader = ctx.uncheckedReader();
        const store = new RecordStore(ctx.recordsDir);
        const fetchRecord = flags.recordsUrl
          ? async (hash: Hex) => {
              const res = await fetch(`${flags.recordsUrl!.replace(/\/$/, "")}/records/${hash}.json`);
              return res.ok ? ((await res.json()) as EpcisEvent) : undefined;
            }
          : async (hash: Hex) => store.get(hash);
        const report = await verifyUnit(code, {
          client: reader.client,
          ledger: reader.ledger,
          fetchRecord,
          checkSignatures: flags.signatures,
          confirmations,
          maxBlockRange: reader.maxBlockRange,
        });
        ctx.out.result(report, () => render(report));
        process.exitCode = EXIT_OF[report.verdict];
      }),
    );
}

function render(r: InputReport & Partial<VerificationReport>): string {
  const entries = r.entries ?? [];
  const banner = { authentic: "AUTHENTIC 正品", warning: "WARNING 注意", fail: "FAIL 验证失败" }[r.verdict];
  const lines = [`${banner}  ${r.unit?.uri ?? r.input}`];
  for (const reason of r.reasons)
    lines.push(`  - ${reason.en} / ${reason.zh}${reason.detail ? ` (${reason.detail})` : ""}`);
  if (r.registrant)
    lines.push(
      `  registered by: ${r.registrant.name ?? `organization ${r.registrant.orgId}`} (${r.registrant.country ?? ""})`,
    );
  for (const line of ownershipLines(r.ownership)) lines.push(`  ${line.en} / ${line.zh}`);
  for (const n of r.notices ?? []) lines.push(`  note: ${n.en} / ${n.zh}${n.detail ? ` (${n.detail})` : ""}`);
  if (r.asOf) {
    const depth = r.asOf.confirmations > 1 ? `, ${r.asOf.confirmations} confirmations` : "";
    lines.push(`  as of block ${r.asOf.blockNumber} (${r.asOf.blockHash.slice(0, 10)}…${depth})`);
  }
  if (entries.length) lines.push(`  journey (${entries.length} events, hash chains intact):`);
  for (const e of entries) {
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

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
import { verifyWithBundle } from "../../bundle/verify";
import { fetchBundle } from "../../bundle/fetch";
import { BUNDLE_REJECTIONS } from "../../bundle/types";
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
import { authenticityLines } from "../../verify/authenticityText";
import { normalizeClaimCode } from "../../authenticity/claimCode";

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
      "fetch off-chain records missing from --records-dir from this server (default TRACE_PLATFORM_URL)",
    )
    .option(
      "--platform <url>",
      "take the proof bundle and the records from this platform server (e.g. http://127.0.0.1:8080): the same checks against --rpc, in one round trip",
    )
    .option("--no-signatures", "skip reading each transaction to check who signed it (faster)")
    .option(
      "--claim-code <code>",
      "the claim code inside the packaging: checked off chain against the unit's commitment (nothing is sent)",
    )
    .action(
      run(
        async (
          ctx: CliContext,
          code: string,
          flags: { recordsUrl?: string; platform?: string; signatures: boolean; claimCode?: string },
        ) => {
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
          if (flags.claimCode !== undefined) {
            try {
              normalizeClaimCode(flags.claimCode);
            } catch (error) {
              throw new CliInputError((error as Error).message.split("\n")[0], {
                hints: ["Type the code printed inside the packaging: four groups of five letters and digits."],
              });
            }
          }
          const confirmations = ctx.confirmations();
          for (const [flag, url] of [
            ["records URL", flags.recordsUrl],
            ["platform URL", flags.platform],
          ] as const) {
            if (url !== undefined && !/^https?:\/\//.test(url)) {
              throw new CliInputError(`The ${flag} "${url}" must start with http:// or https://.`);
            }
          }
          // Records come from the local store, else from the platform (the one named, else TRACE_PLATFORM_URL):
          // each is checked against its on-chain hash, so neither source is trusted.
          const recordsUrl = flags.recordsUrl ?? flags.platform ?? ctx.env.platformUrl;
          // Unchecked: the engine checks the deployment once and turns a wrong chain into a verdict.
          const reader = ctx.uncheckedReader();
          const store = new RecordStore(ctx.recordsDir);
          const fetchRecord = async (hash: Hex): Promise<EpcisEvent | undefined> => {
            const local = store.get(hash);
            if (local || !recordsUrl) return local;
            const res = await fetch(`${recordsUrl.replace(/\/$/, "")}/records/${hash}.json`);
            return res.ok ? ((await res.json()) as EpcisEvent) : undefined;
          };
          // The manifest's claims registry belongs to the manifest's ledger: another ledger named with --ledger
          // has no claims read from it.
          const manifest = ctx.manifest();
          const claims =
            manifest?.claims && manifest.ledger.address.toLowerCase() === reader.ledger.address.toLowerCase()
              ? { address: manifest.claims.address, deploymentBlock: BigInt(manifest.claims.deploymentBlock) }
              : undefined;
          if (flags.claimCode !== undefined && !claims) {
            throw new CliInputError("--claim-code needs a claims registry: the deployment manifest names none.", {
              hints: ["Deploy one with npm run deploy -- --claims, or pass the manifest that lists it (--manifest)."],
            });
          }
          const options = {
            ledger: reader.ledger,
            ...(claims ? { claims } : {}),
            ...(flags.claimCode !== undefined ? { claimCode: flags.claimCode } : {}),
            fetchRecord,
            checkSignatures: flags.signatures,
            confirmations,
            maxBlockRange: reader.maxBlockRange,
          };
          // The bundle is the platform's say-so about what to ask: a missing or lying one costs round trips only.
          const report = flags.platform
            ? await verifyWithBundle(code, await fetchBundle(flags.platform, code), {
                ...options,
                rpcUrl: reader.rpcUrl!,
              })
            : await verifyUnit(code, { ...options, client: reader.client });
          ctx.out.result(report, () => render(report));
          process.exitCode = EXIT_OF[report.verdict];
        },
      ),
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
  for (const line of authenticityLines(r.authenticity)) lines.push(`  ${line.en} / ${line.zh}`);
  for (const n of r.notices ?? []) lines.push(`  note: ${n.en} / ${n.zh}${n.detail ? ` (${n.detail})` : ""}`);
  if (r.asOf) {
    const depth = r.asOf.confirmations > 1 ? `, ${r.asOf.confirmations} confirmations` : "";
    lines.push(`  as of block ${r.asOf.blockNumber} (${r.asOf.blockHash.slice(0, 10)}…${depth})`);
  }
  const { source, roundTrips, bundle } = r.stats ?? {};
  if (source) {
    const how = bundle?.rejected
      ? `proof bundle not used, ${BUNDLE_REJECTIONS[bundle.rejected]}: log walk`
      : bundle
        ? `proof bundle, ${bundle.misses} request${bundle.misses === 1 ? "" : "s"} it did not foresee`
        : "no proof bundle: log walk";
    lines.push(`  checked in ${roundTrips} JSON-RPC round trip${roundTrips === 1 ? "" : "s"} (${how})`);
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

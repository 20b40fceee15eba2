/**
 * `trace scans <code>` (issue 17): the platform's scan counts of a unit (`GET /scans/<unit key>`): how often it
 * was verified, first and last, from which regions, and the suspicious-scanning warning. These are the
 * platform's say-so, not the chain's; the output says so.
 */
import type { Command } from "commander";
import { NetworkError } from "../../errors/base";
import type { ScanView } from "../../scans/view";
import type { CliContext } from "../context";
import { unitRef } from "../inputs";
import { CliInputError } from "../output";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

export function addScansCommand(program: Command, run: Run): void {
  program
    .command("scans")
    .description("how often the platform verified a unit, first and last, regions, suspicious scanning")
    .argument("<code>", "the unit (Digital Link or element string)")
    .option("--platform <url>", "the platform server (env TRACE_PLATFORM_URL)")
    .action(
      run(async (ctx: CliContext, code: string, flags: { platform?: string }) => {
        const unit = unitRef(code);
        const platform = flags.platform?.replace(/\/+$/, "") ?? ctx.env.platformUrl;
        if (!platform) throw new CliInputError("No platform: pass --platform <url> or set TRACE_PLATFORM_URL.");
        let res: Response;
        try {
          res = await fetch(`${platform}/scans/${unit.key}`);
        } catch (cause) {
          throw new NetworkError(`The platform ${platform} could not be reached.`, {
            hints: ["Check --platform / TRACE_PLATFORM_URL."],
            cause,
          });
        }
        const body = (await res.json().catch(() => ({}))) as ScanView & { error?: string; message?: string };
        if (res.status !== 200) {
          throw new NetworkError(
            `The platform has no scan counts for it (${body.error ?? res.status}): ${body.message ?? ""}`.trim(),
          );
        }
        ctx.out.result(body, () =>
          [
            `${unit.uri}  (the platform's count, not the chain's)`,
            `  verified  ${body.count} time${body.count === 1 ? "" : "s"}`,
            `  first     ${body.first ?? "-"}`,
            `  last      ${body.last ?? "-"}`,
            `  regions   ${body.regions.map((r) => `${r.region} ${r.count}`).join(", ") || "-"}`,
            ...(body.suspicious ? [`  WARNING   ${body.suspicious.en}`, `            ${body.suspicious.zh}`] : []),
          ].join("\n"),
        );
      }),
    );
}

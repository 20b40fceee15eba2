/**
 * `trace label`: printable labels — the QR code of each unit's Digital Link with its GS1 human-readable text
 * (HRI) under it, at a physical size, one label or a sheet (SVG, PNG, or PDF on A4 pages).
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import {
  hriLines,
  labelsPdf,
  labelsSvg,
  labelUri,
  layoutLabel,
  parseSizeMm,
  RECOMMENDED_MIN_MODULE_MM,
  type LabelLayout,
} from "../../qrLabels";
import { labelsPng } from "../../qrLabels/rasterPng";
import { TraceError } from "../../errors/base";
import type { CliContext } from "../context";
import { unitRef } from "../inputs";
import { CliInputError } from "../output";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

interface LabelFlags {
  out: string;
  from?: string;
  size?: string;
  columns?: string;
  scale: string;
}

/** A code to print and where it came from, for refusals that name the line. */
interface CodeSource {
  code: string;
  where: string;
}

function codeSources(codes: string[], from: string | undefined): CodeSource[] {
  const out = codes.map((code, i) => ({ code, where: `argument ${i + 1}` }));
  if (from !== undefined) {
    let text: string;
    try {
      text = readFileSync(from, "utf8");
    } catch (e) {
      throw new CliInputError(`--from "${from}" cannot be read: ${(e as Error).message}`);
    }
    text.split(/\r?\n/).forEach((line, i) => {
      const code = line.trim();
      // Blank lines and # comments let people keep notes in the list.
      if (code !== "" && !code.startsWith("#")) out.push({ code, where: `${from} line ${i + 1}` });
    });
  }
  if (out.length === 0) throw new CliInputError("Give the codes to label, as arguments or with --from <file>.");
  return out;
}

function scaleArg(text: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || n < 1 || n > 64) {
    throw new CliInputError(`--scale "${text}" must be a whole number of pixels per module from 1 to 64.`);
  }
  return n;
}

/** The unit of every code, all checked before anything is rendered or written. */
function units(sources: CodeSource[]) {
  return sources.map(({ code, where }) => {
    try {
      return unitRef(code);
    } catch (e) {
      if (!(e instanceof TraceError)) throw e;
      throw new CliInputError(`${where}: "${code}": ${e.message}`, { hints: e.hints });
    }
  });
}

export function addLabelCommand(program: Command, run: Run): void {
  program
    .command("label")
    .description(
      "write printable labels: each unit's QR code with its GS1 human-readable text, one label or a sheet " +
        "(.svg, .pdf on A4 pages, or .png)",
    )
    .argument("[code...]", "the units (Digital Link URIs or element strings)")
    .requiredOption("--out <file>", "output file ending in .svg, .pdf or .png")
    .option("--from <file>", "more codes, one per line (blank lines and # comments skipped)")
    .option("--size <length>", "width of each QR with its quiet zone, e.g. 30mm, 3cm, 1.2in (default 30mm)")
    .option("--columns <n>", "labels per row on a sheet (default: as many as fit across A4)")
    .option("--scale <n>", "PNG pixels per module (sets the resolution; the PNG prints at --size)", "8")
    .addHelpText(
      "after",
      [
        "",
        "The QR encodes the unit's Digital Link on the resolver domain (--domain, else TRACE_RESOLVER_URL, else",
        "TRACE_DL_DOMAIN); the text under it is the GS1 HRI, one (AI) value per line. Modules under 0.254 mm are",
        "refused and under 0.396 mm (GS1's minimum for retail and phone scanning) warned about. Print at 100 %",
        "(actual size). PDF sheets fill A4 pages; SVG and PNG sheets are one canvas as tall as the grid.",
      ].join("\n"),
    )
    .action(
      run(async (ctx: CliContext, codes: string[], flags: LabelFlags) => {
        const ext = /\.(svg|pdf|png)$/i.exec(flags.out)?.[1]?.toLowerCase();
        if (ext === undefined) throw new CliInputError(`--out "${flags.out}" must end in .svg, .pdf or .png.`);
        const sources = codeSources(codes, flags.from);
        const sizeMm = flags.size === undefined ? undefined : parseSizeMm(flags.size);
        const columns = flags.columns === undefined ? undefined : Number(flags.columns);
        if (columns !== undefined && !(Number.isInteger(columns) && columns >= 1)) {
          throw new CliInputError(`--columns "${flags.columns}" must be a whole number from 1.`);
        }
        const refs = units(sources);
        const contents = refs.map((u) => ({
          uri: labelUri(u.identity, { domain: ctx.domain }),
          hri: hriLines(u.identity),
        }));

        const labels: LabelLayout[] = contents.map((c) => layoutLabel(c, sizeMm === undefined ? {} : { sizeMm }));
        const small = labels.filter((l) => l.moduleMm < RECOMMENDED_MIN_MODULE_MM);
        if (small.length > 0) {
          ctx.out.info(
            `warning: ${small.length} label(s) have modules of ${Math.min(...small.map((l) => l.moduleMm)).toFixed(3)} mm, under the ${RECOMMENDED_MIN_MODULE_MM} mm GS1 minimum for retail and phone scanning; a larger --size is safer.`,
          );
        }
        const sheet = columns === undefined ? {} : { columns };
        const bytes =
          ext === "svg"
            ? labelsSvg(labels, sheet)
            : ext === "pdf"
              ? labelsPdf(labels, sheet)
              : labelsPng(labels, { ...sheet, scale: scaleArg(flags.scale) });
        writeFileSync(flags.out, bytes);
        if (contents.length === 1) {
          ctx.out.result({ file: flags.out, uri: contents[0].uri }, `wrote ${flags.out} for ${contents[0].uri}`);
        } else {
          ctx.out.result(
            { file: flags.out, uris: contents.map((c) => c.uri) },
            `wrote ${flags.out}: ${contents.length} labels\n${contents.map((c) => `  ${c.uri}`).join("\n")}`,
          );
        }
      }),
    );
}

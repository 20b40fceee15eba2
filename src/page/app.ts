/**
 * The verification page: reads the code from the URL (/verify followed by a scanned Digital Link path such as
 * /01/<gtin>/10/<lot>/21/<serial>, where the resolver redirects a scan; or ?code=…), runs the SDK's verdict
 * engine in the browser against the JSON-RPC endpoint named in the platform's settings (by default the platform's read-only gateway on this
 * origin), and renders the verdict, the product and the journey. The server supplies the files, the
 * settings and the proof bundle (both inlined in the HTML of a scanned link, else /manifest.json and
 * /bundle?code=) and the off-chain records; the bundle only says which requests to send in one batch, so
 * every check still happens here, against the chain.
 */
import type { Hex } from "viem";
import { verifyWithBundle } from "../bundle/verify";
import { BUNDLE_REJECTIONS, type ProofBundle } from "../bundle/types";
import type { VerificationReport } from "../verify/types";
import { recordHash, type EpcisEvent } from "../epcis";
import { digitalLinkPathOf } from "../resolver/verifyPath";
import { buyerStanding } from "../verify/standing";
import { buyerSummary } from "../verify/summary";
import { buyerJourney } from "../verify/buyerJourney";
import { contentsOf } from "../verify/contents";
import { unitsNamed, unitWords } from "../verify/unitWords";
import type { CheckedRecords } from "../verify/eventFacts";
import { VERDICT_LABELS } from "./text";
import { h } from "./dom";
import type { PageConfig } from "./config";
import { banner } from "./banner";
import { summaryView } from "./summaryView";
import { codeCard, productCard } from "./productView";
import { journeyView } from "./journeyView";
import { proofsView } from "./proofsView";
import { setUpScanner } from "./scanner";
const app = document.getElementById("app")!;
const footer = document.getElementById("footer")!;

/** The code to verify: ?code=, or the Digital Link path after /verify (where the resolver sends a scan). */
function codeFromLocation(): string | undefined {
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  if (code) return code;
  const path = digitalLinkPathOf(location.pathname);
  if (path !== undefined) {
    // The page's own parameters are not part of the product's Digital Link.
    for (const own of ["rpc", "ledger", "chain"]) params.delete(own);
    const query = params.toString();
    return location.origin + path + (query ? `?${query}` : "");
  }
  return undefined;
}

type BundleStats = VerificationReport["stats"];

/** How the verdict was checked: the block, the sequential round trips, and what became of the bundle. */
function howChecked(stats: BundleStats): string {
  const trips =
    stats.roundTrips === undefined ? "" : ` in ${stats.roundTrips} round trip${stats.roundTrips === 1 ? "" : "s"}`;
  const b = stats.bundle;
  const bundle = !b
    ? "no bundle: every log walked"
    : b.rejected
      ? `bundle not used because ${BUNDLE_REJECTIONS[b.rejected] ?? b.rejected}: every log walked`
      : `bundle used (${b.hits} answers from one batch${b.misses ? `, ${b.misses} read besides` : ""})`;
  return `${trips} · ${bundle}`;
}

/**
 * The records the verifier matched against their on-chain hashes, hashed again here, so what the page reads
 * from them (reasons, offsets, contents) is exactly what the chain commits to.
 */
function checkedRecords(r: VerificationReport, candidates: (hash: string) => unknown): CheckedRecords {
  const out = new Map<string, EpcisEvent>();
  for (const e of r.entries) {
    if (e.recordMatches !== true) continue;
    const hash = e.data.toLowerCase();
    const record = candidates(hash) as EpcisEvent | undefined;
    try {
      if (record && recordHash(record).toLowerCase() === hash) out.set(hash, record);
    } catch {
      // Not a record: nothing is read from it.
    }
  }
  return out;
}

function render(r: VerificationReport, config: PageConfig, records: CheckedRecords) {
  const standing = buyerStanding(r, records);
  const named = unitsNamed(records.values());
  const packedIn = r.parents.map((p) => {
    const id = named.get(p.toLowerCase() as Hex);
    return id ? unitWords(id) : { en: "a carton or consignment", zh: "包装或运单" };
  });
  // The summary spans the page; below it, the product and its journey beside the proofs.
  const main = [productCard(r, contentsOf(r, records), packedIn) ?? codeCard(r), journeyView(buyerJourney(r, records))];
  app.replaceChildren(
    banner(r, standing, config),
    ...[summaryView(buyerSummary(r, records))].filter((x): x is HTMLElement => x !== null),
    h(
      "div",
      { class: "columns" },
      h("div", { class: "col-main" }, ...main),
      h("div", { class: "col-side" }, r.state?.registered ? proofsView(r, config) : null),
    ),
  );
  const stats = r.stats as BundleStats;
  footer.dataset.source = stats.source ?? "logWalk";
  footer.dataset.roundTrips = String(stats.roundTrips ?? "");
  if (stats.bundle?.rejected) footer.dataset.bundleRejected = stats.bundle.rejected;
  footer.replaceChildren(
    `Checked in your browser against ${config.rpcUrl} · chain ${config.chainId} · ledger ${config.ledger.address} v${config.ledger.version}${r.asOf ? ` · at block ${r.asOf.blockNumber}` : ""}${howChecked(stats)} · ${r.stats.milliseconds} ms · 在您的浏览器中直接校验`,
  );
  document.title = `${standing.kind === "typo" ? "Check the code" : VERDICT_LABELS[r.verdict][0]} · cbec-trace`;
}

/** The JSON the server inlined in the element `id`, or undefined (absent or not JSON). */
function inlined(id: string): unknown {
  const text = document.getElementById(id)?.textContent;
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The bundle from the platform when the HTML did not carry it; without one the page walks the logs. */
async function fetchBundle(code: string): Promise<ProofBundle | undefined> {
  try {
    const res = await fetch(`/bundle?code=${encodeURIComponent(code)}`);
    return res.ok ? ((await res.json()) as ProofBundle) : undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const form = document.getElementById("search") as HTMLFormElement;
  const input = document.getElementById("code") as HTMLInputElement;
  // A scanned code goes where a typed one goes.
  const go = (value: string) => {
    if (value.trim()) location.href = `/?code=${encodeURIComponent(value.trim())}`;
  };
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    go(input.value);
  });
  setUpScanner(document.getElementById("scan") as HTMLButtonElement, go);
  const code = codeFromLocation();
  if (!code) return;
  input.value = code;
  app.replaceChildren(h("p", { class: "loading" }, "Reading the chain… 正在读取区块链…"));
  let config: PageConfig;
  try {
    config =
      (inlined("trace-config") as PageConfig | undefined) ??
      ((await (await fetch("/manifest.json")).json()) as PageConfig);
  } catch {
    app.replaceChildren(h("p", { class: "loading" }, "The platform's manifest could not be loaded. 无法加载配置。"));
    return;
  }
  const bundle = (inlined("trace-bundle") as ProofBundle | undefined) ?? (await fetchBundle(code));
  // A buyer who does not trust the platform can name its own endpoint and the ledger it expects:
  // ?rpc=<url>&ledger=<address>&chain=<id> override what the platform's manifest says.
  const params = new URLSearchParams(location.search);
  config = {
    ...config,
    // The platform's default is its gateway, "/rpc" on this origin.
    rpcUrl: new URL(params.get("rpc") ?? config.rpcUrl, location.href).href,
    chainId: params.get("chain") ? Number(params.get("chain")) : config.chainId,
    ledger: { ...config.ledger, address: (params.get("ledger") as Hex | null) ?? config.ledger.address },
  };
  const fetched = new Map<string, EpcisEvent>();
  try {
    const report = await verifyWithBundle(code, bundle, {
      rpcUrl: config.rpcUrl,
      ledger: {
        address: config.ledger.address,
        chainId: config.chainId,
        deploymentBlock: BigInt(config.ledger.deploymentBlock),
      },
      // A record the bundle lacks (or got wrong) is asked of the platform's store: a bundle that drops records
      // must not make them look unavailable.
      fetchRecord: async (hash) => {
        const res = await fetch(`/records/${hash}.json`);
        const record = res.ok ? ((await res.json()) as EpcisEvent) : undefined;
        if (record) fetched.set(hash.toLowerCase(), record);
        return record;
      },
    });
    const inBundle = (bundle?.records ?? {}) as Record<string, unknown>;
    render(
      report,
      config,
      checkedRecords(report, (hash) => fetched.get(hash) ?? inBundle[hash]),
    );
  } catch (error) {
    app.replaceChildren(
      h(
        "section",
        { class: "banner verdict-fail", "data-verdict": "error" },
        h("h2", {}, "The chain could not be read · 无法读取区块链"),
        h("div", { class: "sub" }, (error as Error).message.split("\n")[0]),
      ),
    );
  }
}

void main();

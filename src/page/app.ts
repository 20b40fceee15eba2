/**
 * The verification page: reads the code from the URL (/verify followed by a scanned Digital Link path such as
 * /01/<gtin>/10/<lot>/21/<serial>, where the resolver redirects a scan; or ?code=…), runs the SDK's verdict
 * engine in the browser against the JSON-RPC endpoint named in the platform's settings (by default the platform's read-only gateway on this
 * origin), and renders the verdict, the product and the journey. The server supplies the files, the
 * settings and the proof bundle (both inlined in the HTML of a scanned link, else /manifest.json and
 * /bundle?code=) and the off-chain records; the bundle only says which requests to send in one batch, so
 * every check still happens here, against the chain.
 *
 * With a claims registry (issue 17) the page also shows the first-scan claim (and takes the code inside the
 * packaging), the result of an NFC tap whose SUN message the URL carries (`?e=&c=`, checked by the brand's
 * service), and the platform's count of verifications. The platform's answers are its say-so: after a claim
 * or a tap the page reads the chain again and shows what the chain says.
 */
import { http, type Hex } from "viem";
import { verifyWithBundle } from "../bundle/verify";
import { BUNDLE_REJECTIONS, type ProofBundle } from "../bundle/types";
import type { VerificationReport } from "../verify/types";
import { recordHash, type EpcisEvent } from "../epcis";
import { PAGE_TRUST_PARAMS, SERVED_PAGE_PARAM, digitalLinkPathOf } from "../resolver/verifyPath";
import { buyerStanding } from "../verify/standing";
import { buyerSummary } from "../verify/summary";
import { buyerJourney } from "../verify/buyerJourney";
import { contentsOf } from "../verify/contents";
import { unitsNamed, unitWords } from "../verify/unitWords";
import type { CheckedRecords } from "../verify/eventFacts";
import { VERDICT_LABELS } from "./text";
import { h } from "./dom";
import type { PageConfig } from "./config";
import { banner, type BannerCaution } from "./banner";
import { summaryView } from "./summaryView";
import { codeCard, productCard } from "./productView";
import { journeyView } from "./journeyView";
import { proofsView } from "./proofsView";
import { setUpScanner } from "./scanner";
import { createReadClient } from "../read/readClient";
import { readUnitAuthenticity, type UnitAuthenticity } from "../authenticity/read";
import { assessClaimCode, claimSecret, normalizeClaimCode } from "../authenticity/claimCode";
import { claimView, type ClaimNote } from "./claimView";
import { tapCaution, tapView, type TapOutcome } from "./tapView";
import { scansView } from "./scansView";
import { checkSunTap, relayClaim, scanCounts, type PlatformAnswer, type ScanCounts } from "./platformCalls";
const app = document.getElementById("app")!;
const footer = document.getElementById("footer")!;

/** The code to verify: ?code=, or the Digital Link path after /verify (where the resolver sends a scan). */
function codeFromLocation(): string | undefined {
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  if (code) return withoutSun(code);
  const path = digitalLinkPathOf(location.pathname);
  if (path !== undefined) {
    // The page's own parameters are not part of the product's Digital Link.
    for (const own of [...PAGE_TRUST_PARAMS, ...SUN_PARAMS]) params.delete(own);
    const query = params.toString();
    return location.origin + path + (query ? `?${query}` : "");
  }
  return undefined;
}

/** The parameters an NTAG 424 DNA tag writes into its URL on every tap (AN12196 SUN): not part of the code. */
const SUN_PARAMS = ["e", "c"] as const;

/** A pasted link without the tap's SUN parameters. */
function withoutSun(code: string): string {
  if (!/^https?:\/\//i.test(code)) return code;
  try {
    const url = new URL(code);
    if (!SUN_PARAMS.some((p) => url.searchParams.has(p))) return code;
    for (const p of SUN_PARAMS) url.searchParams.delete(p);
    return url.href.replace(/\?$/, "");
  } catch {
    return code;
  }
}

/** The SUN message of a tap: `e` (encrypted PICCData) and `c` (CMAC), from the page's URL or a pasted link. */
function sunFromLocation(): { e: string; c: string } | undefined {
  const params = new URLSearchParams(location.search);
  let source = params;
  const code = params.get("code");
  if (code && /^https?:\/\//i.test(code)) {
    try {
      source = new URL(code).searchParams;
    } catch {
      // Not a link: no tap in it.
    }
  }
  const e = source.get("e") ?? params.get("e");
  const c = source.get("c") ?? params.get("c");
  return e && c ? { e, c } : undefined;
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

function render(
  r: VerificationReport,
  config: PageConfig,
  records: CheckedRecords,
  cards: HTMLElement[] = [],
  caution?: BannerCaution,
) {
  const standing = buyerStanding(r, records);
  const named = unitsNamed(records.values());
  const packedIn = r.parents.map((p) => {
    const id = named.get(p.toLowerCase() as Hex);
    return id ? unitWords(id) : { en: "a carton or consignment", zh: "包装或运单" };
  });
  // The summary spans the page; below it, the product and its journey beside the proofs.
  const main = [
    ...cards,
    productCard(r, contentsOf(r, records), packedIn) ?? codeCard(r),
    journeyView(buyerJourney(r, records)),
  ];
  app.replaceChildren(
    banner(r, standing, config, caution),
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

/**
 * The bundle from the platform when the HTML did not carry it; without one the page walks the logs. The
 * platform counted this page's visit when it served it: the request says so, to be counted once.
 */
async function fetchBundle(code: string): Promise<ProofBundle | undefined> {
  try {
    const res = await fetch(`/bundle?code=${encodeURIComponent(code)}&${SERVED_PAGE_PARAM}=1`);
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
  const inBundle = (bundle?.records ?? {}) as Record<string, unknown>;
  const claims = config.claims
    ? { address: config.claims.address, deploymentBlock: BigInt(config.claims.deploymentBlock) }
    : undefined;
  // After the page's own write (a claim) the chain is read at its latest block: the bundle pins an older one.
  const verify = (claimCode?: string, latest = false) =>
    verifyWithBundle(code, latest ? undefined : bundle, {
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
      ...(claims ? { claims } : {}),
      ...(claimCode !== undefined ? { claimCode } : {}),
    });
  const failed = (error: unknown) =>
    app.replaceChildren(
      h(
        "section",
        { class: "banner verdict-fail", "data-verdict": "error" },
        h("h2", {}, "The chain could not be read · 无法读取区块链"),
        h("div", { class: "sub" }, (error as Error).message.split("\n")[0]),
      ),
    );

  // What the page shows besides the verdict: the claim card's note, the tap's outcome, the platform's counts.
  const shown: {
    report?: VerificationReport;
    claimNote?: ClaimNote;
    tap?: TapOutcome;
    chainTag?: UnitAuthenticity["tag"];
    scans?: PlatformAnswer<ScanCounts>;
  } = {};
  const draw = () => {
    const r = shown.report;
    if (!r) return;
    const cards = [
      claimView(r, shown.claimNote, (typed) => void offerCode(typed)),
      tapView(r, shown.tap, shown.chainTag),
      scansView(shown.scans),
    ];
    render(
      r,
      config,
      checkedRecords(r, (hash) => fetched.get(hash) ?? inBundle[hash]),
      cards.filter((c): c is HTMLElement => c !== null),
      tapCaution(shown.tap),
    );
  };
  const note = (kind: string, tone: ClaimNote["tone"], en: string, zh: string) => {
    shown.claimNote = { kind, tone, en, zh };
    draw();
  };

  /** A code typed into the claim card: checked here first, relayed only when it would claim the unit. */
  const offerCode = async (typed: string) => {
    const r = shown.report;
    const a = r?.authenticity;
    if (!r?.unit || !a || !config.claims) return;
    try {
      normalizeClaimCode(typed);
    } catch (error) {
      return note(
        "malformed",
        "warn",
        (error as Error).message.split("\n")[0],
        "认领码格式不对：应为四组、每组五个字母或数字。",
      );
    }
    const unit = r.unit.key;
    const assessed = assessClaimCode({ chainId: config.chainId, claims: config.claims.address }, unit, a.claim, typed);
    if (assessed !== "claimable") {
      // The verdict engine says what the code means (a copy, a typo), from the chain: nothing is sent.
      shown.report = await verify(typed).catch((error: unknown) => (failed(error), undefined));
      shown.claimNote = undefined;
      return draw();
    }
    note("sending", "muted", "Sending the claim to the chain…", "正在向区块链提交认领…");
    const answer = await relayClaim(unit, claimSecret(typed));
    if (!answer.ok && (answer.body.error === "already-claimed" || answer.body.error === "wrong-code")) {
      // The chain moved since the page read it: the engine reads it again and explains.
      shown.report = await verify(typed, true).catch((error: unknown) => (failed(error), undefined));
      shown.claimNote = undefined;
      return draw();
    }
    if (!answer.ok) {
      const why = answer.body.error;
      const quiet = {
        "rate-limited": [
          "Too many tries: wait a minute and enter the code again.",
          "尝试次数过多：请稍候一分钟再输入。",
        ],
        "relay-unavailable": [
          "The platform cannot send claims right now: try again later. Your code is still unused.",
          "平台暂时无法提交认领：请稍后再试。您的认领码仍未使用。",
        ],
      } as Record<string, [string, string]>;
      const [en, zh] = quiet[why] ?? [
        `The platform did not send the claim (${answer.body.message ?? why}). Your code is still unused: try again later.`,
        `平台未能提交认领（${answer.body.zh ?? why}）。您的认领码仍未使用：请稍后再试。`,
      ];
      return note(why, "muted", en, zh);
    }
    // The platform's 200 is its say-so: the chain is read again, and the card shows what it says.
    const again = await verify(undefined, true).catch((error: unknown) => (failed(error), undefined));
    if (!again) return;
    shown.report = again;
    if (again.authenticity?.claim.claimed) {
      note(
        "claimed",
        "ok",
        "Claimed: the chain now records this product as claimed by its buyer.",
        "认领成功：区块链已记录该商品由其买家认领。",
      );
    } else {
      note(
        "not-on-chain",
        "warn",
        "The platform says it sent the claim, but the chain does not show it yet: reload the page in a minute.",
        "平台称已提交认领，但区块链上尚未显示：请一分钟后刷新页面。",
      );
    }
  };

  try {
    shown.report = await verify();
    draw();
  } catch (error) {
    failed(error);
    return;
  }
  const unit = shown.report.unit?.key;
  if (!unit || !shown.report.state?.registered) return;
  // The platform's count and the tap's check run after the verdict is on screen and never hold it up.
  void scanCounts(unit).then((answer) => {
    shown.scans = answer;
    draw();
  });
  const sun = sunFromLocation();
  if (sun && config.claims) {
    const claimsAddress = config.claims.address;
    void checkSunTap(unit, sun.e, sun.c).then(async (answer) => {
      shown.tap = tapOutcome(answer);
      try {
        const client = createReadClient({ transport: http(config.rpcUrl) });
        shown.chainTag = (await readUnitAuthenticity(client, claimsAddress, unit)).tag;
      } catch {
        // The chain's tag state stays as the verdict read it.
      }
      draw();
    });
  }
}

/** The brand service's answer to a tap, as the tag card tells it. */
function tapOutcome(answer: Awaited<ReturnType<typeof checkSunTap>>): TapOutcome {
  if (answer.ok) return { kind: "verified", counter: Number(answer.body.counter) };
  const b = answer.body;
  if (b.error === "replayed") {
    return { kind: "replayed", counter: Number(b.counter), lastCounter: Number(b.lastCounter) };
  }
  if (b.error === "not-genuine") return { kind: "not-genuine" };
  if (b.error === "no-tag") return { kind: "no-tag" };
  return {
    kind: "unavailable",
    en: "The brand's tag service could not check this tap right now; the verdict above does not depend on it.",
    zh: "品牌的标签验证服务暂时无法核验此次触碰；上方结论不依赖于此。",
  };
}

void main();

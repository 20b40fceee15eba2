/**
 * The buyer's view of a verification report (issue 15), without a chain: the summary line, the journey by
 * stage, the recall / hold / counterfeit / typo standing, a container's contents, place names and local
 * times. Reports are built here from records made with the SDK's own event builders, so the record hashes
 * are real; an entry only "matches" its record when the record's hash is its `data`.
 */
import { expect } from "chai";
import type { Hex } from "viem";
import { aggregationEvent, encodeLocation, objectEvent, recordHash, type EpcisEvent } from "../../src/epcis";
import { STEPS, DISPOSITIONS, stepName, type DispositionName, type StepName } from "../../src/codes";
import { parseGs1 } from "../../src/gs1";
import type { OrganizationInfo, VerificationReport, VerifiedEntry } from "../../src/verify/types";
import { buyerSummary } from "../../src/verify/summary";
import { buyerJourney, eventCount } from "../../src/verify/buyerJourney";
import { buyerStanding, REASON_FIELD } from "../../src/verify/standing";
import { contentsOf } from "../../src/verify/contents";
import { HIDDEN_FROM_BUYERS, shownToBuyers } from "../../src/verify/buyerSteps";
import { placeOf } from "../../src/verify/places";
import { localTime } from "../../src/verify/localTime";
import { unLocode, UNLOCODE_COUNT } from "../../src/verify/unlocodes";
import { codeProblem } from "../../src/verify/codeCheck";
import { reason } from "../../src/verify/judge";
import type { CheckedRecords } from "../../src/verify/eventFacts";

const ITEM = parseGs1("https://id.gs1.org/01/06901234567892/10/2026A01/21/SN0001");
const CARTON = parseGs1("https://id.gs1.org/00/169012340000000013");
const CONSIGNMENT = parseGs1("https://id.gs1.org/401/6901234MAWB784001");
const uri = (id: typeof ITEM) => `https://id.gs1.org${id.canonicalPath}`;

const org = (orgId: number, name: string, extra: Partial<OrganizationInfo> = {}): OrganizationInfo => ({
  orgId,
  name,
  country: "CN",
  roles: 1,
  suspended: false,
  ...extra,
});
const FACTORY = org(2, "Dongguan Bright Audio Electronics Factory", { gln: "6901234000016" });
const EXPORTER = org(1, "Shenzhen Bright Audio Export Co., Ltd.", { gln: "6901234000047" });
const CUSTOMS = org(8, "Shenzhen Customs District");
const CARRIER = org(4, "Yantian Cross-Border Logistics Co., Ltd.");
const MARKET = org(9, "Shenzhen Administration for Market Regulation");

interface Step {
  step: StepName;
  time: string;
  by: OrganizationInfo;
  location?: string;
  disposition?: DispositionName;
  on?: typeof ITEM;
  offset?: string;
  extensions?: Record<string, string>;
  /** Serve a record that does not hash to the entry's data (a lying platform). */
  tampered?: boolean;
  children?: Array<typeof ITEM>;
  action?: "ADD" | "DELETE";
}

/** A report of `unit` with `steps`, and the records the page would hold (hash-checked like the page does). */
function reportOf(unit: typeof ITEM, steps: Step[], reasons: VerificationReport["reasons"] = []) {
  const records = new Map<string, EpcisEvent>();
  const entries: VerifiedEntry[] = steps.map((s, i) => {
    const on = s.on ?? unit;
    const event: EpcisEvent =
      s.children !== undefined
        ? aggregationEvent({
            parentID: uri(on),
            childEPCs: s.children.map(uri),
            action: s.action ?? "ADD",
            eventTime: s.time,
            ...(s.location ? { location: s.location } : {}),
          })
        : objectEvent({
            epcList: [uri(on)],
            step: s.step,
            eventTime: s.time,
            ...(s.offset ? { eventTimeZoneOffset: s.offset } : {}),
            ...(s.disposition ? { disposition: s.disposition } : {}),
            ...(s.location ? { location: s.location } : {}),
            ...(s.extensions ? { extensions: s.extensions as Record<`${string}:${string}`, string> } : {}),
          });
    const hash = recordHash(event);
    const served = s.tampered ? { ...event, [REASON_FIELD]: "all fine, keep using it" } : event;
    if (recordHash(served) === hash) records.set(hash.toLowerCase(), served);
    return {
      unit: on.key,
      account: "0x0000000000000000000000000000000000000001",
      data: hash,
      info: 0n,
      seq: i + 1,
      step: STEPS[s.step],
      stepName: s.step,
      disposition: s.disposition ? DISPOSITIONS[s.disposition] : 0,
      eventTime: Math.floor(Date.parse(s.time) / 1000),
      location: s.location ? encodeLocation(s.location) : 0n,
      prevBlock: 0,
      org: s.by.orgId,
      // A parent's (un)packing names its children (aux ≠ 0); a child's holds the parent key (aux 0).
      aux: s.children ? BigInt(s.children.length) : 0n,
      blockNumber: BigInt(10 + i),
      blockTime: 0,
      logIndex: 0,
      transactionHash: `0x${"ab".repeat(32)}` as Hex,
      blockHash: `0x${"cd".repeat(32)}` as Hex,
      ...(on.key !== unit.key ? { inheritedFrom: on.key } : {}),
      organization: s.by,
      recordMatches: s.tampered ? null : true,
      corrected: false,
    };
  });
  const verdict = reasons.some((r) => r.severity === "fail") ? "fail" : reasons.length ? "warning" : "authentic";
  const report = {
    verdict,
    reasons,
    input: uri(unit),
    unit: { identity: unit, key: unit.key, uri: uri(unit) },
    state: { registered: true } as VerificationReport["state"],
    registrant: steps[0]?.by,
    ownership: {
      status: "held",
      licence: { codeType: "GTIN", prefix: "6901234", holder: EXPORTER, licence: 1n, licensedAtBlock: 1n },
    },
    parents: [],
    entries,
    ledger: { address: "0x0000000000000000000000000000000000000002" },
    stats: { milliseconds: 0, logQueries: 0 },
  } as VerificationReport;
  return { report, records: records as CheckedRecords };
}

const JOURNEY: Step[] = [
  {
    step: "COMMISSIONING",
    time: "2026-11-02T09:00:00+08:00",
    by: FACTORY,
    location: "6901234000016",
    disposition: "ACTIVE",
  },
  { step: "PACKING", time: "2026-11-02T15:30:00+08:00", by: FACTORY, on: CARTON, children: [ITEM] },
  {
    step: "INSPECTING",
    time: "2026-11-04T16:00:00+08:00",
    by: FACTORY,
    on: CARTON,
    location: "6901234000030",
    disposition: "CONFORMANT",
  },
  { step: "ORDER_PLACED", time: "2026-11-05T12:00:00+08:00", by: EXPORTER, on: CONSIGNMENT },
  { step: "STORING", time: "2026-11-06T09:30:00+08:00", by: EXPORTER, on: CONSIGNMENT, location: "6901234000023" },
  { step: "CUSTOMS_RELEASED", time: "2026-11-07T16:00:00+08:00", by: CUSTOMS, on: CONSIGNMENT, location: "5316" },
  {
    step: "DEPARTING",
    time: "2026-11-08T18:00:00+08:00",
    by: CARRIER,
    on: CONSIGNMENT,
    location: "CNYTN",
    disposition: "IN_TRANSIT",
  },
  { step: "CUSTOMS_EXITED", time: "2026-11-09T09:00:00+08:00", by: CUSTOMS, on: CONSIGNMENT, location: "5316" },
  {
    step: "DELIVERED",
    time: "2026-11-26T15:00:00+01:00",
    offset: "+01:00",
    by: CARRIER,
    on: CONSIGNMENT,
    location: "DEHAM",
  },
  { step: "TAX_REFUNDED", time: "2026-11-27T10:00:00+08:00", by: EXPORTER, on: CONSIGNMENT },
];

describe("buyer view (issue 15)", () => {
  it("the summary line: maker, customs, port, destination and days in transit, with names, in EN and ZH", () => {
    const { report, records } = reportOf(ITEM, JOURNEY);
    const s = buyerSummary(report, records)!;
    expect(s.en).to.equal(
      "Made by Dongguan Bright Audio Electronics Factory in China on 2 Nov 2026 · " +
        "released by Shenzhen Customs District (customs district 5316) on 7 Nov 2026 · " +
        "shipped from Yantian, Shenzhen, China on 8 Nov 2026 · delivered to Hamburg, Germany on 26 Nov 2026 · " +
        "18 days in transit",
    );
    expect(s.zh).to.equal(
      "2026年11月2日由Dongguan Bright Audio Electronics Factory在中国生产 · 2026年11月7日经Shenzhen Customs District（海关关区 5316）放行 · " +
        "2026年11月8日自中国深圳盐田发运 · 2026年11月26日交付至德国汉堡 · 运输 18 天",
    );
    expect(s.parts.map((p) => p.kind)).to.deep.equal(["made", "released", "shipped", "delivered", "transit"]);
  });

  it("nothing registered, nothing summarized: a counterfeit has no summary line", () => {
    const { report, records } = reportOf(ITEM, []);
    report.state = { registered: false } as VerificationReport["state"];
    expect(buyerSummary(report, records)).to.equal(undefined);
  });

  it("the journey: stages once each in order, own events first, one 'via' per stay, finance steps left out", () => {
    const { report, records } = reportOf(ITEM, JOURNEY);
    const groups = buyerJourney(report, records);
    expect(groups.map((g) => g.stage)).to.deep.equal([
      "production",
      "inspection",
      "warehousing",
      "customs",
      "transport",
      "delivery",
    ]);
    // The packing (any stage) stays in production; the clearance closed after departure is still customs.
    expect(groups[0].stays.map((s) => [s.via?.en, s.events.map((e) => e.entry.stepName)])).to.deep.equal([
      [undefined, ["COMMISSIONING"]],
      ["carton SSCC 169012340000000013", ["PACKING"]],
    ]);
    expect(groups[3].stays.map((s) => [s.via?.en, s.events.map((e) => e.entry.stepName)])).to.deep.equal([
      ["consignment 6901234MAWB784001", ["CUSTOMS_RELEASED", "CUSTOMS_EXITED"]],
    ]);
    const steps = groups.flatMap((g) => g.stays.flatMap((s) => s.events.map((e) => e.entry.stepName)));
    expect(steps).not.to.include.members(["ORDER_PLACED", "TAX_REFUNDED"]);
    expect(eventCount(groups)).to.equal(8);
    // Local times: the record's own offset, dispositions in words.
    const delivered = groups[5].stays[0].events[0];
    expect(delivered.time.en).to.equal("26 Nov 2026, 15:00 (UTC+01:00)");
    expect(groups[1].stays[0].events[0].disposition).to.deep.equal({ en: "passed", zh: "合格" });
    expect(groups[1].stays[0].events[0].place?.en).to.equal("a site of Shenzhen Bright Audio Export Co., Ltd.");
  });

  it("finance steps, the booking and the summary declaration are hidden by code; the waybill is shown", () => {
    const hidden = ["ORDER_PLACED", "PAYMENT_RECEIVED", "TAX_REFUNDED", "FX_SETTLED", "ASSIGNED"] as const;
    for (const s of [...hidden, "WAREHOUSE_BOOKED", "SUMMARY_DECLARED"] as const) {
      expect(shownToBuyers(STEPS[s]), s).to.equal(false);
    }
    expect(shownToBuyers(STEPS.DELIVERED)).to.equal(true);
    expect(shownToBuyers(STEPS.WAYBILL_ISSUED)).to.equal(true);
    expect([...HIDDEN_FROM_BUYERS].map((c) => stepName(c))).to.have.length(HIDDEN_FROM_BUYERS.size);
  });

  it("a consignment starts 'Packed / shipment created' (not production) with its waybill; paperwork stays hidden", () => {
    const { report, records } = reportOf(CONSIGNMENT, [
      { step: "COMMISSIONING", time: "2026-11-05T10:00:00+08:00", by: EXPORTER, location: "6901234000047" },
      { step: "PACKING", time: "2026-11-05T11:00:00+08:00", by: EXPORTER, children: [CARTON] },
      { step: "WAYBILL_ISSUED", time: "2026-11-05T12:30:00+08:00", by: CARRIER },
      { step: "WAREHOUSE_BOOKED", time: "2026-11-05T12:40:00+08:00", by: CARRIER },
      { step: "STORING", time: "2026-11-06T09:30:00+08:00", by: EXPORTER, location: "6901234000023" },
      { step: "SUMMARY_DECLARED", time: "2026-11-07T12:00:00+08:00", by: EXPORTER },
      { step: "CUSTOMS_RELEASED", time: "2026-11-07T16:00:00+08:00", by: CUSTOMS, location: "5316" },
    ]);
    const groups = buyerJourney(report, records);
    expect(groups.map((g) => [g.stage, g.en, g.zh])).to.deep.equal([
      ["shipment", "Packed / shipment created", "装箱 / 货运建单"],
      ["warehousing", "Warehousing", "仓储"],
      ["customs", "Customs", "海关"],
    ]);
    const first = groups[0].stays[0].events;
    expect(first.map((e) => e.entry.stepName)).to.deep.equal(["COMMISSIONING", "PACKING", "WAYBILL_ISSUED"]);
    expect([first[0].step.en, first[2].step.en, first[2].step.zh]).to.deep.equal([
      "Registered",
      "Waybill issued",
      "运单已签发",
    ]);
  });

  it("a handover recorded after the next step shows at its own time, in order, in the stage the goods were in", () => {
    const { report, records } = reportOf(ITEM, [
      JOURNEY[0],
      { step: "INSPECTING", time: "2026-11-04T16:00:00+08:00", by: EXPORTER, disposition: "CONFORMANT" },
      // Written on the ledger after the inspection, dated the day before it.
      { step: "CUSTODY_TRANSFERRED", time: "2026-11-03T09:30:00+08:00", by: EXPORTER },
    ]);
    const groups = buyerJourney(report, records);
    const shown = groups.map((g) => [g.stage, g.stays.flatMap((s) => s.events.map((e) => e.entry.stepName))]);
    expect(shown).to.deep.equal([
      ["production", ["COMMISSIONING", "CUSTODY_TRANSFERRED"]],
      ["inspection", ["INSPECTING"]],
    ]);
    expect(groups[0].stays[0].events[1].time.en).to.equal("3 Nov 2026, 09:30 (UTC+08:00)");
  });

  it("a recall: red with the reason from its record, the date and the authority's name; what to do", () => {
    const { report, records } = reportOf(
      ITEM,
      [
        JOURNEY[0],
        {
          step: "RECALL",
          time: "2026-11-20T10:00:00+08:00",
          by: MARKET,
          disposition: "RECALLED",
          extensions: { [REASON_FIELD]: "Battery may overheat" },
        },
      ],
      [reason("RECALLED")],
    );
    const s = buyerStanding(report, records);
    expect(s.kind).to.equal("recalled");
    if (s.kind !== "recalled") return;
    expect(s.action?.by).to.equal("Shenzhen Administration for Market Regulation");
    expect(s.action?.date).to.deep.equal({ en: "20 Nov 2026", zh: "2026年11月20日" });
    expect(s.action?.reason).to.equal("Battery may overheat");
    expect(s.todo.en).to.match(/^Stop using it and contact the seller/);
  });

  it("ATTACK: a recall record that does not hash to its entry gives no reason (a platform cannot write 'keep using it')", () => {
    const { report, records } = reportOf(
      ITEM,
      [JOURNEY[0], { step: "RECALL", time: "2026-11-20T10:00:00+08:00", by: MARKET, tampered: true }],
      [reason("RECALLED")],
    );
    const s = buyerStanding(report, records);
    expect(s.kind).to.equal("recalled");
    expect(s.kind === "recalled" && s.action?.reason).to.equal(undefined);
  });

  it("a hold: amber with who holds it; a counterfeit; a typo names the expected check digit", () => {
    const held = reportOf(
      ITEM,
      [JOURNEY[0], { step: "HOLD", time: "2026-11-21T11:30:00+08:00", by: CUSTOMS }],
      [reason("HELD")],
    );
    const h = buyerStanding(held.report, held.records);
    expect(h.kind === "held" && h.action?.by).to.equal("Shenzhen Customs District");
    const fake = reportOf(ITEM, [], [reason("NOT_REGISTERED")]);
    expect(buyerStanding(fake.report, fake.records).kind).to.equal("counterfeit");
    const typo = reportOf(ITEM, [], [reason("INVALID_CODE")]);
    typo.report.input = "(01)06901234567893(21)SN0001";
    const t = buyerStanding(typo.report, typo.records);
    expect(t.kind).to.equal("typo");
    if (t.kind !== "typo" || t.problem.kind !== "checkDigit") throw new Error("not a check-digit typo");
    expect(t.problem.expected).to.equal(2);
    expect(t.problem.correctedInput).to.equal("(01)06901234567892(21)SN0001");
    // A failing check outranks a recall: what the chain says cannot be trusted then.
    const lying = reportOf(ITEM, [JOURNEY[0]], [reason("RECALLED"), reason("SIGNATURE_INVALID")]);
    expect(buyerStanding(lying.report, lying.records).kind).to.equal("fail");
  });

  it("codeProblem: check digit (with a corrected code that parses), malformed input, and a valid code", () => {
    const p = codeProblem("https://id.gs1.org/00/169012340000000014");
    expect(p?.kind === "checkDigit" && [p.what, p.expected, p.corrected]).to.deep.equal([
      "SSCC",
      3,
      "169012340000000013",
    ]);
    expect(p?.en).to.include("should be 3");
    expect(codeProblem("hello")?.kind).to.equal("malformed");
    expect(codeProblem("hello")?.en).to.match(/^Check the code: /);
    expect(codeProblem("(01)06901234567892(21)SN0001")).to.equal(undefined);
  });

  it("a consignment's contents: children added and not taken out again; unreadable packing records are counted", () => {
    const other = parseGs1("https://id.gs1.org/00/169012340000000020");
    const { report, records } = reportOf(CONSIGNMENT, [
      { step: "COMMISSIONING", time: "2026-11-05T10:00:00+08:00", by: EXPORTER },
      { step: "PACKING", time: "2026-11-05T11:00:00+08:00", by: EXPORTER, children: [CARTON, other] },
      { step: "UNPACKING", time: "2026-11-05T12:00:00+08:00", by: EXPORTER, children: [other], action: "DELETE" },
    ]);
    const c = contentsOf(report, records);
    expect(c.items.map((i) => i.en)).to.deep.equal(["carton SSCC 169012340000000013"]);
    expect(c.unreadEntries).to.equal(0);
    // The registration of a consignment is "Registered", never "Produced".
    const g = buyerJourney(report, records);
    expect(g[0].stays[0].events[0].step.en).to.equal("Registered");
    expect(buyerSummary(report, records)!.en).to.equal(
      "Registered by Shenzhen Bright Audio Export Co., Ltd. in China on 5 Nov 2026",
    );
  });

  it("places: own GLN → the organization, a GLN under a prefix → a site of its holder, UN/LOCODE names, unknown codes as written", () => {
    const ctx = { organizations: [FACTORY, EXPORTER], prefixes: [{ prefix: "6901234", holder: EXPORTER }] };
    expect(placeOf(encodeLocation("6901234000016"), ctx)).to.include({
      en: FACTORY.name,
      kind: "organization",
      timeZone: "Asia/Shanghai",
    });
    expect(placeOf(encodeLocation("6901234000030"), ctx)).to.include({
      en: `a site of ${EXPORTER.name}`,
      kind: "site",
    });
    expect(placeOf(encodeLocation("9521234000013"), ctx)?.en).to.equal("GLN 9521234000013");
    expect(placeOf(encodeLocation("DEHAM"), ctx)).to.include({
      en: "Hamburg, Germany",
      zh: "德国汉堡",
      timeZone: "Europe/Berlin",
    });
    expect(placeOf(encodeLocation("XXABC"), ctx)?.en).to.equal("XXABC");
    expect(placeOf(encodeLocation("5316"), ctx)?.en).to.equal("5316");
    expect(placeOf(encodeLocation("5316"), ctx, true)?.en).to.equal("customs district 5316");
    expect(placeOf(0n, ctx)).to.equal(undefined);
    expect(unLocode("CNYTN")?.country).to.equal("CN");
    expect(unLocode("toString")).to.equal(undefined);
    expect(UNLOCODE_COUNT).to.be.greaterThan(80);
  });

  it("local times: the record's offset first, else the place's zone (summer time included), else UTC", () => {
    const t = Date.parse("2026-07-01T12:00:00Z") / 1000;
    expect(localTime(t, "+08:00", "Europe/Berlin").en).to.equal("1 Jul 2026, 20:00 (UTC+08:00)");
    expect(localTime(t, undefined, "Europe/Berlin")).to.include({
      en: "1 Jul 2026, 14:00 (UTC+02:00)",
      source: "place",
    });
    expect(localTime(t + 150 * 86400, undefined, "Europe/Berlin").offset).to.equal("UTC+01:00");
    expect(localTime(t, "bogus", undefined)).to.include({ en: "1 Jul 2026, 12:00 (UTC)", source: "utc" });
    expect(localTime(t, "-05:30").zh).to.equal("2026年7月1日 06:30（UTC-05:30）");
  });
});

/**
 * The subscription schedule matcher (EPCIS §8.2.5.3 as the bindings' `schedule`): numbers, lists, ranges,
 * omitted fields matching anything, Monday = 1 … Sunday = 7, UTC; a due check over an interval; and every
 * malformed field refused with SubscriptionControlsException.
 */
import { expect } from "chai";
import { matchesSchedule, parseSchedule, scheduleDue } from "../../../src/epcis/rest/subscriptions/schedule";
import { EpcisRestError } from "../../../src/epcis/rest/problem";

const at = (iso: string) => Date.parse(iso);

describe("epcis rest: subscription schedules", () => {
  it("1:05:00 every day (the bindings' example with second 0) matches that second only", () => {
    const m = parseSchedule({ hour: "1", minute: "5", second: "0" });
    expect(matchesSchedule(m, at("2026-03-04T01:05:00Z"))).to.equal(true);
    expect(matchesSchedule(m, at("2026-03-04T01:05:01Z"))).to.equal(false);
    expect(matchesSchedule(m, at("2026-03-04T02:05:00Z"))).to.equal(false);
    expect(matchesSchedule(m, at("2026-12-31T01:05:00Z"))).to.equal(true);
  });

  it("an omitted finer field matches every value: { hour: 2 } runs each second of 2:00–2:59", () => {
    const m = parseSchedule({ hour: "2" });
    expect(matchesSchedule(m, at("2026-03-04T02:00:00Z"))).to.equal(true);
    expect(matchesSchedule(m, at("2026-03-04T02:59:59Z"))).to.equal(true);
    expect(matchesSchedule(m, at("2026-03-04T03:00:00Z"))).to.equal(false);
  });

  it("lists and ranges, day of week Monday = 1 … Sunday = 7, month and day of month", () => {
    const weekdays = parseSchedule({ second: "0", minute: "0", dayOfWeek: "[1-5]" });
    expect(matchesSchedule(weekdays, at("2026-03-02T10:00:00Z")), "Monday").to.equal(true);
    expect(matchesSchedule(weekdays, at("2026-03-06T10:00:00Z")), "Friday").to.equal(true);
    expect(matchesSchedule(weekdays, at("2026-03-07T10:00:00Z")), "Saturday").to.equal(false);
    expect(matchesSchedule(parseSchedule({ dayOfWeek: "7" }), at("2026-03-08T10:00:00Z")), "Sunday").to.equal(true);
    const mixed = parseSchedule({ minute: "0,[15-16],45", month: "[2-3],12", dayOfMonth: "31" });
    expect(matchesSchedule(mixed, at("2026-03-31T09:16:30Z"))).to.equal(true);
    expect(matchesSchedule(mixed, at("2026-03-31T09:17:30Z"))).to.equal(false);
    expect(matchesSchedule(mixed, at("2026-12-31T09:45:00Z"))).to.equal(true);
    expect(matchesSchedule(mixed, at("2026-01-31T09:45:00Z"))).to.equal(false);
    expect(matchesSchedule(mixed, at("2026-03-30T09:45:00Z"))).to.equal(false);
  });

  it("due: a query time in (after, upTo] counts once; none in the interval is not due", () => {
    const m = parseSchedule({ second: "30" });
    expect(scheduleDue(m, at("2026-03-04T01:00:29Z"), at("2026-03-04T01:00:30Z"))).to.equal(true);
    expect(scheduleDue(m, at("2026-03-04T01:00:30Z"), at("2026-03-04T01:00:31Z"))).to.equal(false);
    expect(scheduleDue(m, at("2026-03-04T01:00:31Z"), at("2026-03-04T01:01:29Z"))).to.equal(false);
    // A server down for hours runs the missed query time once on return.
    expect(
      scheduleDue(
        parseSchedule({ hour: "3", minute: "0", second: "0" }),
        at("2026-03-04T01:00:00Z"),
        at("2026-03-04T05:00:00Z"),
      ),
    ).to.equal(true);
  });

  it("ATTACK: malformed schedules are SubscriptionControlsExceptions naming the field", () => {
    const bad: Array<[unknown, string]> = [
      [{ second: "60" }, "second"],
      [{ minute: "-1" }, "minute"],
      [{ hour: "24" }, "hour"],
      [{ dayOfMonth: "0" }, "dayOfMonth"],
      [{ month: "13" }, "month"],
      [{ dayOfWeek: "0" }, "dayOfWeek"],
      [{ hour: "[5-2]" }, "hour"],
      [{ hour: "1-5" }, "hour"],
      [{ hour: "*" }, "hour"],
      [{ hour: "" }, "hour"],
      [{ hour: "1,,2" }, "hour"],
      [{ hour: ["1"] }, "hour"],
      [{ year: "2026" }, "year"],
      [{}, "no field"],
      [[], "object"],
      ["1 * * * *", "object"],
    ];
    for (const [schedule, detail] of bad) {
      let error: unknown;
      try {
        parseSchedule(schedule);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(schedule)).to.be.instanceOf(EpcisRestError);
      expect((error as EpcisRestError).exception).to.equal("SubscriptionControlsException");
      expect((error as EpcisRestError).status).to.equal(400);
      expect((error as EpcisRestError).detail).to.include(detail);
    }
  });
});

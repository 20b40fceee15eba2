/** The sequence shrinker of the model-based test: deletes what does not matter, keeps what fails. */
import { expect } from "chai";
import { minimizeSequence } from "./minimize";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** Fails when 17 comes (anywhere) before 203, as a bug needing two operations in order would. */
const needs17Then203 = async (xs: number[]) => {
  const a = xs.indexOf(17);
  const b = xs.indexOf(203);
  return a >= 0 && b > a ? new Error(`17 at ${a}, 203 at ${b}`) : undefined;
};

describe("model test: shrinking a failing sequence by deleting operations", () => {
  it("shrinks 250 operations to the two that matter, in order, with their failure", async () => {
    const out = await minimizeSequence(range(250), needs17Then203, 10_000);
    expect(out?.items).to.deep.equal([17, 203]);
    expect(out?.complete).to.equal(true);
    expect((out?.error as Error).message).to.equal("17 at 0, 203 at 1");
    expect(out!.tries).to.be.lessThan(250 * 4);
  });

  it("reports a sequence that does not fail again as not reproducible", async () => {
    expect(await minimizeSequence(range(10), async () => undefined, 1_000)).to.equal(undefined);
  });

  it("stops at the time budget with the shortest failing sequence found so far", async () => {
    const slow = async (xs: number[]) => {
      await new Promise((r) => setTimeout(r, 5));
      return needs17Then203(xs);
    };
    const out = await minimizeSequence(range(250), slow, 30);
    expect(out?.complete).to.equal(false);
    expect(out!.items).to.include.members([17, 203]);
    expect(await needs17Then203(out!.items)).to.not.equal(undefined);
  });
});

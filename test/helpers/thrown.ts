/** Assertions on synchronous throws, for the SDK's typed errors (each with a literal `name`). */
import { expect } from "chai";

/**
 * Runs `fn`, expects it to throw an instance of `type` whose `name` is the class name, and returns the error
 * for further checks. `label` is the message chai shows when nothing or something else was thrown.
 */
export function expectThrown<E extends Error>(
  fn: () => unknown,
  type: new (...args: never[]) => E,
  label = `expected ${type.name}`,
): E {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, label).to.be.instanceOf(type);
  expect((caught as E).name).to.equal(type.name);
  return caught as E;
}

/** A GS1 mod-10 check digit, written out here as an oracle independent of src/gs1. */
export function checkDigit(body: string): number {
  const sum = [...body].reverse().reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10;
}

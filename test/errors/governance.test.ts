/** Contract refusals of the governance delay (issue 11 item 7) decode into named SDK errors saying what to do. */
import { expect } from "chai";
import { encodeErrorResult } from "viem";
import { traceLedgerAbi } from "../../src/generated/abi";
import { AdminOnlyError, decodeLedgerError, InvalidRequestError, OperationNotReadyError, TraceError } from "../../src";

const OP = `0x${"cd".repeat(32)}` as const;
const decode = (errorName: string, args: unknown[]) =>
  decodeLedgerError(encodeErrorResult({ abi: traceLedgerAbi, errorName, args } as never));

describe("contract refusals: governance", () => {
  it("an unscheduled delayed call is an OperationNotReadyError saying it needs the delay", () => {
    const e = decode("ConsortiumOperationNotReady", [OP, 0]);
    expect(e).to.be.instanceOf(OperationNotReadyError).and.instanceOf(TraceError);
    expect(e!.name).to.equal("OperationNotReadyError");
    expect(e!.shortMessage).to.equal(
      "This consortium-admin change takes effect only after the governance delay, and operation 0xcdcdcdcd… " +
        "is not scheduled (never, or already applied or cancelled).",
    );
    expect(e!.hints[1]).to.equal("run the same command again after that time to apply it.");
  });

  it("an early call names the time it becomes ready", () => {
    const e = decode("ConsortiumOperationNotReady", [OP, 1_767_225_600]);
    expect(e!.shortMessage).to.equal(
      "Operation 0xcdcdcdcd… is scheduled; it can be applied from 2026-01-01T00:00:00Z, not before.",
    );
  });

  it("pending, not delayed and not-an-organization-admin refusals", () => {
    const pending = decode("ConsortiumOperationPending", [OP, 1_767_225_600]);
    expect(pending).to.be.instanceOf(InvalidRequestError);
    expect(pending!.shortMessage).to.equal(
      "Operation 0xcdcdcdcd… is already scheduled, ready at 2026-01-01T00:00:00Z.",
    );
    const notDelayed = decode("ConsortiumNotDelayed", ["0x8456cb59"]);
    expect(notDelayed!.shortMessage).to.equal(
      "Function 0x8456cb59 is not a delayed consortium-admin function: there is nothing to schedule.",
    );
    const who = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
    const notAdmin = decode("ConsortiumNotOrganizationAdmin", [who, 7]);
    expect(notAdmin).to.be.instanceOf(AdminOnlyError);
    expect(notAdmin!.shortMessage).to.equal(
      `${who} is not an admin account of organization 7: only its admin accounts manage its accounts.`,
    );
  });
});

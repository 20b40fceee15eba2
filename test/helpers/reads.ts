/** Reading a ledger write's results in tests: its decoded `Traced` logs, a unit's state, an inner error. */
import type { ContractTransactionResponse } from "ethers";
import type { TraceLedger } from "../../typechain-types";
import { decodeInfo } from "../../src/codes";

/** The `Traced` logs of a transaction, decoded, in log order. */
export async function tracedLogs(ledger: TraceLedger, tx: ContractTransactionResponse) {
  const receipt = (await tx.wait())!;
  return receipt.logs
    .map((l) => ledger.interface.parseLog(l))
    .filter((p) => p?.name === "Traced")
    .map((p) => ({
      unit: p!.args.unit as string,
      account: p!.args.account as string,
      data: p!.args.data as string,
      info: p!.args.info as bigint,
      ...decodeInfo(p!.args.info),
    }));
}

/** A unit's state with the small fields as numbers. */
export async function unitStateOf(ledger: TraceLedger, unit: string) {
  const s = await ledger.unitState(unit);
  return {
    seq: Number(s.seq),
    stage: Number(s.stage),
    flags: Number(s.flags),
    custodian: Number(s.custodian),
    registrant: Number(s.registrant),
    parent: s.parent,
  };
}

/** A custom error as encoded inside `TraceLedgerBatchItemRejected(index, reason)`. */
export const encodedError = (ledger: TraceLedger, name: string, args: unknown[] = []) =>
  ledger.interface.encodeErrorResult(name, args);

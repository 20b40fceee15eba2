/**
 * Pre-flight of a sequence of ledger calls as one account, each seeing the state the earlier ones leave
 * (a registration, then an event on the unit it registered, then its packing): `eth_simulateV1`, which
 * runs calls in order on top of the latest block without mining anything. A refused call changes nothing
 * and the later ones run on the state without it, which is what sending the others alone would give. Used
 * by the EPCIS capture interface to report every refusal of a document before anything is sent.
 *
 * `eth_simulateV1` is served by geth (1.14.9 and later), Nethermind, Reth, Besu and anvil; a node without it
 * (Hardhat's) gets a `SimulationUnsupportedError`.
 */
import type { Provider } from "ethers";
import type { Hex } from "viem";
import { ContractRefusalError, decodeLedgerError } from "../errors/contract";
import { TraceError } from "../errors/base";

/** One call to the ledger (its ABI-encoded data). */
export interface LedgerCall {
  data: Hex;
}

/** Whether a call would succeed, and the ledger's decoded reason when not. */
export type CallOutcome = { ok: true } | { ok: false; error: ContractRefusalError };

/** The node cannot simulate a sequence of calls (no `eth_simulateV1`). */
export class SimulationUnsupportedError extends TraceError {
  override name = "SimulationUnsupportedError" as const;
}

/** Calls per simulated block (more when needed to stay within the blocks a node simulates at once). */
const CALLS_PER_BLOCK = 8;
/** Most blocks one `eth_simulateV1` may hold (geth's limit). */
const MAX_BLOCKS = 256;

interface SimulatedCall {
  status: string;
  returnData?: Hex;
  error?: { message?: string; data?: Hex };
}

/**
 * Simulates `calls` to `ledger` from `from`, in order, on the latest block; one outcome per call.
 */
export async function simulateInOrder(
  provider: Provider & { send(method: string, params: unknown[]): Promise<unknown> },
  options: { from: string; ledger: string; calls: LedgerCall[] },
): Promise<CallOutcome[]> {
  const { calls } = options;
  if (calls.length === 0) return [];
  const latest = await provider.getBlock("latest");
  const gasLimit = latest?.gasLimit ?? 30_000_000n;
  const gas = `0x${((gasLimit * 9n) / 10n / BigInt(CALLS_PER_BLOCK)).toString(16)}`;
  const blockStateCalls = [];
  for (let i = 0; i < calls.length; i += CALLS_PER_BLOCK) {
    blockStateCalls.push({
      calls: calls
        .slice(i, i + CALLS_PER_BLOCK)
        .map((c) => ({ from: options.from, to: options.ledger, data: c.data, gas })),
    });
  }
  let result: Array<{ calls: SimulatedCall[] }>;
  try {
    result = (await provider.send("eth_simulateV1", [
      { blockStateCalls, validation: false },
      "latest",
    ])) as typeof result;
  } catch (error) {
    const text = String((error as Error).message ?? error);
    if (/not supported|not found|does not exist|unknown method|-32601/i.test(text)) {
      throw new SimulationUnsupportedError("The node cannot pre-flight a sequence of calls (no eth_simulateV1).", {
        hints: ["Use a node that serves eth_simulateV1 (geth ≥ 1.14.9, Nethermind, Reth, Besu, anvil)."],
        cause: error,
      });
    }
    throw error;
  }
  const flat = result.flatMap((block) => block.calls);
  if (flat.length !== calls.length) {
    throw new TraceError(
      `eth_simulateV1 answered ${flat.length} calls for ${calls.length}: the node is not trustworthy.`,
    );
  }
  return flat.map((call) => {
    if (call.status === "0x1") return { ok: true } as const;
    const data = call.error?.data ?? call.returnData;
    const error =
      decodeLedgerError(data) ??
      new ContractRefusalError(
        "unknown",
        [],
        `The ledger refused the call: ${call.error?.message ?? "reverted"}.`,
        [],
        data,
      );
    return { ok: false, error } as const;
  });
}

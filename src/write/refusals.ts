/**
 * What a node's answer to a broadcast or a call means: a fee refusal, an out-of-gas call, a transaction it
 * already has, or a refusal that left the nonce unused. Node wordings differ (geth, Besu, anvil, Hardhat,
 * EthereumJS); they are matched here, once, for the sender.
 */
import { explainContractError } from "../errors/contract";
import { TransactionError } from "../errors/base";

/**
 * Errors the node gave before the transaction was included (a fee, funds or validity refusal of the
 * broadcast): the nonce was not used, so a later transaction of the same key waits behind it.
 */
const refusedBeforeInclusion = new WeakSet<object>();

/** Whether `error` (from `confirm`) is a refusal of the broadcast itself, which left the nonce unused. */
export function nonceLeftUnused(error: unknown): boolean {
  return typeof error === "object" && error !== null && refusedBeforeInclusion.has(error);
}

/** Marks `error` as a refusal of the broadcast (`nonceLeftUnused` then says so) and returns it. */
export const refusedBefore = <E>(error: E): E => {
  if (typeof error === "object" && error !== null) refusedBeforeInclusion.add(error);
  return error;
};

/**
 * A call that ran out of gas, as geth, anvil, Besu and Hardhat word it (Hardhat's EDR also reports an SSTORE
 * under the EIP-2200 stipend as "EVM error ReentrancySentryOOG").
 */
export const OUT_OF_GAS =
  /out of gas|OutOfGas|OOG\b|ran out of gas|gas required exceeds allowance|intrinsic gas too low/i;

/**
 * A node refusing the fee: geth/anvil/Besu ("max fee per gas less than block base fee", "transaction
 * underpriced", "gas price below configured minimum") and Hardhat ("… is too low for the next block").
 */
const FEE_REFUSED =
  /max fee per gas less than block base fee|fee cap less than block base fee|fee ?cap too low|(?<!replacement )transaction underpriced|gas price (?:is )?(?:too low|below)|below (?:the )?(?:configured )?minimum gas price|too low for the next block|GAS_PRICE_TOO_LOW|GAS_PRICE_BELOW_CURRENT_BASE_FEE/i;

/** The node's reason when `error` is a fee refusal: the shortest message of the chain that says so. */
export function feeRefusalOf(error: unknown): string | undefined {
  const telling: string[] = [];
  let e: unknown = error;
  for (let i = 0; i < 5 && e && typeof e === "object"; i++) {
    const o = e as { message?: unknown; error?: unknown; cause?: unknown };
    if (typeof o.message === "string" && FEE_REFUSED.test(o.message)) {
      // ethers wraps the node's answer as `could not coalesce error (error={ "message": "…" }, payload=…)`.
      const quoted = /"message":\s*"([^"]*)"/.exec(o.message)?.[1];
      telling.push(quoted !== undefined && FEE_REFUSED.test(quoted) ? quoted : o.message);
    }
    e = o.error ?? o.cause;
  }
  if (telling.length === 0) return undefined;
  return telling.reduce((a, b) => (b.length < a.length ? b : a)).replace(/\.$/, "");
}

/**
 * A broadcast the node refused, decoded: a ledger refusal by name; an answer ethers could not map ("could not
 * coalesce error", which hides what the node said) as the node's own JSON-RPC error message.
 */
export function refusalOf(error: unknown, hash: string, nonce: number): unknown {
  const explained = explainContractError(error);
  const said = (error as { error?: { message?: unknown } })?.error?.message;
  if (explained !== error || typeof said !== "string") return explained;
  return new TransactionError(`The node refused transaction ${hash} (nonce ${nonce}): ${said}`, {
    hints: [
      "Nothing of it was included and its nonce is unused. When the node names a size or gas limit,",
      "write smaller chunks (`maxTxBytes`, `maxTxGas`); otherwise check the node's configuration.",
    ],
    cause: error,
  });
}

/** The node already has this transaction, or its nonce is used (by it, or by another: the caller checks). */
export const ALREADY_SENT =
  /already known|already imported|nonce too low|nonce has already been used|known transaction|replacement transaction underpriced|NONCE_EXPIRED|ALREADY_EXISTS/i;

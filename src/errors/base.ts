/**
 * The SDK's error base: every failure the SDK reports is a `TraceError` subclass with a literal `name`,
 * a one-line `shortMessage`, hint lines saying what to do, optional details and the underlying `cause`.
 */
export const SDK_VERSION = "0.1.0";

export interface TraceErrorOptions {
  /** What to try next, one line each. */
  hints?: string[];
  /** Technical details (RPC message, raw revert data). */
  details?: string;
  /** The error this one explains. */
  cause?: unknown;
  /**
   * `message` is the short message alone, without hints or the version line. For input refusals of the
   * browser-safe parsers (GS1, EPCIS, QR labels), whose messages are shown to people and pinned by tests.
   */
  bare?: boolean;
}

export class TraceError extends Error {
  override name: string = "TraceError";
  readonly shortMessage: string;
  readonly hints: string[];
  readonly details?: string;
  readonly version = SDK_VERSION;

  constructor(shortMessage: string, options: TraceErrorOptions = {}) {
    const hints = options.hints ?? [];
    const lines = [shortMessage];
    if (!options.bare) {
      if (hints.length) lines.push("", ...hints.map((h) => `- ${h}`));
      if (options.details) lines.push("", `Details: ${options.details}`);
      lines.push(`Version: cbec-trace@${SDK_VERSION}`);
    }
    super(lines.join("\n"), options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    this.hints = hints;
    this.details = options.details;
  }
}

/** The RPC endpoint could not be reached or answered with an error that is not a contract refusal. */
export class NetworkError extends TraceError {
  override name = "NetworkError" as const;
}

/** The endpoint serves another chain than the one configured. */
export class WrongChainError extends TraceError {
  override name = "WrongChainError" as const;
  constructor(
    readonly expected: bigint,
    readonly actual: bigint,
    rpcUrl?: string,
  ) {
    super(
      `The RPC endpoint${rpcUrl ? ` ${rpcUrl}` : ""} serves chain ${actual}, but chain ${expected} is configured.`,
      {
        hints: [
          "Check TRACE_RPC_URL / --rpc points at the right network.",
          "Check TRACE_CHAIN_ID / --chain-id and the deployment manifest.",
        ],
      },
    );
  }
}

/** The address is not a cbec-trace ledger (no code, or another contract). */
export class WrongContractError extends TraceError {
  override name = "WrongContractError" as const;
}

/** A transaction could not be confirmed. */
export class TransactionError extends TraceError {
  override name = "TransactionError" as const;
}

/**
 * The node refused a transaction for its fee: the gas price (or max fee) is below the block's base fee or the
 * node's minimum. Nothing was sent, so the same operation can simply be run again with another fee.
 */
export class FeeTooLowError extends TraceError {
  override name = "FeeTooLowError" as const;
  constructor(
    /** The node's own words, e.g. "max fee per gas less than block base fee". */
    readonly reason: string,
    /** The fixed gas price that was used, when one was configured. */
    readonly gasPrice?: bigint,
    cause?: unknown,
  ) {
    super(
      `The node refused the transaction's fee${gasPrice === undefined ? "" : ` (fixed gas price ${gasPrice} wei)`}: ${reason}.`,
      {
        hints: [
          gasPrice === undefined
            ? "The node's minimum gas price is above what it suggests: ask its operator, or set TRACE_GAS_PRICE / --gas-price to at least that minimum."
            : "Leave TRACE_GAS_PRICE (--gas-price) empty to pay the fee the node asks for, or set it to at least the block's base fee.",
          "TRACE_GAS_PRICE=0 works only on a zero-gas chain (base fee 0: Besu with zeroBaseFee, `npm start`'s node).",
          "Nothing was written: run the same command again once the fee is fixed.",
        ],
        details: reason,
        cause,
      },
    );
  }
}

/**
 * Running the Ignition engine: fee handling for fixed-gas-price chains, progress reporting, and Ignition's
 * failed results turned into `DeployError`s that say what to do.
 */
import {
  DeploymentResultType,
  type DeploymentResult,
  type EIP1193Provider,
  type ExecutionEventListener,
} from "@nomicfoundation/ignition-core";
import { errorDeploymentResultToExceptionMessage } from "@nomicfoundation/hardhat-ignition/helpers";
import { basename } from "node:path";
import { DeployError } from "./errors";
import { LOCAL_CHAIN_ID } from "./hre";

/** Ignition's fee logic prefers EIP-1559 whenever blocks carry a base fee; hiding it makes it use `gasPrice`. */
export function legacyFeeProvider(provider: EIP1193Provider): EIP1193Provider {
  return {
    async request(args) {
      const result = await provider.request(args);
      if (args.method === "eth_getBlockByNumber" && result && typeof result === "object") {
        const { baseFeePerGas: _ignored, ...rest } = result as Record<string, unknown>;
        return rest;
      }
      return result;
    },
  };
}

/** An Ignition event listener that records sent transactions and reports progress. */
export function progressListener(sent: string[], log?: (line: string) => void): ExecutionEventListener {
  const handlers: Record<string, (event: never) => void> = {
    transactionSend: (e: { futureId: string; hash: string }) => {
      sent.push(e.hash);
      log?.(`  sent ${e.futureId}: ${e.hash}`);
    },
    transactionConfirm: (e: { futureId: string; hash: string }) => log?.(`  confirmed ${e.futureId}`),
    onchainInteractionBumpFees: (e: { futureId: string }) => log?.(`  bumping fees of ${e.futureId}`),
    onchainInteractionDropped: (e: { futureId: string }) => log?.(`  transaction of ${e.futureId} was dropped`),
    onchainInteractionTimeout: (e: { futureId: string }) => log?.(`  transaction of ${e.futureId} timed out`),
    reconciliationWarnings: (e: { warnings: string[] }) => e.warnings.forEach((w) => log?.(`  warning: ${w}`)),
  };
  return new Proxy({} as ExecutionEventListener, {
    get: (_target, prop) => handlers[prop as string] ?? (() => undefined),
  });
}

export function failure(
  result: Exclude<DeploymentResult, { type: DeploymentResultType.SUCCESSFUL_DEPLOYMENT }>,
  ctx: {
    network: string;
    chainId: number;
    journalDir: string;
  },
): DeployError {
  const details = errorDeploymentResultToExceptionMessage(result);
  const rerun = `npm run deploy -- --network ${ctx.network}`;
  switch (result.type) {
    case DeploymentResultType.RECONCILIATION_ERROR:
      return new DeployError(
        "JOURNAL_CONFLICT",
        `The parameters differ from those this chain's deployment was made with (journal ${ctx.journalDir}).`,
        {
          hints: [
            "Restore the parameters the ledger was deployed with (admin, adminTransferDelay, permissions).",
            "To change the permission matrix of the deployed ledger, use the consortium admin commands instead.",
            ...(ctx.chainId === LOCAL_CHAIN_ID
              ? [`On the local chain, \`${rerun} --reset\` deploys a new ledger.`]
              : []),
          ],
          details,
        },
      );
    case DeploymentResultType.PREVIOUS_RUN_ERROR:
      return new DeployError(
        "PREVIOUS_RUN_FAILED",
        "A step of a previous deployment run failed; Ignition will not retry it.",
        {
          hints: [
            "Fix the cause shown below, then clear the failed step: " +
              `npx hardhat ignition wipe ${basename(ctx.journalDir)} <future id> --network ${ctx.network}` +
              ` and run \`${rerun}\` again.`,
          ],
          details,
        },
      );
    case DeploymentResultType.EXECUTION_ERROR:
      return new DeployError("DEPLOYMENT_FAILED", "The deployment did not complete.", {
        hints: [
          `Run \`${rerun}\` again to resume: transactions already confirmed are not sent twice.`,
          "If a transaction failed, check the deployer's balance, the gas price (TRACE_GAS_PRICE) and the node's logs.",
          "If the contract deployment fails with an invalid opcode on an older chain, build for it: EVM_TARGET=paris (docs/deploy.md).",
        ],
        details,
      });
    default:
      return new DeployError("BAD_PARAMETERS", "Ignition refused to run the module with these parameters.", {
        details,
      });
  }
}

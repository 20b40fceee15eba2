/** The settings the platform gives the page (inlined in its HTML, else /manifest.json). */
import type { Hex } from "viem";

export interface PageConfig {
  chainId: number;
  rpcUrl: string;
  ledger: { address: Hex; deploymentBlock: number; version: string };
  /** Where the explorer is served on this origin ("/explorer"), when it is: proofs link to its pages. */
  explorerUrl?: string;
  /** Where a buyer reports a product the ledger never registered (`TRACE_REPORT_URL`: mailto: or http(s)). */
  reportUrl?: string;
  /** The claims registry beside the ledger (the manifest's `claims`, issue 17): claims and taps are read from it. */
  claims?: { address: Hex; deploymentBlock: number; version?: string };
}

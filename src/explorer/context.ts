/** What every explorer page is rendered with. */
import type { PublicClient } from "viem";
import type { ProofBundle } from "../bundle/types";
import type { IndexSql } from "../indexer/db";
import type { HtmlValue } from "./html";

/** The ledger the unit pages' verdicts are checked against (the platform's deployment manifest). */
export interface ExplorerLedger {
  address: `0x${string}`;
  chainId: number;
  deploymentBlock: bigint | number | string;
  version?: string;
}

export interface ExplorerContext {
  db: IndexSql;
  bundle: (code: string) => Promise<ProofBundle | undefined>;
  rpcUrl: string;
  ledger: ExplorerLedger;
  /** Where the page fetches an off-chain record the bundle lacks (`<recordsUrl><hash>.json`). */
  recordsUrl: string;
  /** Look document numbers up in the records' table (`documents.ts`). */
  documents: boolean;
  /** Entries per page of the paginated lists. */
  pageSize: number;
  /** The chain, for the home page's lag (optional). */
  client?: PublicClient;
}

/** A rendered page before its frame: status, title, body and what goes at the end of the document. */
export interface PageResult {
  status: number;
  title: string;
  body: HtmlValue;
  query?: string;
  tail?: HtmlValue;
  footer?: HtmlValue;
  /** Scripts run on this page: the explorer's own client script only. */
  script?: boolean;
}

/** A page that answers with a redirect instead. */
export interface Redirect {
  redirect: string;
}

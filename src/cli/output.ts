/** Printing for the CLI: human text or `--json`, and errors as short message + hints with an exit code. */
import { RecordAccessError } from "../records/signedRead";
import {
  TraceError,
  NetworkError,
  WrongChainError,
  WrongContractError,
  TransactionError,
  FeeTooLowError,
} from "../errors/base";
import { ContractRefusalError } from "../errors/contract";
import { CommanderError } from "commander";
import { Gs1Error } from "../gs1/errors";
import { EpcisError } from "../epcis/errors";
import { LabelError } from "../qrLabels/options";
import { ManifestError } from "../config/manifest";
import { NetworkEnvError } from "../config/env";
import { InconsistentLogsError } from "../read/history";
import { EXIT } from "./exitCodes";
import { CodeNotLicensedError } from "../errors/licence";
import { RowsNotLicensedError } from "./import/refusal";
import { CustomsInputError, CustomsPersonalDataError, CustomsRecordError } from "../customs/errors";
import { CustomsIdentifierError } from "../customs/identifiers";
import { PartialWriteError } from "../write/pipeline";
import { IndexBehindError, IndexDatabaseError, IndexQueryError, IndexSourceError } from "../indexer/errors";

/** A usage or input problem detected by the CLI itself. */
export class CliInputError extends TraceError {
  override name = "CliInputError" as const;
}

/** JSON with bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

export interface Output {
  json: boolean;
  /** Prints a result: `human` text, or `data` as JSON with --json. */
  result(data: unknown, human: string | (() => string)): void;
  /** Progress/info lines (stderr; silent with --json). */
  info(line: string): void;
}

export function createOutput(json: boolean, out = process.stdout, err = process.stderr): Output {
  return {
    json,
    result(data, human) {
      out.write((json ? toJson(data) : typeof human === "function" ? human() : human) + "\n");
    },
    info(line) {
      if (!json) err.write(line + "\n");
    },
  };
}

/** The exit code for an error. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof ContractRefusalError) return EXIT.REFUSED;
  // Some chunks of the write are on chain, some are not: rerun to write the rest (reruns skip what landed).
  if (error instanceof PartialWriteError) return EXIT.PARTIAL;
  // The platform refused to serve a withheld record to this key (issue 14: who reads which record).
  if (error instanceof RecordAccessError) return EXIT.REFUSED;
  // Refused before sending, for the same reason the ledger would refuse (issue 11 item 2).
  if (error instanceof CodeNotLicensedError || error instanceof RowsNotLicensedError) return EXIT.REFUSED;
  if (
    error instanceof NetworkError ||
    error instanceof WrongChainError ||
    error instanceof WrongContractError ||
    error instanceof TransactionError ||
    error instanceof FeeTooLowError ||
    // The node's logs contradict the contract's state: a node problem, not the user's input.
    error instanceof InconsistentLogsError ||
    // The index cannot be opened, is behind, or read something no chain can: its environment, not the input.
    error instanceof IndexDatabaseError ||
    error instanceof IndexBehindError ||
    error instanceof IndexSourceError
  ) {
    return EXIT.NETWORK;
  }
  if (
    error instanceof CliInputError ||
    error instanceof Gs1Error ||
    error instanceof EpcisError ||
    error instanceof ManifestError ||
    error instanceof LabelError ||
    error instanceof NetworkEnvError ||
    error instanceof CommanderError ||
    // A customs document that cannot be read or made public, before anything reaches the chain.
    error instanceof CustomsRecordError ||
    error instanceof CustomsPersonalDataError ||
    error instanceof CustomsInputError ||
    error instanceof CustomsIdentifierError ||
    error instanceof IndexQueryError
  ) {
    return EXIT.INVALID_INPUT;
  }
  return EXIT.UNEXPECTED;
}

/** Prints an error the way a person needs it: what went wrong, then what to do. */
export function printError(error: unknown, json: boolean, err = process.stderr): void {
  const e = error as { name?: string; shortMessage?: string; message?: string; hints?: string[] };
  const message = e?.shortMessage ?? e?.message ?? String(error);
  const hints = Array.isArray(e?.hints) ? e.hints : [];
  if (json) {
    err.write(toJson({ error: { name: e?.name ?? "Error", message, hints } }) + "\n");
    return;
  }
  err.write(`error: ${message}\n`);
  for (const h of hints) err.write(`  hint: ${h}\n`);
  if (exitCodeOf(error) === EXIT.UNEXPECTED && error instanceof Error && error.stack) {
    err.write(`${error.stack.split("\n").slice(1, 4).join("\n")}\n`);
  }
}

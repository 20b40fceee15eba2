/**
 * The SDK's refusal to register codes whose GS1 Company Prefix the writer's organization may not use
 * (issue 11 item 2, "identity is owned"). Raised before anything is sent; the ledger would refuse the same
 * codes with `TraceLedgerCodeNotLicensed`.
 */
import { TraceError } from "./base";

/** One refused code of a registration. */
export interface UnlicensedCode {
  /** Its position in the registrations given to the writer. */
  index: number;
  /** Its canonical Digital Link path. */
  path: string;
  /** The licensed prefix the code falls under; absent when no prefix of the code is licensed. */
  prefix?: string;
  /** The prefix's holder (organization id), 0 when nobody holds one. */
  holder: number;
  /** The holder's registered name, when it could be read. */
  holderName?: string;
}

/** How many refused codes a message lists one by one (all of them are in `refused`). */
const LISTED = 10;

/** Why one code is refused, and what to do about it. */
export function unlicensedReason(code: UnlicensedCode, orgId: number): string {
  if (code.holder === 0 || code.prefix === undefined) {
    return (
      `${code.path} is under a GS1 company prefix that is not licensed to any organization on this ledger: ` +
      `ask the consortium admin to license it (trace consortium apply with "prefixes" in consortium.json).`
    );
  }
  const holder = code.holderName ? `${code.holderName} (organization ${code.holder})` : `organization ${code.holder}`;
  return (
    `${code.path} is under prefix ${code.prefix}, licensed to ${holder}, which has not authorized organization ` +
    `${orgId} to register its codes: its organization admin runs ` +
    `\`trace authorize-manufacturer ${code.prefix} ${orgId}\`.`
  );
}

/** Codes the writer's organization neither holds the prefix of nor is authorized under; nothing was sent. */
export class CodeNotLicensedError extends TraceError {
  override name = "CodeNotLicensedError" as const;
  constructor(
    /** The registering organization. */
    readonly orgId: number,
    /** Every refused code, in input order. */
    readonly refused: UnlicensedCode[],
    /** How many codes were to be registered. */
    readonly total: number,
  ) {
    const first = refused[0];
    super(
      refused.length === 1 && total === 1
        ? `Refused before sending: ${unlicensedReason(first, orgId)}`
        : `Refused before sending: ${refused.length} of ${total} codes may not be registered by organization ${orgId}, ` +
            `so nothing was registered.`,
      {
        hints: [
          ...(refused.length === 1 && total === 1
            ? []
            : refused.slice(0, LISTED).map((c) => `#${c.index}: ${unlicensedReason(c, orgId)}`)),
          ...(refused.length > LISTED ? [`… and ${refused.length - LISTED} more.`] : []),
          "`trace prefix <code>` shows who holds a code's prefix and whether your organization may register under it.",
        ],
      },
    );
  }
}

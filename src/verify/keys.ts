/**
 * What the report says about how the signing keys of the journey got there (issue 11 item 7). Every
 * organization's first key is added by the consortium admin when it joins: that is how membership starts
 * and says nothing. A later key the consortium admin added or rotated in is legitimate (it waited a public
 * delay the organization could act in) but it is the one way someone other than the organization put a key
 * in its name, so the buyer is told, as a notice that does not change the verdict. A key whose origin
 * cannot be read, or an admin key without the delayed operation the ledger requires, is a warning: the
 * endpoint is hiding something, or the ledger does not behave as it claims. Pure.
 */
import type { KeyOrigin } from "../read/keys";
import { NOTICES, REASONS, type ReasonCode } from "./reasons";
import type { NoticeFound, ReasonFound } from "./types";

/** What the verifier read about the journey's keys. */
export interface KeyEvidence {
  /** Ledgers before 2.0.0 do not say who added a key: nothing was read. */
  checked: boolean;
  /** The origin of each account that recorded an entry of the journey. */
  origins: KeyOrigin[];
  /** Names of organizations, for the texts. */
  names: Map<number, string>;
}

const reason = (code: ReasonCode, detail: string): ReasonFound => ({ code, ...REASONS[code], detail });

/** Every origin on the chains of `origins` (each account once), nearest first. */
function walk(origins: KeyOrigin[]): KeyOrigin[] {
  const seen = new Set<string>();
  const out: KeyOrigin[] = [];
  for (const start of origins) {
    for (let o: KeyOrigin | undefined = start; o && !seen.has(o.account.toLowerCase()); o = o.addedBy) {
      seen.add(o.account.toLowerCase());
      out.push(o);
    }
  }
  return out;
}

/** The notices (keys the consortium admin added after the public delay) and warnings of the journey's keys. */
export function keyFindings(evidence: KeyEvidence | undefined): { notices: NoticeFound[]; reasons: ReasonFound[] } {
  const notices: NoticeFound[] = [];
  const reasons: ReasonFound[] = [];
  if (!evidence?.checked) return { notices, reasons };
  for (const o of walk(evidence.origins)) {
    const who = `${o.account} of ${evidence.names.get(o.orgId) ?? `organization ${o.orgId}`}`;
    if (o.how === "unknown") {
      reasons.push(reason("KEY_ORIGIN_UNKNOWN", who));
    } else if (o.how === "consortiumAdmin") {
      const announced = o.delay?.announced?.blockNumber;
      const executed = o.delay?.executed?.blockNumber;
      const what = o.via === "rotated" ? `rotated in (replacing ${o.from})` : "added";
      if (announced === undefined || executed === undefined) {
        reasons.push(reason("KEY_DELAY_UNPROVEN", `${who}, ${what} at block ${o.at?.blockNumber}`));
      } else {
        notices.push({
          code: "KEY_ADDED_BY_ADMIN",
          ...NOTICES.KEY_ADDED_BY_ADMIN,
          detail: `${who}, ${what}: announced at block ${announced}, executed at block ${executed}`,
          key: { account: o.account, orgId: o.orgId, announcedAtBlock: announced, executedAtBlock: executed },
        });
      }
    }
  }
  return { notices, reasons };
}

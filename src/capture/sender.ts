/**
 * Nobody captures in another organization's name: a document whose `sender` names the GLN of another
 * member organization of the consortium is refused (403). A sender GLN no member holds (an outside party, a
 * warehouse's own location) is the sender's business and passes; so does the caller's own GLN.
 */
import type { PublicClient } from "viem";
import { gs1CheckDigit } from "../gs1";
import { traceLedgerAbi } from "../generated/abi";
import { readOrganizations } from "../read/organizations";
import type { LedgerLocation } from "../read/types";
import { EpcisRestError } from "../epcis/rest/problem";

/** The GLN a party identifier names (Digital Link `/417/` or `/414/`, `urn:epc:id:pgln:` or `sgln:`). */
export function glnOfParty(party: string): string | undefined {
  const dl = /^https?:\/\/[^/]+(?:\/[^?#]*)?\/(?:417|414)\/(\d{13})(?:[/?#]|$)/.exec(party);
  if (dl) return dl[1];
  const urn = /^urn:epc:id:(?:pgln|sgln):(\d+)\.(\d*)(?:\.[^.]*)?$/.exec(party);
  if (urn && urn[1].length + urn[2].length === 12) return urn[1] + urn[2] + gs1CheckDigit(urn[1] + urn[2]);
  return undefined;
}

/** Checks a document's `sender` against the consortium's member GLNs. */
export function createSenderCheck(client: PublicClient, ledger: LedgerLocation) {
  // An organization's GLN never changes (it is in its OrganizationAdded log), so the map is read again only
  // when the organization count changes — asked on every check, so a member that just joined is protected.
  let cached: { count: number; byGln: Promise<Map<string, number>> } | undefined;
  const memberGlns = async () => {
    const count = Number(
      await client.readContract({ address: ledger.address, abi: traceLedgerAbi, functionName: "organizationCount" }),
    );
    if (cached?.count === count) return cached.byGln;
    const byGln = (async () => {
      const orgs = await readOrganizations(client, { ledger, orgIds: Array.from({ length: count }, (_, i) => i + 1) });
      const map = new Map<string, number>();
      for (const org of orgs.values()) if (org.identity?.gln) map.set(org.identity.gln, org.orgId);
      return map;
    })();
    cached = { count, byGln };
    byGln.catch(() => (cached = undefined));
    return byGln;
  };
  /** Throws a 403 SecurityException when `sender` is another member's GLN. */
  return async function checkSender(sender: unknown, orgId: number): Promise<void> {
    if (typeof sender !== "string") return;
    const gln = glnOfParty(sender);
    if (!gln) return;
    const holder = (await memberGlns()).get(gln);
    if (holder !== undefined && holder !== orgId) {
      throw new EpcisRestError(
        "SecurityException",
        `The document's sender ${sender} is GLN ${gln} of organization ${holder}; this token captures for organization ${orgId} only.`,
        403,
      );
    }
  };
}

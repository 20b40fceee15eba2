/**
 * Which GS1 Company Prefix a code falls under on this ledger, and whether the writer's organization may
 * register it: the ledger checks the `prefixLength` digits at `LIMITS.PREFIX_OFFSET` of the path, so the
 * writer finds the licensed one (licences never overlap, so at most one of the 4 to 12 candidates is) and
 * refuses codes the ledger would refuse, before sending anything.
 */
import { prefixCandidates } from "../gs1/prefix";
import type { TraceLedger } from "../../typechain-types";
import { CodeNotLicensedError, type UnlicensedCode } from "../errors/licence";
import { explainContractError } from "../errors/contract";
import { mapLimit } from "./mapLimit";
import { retryTransient } from "./retry";

/** A prefix and its holder as the ledger has it (holder 0: not licensed). */
export interface PrefixLicence {
  prefix: string;
  holder: number;
  licence: bigint;
}

/** Prefix lookups in flight at once (an ethers provider batches them into few JSON-RPC requests). */
const PARALLEL = 32;

/**
 * Finds the licensed prefix of codes and checks the writer's organization may register under it. Which
 * prefix is licensed is remembered for the writer's life (it rarely changes, and the ledger refuses a code
 * under a stale licence anyway); whether the organization may register under it is asked again on every
 * call (one view per distinct prefix), and a refusal re-reads the licence, so a withdrawn authorization or
 * a revoked licence is never missed.
 */
export class LicenceChecker {
  private readonly licensed = new Map<string, PrefixLicence>();

  constructor(
    private readonly ledger: TraceLedger,
    private readonly orgOf: () => Promise<number>,
  ) {}

  /** The ledger's licence of a prefix, read now (holder 0 when nobody holds it). */
  async licence(prefix: string): Promise<PrefixLicence> {
    const [holder, licence] = await this.view(() => this.ledger.prefixLicence(prefix));
    const found = { prefix, holder: Number(holder), licence: BigInt(licence) };
    if (found.holder === 0) this.licensed.delete(prefix);
    else this.licensed.set(prefix, found);
    return found;
  }

  /** Whether `orgId` may register codes under `prefix` now. */
  mayRegisterUnder(prefix: string, orgId: number): Promise<boolean> {
    return this.view(() => this.ledger.mayRegisterUnder(prefix, orgId));
  }

  /** The licensed prefix of each path (undefined where none is), from memory or one round of lookups. */
  async prefixesOf(paths: string[], fresh = false): Promise<Array<PrefixLicence | undefined>> {
    const candidates = paths.map(prefixCandidates);
    const known = (list: string[]) => (fresh ? undefined : list.map((p) => this.licensed.get(p)).find(Boolean));
    const unknown = [...new Set(candidates.filter((list) => !known(list)).flat())];
    const read = new Map<string, PrefixLicence>();
    for (const l of await mapLimit(unknown, PARALLEL, (p) => this.licence(p))) read.set(l.prefix, l);
    return candidates.map((list) => known(list) ?? list.map((p) => read.get(p)).find((l) => l && l.holder !== 0));
  }

  /**
   * The prefix length of each path for the ledger's `Registration`, or a `CodeNotLicensedError` naming
   * every refused code (by its index) when the writer's organization may not register some of them.
   */
  async prefixLengths(paths: string[]): Promise<number[]> {
    if (paths.length === 0) return [];
    const [orgId, found] = await Promise.all([this.orgOf(), this.prefixesOf(paths)]);
    // Asked even of a holder: a remembered licence may have been revoked since.
    const prefixes = [...new Set(found.flatMap((l) => (l ? [l.prefix] : [])))];
    const allowed = new Map<string, boolean>();
    await mapLimit(prefixes, PARALLEL, async (p) => allowed.set(p, await this.mayRegisterUnder(p, orgId)));
    const refusedAt = found.flatMap((l, i) => (l && allowed.get(l.prefix) ? [] : [i]));
    if (refusedAt.length > 0) throw await this.refusal(orgId, refusedAt, paths);
    return found.map((l) => l!.prefix.length);
  }

  /** The error for the refused paths, on licences read again (a cached holder may have changed). */
  private async refusal(orgId: number, refusedAt: number[], paths: string[]): Promise<CodeNotLicensedError> {
    const fresh = await this.prefixesOf(
      refusedAt.map((i) => paths[i]),
      true,
    );
    const holders = [...new Set(fresh.flatMap((l) => (l ? [l.holder] : [])))];
    const names = new Map<number, string | undefined>();
    await mapLimit(holders, PARALLEL, async (h) => names.set(h, await this.organizationName(h)));
    const refused: UnlicensedCode[] = refusedAt.map((index, k) => {
      const l = fresh[k];
      const name = l ? names.get(l.holder) : undefined;
      return {
        index,
        path: paths[index],
        holder: l?.holder ?? 0,
        ...(l ? { prefix: l.prefix } : {}),
        ...(name !== undefined ? { holderName: name } : {}),
      };
    });
    return new CodeNotLicensedError(orgId, refused, paths.length);
  }

  /** An organization's registered name (from its `OrganizationAdded` log), undefined if unreadable. */
  async organizationName(orgId: number): Promise<string | undefined> {
    try {
      const block = Number(await this.view(() => this.ledger.organizationAddedBlock(orgId)));
      const logs = await retryTransient(() =>
        this.ledger.queryFilter(this.ledger.filters.OrganizationAdded(orgId), block, block),
      );
      const args = logs[0]?.args as { name?: string } | undefined;
      return args?.name;
    } catch {
      return undefined; // the refusal is what matters; the name only helps to read it
    }
  }

  private async view<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await retryTransient(read);
    } catch (error) {
      throw explainContractError(error);
    }
  }
}

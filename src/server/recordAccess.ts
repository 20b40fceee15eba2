/**
 * `GET /records/<hash>.json`: the platform serves each record's public form to anyone, except the finance
 * documents (`src/records/access.ts`: order, payment, FX settlement, tax refund), which it serves only to a
 * request signed by a member key entitled to them. Both decisions come from the chain, never from the
 * record or the request: a record is a finance document when an entry anchoring its hash records a finance
 * step (from the index, else the histories of the units the record names), or when it is a customs record
 * of a finance kind (its kind is part of its hash); the signer's organization and roles are the ledger's.
 *
 * Entitled to a withheld record: a regulator (CUSTOMS, MARKET_REGULATOR, TAX_AUTHORITY); the organization
 * of the record's first anchoring entry (the issuer: a later entry quoting the same hash, which anyone can
 * read off the chain, gives no right); the exporter of that entry's unit (its registrant, or whoever filed
 * an ORDER on it); a payment institution assigned on that unit. Without an index, a customs record's unit
 * cannot be found from its hash: only regulators read it there. Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { isAddress, recoverMessageAddress, type Address, type Hex, type PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import { ROLES, STEPS } from "../codes";
import { unitKeysNamed, type EpcisEvent } from "../epcis";
import { parseCustomsRecord } from "../customs/records/parse";
import { readHistory, readUnitState } from "../read/history";
import type { LedgerLocation } from "../read/types";
import {
  RECORD_READER_MASK,
  RECORD_READER_ROLES,
  RECORD_READ_HEADERS,
  RECORD_READ_WINDOW_SECONDS,
  WITHHELD_KINDS,
  isWithheldStep,
  recordReadMessage,
} from "../records/access";
import type { IndexSql } from "../indexer/db";
import { CONTENT_TYPES, IMMUTABLE, fail, send } from "./http";
import { recordFile } from "./records";

/** A ledger entry holding a record's hash. */
export interface RecordAnchor {
  unit: Hex;
  step: number;
  org: number;
  block: bigint;
  logIndex: number;
}

/** How the server classed a record. */
export interface RecordClass {
  withheld: boolean;
  /** The first entry anchoring the hash, when known (it names the issuer and the unit). */
  first?: RecordAnchor;
}

export interface RecordAccessOptions {
  /**
   * The names (`host[:port]`) clients reach this platform by (TRACE_PLATFORM_URL's host): a signed read must
   * name one, so a signature made for another platform is refused. Default: the request's own Host header.
   */
  hosts?: string[];
}

export interface RecordAccessContext {
  recordsDir: string;
  ledger: LedgerLocation;
  client?: PublicClient;
  index?: IndexSql;
}

/** How a caller signs a read: the body of every 401. */
const HOW_TO_SIGN = {
  headers: RECORD_READ_HEADERS,
  message: recordReadMessage({ hash: "0x<record hash>" as Hex, host: "<platform host[:port]>", signedAt: 0 }).replace(
    "signed at: 0",
    "signed at: <unix seconds, within 5 minutes of the server's clock>",
  ),
  scheme: "EIP-191 personal_sign by a member account's key",
  cli: "trace customs check --unit <code> signs with TRACE_PRIVATE_KEY",
};

const first = (anchors: RecordAnchor[]) =>
  anchors.reduce<RecordAnchor | undefined>(
    (a, b) => (!a || b.block < a.block || (b.block === a.block && b.logIndex < a.logIndex) ? b : a),
    undefined,
  );

/** Whether the record is a customs record of a withheld kind (its kind is covered by its hash). */
function withheldByContent(record: unknown): boolean {
  try {
    return WITHHELD_KINDS.includes(parseCustomsRecord(record).kind);
  } catch {
    return false;
  }
}

/** The record routes' reading side. */
export function createRecordAccess(context: RecordAccessContext, options: RecordAccessOptions = {}) {
  const { client, index, ledger } = context;
  const hosts = options.hosts?.map((h) => h.toLowerCase());
  const read = <T>(functionName: string, args: unknown[]) =>
    client!.readContract({ address: ledger.address, abi: traceLedgerAbi, functionName, args } as never) as Promise<T>;

  /** Every entry holding `hash`: from the index; else from the histories of the units the record names. */
  const anchorsOf = async (hash: Hex, record: unknown): Promise<RecordAnchor[]> => {
    if (index) {
      const rows = await index.query<{ unit: string; step: number; org: number; block: number; log_index: number }>(
        "SELECT unit, step, org, block, log_index FROM entries WHERE data = $1",
        [hash],
      );
      if (rows.length > 0) {
        return rows.map((r) => ({
          unit: r.unit as Hex,
          step: Number(r.step),
          org: Number(r.org),
          block: BigInt(r.block),
          logIndex: Number(r.log_index),
        }));
      }
    }
    if (!client) return [];
    let units: Set<Hex>;
    try {
      units = unitKeysNamed(record as EpcisEvent);
    } catch {
      return [];
    }
    const found: RecordAnchor[] = [];
    for (const unit of units) {
      const history = await readHistory(client, ledger, unit);
      for (const e of history.entries) {
        if (e.data.toLowerCase() !== hash) continue;
        found.push({ unit, step: e.step, org: e.org, block: e.blockNumber, logIndex: e.logIndex });
      }
    }
    return found;
  };

  /** Whether the record is withheld, and its first anchor. */
  const classify = async (hash: Hex, record: unknown): Promise<RecordClass> => {
    const anchors = await anchorsOf(hash, record);
    return {
      withheld: withheldByContent(record) || anchors.some((a) => isWithheldStep(a.step)),
      ...(anchors.length ? { first: first(anchors) } : {}),
    };
  };

  /** Whether `org` filed an ORDER on `unit` (the seller of a sale, e.g. after a 9810 export). */
  const filedOrder = async (unit: Hex, org: number): Promise<boolean> => {
    if (index) {
      const rows = await index.query("SELECT 1 FROM entries WHERE unit = $1 AND step = $2 AND org = $3 LIMIT 1", [
        unit.toLowerCase(),
        STEPS.ORDER_PLACED,
        org,
      ]);
      return rows.length > 0;
    }
    const history = await readHistory(client!, ledger, unit);
    return history.entries.some((e) => e.step === STEPS.ORDER_PLACED && e.org === org);
  };

  /** Why `org` (with `roles`) may read a withheld record, or undefined when it may not. */
  const entitlement = async (org: number, roles: number, cls: RecordClass): Promise<string | undefined> => {
    if ((roles & RECORD_READER_MASK) !== 0) return "regulator";
    const anchor = cls.first;
    if (!anchor) return undefined;
    if (anchor.org === org) return "issuer";
    const state = await readUnitState(client!, ledger, anchor.unit);
    if (state.registrant === org || (await filedOrder(anchor.unit, org))) return "exporter";
    if ((roles & (1 << ROLES.PAYMENT_INSTITUTION)) !== 0 && (await read<boolean>("isAssigned", [anchor.unit, org]))) {
      return "payment institution";
    }
    return undefined;
  };

  /** The 401 / 403 of a withheld record, or the reader's entitlement. */
  const authorize = async (
    req: IncomingMessage,
    res: ServerResponse,
    hash: Hex,
    cls: RecordClass,
  ): Promise<string | undefined> => {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const account = header(RECORD_READ_HEADERS.account);
    const signedAtText = header(RECORD_READ_HEADERS.signedAt);
    const signature = header(RECORD_READ_HEADERS.signature);
    const refuse = (status: 401 | 403, error: string) => {
      if (status === 401) res.setHeader("www-authenticate", 'TraceSignedRead realm="records"');
      const answer = { error, ...(status === 401 ? { howToSign: HOW_TO_SIGN } : {}) };
      send(res, status, CONTENT_TYPES[".json"], JSON.stringify(answer), "no-store");
      return undefined;
    };
    const withheldWhy =
      "this record is a finance document (order, payment, FX settlement or tax refund): it is served only to " +
      "regulators, its issuer, the unit's exporter and the payment institution assigned on the unit";
    if (account === undefined && signedAtText === undefined && signature === undefined) {
      return refuse(401, `${withheldWhy}. Sign the request with a member key (see howToSign).`);
    }
    if (!account || !isAddress(account) || !signedAtText || !/^\d{1,12}$/.test(signedAtText) || !signature) {
      return refuse(
        401,
        `a signed read needs the headers ${Object.values(RECORD_READ_HEADERS).join(", ")}: the account (0x address), ` +
          "the signing time (Unix seconds) and the EIP-191 signature of the message in howToSign",
      );
    }
    if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) {
      return refuse(401, `${RECORD_READ_HEADERS.signature} is not a 65-byte 0x signature`);
    }
    const signedAt = Number(signedAtText);
    const now = Math.floor(Date.now() / 1000);
    if (Math.abs(now - signedAt) > RECORD_READ_WINDOW_SECONDS) {
      return refuse(
        401,
        `the signature was made at ${signedAt}, ${Math.abs(now - signedAt)} s from this server's clock (${now}); ` +
          `a signed read is good for ${RECORD_READ_WINDOW_SECONDS / 60} minutes either way: sign again now`,
      );
    }
    const host = (req.headers.host ?? "").toLowerCase();
    if (hosts && !hosts.includes(host)) {
      return refuse(
        403,
        `this platform is reached as ${hosts.join(", ")}, not "${host}": sign for the platform you ask`,
      );
    }
    let recovered: Address;
    try {
      recovered = await recoverMessageAddress({
        message: recordReadMessage({ hash, host, signedAt }),
        signature: signature as Hex,
      });
    } catch {
      return refuse(403, "the signature cannot be recovered: sign the message in howToSign with the account's key");
    }
    if (recovered.toLowerCase() !== account.toLowerCase()) {
      return refuse(
        403,
        `the signature is not ${account}'s over this record, this platform (${host}) and time ${signedAt}: ` +
          "a signature for another record, platform or time is refused",
      );
    }
    const [orgId, roles, status] = await read<[number, number, number]>("accountInfo", [account]);
    if (orgId === 0) return refuse(403, `${account} is not an account of any organization on the ledger`);
    if (status !== 0) return refuse(403, `${account} (organization ${orgId}) is suspended or retired on the ledger`);
    const why = await entitlement(Number(orgId), Number(roles), cls);
    if (!why) {
      const known = cls.first ? "" : " (this server has no index: only regulators read customs finance records here)";
      return refuse(
        403,
        `organization ${orgId} (${account}) is not entitled to this record: ${withheldWhy}${known}; readers by ` +
          `role are ${RECORD_READER_ROLES.join(", ")}`,
      );
    }
    return why;
  };

  return {
    classify,
    /** Answers a GET or HEAD of `/records/<hash>.json`. */
    async serve(req: IncomingMessage, res: ServerResponse, hash: Hex): Promise<void> {
      const file = recordFile(context.recordsDir, hash);
      if (!file) return fail(res, 404, "no record with that hash");
      const body = readFileSync(file);
      let record: unknown;
      try {
        record = JSON.parse(body.toString("utf8"));
      } catch {
        record = undefined;
      }
      const cls = await classify(hash, record);
      if (!cls.withheld) return send(res, 200, CONTENT_TYPES[".json"], body, IMMUTABLE);
      if (!client) return fail(res, 503, "this server has no node to check who may read a finance record");
      const why = await authorize(req, res, hash, cls);
      if (why === undefined) return;
      // Never cached by a shared cache: the next caller may not be entitled.
      res.setHeader("vary", Object.values(RECORD_READ_HEADERS).join(", "));
      res.setHeader("x-trace-read-as", why);
      send(res, 200, CONTENT_TYPES[".json"], body, "private, no-store");
    },
  };
}

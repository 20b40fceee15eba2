/**
 * A test double of the platform's authenticity endpoints (issue 17), built to the interface contracts parts B
 * and C implement (claim relay, SUN tap check, scan counts), acting on the real chain: the relay sends the
 * real `claim` from a relayer key after checking the secret off chain, the tap service records the real
 * `recordSunTap` with the brand's key. The SUN decryption is the one thing it stands in for: it knows which
 * messages (e, c) a tag wrote. Everything else of the page comes from the real platform server.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Contract } from "ethers";
import type { Hex } from "viem";
import { claimCommitment } from "../../src/authenticity/domain";

export interface DoubleOptions {
  /** The registry as the relayer (any funded account) and as the brand (an account of the registrant). */
  relayer: Contract;
  brand: Contract;
  at: { chainId: number; claims: Hex };
  /** The SUN messages the tag wrote: e (PICCData hex, upper case) → its UID and read counter; c must match. */
  sunMessages: Record<string, { uid: Hex; counter: number; c: string }>;
  /** The scan counts by unit key (lower case); a unit missing answers 503. */
  scans: Record<string, object>;
}

/** What the page asked for, and a switch to make the relay lie (a 200 without a claim). */
export interface DoubleState {
  claimRequests: number;
  tapRequests: number;
  lieAboutClaims: boolean;
}

const json = (res: ServerResponse, status: number, body: object) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};
const error = (res: ServerResponse, status: number, code: string, extra: object = {}) =>
  json(res, status, { error: code, message: `${code} (test double)`, zh: `${code}（测试替身）`, ...extra });
const HEX32 = /^0x[0-9a-fA-F]{64}$/;

async function body(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The double's handler: true when it answered the request. */
export function authenticityDouble(o: DoubleOptions) {
  const state: DoubleState = { claimRequests: 0, tapRequests: 0, lieAboutClaims: false };
  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "POST" && path === "/claims") {
      state.claimRequests++;
      void claim(req, res);
      return true;
    }
    if (req.method === "POST" && path === "/taps/sun") {
      state.tapRequests++;
      void tap(req, res);
      return true;
    }
    if (req.method === "GET" && path.startsWith("/scans/")) {
      const counts = o.scans[path.slice("/scans/".length).toLowerCase()];
      if (!counts) error(res, 503, "scans-unavailable");
      else json(res, 200, counts);
      return true;
    }
    return false;
  };

  async function claim(req: IncomingMessage, res: ServerResponse) {
    const b = await body(req);
    const unit = String(b?.unit ?? "");
    const secret = String(b?.secret ?? "");
    if (!HEX32.test(unit) || !HEX32.test(secret)) return error(res, 400, "bad-request");
    if (state.lieAboutClaims) {
      return json(res, 200, {
        status: "claimed",
        unit,
        txHash: `0x${"ab".repeat(32)}`,
        blockNumber: "1",
        claimedAt: 1,
        stage: 5,
      });
    }
    const [commitment, claimedAt] = (await o.relayer.claimOf(unit)) as [string, bigint];
    if (/^0x0{64}$/.test(commitment)) return error(res, 404, "no-commitment");
    if (claimCommitment(o.at, unit as Hex, secret as Hex) !== commitment) return error(res, 422, "wrong-code");
    if (claimedAt > 0n) return error(res, 409, "already-claimed", { claimedAt: Number(claimedAt) });
    const receipt = await (await o.relayer.claim(unit, secret)).wait();
    const after = (await o.relayer.claimOf(unit)) as [string, bigint, bigint, bigint];
    json(res, 200, {
      status: "claimed",
      unit,
      txHash: receipt.hash,
      blockNumber: String(receipt.blockNumber),
      claimedAt: Number(after[1]),
      stage: Number(after[3]),
    });
  }

  async function tap(req: IncomingMessage, res: ServerResponse) {
    const b = await body(req);
    const unit = String(b?.unit ?? "");
    const e = String(b?.e ?? "").toUpperCase();
    const c = String(b?.c ?? "").toUpperCase();
    if (!HEX32.test(unit) || !/^[0-9A-F]{32}$/.test(e) || !/^[0-9A-F]{16}$/.test(c)) {
      return error(res, 400, "bad-request");
    }
    const [kind, id, lastCounter] = (await o.brand.tagOf(unit)) as [bigint, string, bigint];
    if (kind !== 1n) return error(res, 404, "no-tag");
    const message = o.sunMessages[e];
    if (!message || message.c !== c || !id.toLowerCase().startsWith(message.uid.toLowerCase())) {
      return error(res, 422, "not-genuine");
    }
    if (message.counter <= Number(lastCounter)) {
      return error(res, 409, "replayed", { counter: message.counter, lastCounter: Number(lastCounter) });
    }
    const receipt = await (await o.brand.recordSunTap(unit, message.uid, message.counter)).wait();
    json(res, 200, {
      status: "verified",
      unit,
      uid: message.uid,
      counter: message.counter,
      txHash: receipt.hash,
      blockNumber: String(receipt.blockNumber),
    });
  }
  return { handle, state };
}

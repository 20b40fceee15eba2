/**
 * `POST /claims` (issue 17, interface 1): the platform relays a buyer's first-scan claim, so the buyer needs no
 * account and no gas. The body is `{"unit": "0x<32-byte unit key>", "secret": "0x<32-byte secret>"}` (the page
 * derives the secret from the typed code with `claimSecret`). Answers:
 * 200 `{status: "claimed", unit, txHash, blockNumber, claimedAt, stage}`; 409 `already-claimed` (with
 * `claimedAt`); 422 `wrong-code`; 404 `no-commitment` (an unknown unit too); 400 `bad-request`; 429
 * `rate-limited` (with `retryAfter` and a Retry-After header); 503 `relay-unavailable`. Each error carries an
 * English message saying what to do and its Chinese. The page believes none of it: it reads the chain again.
 * Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Address, Hex } from "viem";
import { readSetting } from "../config/env";
import { BodyTooLargeError, readBodyLimited } from "./http";
import { sendApiError, sendJson } from "./apiErrors";
import { ClaimRateLimiter, DEFAULT_CLAIM_LIMITS, type ClaimLimits } from "./claimLimits";
import { createClaimRelay, type ClaimRelay } from "./claimRelay";
import type { RouteContext, RouteHandler } from "./routes";

export interface ClaimRelayOptions {
  /** The relayer's private key (default: the TRACE_RELAYER_KEY setting). Without one, the relay answers 503. */
  relayerKey?: string;
  /** Fixed gas price in wei (default: the TRACE_GAS_PRICE setting). */
  gasPrice?: bigint;
  limits?: Partial<ClaimLimits>;
  /** Current time in seconds (tests of the rate limits). */
  now?: () => number;
  receiptTimeoutMs?: number;
}

/** Largest body accepted: the two hex strings and their names take 150 bytes. */
export const MAX_CLAIM_BODY_BYTES = 1_024;

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const SEND_THIS = 'Send {"unit": "0x<64 hex digits: the unit key>", "secret": "0x<64 hex digits: claimSecret(code)>"}';
const SEND_THIS_ZH = '请发送 {"unit": "0x<64位十六进制单元键>", "secret": "0x<64位十六进制：claimSecret(认领码)>"}';

export function createClaimRoutes(context: RouteContext, options: ClaimRelayOptions = {}): RouteHandler {
  const limiter = new ClaimRateLimiter({ ...DEFAULT_CLAIM_LIMITS, ...options.limits }, options.now);
  let relay: ClaimRelay | undefined;
  let unavailable: string | undefined;
  try {
    const relayerKey = options.relayerKey ?? readSetting("relayerKey");
    const claims = context.manifest.claims?.address;
    if (!relayerKey) unavailable = "it has no relayer key (TRACE_RELAYER_KEY)";
    else if (!claims) unavailable = "no claims registry is deployed beside its ledger";
    else if (!context.nodeUrl) unavailable = "it has no node to send claims to";
    else {
      relay = createClaimRelay({
        nodeUrl: context.nodeUrl,
        deployment: { chainId: context.manifest.chainId, claims: claims as Address },
        relayerKey,
        gasPrice: options.gasPrice ?? readSetting("gasPrice"),
        receiptTimeoutMs: options.receiptTimeoutMs,
      });
    }
  } catch (error) {
    // A malformed setting: the server runs, the relay says why it cannot.
    unavailable = `its relayer settings are wrong: ${(error as { shortMessage?: string }).shortMessage ?? error}`;
  }

  const bad = (res: ServerResponse, what: string, zh: string) =>
    sendApiError(res, 400, "bad-request", `${what} ${SEND_THIS}.`, `${zh} ${SEND_THIS_ZH}。`);

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    if (!relay) {
      return sendApiError(
        res,
        503,
        "relay-unavailable",
        `This platform cannot relay claims: ${unavailable}. The claim code stays valid: try again later or on the brand's own page.`,
        "此平台暂时无法代为提交认领。您的认领码仍然有效：请稍后再试，或在品牌方的页面上认领。",
      );
    }
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
      return bad(
        res,
        `The body must be JSON (content-type: application/json), not "${type || "none"}".`,
        "请求体须为 JSON。",
      );
    }
    let body: Buffer;
    try {
      body = await readBodyLimited(req, MAX_CLAIM_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return bad(
          res,
          `The body is larger than ${MAX_CLAIM_BODY_BYTES} bytes.`,
          `请求体超过 ${MAX_CLAIM_BODY_BYTES} 字节。`,
        );
      }
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return bad(res, "The body is not JSON.", "请求体不是有效的 JSON。");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return bad(res, "The body must be a JSON object.", "请求体须为 JSON 对象。");
    }
    const { unit, secret, ...rest } = parsed as Record<string, unknown>;
    if (Object.keys(rest).length > 0) {
      return bad(res, `Unknown field(s): ${Object.keys(rest).slice(0, 5).join(", ")}.`, "含有未知字段。");
    }
    if (typeof unit !== "string" || !BYTES32.test(unit)) {
      return bad(
        res,
        '"unit" must be the unit key: 0x and 64 hex digits (32 bytes).',
        '"unit" 须为 0x 加 64 位十六进制（32 字节）。',
      );
    }
    if (typeof secret !== "string" || !BYTES32.test(secret)) {
      return bad(
        res,
        '"secret" must be 0x and 64 hex digits (32 bytes): the secret of the code, never the code itself.',
        '"secret" 须为 0x 加 64 位十六进制（32 字节）：是认领码的密钥，而不是认领码本身。',
      );
    }
    const key = unit.toLowerCase() as Hex;
    const admitted = limiter.attempt(key);
    if (!admitted.ok) return rateLimited(res, admitted.retryAfter, admitted.scope === "unit");
    const outcome = await relay.claim(key, secret.toLowerCase() as Hex, () => {
      const tx = limiter.transaction();
      return tx.ok ? undefined : tx.retryAfter;
    });
    switch (outcome.kind) {
      case "claimed":
        return sendJson(res, 200, {
          status: "claimed",
          unit: key,
          txHash: outcome.txHash,
          blockNumber: outcome.blockNumber.toString(),
          claimedAt: outcome.claimedAt,
          stage: outcome.stage,
        });
      case "already-claimed":
        return sendApiError(
          res,
          409,
          "already-claimed",
          `This code was already claimed on ${day(outcome.claimedAt)}. If you did not claim it yourself, the product in your hands likely carries a copy of a genuine code: contact the seller.`,
          `此码已于 ${day(outcome.claimedAt)} 被认领。如果不是您本人认领的，您手中的商品很可能印有正品码的副本：请联系卖家。`,
          { claimedAt: outcome.claimedAt },
        );
      case "wrong-code":
        return sendApiError(
          res,
          422,
          "wrong-code",
          outcome.claimedAt
            ? "This is not this product's claim code, and the product was already claimed: the code in your hands likely belongs to a copy. Check for typing mistakes, then contact the seller."
            : "This is not this product's claim code. Check the code inside the packaging for typing mistakes and try again.",
          outcome.claimedAt
            ? "这不是此商品的认领码，且此商品已被认领：您手中的码很可能属于仿冒品。请检查是否输错，然后联系卖家。"
            : "这不是此商品的认领码。请核对包装内的认领码是否输错，然后重试。",
          outcome.claimedAt ? { claimedAt: outcome.claimedAt } : {},
        );
      case "no-commitment":
        return sendApiError(
          res,
          404,
          "no-commitment",
          "The brand committed no claim code for this product (or the unit is unknown): there is nothing to claim. The verdict above still says what the chain records.",
          "品牌方未为此商品登记认领码（或此单元不存在）：无可认领。上方的验证结论仍以链上记录为准。",
        );
      case "busy":
        return rateLimited(res, outcome.retryAfter, false);
      case "paused":
        return sendApiError(
          res,
          503,
          "relay-unavailable",
          "The ledger is paused by its consortium admin, so nothing can be claimed now. Your code stays valid: try again later.",
          "账本已被联盟管理员暂停，目前无法认领。您的认领码仍然有效：请稍后再试。",
        );
    }
  };

  return {
    handle(req, res) {
      const path = (req.url ?? "/").split(/[?#]/)[0];
      if (path !== "/claims") return false;
      if (req.method !== "POST") {
        sendApiError(
          res,
          405,
          "bad-request",
          `POST the claim to /claims. ${SEND_THIS}.`,
          `请用 POST 提交到 /claims。`,
          {},
          { allow: "POST" },
        );
        return true;
      }
      answer(req, res).catch(() => {
        if (res.headersSent) return void res.destroy();
        sendApiError(
          res,
          503,
          "relay-unavailable",
          "The claim could not be relayed now (the chain could not be reached). Nothing was claimed: try again in a minute.",
          "暂时无法提交认领（无法连接区块链）。尚未认领：请一分钟后再试。",
        );
      });
      return true;
    },
  };
}

function rateLimited(res: ServerResponse, retryAfter: number, perUnit: boolean) {
  sendApiError(
    res,
    429,
    "rate-limited",
    perUnit
      ? `Too many claim attempts for this product: try again in ${minutes(retryAfter)}.`
      : `The platform is receiving too many claims right now: try again in ${minutes(retryAfter)}.`,
    perUnit
      ? `此商品的认领尝试次数过多：请在${minutesZh(retryAfter)}后再试。`
      : `平台当前认领请求过多：请在${minutesZh(retryAfter)}后再试。`,
    { retryAfter },
    { "retry-after": String(retryAfter) },
  );
}

const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
const minutes = (s: number) => (s < 90 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`);
const minutesZh = (s: number) => (s < 90 ? `${s}秒` : `${Math.ceil(s / 60)}分钟`);

/**
 * `POST /taps/sun`: the brand's NTAG 424 DNA tap check inside the platform server (issue 17, interface 3). The
 * page sends the unit and the tapped URL's `e` and `c`; the brand's tap service checks the message against the
 * unit's tag on chain and records the tap when its counter rose. Answers (JSON; every error also carries
 * `message` in English and `zh` in Chinese, each saying what to do):
 * - 200 `{status: "verified", unit, uid, counter, txHash, blockNumber}`;
 * - 409 `{error: "replayed", counter, lastCounter}`: a genuine message whose counter is not above the chain's;
 * - 422 `{error: "not-genuine"}`: a bad MAC, another tag's message, keys that do not open it;
 * - 404 `{error: "no-tag"}`: no SUN tag bound to the unit;
 * - 400 `{error: "bad-request"}`; 503 `{error: "tap-service-unavailable"}` (no service configured, no keys for
 *   the unit's tag, or the chain could not be reached).
 * The page never takes the 200 on trust: it reads `tagOf(unit)` from the chain afterwards. Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyTooLargeError, CONTENT_TYPES, readBodyLimited, send } from "./http";
import type { RouteHandler } from "./routes";
import type { SunTapRequest, SunTapService } from "../authenticity/tapService";

/** The route's path. */
export const SUN_TAP_PATH = "/taps/sun";
/** A tap request is three short hex strings: anything much longer is not one. */
const BODY_LIMIT = 1024;

export interface TapRouteOptions {
  /** The brand's tap service; absent: every tap is answered 503 (this platform does not check taps). */
  service?: SunTapService;
}

const SEND_THIS = 'Send JSON {"unit": "0x<64 hex digits>", "e": "<32 hex digits>", "c": "<16 hex digits>"}.';

/** The fixed English and Chinese text of each refusal (the page shows them as they are). */
const TEXT = {
  replayed: {
    en: "This tap link was used before: a genuine tag's counter rises on every tap, so this URL was copied or recorded. Tap the tag on the product itself again.",
    zh: "此NFC链接已被使用过：正品标签每次触碰计数都会增加，此链接是被复制或记录的。请重新触碰商品上的标签。",
  },
  "not-genuine": {
    en: "This tap was not written by the NFC tag bound to this product: treat the product as suspect and report it to the platform.",
    zh: "此触碰信息并非由绑定于此商品的NFC标签生成：请谨慎对待此商品，并向平台举报。",
  },
  "no-tag": {
    en: "No NFC tag is bound to this product on the ledger, so there is no tap to check. Check the printed code instead.",
    zh: "账本上没有为此商品绑定NFC标签，无法验证触碰。请改为核验印刷的码。",
  },
  "bad-request": {
    en: `The tap request is malformed. ${SEND_THIS}`,
    zh: "触碰验证请求格式错误，请发送包含 unit、e、c 三个十六进制字段的 JSON。",
  },
  "tap-service-unavailable": {
    en: "The brand's NFC tap check is not available on this platform right now. The verdict checked on the chain still stands; try the tap again later.",
    zh: "此平台暂时无法进行品牌的NFC触碰验证。基于区块链的核验结果不受影响，请稍后再试。",
  },
} as const;

type ErrorCode = keyof typeof TEXT;

/** Sends an interface error: `{error, message, zh, ...extra}`; `detail` says more in English where it helps. */
function refuse(res: ServerResponse, status: number, error: ErrorCode, extra: object = {}, detail?: string) {
  const message = detail ? `${TEXT[error].en} (${detail})` : TEXT[error].en;
  send(res, status, CONTENT_TYPES[".json"], JSON.stringify({ error, message, zh: TEXT[error].zh, ...extra }));
}

/** The tap request in a body, or a sentence saying what is wrong with it. */
export function parseTapRequest(body: unknown): SunTapRequest | string {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return "the body is not a JSON object";
  const { unit, e, c } = body as Record<string, unknown>;
  if (typeof unit !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(unit)) return '"unit" must be 0x and 64 hex digits';
  if (typeof e !== "string" || !/^[0-9a-fA-F]{32}$/.test(e)) return '"e" must be 32 hex digits (the tag\'s PICCData)';
  if (typeof c !== "string" || !/^[0-9a-fA-F]{16}$/.test(c)) return '"c" must be 16 hex digits (the tag\'s MAC)';
  return { unit: unit.toLowerCase() as SunTapRequest["unit"], e, c };
}

/** The route handler (always present: without a service it answers 503, as the interface says). */
export function createTapRoutes(options: TapRouteOptions = {}): RouteHandler {
  const post = async (req: IncomingMessage, res: ServerResponse) => {
    const type = String(req.headers["content-type"] ?? "")
      .split(";")[0]
      .trim()
      .toLowerCase();
    if (type !== "application/json") return refuse(res, 400, "bad-request", {}, `content-type is "${type}"`);
    let body: unknown;
    try {
      body = JSON.parse((await readBodyLimited(req, BODY_LIMIT)).toString("utf8"));
    } catch (error) {
      const why = error instanceof BodyTooLargeError ? `the body exceeds ${BODY_LIMIT} bytes` : "the body is not JSON";
      return refuse(res, 400, "bad-request", {}, why);
    }
    const tap = parseTapRequest(body);
    if (typeof tap === "string") return refuse(res, 400, "bad-request", {}, tap);
    if (!options.service) return refuse(res, 503, "tap-service-unavailable", {}, "no tap service is configured");
    let result;
    try {
      result = await options.service.verifyAndRecord(tap);
    } catch {
      return refuse(res, 503, "tap-service-unavailable", {}, "the chain could not be read or written");
    }
    switch (result.outcome) {
      case "verified":
        return send(
          res,
          200,
          CONTENT_TYPES[".json"],
          JSON.stringify({
            status: "verified",
            unit: result.unit,
            uid: result.uid,
            counter: result.counter,
            txHash: result.txHash,
            blockNumber: result.blockNumber.toString(),
          }),
        );
      case "replayed":
        return refuse(res, 409, "replayed", { counter: result.counter, lastCounter: result.lastCounter });
      case "not-genuine":
        return refuse(res, 422, "not-genuine");
      case "no-tag":
        return refuse(res, 404, "no-tag");
      case "no-keys":
        return refuse(res, 503, "tap-service-unavailable", {}, "the service holds no keys for this product's tag");
    }
  };

  return {
    handle(req, res) {
      const path = (req.url ?? "").split(/[?#]/)[0];
      if (path !== SUN_TAP_PATH) return false;
      if (req.method !== "POST") {
        res.setHeader("allow", "POST");
        refuse(res, 405, "bad-request", {}, `${req.method} is not accepted: POST the tap`);
        return true;
      }
      post(req, res).catch(() => {
        if (!res.headersSent) refuse(res, 503, "tap-service-unavailable");
        else res.end();
      });
      return true;
    },
  };
}

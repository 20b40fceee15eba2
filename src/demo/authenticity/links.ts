/**
 * The lines `npm start` prints for the demo's authenticity units (issue 17): each link on the platform's
 * resolver, as its QR label (or, for the tag, its NFC chip) gives it, and what the buyer will see there.
 */
import { parseGs1 } from "../../gs1";
import { labelUri } from "../../qrLabels/uri";
import { DEMO_AUTHENTICITY_CODES, DEMO_CLAIM_CODES, DEMO_CLONE_CLAIM_CODE } from "./codes";
import { demoTapUrl } from "./tag";

/** The printed lines; `lastCounter` is the demo tag's last counter on chain (the fresh tap is one above it). */
export function authenticityLines(resolverUrl: string, lastCounter: number): string[] {
  const link = (code: string) => labelUri(parseGs1(code), { domain: resolverUrl, attributes: false });
  const tagged = link(DEMO_AUTHENTICITY_CODES.tagged);
  return [
    `  claimed 已认领           ${link(DEMO_AUTHENTICITY_CODES.claimed)}  → "claimed by its buyer"; typing its code ${DEMO_CLAIM_CODES.claimed} again: "already claimed"`,
    `  cloned code 仿冒码       ${link(DEMO_AUTHENTICITY_CODES.cloned)}  → type the copy's code ${DEMO_CLONE_CLAIM_CODE}: "not this product's code, likely a copy"`,
    `  NFC tagged 已绑定NFC     ${tagged}  → the tag bound on chain, last tap #${lastCounter}`,
    `  fresh tap 新触碰         ${demoTapUrl(tagged, lastCounter + 1)}  → "NFC tag verified, read #${lastCounter + 1}"`,
    `  replayed tap 重放触碰    ${demoTapUrl(tagged, 1)}  → "this tap link was already used, likely copied"`,
  ];
}

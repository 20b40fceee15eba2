/**
 * A simulated NXP NTAG 424 DNA tag that writes Secure Unique NFC (SUN) messages into its URL as AN12196
 * describes, for the tests and the demo: on every read the counter rises, the PICCData (tag byte, UID, counter,
 * random padding) is AES-128 encrypted under the SDM meta read key, and the MAC is the truncated AES-CMAC under
 * the session key derived from the SDM file read key. `verifySunMessage` is the other half; the tests check the
 * two against each other and against the application note's own examples. Node-only (AES from node:crypto).
 */
import { createCipheriv, randomBytes } from "node:crypto";
import { aesCmac } from "./cmac";
import { AuthenticityInputError } from "./errors";
import { hexBytes } from "./hex";
import { sunMacSessionKey, truncateMac } from "./sun";

/** PICCDataTag of a tag that mirrors its 7-byte UID and its read counter (datasheet §9.3.4): 0x80 | 0x40 | 7. */
const PICC_DATA_TAG = 0xc7;
const UID_BYTES = 7;
/** SDMReadCtr is 3 bytes: the tag stops answering SUN reads when it would pass this. */
export const MAX_SUN_COUNTER = 0xffffff;

/** The two SDM keys of one tag, 32 hex digits each (what the brand's tag-keys file holds per UID). */
export interface SunTagKeys {
  sdmMetaReadKey: string;
  sdmFileReadKey: string;
}

/** One read's SUN message: the URL's `e=` and `c=` values (upper-case hex, as the tag writes them). */
export interface SunMessage {
  e: string;
  c: string;
  counter: number;
}

export interface SunMessageParameters {
  /** The tag's UID, 14 hex digits. */
  uid: string;
  /** SDMReadCtr of this read (1 on the first read of a new tag). */
  counter: number;
  keys: SunTagKeys;
  /** The 5 random bytes after the counter in PICCData (default: fresh random bytes, as the tag does). */
  padding?: Uint8Array;
  /** The MACed bytes of the file (empty when the MAC input offset equals the MAC offset, as in `?e=…&c=…`). */
  macInput?: Uint8Array;
}

/**
 * The SUN message a tag writes for one read.
 * @throws AuthenticityInputError for a malformed UID or key, a counter outside 0..2^24-1, or padding not 5 bytes.
 */
export function sunMessage(p: SunMessageParameters): SunMessage {
  const uid = hexBytes(p.uid, "uid", UID_BYTES);
  const metaKey = hexBytes(p.keys.sdmMetaReadKey, "sdmMetaReadKey", 16);
  const fileKey = hexBytes(p.keys.sdmFileReadKey, "sdmFileReadKey", 16);
  if (!Number.isSafeInteger(p.counter) || p.counter < 0 || p.counter > MAX_SUN_COUNTER) {
    throw new AuthenticityInputError(`A SUN read counter is 0 to ${MAX_SUN_COUNTER}; got ${p.counter}.`);
  }
  const padding = p.padding ?? randomBytes(16 - 1 - UID_BYTES - 3);
  if (padding.length !== 5) throw new AuthenticityInputError(`PICCData padding is 5 bytes; got ${padding.length}.`);
  const counterLsb = Buffer.from([p.counter & 0xff, (p.counter >> 8) & 0xff, (p.counter >> 16) & 0xff]);
  const plain = Buffer.concat([Buffer.from([PICC_DATA_TAG]), uid, counterLsb, padding]);
  // One block under a zero IV: CBC and ECB are the same thing here.
  const cipher = createCipheriv("aes-128-ecb", metaKey, null);
  cipher.setAutoPadding(false);
  const e = Buffer.concat([cipher.update(plain), cipher.final()]);
  const mac = truncateMac(aesCmac(sunMacSessionKey(fileKey, uid, counterLsb), Buffer.from(p.macInput ?? [])));
  return { e: e.toString("hex").toUpperCase(), c: mac.toString("hex").toUpperCase(), counter: p.counter };
}

/** A tag's URL after one read: the unit's Digital Link with `?e=<PICCData>&c=<MAC>` (other parameters kept). */
export function sunTapUrl(link: string, message: Pick<SunMessage, "e" | "c">): string {
  const url = new URL(link);
  url.searchParams.set("e", message.e);
  url.searchParams.set("c", message.c);
  return url.toString();
}

/** A tag in hand: each `read()` raises its counter and returns the message it writes, like the real chip. */
export class SimulatedSunTag {
  constructor(
    readonly uid: string,
    private readonly keys: SunTagKeys,
    /** SDMReadCtr before the next read. */
    private counter = 0,
  ) {
    hexBytes(uid, "uid", UID_BYTES);
  }

  /** The counter of the last read (0 before any). */
  get readCounter(): number {
    return this.counter;
  }

  /** One read: the counter rises first, then the message is written with it. */
  read(): SunMessage {
    if (this.counter >= MAX_SUN_COUNTER) {
      throw new AuthenticityInputError(`The tag's read counter is at its end (${MAX_SUN_COUNTER}).`);
    }
    this.counter += 1;
    return sunMessage({ uid: this.uid, counter: this.counter, keys: this.keys });
  }
}

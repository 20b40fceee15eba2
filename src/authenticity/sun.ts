/**
 * NTAG 424 DNA Secure Unique NFC (SUN) messages, verified as NXP AN12196 specifies: the PICCData (`e=` / `picc_data=`)
 * is AES-128 encrypted with the SDM meta read key and holds the UID and the read counter (SDMReadCtr); the MAC
 * (`c=` / `cmac=`) is an AES-CMAC under a session key derived from the SDM file read key, the UID and the counter
 * (SV2), truncated to its odd bytes. Runs in the brand's verification service (Node): the AES keys never leave it
 * and never reach the chain, which learns only "tap verified, counter n" (`UnitClaims.recordSunTap`).
 */
import { createDecipheriv, timingSafeEqual } from "node:crypto";
import { aesCmac, aesEncryptBlock } from "./cmac";
import { AuthenticityInputError, ReplayedTapError, TagNotGenuineError } from "./errors";
import { hexBytes } from "./hex";

/** PICCDataTag bits (NTAG 424 DNA datasheet §9.3.4): UID mirrored, read counter mirrored, UID length. */
const UID_MIRRORED = 0x80;
const COUNTER_MIRRORED = 0x40;
const UID_LENGTH_MASK = 0x0f;
const UID_BYTES = 7;
/** Session vector prefixes of AN12196: SV1 (file data encryption key) and SV2 (MAC key). */
const SV1_PREFIX = Buffer.from("c33c00010080", "hex");
const SV2_PREFIX = Buffer.from("3cc300010080", "hex");

export interface SunMessageInput {
  /** The encrypted PICCData: 32 hex digits (the URL's `e=` or `picc_data=`). */
  piccDataHex: string;
  /** The truncated MAC: 16 hex digits (the URL's `c=` or `cmac=`). */
  cmacHex: string;
  /** The tag's SDM meta read key (decrypts PICCData), 32 hex digits. */
  sdmMetaReadKey: string;
  /** The tag's SDM file read key (derives the MAC session key), 32 hex digits. */
  sdmFileReadKey: string;
  /**
   * The bytes the tag MACs: the NDEF file from SDMMACInputOffset up to the MAC (e.g. the ASCII text
   * `"<enc>&cmac="`). Empty (the default) when the MAC input offset equals the MAC offset, as in `?e=…&c=…`.
   */
  macInput?: string | Uint8Array;
  /** Encrypted file data (`enc=`), hex, a multiple of 16 bytes; decrypted into `fileData` when given. */
  encFileDataHex?: string;
  /** The last counter accepted for this tag: a message whose counter is not above it is a replayed tap. */
  lastCounter?: number;
  /** The UID the tag is known by (14 hex digits): a message of another tag is refused. */
  expectedUid?: string;
}

export interface SunTap {
  /** The tag's UID, 14 lower-case hex digits. */
  uid: string;
  /** SDMReadCtr: the tag's read counter, which rises on every tap. */
  counter: number;
  /** The decrypted file data, when `encFileDataHex` was given. */
  fileData?: Buffer;
}

/** AES-128 decryption of one block with a zero IV (CBC of one block = ECB). */
function decryptBlock(key: Buffer, block: Buffer): Buffer {
  const d = createDecipheriv("aes-128-ecb", key, null);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(block), d.final()]);
}

/** A session vector: prefix ‖ UID ‖ SDMReadCtr (LSB first) ‖ zero padding to 16 bytes. */
function sessionVector(prefix: Buffer, uid: Buffer, counterLsb: Buffer): Buffer {
  const sv = Buffer.alloc(16);
  Buffer.concat([prefix, uid, counterLsb]).copy(sv);
  return sv;
}

/** The MAC session key KSesSDMFileReadMAC = CMAC(KSDMFileRead, SV2). */
export function sunMacSessionKey(sdmFileReadKey: Buffer, uid: Buffer, counterLsb: Buffer): Buffer {
  return aesCmac(sdmFileReadKey, sessionVector(SV2_PREFIX, uid, counterLsb));
}

/** The truncated MAC of AN12196: the odd-indexed bytes (1, 3, …, 15) of the full 16-byte CMAC. */
export function truncateMac(full: Uint8Array): Buffer {
  return Buffer.from(Array.from({ length: 8 }, (_, i) => full[2 * i + 1]));
}

/**
 * Verifies a SUN message and returns the tag's UID and read counter.
 * @throws AuthenticityInputError for malformed input;
 * @throws TagNotGenuineError when PICCData does not decrypt to a UID and counter (wrong meta read key, or not a
 * PICCData), when the MAC does not match (forged, tampered, or the wrong file read key) or when it is another tag;
 * @throws ReplayedTapError when the counter is not above `lastCounter`.
 */
export function verifySunMessage(input: SunMessageInput): SunTap {
  const picc = hexBytes(input.piccDataHex, "piccDataHex", 16);
  const mac = hexBytes(input.cmacHex, "cmacHex", 8);
  const metaKey = hexBytes(input.sdmMetaReadKey, "sdmMetaReadKey", 16);
  const fileKey = hexBytes(input.sdmFileReadKey, "sdmFileReadKey", 16);
  if (input.lastCounter !== undefined && !(Number.isSafeInteger(input.lastCounter) && input.lastCounter >= 0)) {
    throw new AuthenticityInputError(`lastCounter must be a whole number ≥ 0; got ${input.lastCounter}.`);
  }
  const plain = decryptBlock(metaKey, picc);
  const tag = plain[0];
  if (!(tag & UID_MIRRORED) || !(tag & COUNTER_MIRRORED) || (tag & UID_LENGTH_MASK) !== UID_BYTES) {
    throw new TagNotGenuineError("The tag's PICCData does not decrypt to a UID and read counter.", {
      hints: [
        "The SDM meta read key is not this tag's, or the e= value was altered: treat the tag as not genuine.",
        "The brand's service must use the key it personalized this tag with.",
      ],
    });
  }
  const uid = plain.subarray(1, 1 + UID_BYTES);
  const counterLsb = plain.subarray(1 + UID_BYTES, 1 + UID_BYTES + 3);
  const counter = counterLsb[0] | (counterLsb[1] << 8) | (counterLsb[2] << 16);
  const macData = typeof input.macInput === "string" ? Buffer.from(input.macInput, "latin1") : (input.macInput ?? []);
  const expected = truncateMac(aesCmac(sunMacSessionKey(fileKey, uid, counterLsb), Buffer.from(macData)));
  if (!timingSafeEqual(expected, mac)) {
    throw new TagNotGenuineError(`The tap's MAC does not match (UID ${uid.toString("hex")}, counter ${counter}).`, {
      hints: [
        "The message was forged or altered, or the SDM file read key is not this tag's: treat the tap as not genuine.",
        "If the tag MACs part of its URL, pass that text as macInput.",
      ],
    });
  }
  if (input.expectedUid !== undefined) {
    const want = hexBytes(input.expectedUid, "expectedUid", UID_BYTES);
    if (!want.equals(uid)) {
      throw new TagNotGenuineError(
        `This SUN message is tag ${uid.toString("hex")}'s, not the unit's tag ${want.toString("hex")}.`,
        { hints: ["A genuine tag moved onto another product, or a mix-up at labelling: treat it as not this unit's."] },
      );
    }
  }
  if (input.lastCounter !== undefined && counter <= input.lastCounter) {
    throw new ReplayedTapError(counter, input.lastCounter, "the SUN message's");
  }
  const result: SunTap = { uid: uid.toString("hex"), counter };
  if (input.encFileDataHex !== undefined) {
    const enc = hexBytes(input.encFileDataHex, "encFileDataHex");
    if (enc.length === 0 || enc.length % 16 !== 0) {
      throw new AuthenticityInputError(`encFileDataHex must be a multiple of 16 bytes; it has ${enc.length}.`);
    }
    const encKey = aesCmac(fileKey, sessionVector(SV1_PREFIX, uid, counterLsb));
    const iv = aesEncryptBlock(encKey, Buffer.concat([counterLsb, Buffer.alloc(13)]));
    const d = createDecipheriv("aes-128-cbc", encKey, iv);
    d.setAutoPadding(false);
    result.fileData = Buffer.concat([d.update(enc), d.final()]);
  }
  return result;
}

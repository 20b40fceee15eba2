/**
 * AES-128-CMAC (RFC 4493 / NIST SP 800-38B), which NTAG 424 DNA uses for its session keys and SUN MACs.
 * Node's crypto has AES-ECB and AES-CBC but no CMAC, so it is built here on one-block AES-ECB encryptions.
 */
import { createCipheriv } from "node:crypto";
import { AuthenticityInputError } from "./errors";

const BLOCK = 16;
/** The constant R_b of RFC 4493 for 128-bit blocks. */
const RB = 0x87;

/** AES-128 encryption of one 16-byte block (ECB, no padding). */
export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Buffer {
  const cipher = createCipheriv("aes-128-ecb", key, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

/** Doubling in GF(2^128): shift left one bit, XOR R_b when the top bit falls out (RFC 4493 §2.3). */
function double(block: Uint8Array): Buffer {
  const out = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) out[i] = ((block[i] << 1) | (i + 1 < BLOCK ? block[i + 1] >> 7 : 0)) & 0xff;
  if (block[0] & 0x80) out[BLOCK - 1] ^= RB;
  return out;
}

/**
 * The 16-byte AES-CMAC of `message` under a 16-byte key.
 * @throws AuthenticityInputError when the key is not 16 bytes.
 */
export function aesCmac(key: Uint8Array, message: Uint8Array): Buffer {
  if (key.length !== BLOCK) {
    throw new AuthenticityInputError(`An AES-128 key is 16 bytes; this one is ${key.length}.`, {
      hints: ["Give the key as 32 hex digits."],
    });
  }
  const k1 = double(aesEncryptBlock(key, Buffer.alloc(BLOCK)));
  const k2 = double(k1);
  const blocks = Math.max(1, Math.ceil(message.length / BLOCK));
  const complete = message.length > 0 && message.length % BLOCK === 0;
  // The last block: XORed with K1 when complete, else padded with 10* and XORed with K2.
  const last = Buffer.alloc(BLOCK);
  const tail = message.subarray((blocks - 1) * BLOCK);
  last.set(tail);
  if (!complete) last[tail.length] = 0x80;
  const subkey = complete ? k1 : k2;
  for (let i = 0; i < BLOCK; i++) last[i] ^= subkey[i];
  let x: Buffer = Buffer.alloc(BLOCK);
  for (let b = 0; b < blocks; b++) {
    const m = b === blocks - 1 ? last : message.subarray(b * BLOCK, (b + 1) * BLOCK);
    const y = Buffer.alloc(BLOCK);
    for (let i = 0; i < BLOCK; i++) y[i] = x[i] ^ m[i];
    x = aesEncryptBlock(key, y);
  }
  return x;
}

/**
 * The demo's NTAG 424 DNA tag on the `tagged` unit: its UID and SDM keys (published demo keys, like the demo
 * members' development keys: they protect nothing), the keys file `npm start` keeps in its data directory, and
 * the tag's messages. The demo's messages are reproducible (fixed padding per counter), so every start can print
 * the same "replayed" link of the first tap and a fresh link one above the chain's last counter. Node-only.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { sunMessage, sunTapUrl, type SunMessage, type SunTagKeys } from "../../authenticity/sunTag";
import { loadTagKeys, writeTagKeys, type TagKeyStore } from "../../authenticity/tagKeys";
import { DEMO_SUN_TAG_UID } from "./codes";

/** The demo tag's keys: demo values, never a real tag's. */
export const DEMO_SUN_TAG_KEYS: SunTagKeys = {
  sdmMetaReadKey: "5e3a7c1d9b2f40e68a1c3d5f7b9e0a24",
  sdmFileReadKey: "c4d2e6f8a0b1c3d5e7f9a1b3c5d7e9f1",
};

/** The keys file's name in `npm start`'s data directory. */
export const DEMO_TAG_KEYS_FILE = "tag-keys.json";

/** Taps the demo records when it seeds (counters 1 and 2); the first one's link is the "replayed" tap. */
export const DEMO_RECORDED_TAPS = 2;

/** The demo tag's message at `counter`: the padding is fixed per counter so the link is the same on every start. */
export function demoTapMessage(counter: number): SunMessage {
  const padding = createHash("sha256").update(`cbec-trace demo tap ${counter}`).digest().subarray(0, 5);
  return sunMessage({ uid: DEMO_SUN_TAG_UID, counter, keys: DEMO_SUN_TAG_KEYS, padding });
}

/** The tagged unit's Digital Link on `resolverUrl` with the demo tag's message at `counter`. */
export function demoTapUrl(link: string, counter: number): string {
  return sunTapUrl(link, demoTapMessage(counter));
}

/** The demo's tag-keys file in `dataDir`: written (owner-only) on the first start, then read. */
export function demoTagKeys(dataDir: string): TagKeyStore {
  const path = join(dataDir, DEMO_TAG_KEYS_FILE);
  if (!existsSync(path)) writeTagKeys(path, { [DEMO_SUN_TAG_UID]: DEMO_SUN_TAG_KEYS });
  return loadTagKeys(path);
}

/**
 * Authenticity (issue 17): the claim codes and hashes of `UnitClaims`, and the two tag verifiers — NTAG 424 DNA
 * SUN messages (Node: the brand's service holds the AES keys) and secp256k1 chip taps (browser-safe).
 * `docs/authenticity.md` says what each proves and what it does not.
 */
export * from "./errors";
export * from "./domain";
export * from "./claimCode";
export * from "./chipTap";
export { aesCmac } from "./cmac";
export { verifySunMessage, sunMacSessionKey, truncateMac, type SunMessageInput, type SunTap } from "./sun";
/** Tag kinds of `UnitClaims.tagOf` (generated from contracts/claims/TagKinds.sol). */
export { TAG_KINDS } from "../generated/codes";
export { readUnitAuthenticity, type UnitAuthenticity } from "./read";

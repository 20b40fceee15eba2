/**
 * The codes of the demo's three authenticity units (issue 17), under the demo brand's prefix and apart from every
 * other demo code, as Digital Link URIs on id.gs1.org, and the claim codes printed out of sight on them. They are
 * public on purpose: the demo's buyer types them on the page. A real brand never keeps its claim codes.
 */

/** The three units `npm start` seeds once: each delivered to its buyer through the demo journey's writers. */
export const DEMO_AUTHENTICITY_CODES = {
  /** Delivered, then claimed by its buyer with `DEMO_CLAIM_CODES.claimed`: the page says "claimed on <date>". */
  claimed: "https://id.gs1.org/01/06901234567892/10/2026A01/21/SN0201",
  /**
   * Delivered and claimed with `DEMO_CLAIM_CODES.cloned`; a copy of its QR code carries `DEMO_CLONE_CLAIM_CODE`
   * instead: typing that is "not this unit's code", typing the genuine one again is "already claimed".
   */
  cloned: "https://id.gs1.org/01/06901234567892/10/2026A01/21/SN0202",
  /** Delivered, with a SUN tag (`DEMO_SUN_TAG_UID`, demo keys) bound and two taps recorded. */
  tagged: "https://id.gs1.org/01/06901234567892/10/2026A01/21/SN0203",
} as const;

export type DemoAuthenticityUnit = keyof typeof DEMO_AUTHENTICITY_CODES;

/** The claim codes the brand committed for the two claimed units (each already claimed once by the demo). */
export const DEMO_CLAIM_CODES = {
  claimed: "Q4014-1VM7V-97ZQQ-GXZ1D",
  cloned: "YFBRW-8BK4T-624AM-GN4YG",
} as const;

/** The different claim code printed on the clone of the `cloned` unit: well formed, but no unit's. */
export const DEMO_CLONE_CLAIM_CODE = "6W3XH-HRJR5-0MPDR-SPRB7";

/** The 7-byte UID of the demo's NTAG 424 DNA tag on the `tagged` unit (14 hex digits). */
export const DEMO_SUN_TAG_UID = "04a1b2c3d4e580";

/** The consignment (AI 401 under the demo prefix) the three units travel in to their buyers. */
export const DEMO_AUTHENTICITY_CONSIGNMENT = "https://id.gs1.org/401/6901234CLAIMS0001";

/**
 * The GS1 Application Identifiers cbec-trace understands, transcribed from the GS1 General Specifications
 * and the GS1 Barcode Syntax Dictionary (format, check digit, `req=`/`ex=` associations, `dlpkey=` qualifiers).
 *
 * Roles in a Digital Link:
 *   - `primary`: a key that starts the path (`/01/…`, `/00/…`, `/401/…`, `/414/…`);
 *   - `qualifier`: refines a primary key in the path, in a fixed order (`/01/…/22/…/10/…/21/…`);
 *   - `attribute`: data about the unit, in the query string (`?17=261231`), never part of the key.
 *
 * Browser-safe: no Node-only APIs.
 */

/** How a unit's GS1 key is split into roles in a Digital Link URI. */
export type AiRole = "primary" | "qualifier" | "attribute";

/** One row of the AI table. */
export interface AiDefinition {
  /** The numeric Application Identifier, e.g. `"01"`. */
  readonly ai: string;
  /** Human name used in error messages, e.g. `"GTIN"` or `"Lot"`. */
  readonly label: string;
  /** GS1 title of the AI. */
  readonly title: string;
  /** Digital Link short name accepted as input (`gtin`, `lot`, `ser`…); never produced. */
  readonly shortName?: string;
  readonly role: AiRole;
  /** `numeric`: digits only; `cset82`: GS1 AI encodable character set 82. */
  readonly charset: "numeric" | "cset82";
  readonly minLength: number;
  readonly maxLength: number;
  /** Whether the last digit is a GS1 mod-10 check digit. */
  readonly checkDigit: boolean;
  /** Whether the value is a `YYMMDD` date (day `00` = end of month). */
  readonly date: boolean;
  /**
   * Whether the AI has a predefined length in GS1 element strings (first two digits in the GS1 predefined-length
   * table), so no FNC1 separator follows it.
   */
  readonly predefinedLength: boolean;
  /** Primary keys: the qualifiers that may follow in the path, in the only order the standard allows. */
  readonly qualifiers?: readonly string[];
  /** Qualifiers: the primary key they qualify. */
  readonly qualifierOf?: string;
  /** Attributes and qualifiers: the primary keys at least one of which must be present (`req=`). */
  readonly requires?: readonly string[];
  /** AIs that must not appear together with this one (`ex=`). */
  readonly excludes?: readonly string[];
  /** Set when GS1 defines the AI but cbec-trace does not key units by it; says what to do instead. */
  readonly unsupported?: string;
}

/** GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1). */
export const CSET82_CHARS = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

const table: readonly AiDefinition[] = [
  {
    ai: "00",
    label: "SSCC",
    title: "Serial Shipping Container Code",
    shortName: "sscc",
    role: "primary",
    charset: "numeric",
    minLength: 18,
    maxLength: 18,
    checkDigit: true,
    date: false,
    predefinedLength: true,
    qualifiers: [],
  },
  {
    ai: "01",
    label: "GTIN",
    title: "Global Trade Item Number",
    shortName: "gtin",
    role: "primary",
    charset: "numeric",
    minLength: 14,
    maxLength: 14,
    checkDigit: true,
    date: false,
    predefinedLength: true,
    qualifiers: ["22", "10", "21"],
  },
  {
    ai: "10",
    label: "Lot",
    title: "Batch or lot number",
    shortName: "lot",
    role: "qualifier",
    charset: "cset82",
    minLength: 1,
    maxLength: 20,
    checkDigit: false,
    date: false,
    predefinedLength: false,
    qualifierOf: "01",
    requires: ["01"],
  },
  {
    ai: "11",
    label: "Production date",
    title: "Production date (YYMMDD)",
    role: "attribute",
    charset: "numeric",
    minLength: 6,
    maxLength: 6,
    checkDigit: false,
    date: true,
    predefinedLength: true,
    requires: ["01"],
  },
  {
    ai: "17",
    label: "Expiry date",
    title: "Expiration date (YYMMDD)",
    shortName: "exp",
    role: "attribute",
    charset: "numeric",
    minLength: 6,
    maxLength: 6,
    checkDigit: false,
    date: true,
    predefinedLength: true,
    requires: ["01"],
  },
  {
    ai: "21",
    label: "Serial",
    title: "Serial number",
    shortName: "ser",
    role: "qualifier",
    charset: "cset82",
    minLength: 1,
    maxLength: 20,
    checkDigit: false,
    date: false,
    predefinedLength: false,
    qualifierOf: "01",
    requires: ["01"],
    excludes: ["235"],
  },
  {
    ai: "22",
    label: "CPV",
    title: "Consumer product variant",
    shortName: "cpv",
    role: "qualifier",
    charset: "cset82",
    minLength: 1,
    maxLength: 20,
    checkDigit: false,
    date: false,
    predefinedLength: false,
    qualifierOf: "01",
    requires: ["01"],
  },
  {
    ai: "235",
    label: "TPX",
    title: "Third-party controlled, serialised extension of GTIN",
    role: "qualifier",
    charset: "cset82",
    minLength: 1,
    maxLength: 28,
    checkDigit: false,
    date: false,
    predefinedLength: false,
    qualifierOf: "01",
    requires: ["01"],
    excludes: ["21"],
    unsupported: "cbec-trace keys serialised items by AI 21 (serial); encode the item as /01/<GTIN>/21/<serial>",
  },
  {
    ai: "254",
    label: "GLN extension",
    title: "GLN extension component",
    shortName: "glnx",
    role: "qualifier",
    charset: "cset82",
    minLength: 1,
    maxLength: 20,
    checkDigit: false,
    date: false,
    predefinedLength: false,
    qualifierOf: "414",
    requires: ["414"],
  },
  {
    ai: "401",
    label: "GINC",
    title: "Global Identification Number for Consignment",
    shortName: "ginc",
    role: "primary",
    charset: "cset82",
    minLength: 1,
    maxLength: 30,
    checkDigit: false,
    date: false,
    predefinedLength: false,
    qualifiers: [],
  },
  {
    ai: "402",
    label: "GSIN",
    title: "Global Shipment Identification Number",
    shortName: "gsin",
    role: "primary",
    charset: "numeric",
    minLength: 17,
    maxLength: 17,
    checkDigit: true,
    date: false,
    predefinedLength: false,
    qualifiers: [],
    unsupported:
      "cbec-trace keys shipments by the consignment's GINC (AI 401) or the SSCCs of its logistic units (AI 00); a GSIN may only travel as a data attribute",
  },
  {
    ai: "414",
    label: "GLN",
    title: "Global Location Number of a physical location",
    shortName: "gln",
    role: "primary",
    charset: "numeric",
    minLength: 13,
    maxLength: 13,
    checkDigit: true,
    date: false,
    predefinedLength: true,
    qualifiers: ["254"],
  },
];

/** The AI table, keyed by numeric AI. */
export const GS1_AIS: Readonly<Record<string, AiDefinition>> = Object.freeze(
  Object.fromEntries(table.map((d) => [d.ai, Object.freeze(d)])),
);

const byShortName: Readonly<Record<string, AiDefinition>> = Object.fromEntries(
  table.filter((d) => d.shortName !== undefined).map((d) => [d.shortName as string, d]),
);

/** The primary keys cbec-trace derives unit keys from, in the order they are listed in messages. */
export const PRIMARY_KEY_AIS: readonly string[] = table
  .filter((d) => d.role === "primary" && d.unsupported === undefined)
  .map((d) => d.ai);

/** The definition of a numeric AI, or `undefined` when it is not in the table. */
export function aiDefinition(ai: string): AiDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(GS1_AIS, ai) ? GS1_AIS[ai] : undefined;
}

/** The definition named by a numeric AI or a Digital Link short name (`gtin`, `lot`, `ser`, `exp`…). */
export function aiFromName(name: string): AiDefinition | undefined {
  return (
    aiDefinition(name) ?? (Object.prototype.hasOwnProperty.call(byShortName, name) ? byShortName[name] : undefined)
  );
}

/** `"Lot (AI 10)"`: how messages name an AI. */
export function describeAi(ai: string): string {
  const def = aiDefinition(ai);
  return def === undefined ? `AI ${ai}` : `${def.label} (AI ${ai})`;
}

/** Whether a string has the shape of a GS1 AI (2 to 4 digits), known to the table or not. */
export function looksLikeAi(text: string): boolean {
  return /^[0-9]{2,4}$/.test(text);
}

/** `"00 (SSCC), 01 (GTIN), 401 (GINC), 414 (GLN)"`: the supported primary keys, for messages. */
export function primaryKeyList(): string {
  return PRIMARY_KEY_AIS.map((ai) => `${ai} (${GS1_AIS[ai].label})`).join(", ");
}

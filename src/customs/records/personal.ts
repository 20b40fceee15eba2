/**
 * Personal data in customs records: how a person becomes the references of the public form, and the check
 * that nothing personal survives in a published field. A person's identity becomes `buyerRef` (the on-chain
 * identifier of identifiers.ts); a telephone or an address becomes its own salted hash, with the same order
 * `privacySalt`, so the public form commits to every personal field without revealing any.
 */
import { encodeAbiParameters, keccak256, type Hex } from "viem";
import { buyerRef } from "../identifiers";
import { CustomsPersonalDataError } from "../errors";
import type { PersonRecord, PublicPerson } from "./types";

/** The salted hash of one personal text field (`telephone`, `address`), domain-separated by field. */
export function personalFieldHash(field: "telephone" | "address", privacySalt: Hex, value: string): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "bytes32" }, { type: "string" }],
      [`cbec-trace:${field}`, privacySalt, value.normalize("NFKC").trim().replace(/\s+/g, " ")],
    ),
  );
}

/** The public form of a person: `buyerRef`, and the hashes of telephone and address when given. */
export function publicPerson(privacySalt: Hex, person: PersonRecord): PublicPerson {
  return {
    buyerRef: buyerRef(privacySalt, person),
    ...(person.telephone !== undefined
      ? { telephoneHash: personalFieldHash("telephone", privacySalt, person.telephone) }
      : {}),
    ...(person.address !== undefined ? { addressHash: personalFieldHash("address", privacySalt, person.address) } : {}),
  };
}

/**
 * Text folded for the leak check: compatibility forms unified (full-width digits and letters, ligatures),
 * case folded (ß as ss), and every space, separator, punctuation and invisible format character (zero-width space,
 * joiners, soft hyphen) removed — so "张 三", "ＺＨＡＮＧ", "1101​0519" all meet their plain spelling.
 */
function fold(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[\p{Z}\p{Cf}\p{P}\p{S}\s]/gu, "");
}

const HASH = /^0x[0-9a-f]{64}$/i;

/**
 * Refuses a public form in which a personal value of `people` appears in any string field (at any depth),
 * compared after folding. Hashes are skipped (hex could contain a short name by chance); values shorter than
 * two folded characters are not searched for (they would match everywhere).
 */
export function checkNoPersonalData(publicForm: unknown, people: readonly PersonRecord[]): void {
  const needles: Array<{ what: string; folded: string }> = [];
  for (const p of people) {
    for (const [what, value] of [
      ["name", p.name],
      ["identity number", p.idNumber],
      ["telephone", p.telephone],
      ["address", p.address],
    ] as const) {
      const folded = value === undefined ? "" : fold(value);
      if (folded.length >= 2) needles.push({ what, folded });
    }
  }
  const visit = (value: unknown, path: string): void => {
    if (typeof value === "string") {
      if (HASH.test(value)) return;
      const hay = fold(value);
      const hit = needles.find((n) => hay.includes(n.folded));
      if (hit) {
        throw new CustomsPersonalDataError(
          path,
          `${path} contains the ${hit.what} of a person named on the record, which the public form must not carry: ` +
            `remove it from ${path} (personal data goes only in the person fields, which the public form replaces by hashes).`,
        );
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
    }
  };
  visit(publicForm, "$");
}

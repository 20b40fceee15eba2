/**
 * The levels of a Digital Link, from the unit itself up to its primary key: a serialised item's serial, its
 * lot (and CPV), its GTIN; a GLN with extension, the GLN. An SSCC or a GINC has one level. The linkset lists
 * the links of every level (GS1-Conformant Resolver: "less granular" identifiers of the request).
 */
import { fieldsOfIdentity, identityFromFields, type Gs1Identity } from "../gs1/identity";

/**
 * The identity and each less granular identity above it, most specific first, without data attributes.
 *
 * @example levelsOf(parseGs1("/01/09521234543213/10/L1/21/S1")).map((l) => l.canonicalPath)
 *   // ["/01/09521234543213/10/L1/21/S1", "/01/09521234543213/10/L1", "/01/09521234543213"]
 */
export function levelsOf(identity: Gs1Identity): Gs1Identity[] {
  const levels = [identityFromFields({ ...fieldsOfIdentity(identity), attributes: {} })];
  if (identity.gtin !== undefined) {
    // Drop the qualifiers from the end, one at a time: serial, then lot, then CPV (the standard's order).
    const { gtin, cpv, lot, serial } = identity;
    if (serial !== undefined && lot !== undefined) levels.push(item(gtin, cpv, lot));
    if ((serial !== undefined || lot !== undefined) && cpv !== undefined) levels.push(item(gtin, cpv));
    if (serial !== undefined || lot !== undefined || cpv !== undefined) levels.push(item(gtin));
  } else if (identity.gln !== undefined && identity.glnExtension !== undefined) {
    levels.push(identityFromFields({ gln: identity.gln }));
  }
  return levels;
}

function item(gtin: string, cpv?: string, lot?: string): Gs1Identity {
  return identityFromFields({ gtin, ...(cpv !== undefined ? { cpv } : {}), ...(lot !== undefined ? { lot } : {}) });
}

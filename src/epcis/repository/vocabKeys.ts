/**
 * One spelling per vocabulary value, so `EQ_bizStep=shipping`, `cbv:BizStep-shipping`,
 * `urn:epcglobal:cbv:bizstep:shipping` and `https://ref.gs1.org/cbv/BizStep-shipping` find the same events:
 * the stored columns and the query values both go through {@link vocabKey}. Browser-safe.
 */
import {
  CBV_BIZ_STEPS,
  CBV_BIZ_STEP_PREFIX,
  CBV_DISPOSITIONS,
  CBV_DISPOSITION_PREFIX,
  CBEC_TRACE_NAMESPACE,
} from "../vocabulary";

export type VocabKind = "bizStep" | "disposition";

const VOCAB: Record<VocabKind, { base: string; aliases: string[]; terms: ReadonlySet<string> }> = {
  bizStep: {
    base: CBV_BIZ_STEP_PREFIX,
    aliases: [CBV_BIZ_STEP_PREFIX, "cbv:BizStep-", "urn:epcglobal:cbv:bizstep:"],
    terms: new Set(CBV_BIZ_STEPS),
  },
  disposition: {
    base: CBV_DISPOSITION_PREFIX,
    aliases: [CBV_DISPOSITION_PREFIX, "cbv:Disp-", "urn:epcglobal:cbv:disp:"],
    terms: new Set(CBV_DISPOSITIONS),
  },
};

/**
 * The full URI of a bizStep or disposition value, or undefined for a bare word that is not a CBV 2.0 term
 * (the bindings say standard values are bare words and custom ones URIs or CURIEs).
 */
export function vocabKey(kind: VocabKind, value: string): string | undefined {
  const v = VOCAB[kind];
  for (const alias of v.aliases) {
    if (value.startsWith(alias)) {
      const term = value.slice(alias.length);
      return v.terms.has(term) ? v.base + term : value;
    }
  }
  if (value.startsWith("cbectrace:")) return CBEC_TRACE_NAMESPACE + value.slice("cbectrace:".length);
  if (/^[A-Za-z_]+$/.test(value)) return v.terms.has(value) ? v.base + value : undefined;
  return value;
}

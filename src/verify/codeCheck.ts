/**
 * What is wrong with a code a buyer typed or scanned, in words: a wrong check digit names the digit the
 * others call for (as `trace key` does, from the same `Gs1CheckDigitError`) and the corrected code, so a typo
 * reads "check the code", never like a counterfeit. Pure, browser-safe.
 */
import { Gs1CheckDigitError, Gs1Error, aiDefinition, parseGs1 } from "../gs1";

/** Why a code is not a valid GS1 code. */
export type CodeProblem =
  | {
      kind: "checkDigit";
      /** "GTIN", "SSCC", "GLN" … as the GS1 layer names it. */
      what: string;
      /** The value as given, and the same value with the right check digit. */
      given: string;
      expected: number;
      corrected: string;
      /** The whole input with the corrected value, when it parses (a code the buyer can try). */
      correctedInput?: string;
      en: string;
      zh: string;
    }
  | { kind: "malformed"; en: string; zh: string };

/** The problem with `input`, or undefined when it is a valid GS1 code. */
export function codeProblem(input: string): CodeProblem | undefined {
  try {
    parseGs1(input);
    return undefined;
  } catch (error) {
    if (error instanceof Gs1CheckDigitError && error.input) {
      const given = error.input;
      const corrected = given.slice(0, -1) + String(error.expected);
      const what = (error.ai && aiDefinition(error.ai)?.label) || "code";
      const candidate = input.replace(given, corrected);
      let correctedInput: string | undefined;
      try {
        parseGs1(candidate);
        correctedInput = candidate;
      } catch {
        correctedInput = undefined;
      }
      return {
        kind: "checkDigit",
        what,
        given,
        expected: error.expected,
        corrected,
        ...(correctedInput ? { correctedInput } : {}),
        en: `Check the code: the last digit of ${what} ${given} should be ${error.expected} (${corrected}). This is most likely a typing or scanning mistake, not a fake product.`,
        zh: `请核对编码：${what} ${given} 的最后一位（校验位）应为 ${error.expected}（${corrected}）。多半是输入或扫描错误，并不说明商品是假的。`,
      };
    }
    const message = error instanceof Gs1Error ? error.message : String((error as Error)?.message ?? error);
    return {
      kind: "malformed",
      en: `Check the code: ${message}`,
      zh: `请核对编码：这不是有效的GS1商品码（${message}）`,
    };
  }
}

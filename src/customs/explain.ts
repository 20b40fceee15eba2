/**
 * The words of the match verdict, in English and Chinese, for the seller, the customs officer and the CLI:
 * one sentence per disagreement ("payment amount 129.00 USD differs from the order's 139.00 USD" /
 * "收款单金额 129.00 USD 与订单金额 139.00 USD 不符") and per missing document or field.
 */

/** A document of the three-document match (三单对碰) and the declaration list it backs. */
export type MatchDocument = "order" | "payment" | "waybill" | "declaration";

/**
 * What a value is compared against: another document, the sum of the document's goods lines, or a line's
 * quantity × unit price.
 */
export type MatchSource = MatchDocument | "lines" | "price";

/** A sentence in both languages. */
export interface Explanation {
  en: string;
  zh: string;
}

const DOCUMENTS: Record<MatchDocument, Explanation> = {
  order: { en: "order", zh: "订单" },
  payment: { en: "payment", zh: "收款单" },
  waybill: { en: "waybill", zh: "运单" },
  declaration: { en: "declaration list", zh: "申报清单" },
};

const FIELDS: Record<string, Explanation> = {
  orderNo: { en: "order number", zh: "订单编号" },
  ebpCode: { en: "platform code", zh: "电商平台代码" },
  amount: { en: "amount", zh: "金额" },
  currency: { en: "currency", zh: "币制" },
  buyer: { en: "buyer identity (buyerRef)", zh: "买家身份（buyerRef）" },
  quantity: { en: "quantity", zh: "数量" },
  goodsValue: { en: "goods value", zh: "商品总价" },
  logisticsNo: { en: "waybill number", zh: "运单编号" },
  logisticsCode: { en: "logistics firm code", zh: "物流企业代码" },
  mode: { en: "customs mode", zh: "监管方式" },
  item: { en: "goods (GTIN or item code)", zh: "商品（GTIN或货号）" },
  hsCode: { en: "HS code", zh: "HS编码" },
  unit: { en: "unit", zh: "计量单位" },
  total: { en: "line total", zh: "总价" },
  line: { en: "goods line", zh: "商品项" },
};

function fieldLabel(field: string, line: number | undefined): Explanation {
  const f = FIELDS[field] ?? { en: field, zh: field };
  if (line === undefined) return f;
  if (field === "line") return { en: `goods line ${line}`, zh: `第${line}项商品` };
  return { en: `goods line ${line} ${f.en}`, zh: `第${line}项商品${f.zh}` };
}

/** The sentence for a value of `document` that differs from the one in `against`. */
export function explainDisagreement(d: {
  document: MatchDocument;
  field: string;
  line?: number;
  expected: string;
  actual: string;
  against: MatchSource;
}): Explanation {
  const doc = DOCUMENTS[d.document];
  const label = fieldLabel(d.field, d.line);
  if (d.against === "price") {
    return {
      en: `${doc.en} ${label.en} ${d.actual} differs from quantity × unit price, ${d.expected}`,
      zh: `${doc.zh}${label.zh} ${d.actual} 与数量×单价 ${d.expected} 不符`,
    };
  }
  if (d.against === "lines") {
    return {
      en: `${doc.en} ${label.en} ${d.actual} differs from the sum of its goods lines, ${d.expected}`,
      zh: `${doc.zh}${label.zh} ${d.actual} 与各项商品合计 ${d.expected} 不符`,
    };
  }
  const other = DOCUMENTS[d.against];
  return {
    en: `${doc.en} ${label.en} ${d.actual} differs from the ${other.en}'s ${d.expected}`,
    zh: `${doc.zh}${label.zh} ${d.actual} 与${other.zh}${label.zh} ${d.expected} 不符`,
  };
}

/** The sentence for a missing document (no `field`) or a field the match needs that a document lacks. */
export function explainMissing(m: { document: MatchDocument; field?: string }): Explanation {
  const doc = DOCUMENTS[m.document];
  if (m.field === undefined) return { en: `the ${doc.en} is missing`, zh: `缺少${doc.zh}` };
  const label = fieldLabel(m.field, undefined);
  return { en: `the ${doc.en} has no ${label.en}`, zh: `${doc.zh}缺少${label.zh}` };
}

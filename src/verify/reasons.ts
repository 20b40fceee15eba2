/**
 * The reasons behind a verdict (design.md §6), each with a machine-readable code, the verdict it forces and
 * its text in English and Chinese. One table, shared by the SDK, the CLI and the page.
 */
export type Verdict = "authentic" | "warning" | "fail";

export interface ReasonText {
  severity: Exclude<Verdict, "authentic">;
  en: string;
  zh: string;
}

export const REASONS = {
  INVALID_CODE: {
    severity: "fail",
    en: "The code is not a valid GS1 code (wrong check digit, length or characters).",
    zh: "该码不是有效的GS1编码（校验位、长度或字符错误）。",
  },
  NOT_REGISTERED: {
    severity: "fail",
    en: "This code was never registered on the ledger: the product is likely counterfeit.",
    zh: "该码从未在链上登记：产品很可能是假冒的。",
  },
  WRONG_CHAIN: {
    severity: "fail",
    en: "The chain or contract answering is not the expected cbec-trace ledger.",
    zh: "应答的区块链或合约不是预期的追溯账本。",
  },
  HISTORY_MISMATCH: {
    severity: "fail",
    en: "The history served does not match the chain's hash-chain head: it is tampered with or incomplete.",
    zh: "获取的历史与链上哈希链头不一致：记录被篡改或不完整。",
  },
  STATE_MISMATCH: {
    severity: "fail",
    en: "The unit's state served (stage, flags, parent or registrant) does not follow from its verified history: the source is lying or inconsistent.",
    zh: "获取的产品状态（环节、标记、所属包装或登记企业）与其已验证的历史不符：数据源不可信或不一致。",
  },
  SIGNATURE_INVALID: {
    severity: "fail",
    en: "A recorded event is not signed by the account it names.",
    zh: "某条记录的签名与其声明的账户不符。",
  },
  REGISTRANT_UNIDENTIFIED: {
    severity: "warning",
    en: "The registering organization is suspended or its identity could not be read.",
    zh: "登记企业已被暂停或无法读取其身份信息。",
  },
  SIGNER_NOT_ALLOWED: {
    severity: "warning",
    en: "An event was recorded by an organization that is now suspended or no longer allowed to record that step.",
    zh: "某事件的记录企业现已被暂停或已无权记录该环节。",
  },
  RECALLED: { severity: "warning", en: "The product is recalled.", zh: "该产品已被召回。" },
  HELD: {
    severity: "warning",
    en: "The product is held by customs or a regulator.",
    zh: "该产品被海关或监管部门扣留。",
  },
  FLAGGED: { severity: "warning", en: "A regulator has flagged this product.", zh: "监管部门已对该产品作出标记。" },
  NO_CUSTOMS_RELEASE: {
    severity: "warning",
    en: "The journey has no export customs release.",
    zh: "行程中没有出口海关放行记录。",
  },
  DELIVERED_WITHOUT_RELEASE: {
    severity: "warning",
    en: "Delivered without an export customs release: the journey is incomplete.",
    zh: "未经出口海关放行即已交付：行程不完整。",
  },
  CORRECTED: {
    severity: "warning",
    en: "Some events were later declared wrong and corrected; both are shown.",
    zh: "部分事件后来被声明有误并已更正，原记录与更正均予显示。",
  },
  RECORD_MISMATCH: {
    severity: "warning",
    en: "An off-chain record served by the platform does not match its on-chain hash, or names another product.",
    zh: "平台提供的某条链下记录与链上哈希不一致，或记录的是其他产品。",
  },
  RECORD_UNAVAILABLE: {
    severity: "warning",
    en: "The details of some events are not available from the platform: the events are on the chain, but what they record cannot be shown or checked.",
    zh: "平台未提供部分事件的详细记录：事件已上链，但其内容无法显示或核验。",
  },
  // Issue 11 item 2 (identity is owned) and item 7 (who added the keys).
  PREFIX_NOT_HELD: {
    severity: "fail",
    en: "The organization that registered this code neither held its GS1 company prefix nor was authorized by the holder: the ledger refuses such registrations, so the endpoint or the ledger is not telling the truth.",
    zh: "登记该码的企业既不持有其GS1厂商识别代码，也未获持有者授权：账本拒绝此类登记，因此节点或账本所示不实。",
  },
  OWNERSHIP_NOT_CHECKED: {
    severity: "warning",
    en: "This ledger version does not check who owns a code's GS1 company prefix: any member could have registered it.",
    zh: "该账本版本不核验GS1厂商识别代码的归属：任何成员都可能登记了该码。",
  },
  KEY_ORIGIN_UNKNOWN: {
    severity: "warning",
    en: "How a signing key of the journey joined its organization could not be read from the ledger.",
    zh: "无法从账本读取行程中某签名密钥加入其企业的记录。",
  },
  KEY_DELAY_UNPROVEN: {
    severity: "warning",
    en: "A signing key was put in an organization's name by the consortium admin without the public delay the ledger requires.",
    zh: "某签名密钥由联盟管理员以企业名义添加，但缺少账本要求的公示等待期记录。",
  },
  // Issue 17: first-scan claims (`src/verify/claimRules.ts`).
  CLAIM_CODE_COPIED: {
    severity: "warning",
    en: "This product's code was already claimed by its first buyer (date below) — the product in your hands is likely a copy. If you claimed it yourself on that date, all is well; if not, do not trust it and report it to the seller.",
    zh: "此码已被首位买家认领（日期见下）— 您手中的商品可能是仿冒品。如果是您本人在该日期认领的，则无需担心；否则请勿信任该商品，并向卖家举报。",
  },
  CLAIM_CODE_WRONG: {
    severity: "warning",
    en: "The code inside the packaging does not match the one the brand recorded for this product. Check it for typing mistakes and enter it again; if it is right, the product may be a copy — ask the seller.",
    zh: "包装内的认领码与品牌为该商品登记的不符。请检查是否输入有误后重新输入；如确认无误，该商品可能是仿冒品，请向卖家核实。",
  },
  CLAIMED_BEFORE_DELIVERY: {
    severity: "warning",
    en: "This product's code was claimed before the product was delivered to its buyer: someone had the hidden code before you could. If you did not claim it yourself, the code leaked or the product is a copy — ask the seller.",
    zh: "此商品的认领码在交付买家之前就已被认领：有人在您之前拿到了隐藏的认领码。如果不是您本人认领的，说明认领码已泄露或商品为仿冒品，请向卖家核实。",
  },
  AUTHENTICITY_MISMATCH: {
    severity: "fail",
    en: "The claim or tag state served by the endpoint cannot be the registry's state at the block the verdict was read at: the source is lying or inconsistent.",
    zh: "节点提供的认领或标签状态不可能是核验所依据区块时的登记状态：数据源不可信或不一致。",
  },
} as const satisfies Record<string, ReasonText>;

export type ReasonCode = keyof typeof REASONS;

/**
 * Notices: facts the buyer should see that do not change the verdict (a legitimate but noteworthy event).
 */
export const NOTICES = {
  KEY_ADDED_BY_ADMIN: {
    en: "A signing key was added by the consortium admin after a public delay, not by the organization itself.",
    zh: "某签名密钥由联盟管理员在公示等待期后添加，而非企业自行添加。",
  },
  NO_CLAIM_CODE: {
    en: "The brand recorded no claim code for this product, so the code you entered cannot be checked.",
    zh: "品牌未为该商品登记认领码，因此无法核验您输入的码。",
  },
} as const satisfies Record<string, { en: string; zh: string }>;

export type NoticeCode = keyof typeof NOTICES;

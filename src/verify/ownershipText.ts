/**
 * The words a buyer reads about who owns the code — "GTIN licensed to <org>", "registered by <manufacturer>
 * under <holder>'s authorization" — in English and Chinese, shared by `trace verify` and the page so both
 * say the same thing. Pure.
 */
import type { CodeType, OwnershipFinding } from "./licence";
import type { OrganizationInfo } from "./types";

/** One line in both languages. */
export interface OwnershipLine {
  en: string;
  zh: string;
}

const CODE_WORDS: Record<CodeType, [string, string]> = {
  GTIN: ["GTIN", "商品条码（GTIN）"],
  SSCC: ["SSCC", "物流单元代码（SSCC）"],
  GINC: ["Consignment number (GINC)", "托运单号（GINC）"],
  GLN: ["GLN", "位置码（GLN）"],
};

const nameOf = (org: OrganizationInfo) => org.name ?? `organization #${org.orgId}`;

/** The lines to show for a finding (none when the ledger does not check ownership: a reason says so). */
export function ownershipLines(finding: OwnershipFinding | undefined): OwnershipLine[] {
  if (!finding || finding.status === "unchecked" || !finding.licence) return [];
  const l = finding.licence;
  const [en, zh] = CODE_WORDS[l.codeType];
  const holder = nameOf(l.holder);
  if (finding.status === "notHeld") {
    return [{ en: `${en} licensed to ${holder}, not to its registrant`, zh: `${zh}授权给${holder}，而非登记企业` }];
  }
  const lines: OwnershipLine[] = [
    {
      en: `${en} licensed to ${holder} (company prefix ${l.prefix}, since block ${l.licensedAtBlock})`,
      zh: `${zh}授权给${holder}（厂商识别代码 ${l.prefix}，自区块 ${l.licensedAtBlock}）`,
    },
  ];
  if (l.manufacturer) {
    const maker = nameOf(l.manufacturer.organization);
    lines.push({
      en: `Registered by ${maker} under ${holder}'s authorization (given at block ${l.manufacturer.authorizedAtBlock})`,
      zh: `由${maker}经${holder}授权登记（授权于区块 ${l.manufacturer.authorizedAtBlock}）`,
    });
  }
  if (l.revokedAtBlock !== undefined) {
    lines.push({
      en: `The licence was revoked at block ${l.revokedAtBlock}, after this code was registered`,
      zh: `该授权已于区块 ${l.revokedAtBlock} 撤销（在本码登记之后）`,
    });
  }
  return lines;
}

/** The consortium as text for people: admin, pause, organizations with their accounts, and the matrix. */
import { ROLE_NAMES, STEP_NAMES, type RoleName } from "../codes";
import type { ConsortiumState } from "./read";

/** Short column headers of the roles in the matrix table. */
export const ROLE_ABBREVIATIONS: Partial<Record<RoleName, string>> = {
  EXPORTER: "EXP",
  MANUFACTURER: "MFR",
  WAREHOUSE: "WHS",
  CARRIER: "CAR",
  CUSTOMS_BROKER: "BRK",
  INSPECTION_LAB: "LAB",
  PLATFORM: "PLT",
  CUSTOMS: "CUS",
  MARKET_REGULATOR: "MKT",
  PAYMENT_INSTITUTION: "PAY",
  TAX_AUTHORITY: "TAX",
};

const abbr = (r: RoleName) => ROLE_ABBREVIATIONS[r] ?? r.slice(0, 3);

/** Left-aligned columns separated by two spaces. */
export function table(rows: string[][], indent = "  "): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join("  "));
}

/** A duration in seconds, roughly: "about 3 d", "1.5 h", "40 s" (for waits measured against the clock). */
export function roughly(seconds: number): string {
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["min", 60],
  ] as const) {
    if (seconds >= size * 0.95) {
      const value = seconds / size;
      return `${value < 10 ? Math.round(value * 10) / 10 : Math.round(value)} ${unit}`;
    }
  }
  return `${Math.max(0, Math.round(seconds))} s`;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

/** A duration in seconds as "3 d", "12 h", "90 s". */
export function duration(seconds: number): string {
  if (seconds % 86400 === 0 && seconds > 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0 && seconds > 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0 && seconds > 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The whole consortium as text. */
export function formatConsortium(state: ConsortiumState): string {
  const lines: string[] = [];
  lines.push(`Ledger ${state.ledger} on chain ${state.chainId}, read at block ${state.blockNumber}`);
  lines.push(`Admin:          ${state.admin} (admin transfers wait ${duration(state.adminDelay)})`);
  lines.push(
    `Pending admin:  ${
      state.pendingAdmin
        ? `${state.pendingAdmin.address}, may accept after ${iso(state.pendingAdmin.acceptableAfter)}`
        : "none"
    }`,
  );
  lines.push(`Ledger writes:  ${state.paused ? "PAUSED (trace consortium unpause resumes them)" : "running"}`);
  lines.push("");
  lines.push(`Organizations (${state.organizations.length}):`);
  if (state.organizations.length === 0) lines.push("  none yet: add them with `trace consortium apply <file>`.");
  const headings = table(
    state.organizations.map((org) => [
      `#${org.orgId}`,
      org.name,
      org.creditCode,
      org.gln ? `GLN ${org.gln}` : "no GLN",
      org.country,
      org.suspended ? "SUSPENDED" : "active",
    ]),
  );
  state.organizations.forEach((org, i) => {
    lines.push(headings[i]);
    lines.push(`      roles: ${org.roles.join(", ") || "none"}`);
    if (org.prefixes.length) lines.push(`      GS1 company prefixes: ${org.prefixes.join(", ")}`);
    if (org.accounts.length === 0) lines.push("      accounts: none");
    for (const a of org.accounts) {
      const note = a.status === "active" && !a.canAct ? " (organization suspended)" : "";
      lines.push(`      account ${a.address}  ${a.status}${note}`);
    }
  });
  lines.push("");
  lines.push(`Licensed GS1 company prefixes (${state.prefixes.length}):`);
  if (state.prefixes.length === 0) lines.push('  none: list them as "prefixes" in consortium.json and apply it.');
  const holderName = (id: number) => state.organizations.find((o) => o.orgId === id)?.name ?? "?";
  lines.push(
    ...table(state.prefixes.map((p) => [p.prefix, `#${p.holder}`, holderName(p.holder), `licence ${p.licence}`])),
  );
  lines.push("");
  lines.push("Permissions (x: the role may record the step):");
  const header = ["step", ...ROLE_NAMES.map(abbr)];
  const rows = STEP_NAMES.map((s) => [s, ...ROLE_NAMES.map((r) => (state.permissions[s].includes(r) ? " x" : " ."))]);
  lines.push(...table([header, ...rows]));
  lines.push(`  ${ROLE_NAMES.map((r) => `${abbr(r)} ${r}`).join(", ")}`);
  return lines.join("\n");
}

/**
 * The records a CLI command wrote, and their publishing to the platform once the command succeeded: the
 * command saves records in the local store as before (through {@link WrittenRecords}), and the CLI then
 * uploads exactly those to TRACE_PLATFORM_URL so a buyer's page can show them. Without the setting, the
 * records stay local and the CLI says so. A record the platform did not take is listed with its reason:
 * it is still in the local store, and `trace records publish` sends the store again.
 */
import type { Hex } from "viem";
import type { EpcisEvent } from "../epcis";
import { RecordStore } from "../records/store";
import { publishRecords, type PublishReport, type RecordToPublish } from "../records/publish";
import type { Output } from "./output";

/** A record store that remembers what this process put in it. */
export class WrittenRecords extends RecordStore {
  readonly written = new Map<Hex, object>();

  override put(hash: Hex, record: EpcisEvent): void {
    super.put(hash, record);
    this.written.set(hash, record);
  }

  /** The records put so far, to publish. */
  toPublish(): RecordToPublish[] {
    return [...this.written].map(([hash, record]) => ({ hash, record }));
  }
}

/** How a publishing went, for the command's output and exit code. */
export interface PublishOutcome {
  report?: PublishReport;
  /** Why nothing was published (no platform set, platform unreachable). */
  skipped?: string;
}

/** Publishes `records` when a platform is set, printing one line about it. */
export async function publishWritten(
  out: Output,
  platformUrl: string | undefined,
  records: RecordToPublish[],
  recordsDir: string,
  options: { waitMs?: number } = {},
): Promise<PublishOutcome> {
  if (records.length === 0) return {};
  if (!platformUrl) {
    const skipped = `${records.length} record(s) kept in ${recordsDir} only: set TRACE_PLATFORM_URL to publish them to the platform, so buyers see them`;
    out.info(skipped);
    return { skipped };
  }
  const report = await publishRecords(platformUrl, records, options);
  const taken = report.stored.length + report.present.length;
  out.info(`published ${taken} of ${records.length} record(s) to ${report.platform}`);
  for (const r of report.refused) {
    out.info(`  not published: ${r.hash} (HTTP ${r.status}: ${r.reason})`);
  }
  if (report.refused.length) {
    out.info(`  they stay in ${recordsDir}; run \`trace records publish\` to send them again`);
  }
  return { report };
}

/** Block headers, read by number: the hash chain covers each entry's block time. Browser-safe. */
import type { Hex, PublicClient } from "viem";

/** What the read path needs of a block header. */
export interface BlockHeader {
  hash: Hex;
  timestamp: number;
}

/** The headers of the given blocks (one request each, sent together; viem batches them when it can). */
export async function readBlockHeaders(client: PublicClient, numbers: bigint[]): Promise<Map<bigint, BlockHeader>> {
  const unique = [...new Set(numbers)];
  const blocks = await Promise.all(unique.map((n) => client.getBlock({ blockNumber: n })));
  return new Map(unique.map((n, i) => [n, { hash: blocks[i].hash!, timestamp: Number(blocks[i].timestamp) }]));
}

/**
 * The devp2p links of a test consortium network, each through a TCP relay on 127.0.0.1 that the test can
 * cut: a network split between groups of nodes, then healed. The relays run in a process of their own
 * (`linkRelay.mjs`, see there why).
 *
 * A cut link holds every byte in both directions instead of closing its connections — what a partition
 * looks like to TCP (packets lost, the sessions still open) — and a heal delivers what was held, in order.
 * Closing them would not model a split that heals: EthereumJS never dials a peer it once knew again (its
 * RLPx keeps seen ids, `admin_addPeer` of a known peer dials nothing), so the halves would stay apart.
 * RLPx pings every 15 s and drops a peer whose pong takes over 10 s: a split up to 10 s long keeps the
 * sessions, longer ones can end them (the test keeps its split under that).
 */
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { PeerRoute } from "../../scripts/consortium/lib/network";

export interface Links {
  /** The route to give `startConsortiumNetwork`: node `from` dials node `to` through link (from, to). */
  route: PeerRoute;
  /** Cuts every link between a node of `side` and a node not in it (node indexes). */
  split(side: number[]): Promise<void>;
  /** Delivers what the cut links held and lets them carry bytes again. */
  heal(): Promise<void>;
  /** Bytes held on cut links now (a split that held none carried no traffic across it). */
  heldBytes(): Promise<number>;
  close(): Promise<void>;
}

/** Starts the relay process with a relay for every ordered pair of `nodes` nodes. */
export async function startLinks(nodes: number): Promise<Links> {
  const child: ChildProcess = fork(join(__dirname, "linkRelay.mjs"), [], { stdio: "inherit", execArgv: [] });
  let next = 0;
  const waiting = new Map<number, (answer: Record<string, unknown>) => void>();
  child.on("message", (m: { id: number } & Record<string, unknown>) => waiting.get(m.id)?.(m));
  const ask = (message: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = next++;
      waiting.set(id, (answer) => (waiting.delete(id), resolve(answer)));
      child.send({ id, ...message }, (error) => error && reject(error));
    });
  const { ports } = (await ask({ nodes })) as { ports: Record<string, number> };
  return {
    route(from, to, p2pPort) {
      const link = `${from}>${to}`;
      if (ports[link] === undefined) throw new Error(`no link from node ${from + 1} to node ${to + 1}`);
      void ask({ target: { link, port: p2pPort } });
      return `127.0.0.1:${ports[link]}`;
    },
    split: async (side) => void (await ask({ split: side })),
    heal: async () => void (await ask({ heal: true })),
    heldBytes: async () => ((await ask({ held: true })) as { bytes: number }).bytes,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill();
      await exited;
    },
  };
}

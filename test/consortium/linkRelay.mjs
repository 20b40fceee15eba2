/**
 * The relay process of `links.ts`: one TCP relay on 127.0.0.1 per ordered pair of nodes, in a process of
 * its own so that the test's work (loading Hardhat, compiling, PGlite) never stalls the devp2p links — a
 * link that carries nothing for 10 s ends its RLPx session (a missed pong), and EthereumJS never dials a
 * known peer again. Driven over IPC by its parent: { nodes } → { ports }, then { target }, { split }, { heal },
 * { held }, each answered with { done } and the request's id. It exits with its parent.
 */
import { createServer, Socket } from "node:net";

const links = new Map();
const key = (from, to) => `${from}>${to}`;

function relay(link, inbound) {
  const outbound = new Socket();
  const flows = [
    { to: outbound, held: [] },
    { to: inbound, held: [] },
  ];
  link.flows.push(...flows);
  const pass = (flow) => (chunk) => {
    if (link.cut || flow.held.length > 0) flow.held.push(chunk);
    else flow.to.write(chunk);
  };
  inbound.on("data", pass(flows[0]));
  outbound.on("data", pass(flows[1]));
  // A node that stops closes its side: the relay closes the other, as the peer would see it.
  const end = () => {
    inbound.destroy();
    outbound.destroy();
    link.flows = link.flows.filter((f) => !flows.includes(f));
  };
  for (const s of [inbound, outbound]) {
    s.setNoDelay(true);
    s.on("close", end);
    s.on("error", end);
  }
  // The node may dial before the parent's { target } arrived: connect once it has.
  const connect = () =>
    link.target === undefined ? setTimeout(connect, 20) : outbound.connect(link.target, "127.0.0.1");
  connect();
}

async function start(nodes) {
  const ports = {};
  for (let from = 0; from < nodes; from++) {
    for (let to = 0; to < nodes; to++) {
      if (from === to) continue;
      const link = { flows: [], cut: false, target: undefined, server: createServer() };
      link.server.on("connection", (inbound) => relay(link, inbound));
      await new Promise((resolve) => link.server.listen(0, "127.0.0.1", resolve));
      links.set(key(from, to), link);
      ports[key(from, to)] = link.server.address().port;
    }
  }
  return ports;
}

process.on("message", async (m) => {
  const answer = (body) => process.send({ id: m.id, ...body });
  if (m.nodes !== undefined) return answer({ ports: await start(m.nodes) });
  if (m.target !== undefined) {
    links.get(m.target.link).target = m.target.port;
  } else if (m.split !== undefined) {
    for (const [name, link] of links) {
      const [from, to] = name.split(">").map(Number);
      link.cut = m.split.includes(from) !== m.split.includes(to);
    }
  } else if (m.heal) {
    for (const link of links.values()) {
      link.cut = false;
      for (const flow of link.flows)
        for (const chunk of flow.held.splice(0)) if (!flow.to.destroyed) flow.to.write(chunk);
    }
  } else if (m.held) {
    let bytes = 0;
    for (const link of links.values()) for (const f of link.flows) for (const c of f.held) bytes += c.length;
    return answer({ bytes });
  }
  answer({ done: true });
});
process.on("disconnect", () => process.exit(0));

/**
 * Runs the EthereumJS client's command line (`@ethereumjs/client`, the same arguments) with corrections
 * to how it follows a Clique network, without which a network of three signers splits into forks that
 * never join again (seen here: two nodes each keep a block of their own at the same height, the third
 * waits forever for "best peer"):
 *
 * 1. The client picks the peer to sync from by the total difficulty (TD) the peer announced in its
 *    handshake, and never updates it: a peer that connected at genesis never looks heavier than this
 *    node, so a node on a lighter fork never fetches the heavier chain. Here every `NewBlock` message —
 *    which carries the block's TD — raises the peer's known TD, and the synchronizer syncs from the
 *    heaviest peer only when it is heavier than this node (the client also took peers of equal weight,
 *    re-fetching its last 100 blocks every second once TDs are current); its fetcher steps back over the
 *    fork and the chain keeps the heaviest, as Clique's fork choice says.
 * 2. A new block is announced in full (`NewBlock`, with the TD) only to √(peers) of them, the others get
 *    a hash, which carries no TD. Here every peer gets the full announcement: a consortium has a
 *    handful of validators, and each must learn every other's weight. The TD sent is the block's own (the
 *    eth protocol's), not the sender's head's, which overstated a relayed block of another branch.
 *
 * 3. A signer seals its first block two seconds after it starts, peers or not; nodes started together
 *    each seal a block 1 of their own, and forks of equal weight never resolve. Here a node seals nothing
 *    until it has `CBEC_SEAL_AFTER_PEERS` peers (the network sets it to the validators it peers the node
 *    with); from then on it seals as the client does, alone too (a signer cut off from the others seals
 *    the blocks Clique allows it, which the heavier chain replaces when the network heals).
 * 4. JSON-RPC refuses the block tag "pending" except in eth_getTransactionCount ("not yet supported"),
 *    which Hardhat Ignition (the deployment) sends with eth_call and eth_estimateGas. Here "pending" reads
 *    the latest block in those calls, as a node with an empty pending block would answer.
 * 5. No transaction gets into a block, and eth_estimateGas fails: both run transactions in a block header
 *    the client makes up without Clique's 97 bytes of extraData (the block builder, for each transaction
 *    it adds; the estimate, for its trial run), which the header refuses ("extraData must be 97 bytes"),
 *    so the miner skips every transaction and seals empty blocks. Here a header with empty extraData skips
 *    that format check. Such a header can never pass as a block: its signer reads as the zero address,
 *    which is no signer, so the chain's seal check refuses it wherever a block is imported.
 * 6. No contract code runs on a Clique chain at all: the EVM refuses to start its interpreter unless it
 *    was given a `cliqueSigner` function (for the COINBASE opcode), and the client never gives it one —
 *    not for blocks, not for eth_call. Here every EVM run gets the block package's own `cliqueSigner`
 *    (the address that sealed the block), as the EVM asks.
 * 7. The transaction pool refuses transactions from peers that pay less than 0.1 gwei (a constant), so on a
 *    zero-gas chain a transaction stays with the node it was sent to and waits for that node's turn to
 *    seal. Here the pool checks peers' transactions as it checks its own RPC clients' (nonce, balance,
 *    gas limit): every signer can include every member's transaction. A transaction sent again (the SDK
 *    re-sends the same signed bytes after a lost answer) is refused as geth words it, "already known",
 *    instead of "already in the TxPool", which no client recognizes.
 * 8. After a reorganization, the client's transaction index can still point at the block that was
 *    replaced, and eth_getTransactionReceipt / eth_getTransactionByHash then fail with "value for … not
 *    found in DB". That transaction is not on this node's chain: here they answer null, as for any
 *    transaction the chain does not hold, and the sender re-broadcasts it.
 * 9. A transaction is taken out of the pool as soon as any imported block holds it — also a block of a
 *    branch that loses, or a block later replaced — and is never put back: on a chain with forks,
 *    transactions vanish (the sender's next nonce then waits forever). Here the pool keeps what it took
 *    out for ten minutes and offers it again every second: whenever it is valid at the head's state (its
 *    nonce not used on the chain the node follows now) it goes back into the pool. The nonce keeps it
 *    from being included twice.
 * 10. A block that arrives in full from a peer (`NewBlock`, which with correction 2 is every block) is put on
 *     the chain without taking its transactions out of the pool (only blocks this node fetched or sealed
 *     are), so the pool keeps transactions whose nonce the chain has already used. Two things then go
 *     wrong: `eth_getTransactionCount(…, "pending")` adds every pooled transaction of the sender to its
 *     nonce, so a sender that asks it for its next nonce (the SDK's nonce manager, Hardhat Ignition) is
 *     handed one too high — the transaction it signs with it is accepted and never mined, and every later
 *     nonce waits behind the gap (this was the "lost transaction"); and the block builder skips every
 *     transaction of a sender whose lowest pooled nonce is not the account's nonce, so that node never
 *     includes the sender again. Here the builder first takes out of the pool what the state it builds on
 *     has used (kept as in 9, should that block be replaced), and the pending nonce is the account's nonce
 *     plus the pooled transactions that follow it without a gap, as geth counts it.
 * 11. A block is put on the chain before the VM has run it; the builder, the pool's checks and JSON-RPC
 *     read the state of the newest block, and in that moment fail with "State trie does not contain state
 *     root" — a sealing signer even shuts down on it (the miner's timer has no catch). Here a state root
 *     that is not there yet is waited for (up to 5 s) before it is refused, and a block assembly that fails
 *     all the same is tried again at the next period instead of ending the process.
 * 12. A signer seals on its own head even while a peer has announced a heavier chain it has not fetched yet
 *     (a restarted node seals at its old height before it has synced; a node seals a block of its own at the
 *     height it is importing), starting forks of equal weight that stalled the network here: the two
 *     remaining signers each "too recently signed" on a different branch. Here a signer seals only when no
 *     peer's chain is heavier than its own, as geth pauses mining while it syncs.
 * 13. Every sync round starts 100 blocks below the node's head (`SAFE_REORG_DISTANCE`, fit for a
 *     proof-of-work chain's reorganizations) and imports them all again: a restarted signer re-imported the
 *     chain from block 1 at each round and fell behind faster than it caught up, while the others (12)
 *     waited for it. Here a round steps back 16 blocks: a Clique fork is a few blocks deep (a signer seals
 *     at most one block in ⌊N/2⌋+1, and the heavier branch reaches every node within seconds).
 * 14. A peer whose session ended is never dialled again: RLPx remembers every id it has seen and skips it,
 *     `admin_addPeer` of a known peer dials nothing, and when a node has had no peer for a while the client
 *     restarts its RLPx server and dials no one. A session ends when a pong is 10 s late, which a node busy
 *     running large blocks (or a network cut that long) causes: seen here, node 1 lost both peers in the
 *     middle of a benchmark and stayed alone — the writes sent to it never reached a signer again, and the
 *     two others, two signers of three, could not seal on their own ("too recently signed"). Here the peers
 *     given with `admin_addPeer` are static peers, as geth's and Besu's static nodes are: every 3 s, one that
 *     is neither connected nor being dialled is dialled again, on the server running now.
 * 15. A block announced more than one block ahead of the node's head is dropped ("we cannot validate it"),
 *     so a node that is a few blocks behind — a restarted one, after its sync round — imports nothing from
 *     the blocks it is sent and waits for its next round, which starts 8 s after the last (the sync
 *     interval) and fetches up to the height known when it starts: seen here, a restarted signer stayed 2
 *     to 10 blocks behind for minutes, and since it does not seal while a peer's chain is heavier (12), the
 *     two signers of a split's majority could not seal at all. Here the missing blocks between the head and
 *     an announced block (up to 32) are fetched from the peer that announced it — which has them, and is
 *     reachable, since it just sent the block —, as geth's block fetcher fetches an announced block's
 *     missing ancestors; then the block is imported as the client does.
 *
 * Nothing else changes: blocks, seals, the EVM and JSON-RPC are the client's own.
 * Usage: node ethereumjs-node.mjs <client dir> <client arguments…>
 */
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { createRequire } from "node:module";

const clientDir = process.argv[2];
// The client's command line reads process.argv after the script name: drop the client dir.
process.argv.splice(2, 1);
const load = (path) => import(pathToFileURL(join(clientDir, "dist", "esm", path)).href);

const { FullSynchronizer } = await load("src/sync/fullsync.js");
const { FullEthereumService } = await load("src/service/fullethereumservice.js");
const { Miner } = await load("src/miner/miner.js");
const { TxPool } = await load("src/service/txpool.js");
const { Eth } = await load("src/rpc/modules/eth.js");
const { Config } = await load("src/config.js");
const { Admin } = await load("src/rpc/modules/admin.js");
/** A package as the client itself imports it: resolved from the client's folder, its ES module build. */
const dependency = (name) =>
  import(
    pathToFileURL(
      createRequire(join(clientDir, "package.json"))
        .resolve(name)
        .replace(/([/\\])dist[/\\]cjs[/\\]/, "$1dist$1esm$1"),
    ).href
  );
const { BlockHeader, cliqueSigner, createBlockFromBytesArray } = await dependency("@ethereumjs/block");
const { EVM } = await dependency("@ethereumjs/evm");
const { MerkleStateManager } = await dependency("@ethereumjs/statemanager");
const { Address, equalsBytes, hexToBytes } = await dependency("@ethereumjs/util");

const toBigInt = (bytes) => (bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`));

const handleEth = FullEthereumService.prototype.handleEth;
FullEthereumService.prototype.handleEth = async function (message, peer) {
  if (message.name === "NewBlock" && peer?.eth?.status) {
    // The TD sent with a block is that block's total difficulty (sendNewBlock below): the sender has a
    // chain this heavy.
    const weight = toBigInt(message.data[1]);
    if (weight > peer.eth.status.td) peer.eth.status.td = weight;
  }
  return handleEth.call(this, message, peer);
};

FullSynchronizer.prototype.best = async function () {
  const peers = this.pool.peers.filter((p) => p.eth?.status !== undefined);
  if (peers.length < this.config.minPeers && !this.forceSync) return undefined;
  let best;
  for (const peer of peers) {
    const td = peer.eth.status.td;
    if (td > this.chain.blocks.td && (best === undefined || td > best.eth.status.td)) best = peer;
  }
  return best;
};

const validate = TxPool.prototype.validate;
TxPool.prototype.validate = async function (tx) {
  try {
    return await validate.call(this, tx, true);
  } catch (error) {
    // geth's words for a transaction sent twice, which clients (the SDK, ethers) recognize as "sent".
    if (/already in the TxPool/.test(error?.message ?? "")) error.message = `already known (${error.message})`;
    throw error;
  }
};

const KEEP_REMOVED_MS = 10 * 60_000;
const removeNewBlockTxs = TxPool.prototype.removeNewBlockTxs;
TxPool.prototype.removeNewBlockTxs = function (blocks) {
  for (const block of blocks) for (const tx of block.transactions) keepForReorg(this, tx);
  return removeNewBlockTxs.call(this, blocks);
};
/** Keeps a transaction taken out of the pool, to offer it again if the block that used its nonce is replaced. */
function keepForReorg(pool, tx) {
  if (!pool.removed) {
    pool.removed = new Map();
    setInterval(() => void offerAgain(pool), 1_000).unref();
  }
  pool.removed.set(Buffer.from(tx.hash()).toString("hex"), { tx, at: Date.now() });
}
let offering = false;
async function offerAgain(pool) {
  if (offering || !pool.running) return;
  offering = true;
  try {
    for (const [hash, { tx, at }] of pool.removed) {
      if (Date.now() - at > KEEP_REMOVED_MS) {
        pool.removed.delete(hash);
        continue;
      }
      try {
        await pool.add(tx, true);
        pool.config.logger?.info(`TxPool: 0x${hash} is not on the chain followed now: back in the pool`);
      } catch {
        // Refused now (its nonce used on the chain followed, or already pooled); kept all the same: the
        // block that used the nonce may itself be replaced later.
      }
    }
  } finally {
    offering = false;
  }
}

FullSynchronizer.prototype.sendNewBlock = async function (block) {
  // The eth protocol sends a block with its own total difficulty; the client sends its head's instead,
  // which when it relays a block of another branch overstates that block's chain: a receiver then waits
  // for a heavier chain that does not exist (and, with correction 12, stops sealing).
  let td;
  try {
    td = (await this.chain.getTd(block.header.parentHash, block.header.number - 1n)) + block.header.difficulty;
  } catch {
    return; // The parent is not known here: nothing true to announce.
  }
  for (const peer of this.pool.peers) {
    if (!this.addToKnownByPeer(block.hash(), peer)) peer.eth?.send("NewBlock", [block, td]);
  }
};

// The module binds its methods when the RPC server creates it, after this: patching the prototype suffices.
for (const method of ["call", "estimateGas", "getBlockByNumber", "getBalance", "getCode", "getStorageAt"]) {
  const original = Eth.prototype[method];
  Eth.prototype[method] = function (params) {
    return original.call(
      this,
      params.map((p) => (p === "pending" ? "latest" : p)),
    );
  };
}

for (const method of ["runCall", "runCode"]) {
  const original = EVM.prototype[method];
  EVM.prototype[method] = function (opts) {
    if (this._optsCached && this._optsCached.cliqueSigner === undefined) this._optsCached.cliqueSigner = cliqueSigner;
    return original.call(this, opts);
  };
}

for (const method of ["getTransactionReceipt", "getTransactionByHash"]) {
  const original = Eth.prototype[method];
  Eth.prototype[method] = async function (params) {
    try {
      return await original.call(this, params);
    } catch (error) {
      if (/not found in DB/.test(error?.message ?? "")) return null;
      throw error;
    }
  };
}

const consensusFormatValidation = BlockHeader.prototype._consensusFormatValidation;
BlockHeader.prototype._consensusFormatValidation = function () {
  if (this.extraData.length === 0) return;
  return consensusFormatValidation.call(this);
};

const sealAfterPeers = Number(process.env.CBEC_SEAL_AFTER_PEERS ?? 0);
let sealing = sealAfterPeers === 0;
const assembleBlock = Miner.prototype.assembleBlock;
Miner.prototype.assembleBlock = async function () {
  if (!sealing) {
    const peers = this.service.pool.peers.filter((p) => p.eth?.status !== undefined).length;
    if (peers < sealAfterPeers) {
      this._nextAssemblyTimeoutId = setTimeout(() => void this.assembleBlock(), 250);
      return;
    }
    sealing = true;
    this.config.logger?.info(`Miner: ${peers} peers connected, sealing from now on`);
    // Queued as usual, so an out-of-turn signer waits its random delay and the in-turn one seals first.
    return this.queueNextAssembly(0);
  }
  const heavier = await this.service.synchronizer?.best();
  if (heavier !== undefined) {
    // A peer's chain is heavier: this node is about to fetch it, and a block sealed on its own head now
    // would only start a fork (and block this signer, "too recently signed", on the chain it is joining).
    this.config.logger?.debug(`Miner: a peer's chain is heavier (TD ${heavier.eth.status.td}), not sealing`);
    this._nextAssemblyTimeoutId = setTimeout(() => void this.assembleBlock(), 500);
    return;
  }
  try {
    return await assembleBlock.call(this);
  } catch (error) {
    this.assembling = false;
    this.config.logger?.warn(`Miner: block assembly failed (${error?.message ?? error}), trying again next period`);
    return this.queueNextAssembly();
  }
};

const txsByPriceAndNonce = TxPool.prototype.txsByPriceAndNonce;
TxPool.prototype.txsByPriceAndNonce = async function (vm, options) {
  // `vm` holds the state of the block being built on: what it has used is on the chain this block extends.
  const stale = [];
  for (const [address, objects] of this.pool) {
    const account = await vm.stateManager.getAccount(new Address(hexToBytes(`0x${address}`)));
    const nonce = account?.nonce ?? 0n;
    for (const object of objects) if (object.tx.nonce < nonce) stale.push(object);
  }
  for (const { hash, tx } of stale) {
    keepForReorg(this, tx);
    this.removeByHash(hash, tx);
  }
  if (stale.length > 0)
    this.config.logger?.info(`TxPool: ${stale.length} transaction(s) already on the chain left the pool`);
  return txsByPriceAndNonce.call(this, vm, options);
};

const getTransactionCount = Eth.prototype.getTransactionCount;
Eth.prototype.getTransactionCount = async function (params) {
  const [address, tag] = params;
  if (tag !== "pending") return getTransactionCount.call(this, params);
  let next = BigInt(await getTransactionCount.call(this, [address, "latest"]));
  const pooled = new Set((this.service.txPool.pool.get(address.slice(2).toLowerCase()) ?? []).map((o) => o.tx.nonce));
  while (pooled.has(next)) next++;
  return `0x${next.toString(16)}`;
};

const STATE_ROOT_WAIT_MS = 5_000;
const setStateRoot = MerkleStateManager.prototype.setStateRoot;
MerkleStateManager.prototype.setStateRoot = async function (stateRoot, clearCache) {
  try {
    return await setStateRoot.call(this, stateRoot, clearCache);
  } catch (error) {
    if (!/does not contain state root/.test(error?.message ?? "")) throw error;
    // The block is on the chain and the VM is running it: its state root is written in a moment.
    const deadline = Date.now() + STATE_ROOT_WAIT_MS;
    while (Date.now() < deadline && !(await this.hasStateRoot(stateRoot))) await new Promise((r) => setTimeout(r, 25));
    return setStateRoot.call(this, stateRoot, clearCache);
  }
};

const REDIAL_MS = 3_000;
/** The peers given with `admin_addPeer`, by id: what to dial them with. */
const staticPeers = new Map();
let redialing;
const adminAddPeer = Admin.prototype.addPeer;
Admin.prototype.addPeer = async function (params) {
  const added = await adminAddPeer.call(this, params);
  const { config } = this._client.service.pool;
  const known = config.server?.dpt?.getPeer(params[0]);
  if (known?.id) {
    const id = Buffer.from(known.id).toString("hex");
    staticPeers.set(id, { id: known.id, address: params[0].address, tcpPort: params[0].tcpPort });
    redialing ??= setInterval(() => redial(config), REDIAL_MS).unref();
  }
  return added;
};
/** Dials every static peer that is neither connected nor being dialled, on the RLPx server running now. */
function redial(config) {
  const rlpx = config.server?.started ? config.server.rlpx : undefined;
  if (!rlpx) return;
  for (const [id, peer] of staticPeers) {
    if (rlpx._peers.has(id) || rlpx._getOpenSlots() === 0) continue;
    config.logger?.info(
      `Peer ${id.slice(0, 8)} (static) is not connected: dialling ${peer.address}:${peer.tcpPort} again`,
    );
    rlpx.connect(peer).catch(() => {
      // Refused or unreachable now: dialled again in a moment.
    });
  }
}

/** The most blocks fetched to close the gap before an announced block (more is left to the sync rounds). */
const MAX_GAP = 32n;
const handleNewBlock = FullSynchronizer.prototype.handleNewBlock;
FullSynchronizer.prototype.handleNewBlock = async function (block, peer) {
  const head = this.chain.blocks.latest;
  const gap = block.header.number - head.header.number - 1n;
  // Only an idle peer: its responses are matched by message type, not by request, so a request beside the
  // fetcher's on the same peer could take the fetcher's answer.
  if (peer?.eth && peer.idle && gap > 0n && gap <= MAX_GAP && !this.closingGap) {
    this.closingGap = true;
    peer.idle = false;
    try {
      const blocks = await ancestorsFrom(peer, head.header.number + 1n, Number(gap));
      const links =
        blocks.length === Number(gap) &&
        equalsBytes(blocks[0].header.parentHash, head.hash()) &&
        equalsBytes(blocks[blocks.length - 1].hash(), block.header.parentHash);
      if (links) {
        await this.chain.putBlocks(blocks);
        this.config.logger?.info(`Fetched the ${blocks.length} block(s) before announced block ${block.header.number}`);
      }
    } catch (error) {
      this.config.logger?.debug(`Could not fetch the blocks before ${block.header.number}: ${error?.message ?? error}`);
    } finally {
      peer.idle = true;
      this.closingGap = false;
    }
  }
  return handleNewBlock.call(this, block, peer);
};
/** Blocks `first` … `first + count - 1` from `peer`, headers then bodies, each checked against its header. */
async function ancestorsFrom(peer, first, count) {
  const headers = (await peer.eth.getBlockHeaders({ block: first, max: count, reverse: false }))?.[1] ?? [];
  if (headers.length !== count) return [];
  const bodies = (await peer.eth.getBlockBodies({ hashes: headers.map((h) => h.hash()) }))?.[1] ?? [];
  if (bodies.length !== count) return [];
  const blocks = [];
  for (const [i, [txs, uncles]] of bodies.entries()) {
    const block = createBlockFromBytesArray([headers[i].raw(), txs, uncles], { common: headers[i].common });
    await block.validateData(false, false);
    blocks.push(block);
  }
  return blocks;
}

Config.SAFE_REORG_DISTANCE = 16;

await load("bin/cli.js");

/**
 * Local development nodes for `npm start`, the benchmarks and the tests: anvil from npm, waiting for an RPC
 * endpoint, free ports. Node-only (child processes, sockets); not exported by the package.
 */
export { anvilBinary, anvilPackageName, findAnvil, startAnvil, type AnvilNode, type StartAnvilOptions } from "./anvil";
export { rpcCall, waitForRpc, type WaitForRpcOptions } from "./rpc";
export { freePort, portIsFree } from "./ports";
export { AnvilNotInstalledError, NodeExitedError, NodeTimeoutError } from "./errors";

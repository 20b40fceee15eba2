/** The proof bundle: a verdict in two round trips (issue 12). Browser-safe. */
export * from "./types";
export { buildProofBundle, type BuildBundleOptions } from "./build";
export { verifyWithBundle, MAX_BUNDLE_REQUESTS, type BundleVerifyOptions } from "./verify";
export { fetchBundle, BUNDLE_TIMEOUT_MS } from "./fetch";
export { READ_METHODS, requestKey, httpSender, providerSender, RoundTrips, type RpcSend, type RpcAnswer } from "./rpc";

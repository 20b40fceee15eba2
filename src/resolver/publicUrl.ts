/**
 * The resolver's public base URL (`TRACE_RESOLVER_URL`): the scheme, host and port QR labels print and the
 * resolver builds its links on. One check for the setting, the server option and the label default.
 *
 * Browser-safe: no Node-only APIs.
 */
import { ResolverConfigError } from "./errors";

const ORIGIN = /^(https?):\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?\/?$/i;

/** What is wrong with a resolver base URL, or undefined when it is a valid http(s) origin. */
export function resolverUrlProblem(text: string): string | undefined {
  return ORIGIN.test(text)
    ? undefined
    : `The resolver URL "${text}" must be a scheme and host (and port) only, e.g. https://trace.example.cn: the resolver answers Digital Link paths at the root of its host.`;
}

/** The base URL without a trailing slash, scheme in lower case; refuses anything else. */
export function normaliseResolverUrl(text: string): string {
  const problem = resolverUrlProblem(text);
  if (problem) throw new ResolverConfigError(problem);
  const m = ORIGIN.exec(text)!;
  return `${m[1].toLowerCase()}://${m[2]}${m[3] ?? ""}`;
}

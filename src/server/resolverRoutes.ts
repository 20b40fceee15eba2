/**
 * The GS1-conformant resolver's routes: `/.well-known/gs1resolver` and every Digital Link path
 * (`/01/…[/22/…][/10/…][/21/…]`, `/00/…`, `/401/…`, `/414/…[/254/…]`, with data attributes as a query).
 * A code registered on the ledger redirects (307) to its verification page or, with `linkType`, to that
 * link; `linkType=linkset` or `Accept: application/linkset+json` gets the RFC 9264 linkset of every level.
 * An invalid Digital Link is a 400, a valid one not registered a 404. See docs/resolver.md. Node-only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RouteContext, RouteHandler } from "./routes";
import { hasBody } from "./http";
import { findLink, levelLinks, linksetDocument, withQuery, type LevelLinks } from "../resolver/links";
import { levelsOf } from "../resolver/levels";
import { linkTypeUri, type OurLinkType } from "../resolver/linkTypes";
import { acceptsLinksetExplicitly, linksetMediaType, LINKSET_MEDIA_TYPE } from "../resolver/negotiate";
import { registrationLookup } from "../resolver/registry";
import { isResolverPath, parseResolverRequest } from "../resolver/request";
import { resolverDescription } from "../resolver/description";
import { ResolverRequestError } from "../resolver/errors";
import { ALLOW, problemOf, resolverHeaders, sendOptions, sendProblem } from "../resolver/respond";
import { normaliseResolverUrl } from "../resolver/publicUrl";
import { verifyPathOf } from "../resolver/verifyPath";

export interface ResolverOptions {
  /** Serve the resolver (default true: the QR labels' Digital Link paths need it). */
  enabled?: boolean;
  /**
   * The resolver's public base URL (`TRACE_RESOLVER_URL`, e.g. `https://trace.example.cn`): link targets,
   * anchors and the description's root are built on it. Without it targets are root-relative and anchors
   * on id.gs1.org; the request's Host header is never used (a client could name any host).
   */
  publicUrl?: string;
  /** The server serves the explorer (`gs1:pip` links go to its unit pages). */
  explorer?: boolean;
}

/** The well-known location of the resolver description document. */
export const WELL_KNOWN_PATH = "/.well-known/gs1resolver";

/** Creates the resolver's route handler (undefined when disabled). */
export function createResolverRoutes(context: RouteContext, options: ResolverOptions = {}): RouteHandler | undefined {
  if (options.enabled === false) return undefined;
  const publicUrl = options.publicUrl === undefined ? "" : normaliseResolverUrl(options.publicUrl);
  const base = { publicUrl, explorer: options.explorer ?? false };
  const isRegistered = registrationLookup(context);
  const description = JSON.stringify(resolverDescription(context.manifest, publicUrl), null, 2);

  const answer = async (req: IncomingMessage, res: ServerResponse, path: string, query: string) => {
    if (req.method === "OPTIONS") return sendOptions(res);
    if (req.method !== "GET" && req.method !== "HEAD") {
      throw new ResolverRequestError("METHOD", `The resolver answers ${ALLOW} only.`);
    }
    if (hasBody(req)) throw new ResolverRequestError("BODY", "A resolver request has no body.");
    const head = req.method === "HEAD";
    if (path === WELL_KNOWN_PATH) {
      res.writeHead(200, { ...resolverHeaders(), "content-type": "application/json; charset=utf-8" });
      return res.end(head ? undefined : description);
    }
    const request = parseResolverRequest(path, query);
    const accept = req.headers.accept;
    const wantsLinkset = request.linkType?.linkset ?? acceptsLinksetExplicitly(accept);
    const mediaType = wantsLinkset ? linksetMediaType(accept) : undefined;
    if (wantsLinkset && mediaType === undefined) {
      throw new ResolverRequestError(
        "NOT_ACCEPTABLE",
        `A linkset is sent as ${LINKSET_MEDIA_TYPE} or application/json.`,
      );
    }
    const levels = levelsOf(request.identity);
    // The unit itself must be registered: a made-up serial under a genuine GTIN gets no link of the GTIN's
    // products, and never the verification link of a registered unit.
    if (!(await isRegistered(levels[0].key))) {
      throw Object.assign(
        new ResolverRequestError(
          "NOT_REGISTERED",
          `${levels[0].canonicalPath} is not registered on this ledger: check the code and where it came from.`,
        ),
        { check: publicUrl + verifyPathOf(levels[0].canonicalPath) },
      );
    }
    const above = await Promise.all(levels.slice(1).map((l) => isRegistered(l.key)));
    const links = levelLinks(
      levels.map((identity, i) => ({ identity, registered: i === 0 || above[i - 1] })),
      base,
    );
    const linkHeader = linkHeaderOf(links, `${publicUrl}${levels[0].canonicalPath}?linkType=linkset`);
    if (wantsLinkset) {
      res.writeHead(200, { ...resolverHeaders(), "content-type": mediaType!, link: linkHeader });
      return res.end(head ? undefined : JSON.stringify(linksetDocument(links)));
    }
    const name = request.linkType && !request.linkType.linkset ? request.linkType.name : "defaultLink";
    const link = findLink(links, name);
    if (!link) {
      const have = [...new Set(links.flatMap((l) => l.links.map((x) => `gs1:${x.linkType}`)))].join(", ");
      throw Object.assign(
        new ResolverRequestError("NO_SUCH_LINK_TYPE", `This code has no gs1:${name} link; it has ${have}.`),
        { linkHeader },
      );
    }
    res.writeHead(307, { ...resolverHeaders(), location: withQuery(link, request.passOn), link: linkHeader });
    res.end();
  };

  return {
    handle(req, res) {
      const raw = req.url ?? "/";
      const [path, query = ""] = raw.split("#")[0].split(/\?(.*)/s);
      if (path !== WELL_KNOWN_PATH && !isResolverPath(path)) return false;
      answer(req, res, path, query).catch((error: unknown) => {
        if (res.headersSent) return void res.destroy();
        const problem = problemOf(error);
        const extra: Record<string, string> = {};
        if (problem.status === 405) extra.allow = ALLOW;
        const { linkHeader, check } = error as { linkHeader?: string; check?: string };
        if (linkHeader) extra.link = linkHeader;
        // A person who scanned an unregistered code is offered to check it on the page, which reads the chain.
        sendProblem(req, res, problem, extra, check);
      });
      return true;
    },
  };
}

/** The `Link` header: the linkset's URL and the default link (GS1-Conformant Resolver 1.x). */
function linkHeaderOf(levels: readonly LevelLinks[], linksetUrl: string): string {
  const parts = [`<${linksetUrl}>; rel="linkset"; type="${LINKSET_MEDIA_TYPE}"`];
  const byDefault = findLink(levels, "defaultLink" satisfies OurLinkType);
  if (byDefault) parts.push(`<${byDefault.href}>; rel="${linkTypeUri("defaultLink")}"`);
  return parts.join(", ");
}

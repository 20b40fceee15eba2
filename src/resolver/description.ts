/**
 * The resolver description document served at `/.well-known/gs1resolver` (GS1-Conformant Resolver 1.x):
 * what this resolver is, where its root is, the primary keys and link types it answers.
 */
import type { DeploymentManifest } from "../config/manifest";
import { GS1_PREFIX, GS1_VOC, LINK_TYPES, linkTypeUri, type OurLinkType } from "./linkTypes";
import { LINKSET_MEDIA_TYPE } from "./negotiate";
import { SUPPORTED_PRIMARY_KEYS } from "./request";

/** The version of the GS1-Conformant Resolver standard this implementation follows. */
export const RESOLVER_STANDARD_VERSION = "1.1.0";

/**
 * The description document. `publicUrl` is the resolver's root as the world reaches it; without one the
 * root is `/` (this server's origin), which is all a resolver can honestly say without being told.
 */
export function resolverDescription(manifest: DeploymentManifest, publicUrl: string): Record<string, unknown> {
  return {
    name: `cbec-trace resolver for ledger ${manifest.ledger.address} (chain ${manifest.chainId})`,
    resolverRoot: publicUrl === "" ? "/" : publicUrl,
    supportedPrimaryKeys: [...SUPPORTED_PRIMARY_KEYS],
    supportedLinkType: [{ namespace: GS1_VOC, prefix: GS1_PREFIX, profile: `${GS1_VOC}?show=linktypes` }],
    linkTypeDefaultCanBeLinkset: false,
    linkTypeDefaultCanBeAll: false,
    supportedContextValuesEnumerated: [],
    linksetMediaType: LINKSET_MEDIA_TYPE,
    resolverStandardVersion: RESOLVER_STANDARD_VERSION,
    // Not part of the standard's schema: the link types this resolver can answer, with their titles.
    "cbectrace:linkTypes": (Object.keys(LINK_TYPES) as OurLinkType[]).map((name) => ({
      linkType: `${GS1_PREFIX}${name}`,
      uri: linkTypeUri(name),
      title: LINK_TYPES[name].title,
      type: LINK_TYPES[name].type,
    })),
  };
}

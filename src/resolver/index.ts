/**
 * The GS1-conformant resolver (GS1-Conformant Resolver 1.x, RFC 9264 linksets): link types, request
 * parsing, levels, links and the description document. The HTTP routes are `src/server/resolverRoutes.ts`.
 */
export * from "./description";
export * from "./errors";
export * from "./levels";
export * from "./links";
export * from "./linkTypes";
export * from "./negotiate";
export * from "./publicUrl";
export * from "./registry";
export * from "./request";
export * from "./verifyPath";

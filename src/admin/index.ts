/**
 * Consortium administration: the `consortium.json` format, reading the consortium from the chain,
 * planning and applying the difference, and the admin's single operations.
 */
export * from "./consortiumFile";
export * from "./read";
export * from "./plan";
export * from "./apply";
export * from "./admin";
export * from "./ownAccounts";
export * from "./show";
export * from "./prefixes";

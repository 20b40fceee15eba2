/**
 * The index's queries: typed, parameterized SQL only, every list paginated with a limit and a keyset
 * cursor ({@link Page}). They read what the index holds, which is a cache of the chain that may be behind,
 * stale or, if the database is not ours, wrong: a verifier checks what they return against the chain.
 */
export * from "./queries/page";
export * from "./queries/mappers";
export * from "./queries/units";
export * from "./queries/organizations";
export * from "./queries/chain";
export * from "./queries/search";
export * from "./queries/journey";
export * from "./queries/customs";

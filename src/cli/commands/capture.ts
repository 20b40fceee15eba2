/**
 * `trace capture`: credentials of the EPCIS capture interface (docs/epcis-capture.md).
 *  - `trace capture key new --out <file>`: as your organization's admin key (--key-file / TRACE_PRIVATE_KEY),
 *    creates a capture key, adds it to your organization on chain and writes its private key to a file;
 *  - `trace capture token create --capture-key-file <file> --label <who>`: checks the capture key on chain
 *    and issues a bearer token for it (printed once; only its SHA-256 is stored), keeping the key in the
 *    index database as a keystore encrypted with TRACE_CAPTURE_KEY_PASSPHRASE;
 *  - `trace capture token list` / `revoke <id>`: the tokens of that capture key.
 * The index database is the platform's (--database-url / DATABASE_URL, else the PGlite in --data-dir; a
 * PGlite directory is opened by one process at a time, so stop the server first or use PostgreSQL).
 */
import { writeFileSync, readFileSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { Wallet, parseEther } from "ethers";
import type { Command } from "commander";
import type { CliContext } from "../context";
import { CliInputError } from "../output";
import { openIndexDb } from "../../indexer/db";
import { delegateCaptureKey } from "../../capture/delegate";
import { issueCaptureToken, listCaptureTokens, revokeCaptureToken } from "../../capture/credentials";
import { DEFAULT_INDEX_DIR } from "./index";

type Run = (fn: (ctx: CliContext, ...args: never[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

interface DbFlags {
  databaseUrl?: string;
  dataDir: string;
  captureKeyFile: string;
}

const openDb = (flags: DbFlags) => {
  const databaseUrl = flags.databaseUrl ?? process.env.DATABASE_URL;
  return openIndexDb(databaseUrl ? { databaseUrl } : { dataDir: resolve(flags.dataDir) });
};

const captureKey = (file: string): Wallet => {
  if (!existsSync(file)) throw new CliInputError(`The capture key file ${file} does not exist.`);
  try {
    return new Wallet(readFileSync(file, "utf8").trim());
  } catch (cause) {
    throw new CliInputError(`${file} does not hold a private key.`, { cause });
  }
};

export function addCaptureCommands(program: Command, run: Run): void {
  const capture = program.command("capture").description("credentials of the EPCIS 2.0 capture interface");
  const withDb = (c: Command) =>
    c
      .option("--database-url <url>", "the platform's PostgreSQL index (env DATABASE_URL)")
      .option("--data-dir <dir>", "the platform's embedded index directory", DEFAULT_INDEX_DIR)
      .requiredOption("--capture-key-file <file>", "file holding the capture key (from `trace capture key new`)");

  capture
    .command("key")
    .description("capture keys of your organization")
    .command("new")
    .description("create a capture key and add it to your organization (your key must be its admin)")
    .requiredOption("--out <file>", "where to write the new key's private key (mode 600)")
    .option("--fund <ether>", "ether to send it for gas", "0")
    .action(
      run(async (ctx: CliContext, flags: { out: string; fund: string }) => {
        if (existsSync(flags.out)) throw new CliInputError(`${flags.out} exists: choose another file.`);
        const writer = await ctx.writer();
        const key = await delegateCaptureKey(writer, { fund: parseEther(flags.fund) });
        writeFileSync(flags.out, key.privateKey + "\n", { mode: 0o600 });
        ctx.out.result(
          { account: key.address, file: flags.out, org: await writer.organization() },
          `capture key ${key.address} added to organization ${await writer.organization()}; its key is in ${flags.out}`,
        );
      }),
    );

  const token = capture.command("token").description("bearer tokens of a capture key");
  withDb(token.command("create").description("issue a bearer token (printed once)"))
    .requiredOption("--label <text>", "who uses it (e.g. the warehouse system's name)")
    .action(
      run(async (ctx: CliContext, flags: DbFlags & { label: string }) => {
        const passphrase = process.env.TRACE_CAPTURE_KEY_PASSPHRASE;
        if (!passphrase) {
          throw new CliInputError(
            "Set TRACE_CAPTURE_KEY_PASSPHRASE: the platform keeps the capture key encrypted with it.",
          );
        }
        const key = captureKey(flags.captureKeyFile);
        const reader = await ctx.reader();
        const db = await openDb(flags);
        try {
          const issued = await issueCaptureToken({
            db,
            client: reader.client,
            ledger: reader.ledger,
            privateKey: key.privateKey,
            passphrase,
            label: flags.label,
          });
          ctx.out.result(
            issued,
            `token ${issued.id} for ${issued.account} (organization ${issued.orgId}) — shown once:\n` +
              `Authorization: Bearer ${issued.token}`,
          );
        } finally {
          await db.close();
        }
      }),
    );
  withDb(token.command("list").description("list the tokens of the capture key")).action(
    run(async (ctx: CliContext, flags: DbFlags) => {
      const key = captureKey(flags.captureKeyFile);
      const db = await openDb(flags);
      try {
        const tokens = await listCaptureTokens(db, key.address);
        ctx.out.result(
          tokens,
          () =>
            tokens
              .map(
                (t) =>
                  `${t.tokenId}  ${t.revokedAt ? "revoked" : "live   "}  ${new Date(t.createdAt).toISOString()}  ${t.label}`,
              )
              .join("\n") || "no tokens",
        );
      } finally {
        await db.close();
      }
    }),
  );
  withDb(token.command("revoke").description("revoke a token: it is refused (401) from now on"))
    .argument("<id>", "the token's id (from list)")
    .action(
      run(async (ctx: CliContext, id: string, flags: DbFlags) => {
        const key = captureKey(flags.captureKeyFile);
        const db = await openDb(flags);
        try {
          if (!(await revokeCaptureToken(db, id, key.address))) {
            throw new CliInputError(`No live token ${id} of ${key.address}.`);
          }
          ctx.out.result({ revoked: id }, `token ${id} revoked`);
        } finally {
          await db.close();
        }
      }),
    );
}

/** Encrypted JSON keystores (geth / ethers format): decrypted into a private key; errors never show secrets. */
import { readFileSync } from "node:fs";
import { Wallet } from "ethers";
import { NetworkEnvError, settingHint } from "./env";

/**
 * Decrypts the content of a keystore. Throws ethers' error for a wrong password or a malformed keystore;
 * callers replace it with their own message, which must not quote the content.
 */
export function decryptKeystoreJson(json: string, password: string): string {
  return Wallet.fromEncryptedJsonSync(json, password).privateKey;
}

/** Decrypts a keystore file into its private key (the deployer's TRACE_DEPLOYER_KEYSTORE). */
export function decryptKeystore(file: string, password: string | undefined): string {
  let json: string;
  try {
    json = readFileSync(file, "utf8");
  } catch {
    throw new NetworkEnvError(`The keystore file ${file} cannot be read.`, {
      hints: [settingHint("TRACE_DEPLOYER_KEYSTORE")],
    });
  }
  if (password === undefined) {
    throw new NetworkEnvError(
      `The keystore ${file} needs its password in TRACE_DEPLOYER_KEYSTORE_PASSWORD (TRACE_KEYSTORE_PASSWORD for the CLI).`,
      { hints: [settingHint("TRACE_DEPLOYER_KEYSTORE_PASSWORD")] },
    );
  }
  try {
    return decryptKeystoreJson(json, password);
  } catch {
    throw new NetworkEnvError(`The keystore ${file} could not be decrypted: wrong password or not a keystore file.`, {
      hints: [settingHint("TRACE_DEPLOYER_KEYSTORE_PASSWORD")],
    });
  }
}

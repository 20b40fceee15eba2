/**
 * The EVM version the contracts are compiled for, and the Hardhat network hardfork that runs them.
 *
 * Consortium chains (Hyperledger Besu, FISCO BCOS, ChainMaker) often lag mainnet, so the contracts must
 * also build and pass for `paris` (no PUSH0, no MCOPY). Select with the EVM_TARGET environment variable.
 */
export interface EvmTarget {
  evmVersion: string;
  hardfork: string;
  /** True for the default target, whose build goes to artifacts/ and typechain-types/. */
  isDefault: boolean;
}

const TARGETS: Record<string, Omit<EvmTarget, "isDefault">> = {
  paris: { evmVersion: "paris", hardfork: "merge" },
  shanghai: { evmVersion: "shanghai", hardfork: "shanghai" },
  cancun: { evmVersion: "cancun", hardfork: "cancun" },
  prague: { evmVersion: "prague", hardfork: "prague" },
};

/** The default target: what solc 0.8.28 and OpenZeppelin 5.3 build for, and what current Besu runs. */
export const DEFAULT_EVM_TARGET = "cancun";

export function evmTarget(name: string | undefined): EvmTarget {
  const key = (name ?? "").trim() || DEFAULT_EVM_TARGET;
  const found = TARGETS[key];
  if (!found) {
    throw new Error(
      `EVM_TARGET="${name}" is not supported. Use one of: ${Object.keys(TARGETS).join(", ")} ` +
        `(paris for chains without PUSH0/MCOPY, e.g. older Besu or FISCO BCOS).`,
    );
  }
  return { ...found, isDefault: key === DEFAULT_EVM_TARGET };
}

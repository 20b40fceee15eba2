/** Whether this run is `hardhat coverage` (which instruments the in-process network only). */
import hre from "hardhat";

export const isCoverageRun = (): boolean =>
  Boolean((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING);

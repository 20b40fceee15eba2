/**
 * QR labels for GS1 Digital Links. Browser-safe entry point: the PNG renderer is Node-only and lives in
 * `./png` (import it from there).
 */
export * from "./options";
export * from "./svg";
export * from "./uri";
export * from "./hri";
export * from "./layout";
export * from "./sheetSvg";
export * from "./pdf";

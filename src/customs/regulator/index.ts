/** The regulator's view of customs (issue 14): statuses, the columns and CSV every view exports, the chain reading. */
export * from "./status";
export * from "./csv";
export * from "./columns";
export * from "./table";
export * from "./chainUnit";

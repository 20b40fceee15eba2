import { readdirSync, readFileSync } from "node:fs";
import { epcisIssues } from "./src/epcis/rest/validate";
for (const d of ["valid", "invalid"]) {
  const dir = "/work/shared/standards/epcis/capture/" + d;
  for (const f of readdirSync(dir)) {
    const t0 = Date.now();
    const issues = epcisIssues(JSON.parse(readFileSync(`${dir}/${f}`, "utf8")));
    console.log(d, f, Date.now() - t0, "ms", JSON.stringify(issues.slice(0, 5)));
  }
}

/**
 * One error tree: every error class the SDK, the CLI and the deploy library export extends `TraceError`, and
 * its `name` is its class name, so `instanceof` and `error.name` always agree.
 */
import { expect } from "chai";
import * as sdk from "../../src/index";
import * as base from "../../src/errors/base";
import * as contract from "../../src/errors/contract";
import * as gs1 from "../../src/gs1/errors";
import * as epcis from "../../src/epcis/errors";
import * as labels from "../../src/qrLabels/options";
import * as env from "../../src/config/env";
import * as manifest from "../../src/config/manifest";
import * as consortiumFile from "../../src/admin/consortiumFile";
import * as plan from "../../src/admin/plan";
import * as output from "../../src/cli/output";
import * as history from "../../src/read/history";
import * as deployErrors from "../../deploy/lib/errors";
import * as licence from "../../src/errors/licence";
import { PartialWriteError } from "../../src/write/pipeline";

const { TraceError, ContractRefusalError } = { ...base, ...contract };

type ErrorClass = new (...args: never[]) => Error;

const MODULES: Record<string, Record<string, unknown>> = {
  "src/index.ts": sdk,
  "src/errors/base.ts": base,
  "src/errors/contract.ts": contract,
  "src/gs1/errors.ts": gs1,
  "src/epcis/errors.ts": epcis,
  "src/qrLabels/options.ts": labels,
  "src/config/env.ts": env,
  "src/config/manifest.ts": manifest,
  "src/admin/consortiumFile.ts": consortiumFile,
  "src/admin/plan.ts": plan,
  "src/cli/output.ts": output,
  "src/read/history.ts": history,
  "deploy/lib/errors.ts": deployErrors,
  "src/errors/licence.ts": licence,
};

/** Every exported class whose instances are errors, once each, with where it was found. */
function errorClasses(): Array<[string, ErrorClass]> {
  const seen = new Map<ErrorClass, string>();
  for (const [file, exports] of Object.entries(MODULES)) {
    for (const [key, value] of Object.entries(exports)) {
      if (typeof value !== "function" || !(value.prototype instanceof Error)) continue;
      if (!seen.has(value as ErrorClass)) seen.set(value as ErrorClass, `${file}: ${key}`);
    }
  }
  return [...seen].map(([cls, where]) => [where, cls]);
}

/** Constructor arguments that every class accepts (refusals need an args list, a batch item its reason). */
function instantiate(Cls: ErrorClass): Error {
  const C = Cls as unknown as new (...args: unknown[]) => Error;
  if (Cls === (contract.BatchItemRejectedError as unknown)) {
    return new C(0, new ContractRefusalError("NotAllowed", [], "refused"), []);
  }
  if (Cls.prototype instanceof ContractRefusalError || Cls === (ContractRefusalError as unknown)) {
    return new C("NotAllowed", [], "refused");
  }
  if (Cls === (consortiumFile.ConsortiumFileError as unknown)) return new C("file", [{ path: "", message: "bad" }]);
  if (Cls === (plan.ConsortiumConflictError as unknown)) return new C([{ path: "x", message: "bad" }]);
  if (Cls === (licence.CodeNotLicensedError as unknown)) return new C(1, [{ index: 0, path: "/01/1", holder: 0 }], 1);
  if (Cls === (PartialWriteError as unknown)) {
    const chunk = { chunk: 0, offset: 0, items: 1 };
    return new C(chunk, [], [chunk], new Error("dropped"));
  }
  return new C("LENGTH", "bad input", {});
}

describe("the error tree", function () {
  const classes = errorClasses();

  it("finds the error classes of every module", function () {
    const names = classes.map(([, c]) => c.name);
    for (const expected of [
      "TraceError",
      "NetworkError",
      "NotAllowedError",
      "Gs1Error",
      "Gs1CheckDigitError",
      "EpcisError",
      "EpcisParseError",
      "LabelError",
      "NetworkEnvError",
      "ManifestError",
      "ConsortiumFileError",
      "CliInputError",
      "DeployError",
      "ParametersError",
      "CodeNotLicensedError",
    ]) {
      expect(names).to.include(expected);
    }
  });

  it("every exported error class extends TraceError", function () {
    for (const [where, Cls] of classes) {
      expect(instantiate(Cls), where).to.be.instanceOf(TraceError);
    }
  });

  it("every exported error class is named after itself", function () {
    for (const [where, Cls] of classes) {
      expect(instantiate(Cls).name, where).to.equal(Cls.name);
    }
  });

  it("the input refusals of the parsers keep their message as written (no hints or version line)", function () {
    expect(new gs1.Gs1ValueError("LENGTH", "too short").message).to.equal("too short");
    expect(new epcis.EpcisEventError("step", "unknown step").message).to.equal("unknown step");
    expect(new labels.LabelError("NOT_A_URI", "not a URI").message).to.equal("not a URI");
    const cause = new Error("inner");
    expect(new epcis.EpcisParseError("$.x", "bad", { cause }).cause).to.equal(cause);
  });
});

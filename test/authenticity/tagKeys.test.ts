/**
 * The brand's tag-keys file: written owner-only and read back; refused when others may read it, when any entry
 * is malformed, and never overwritten.
 */
import { expect } from "chai";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTagKeys, parseTagKeys, TagKeysError, writeTagKeys, TAG_KEYS_FORMAT } from "../../src/authenticity/tagKeys";

const KEYS = { sdmMetaReadKey: "11".repeat(16), sdmFileReadKey: "22".repeat(16) };

describe("authenticity: the tag-keys file", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "cbec-tag-keys-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a file only its owner can read, and reads each tag's keys by UID in any case", () => {
    const path = join(dir, "ok.json");
    writeTagKeys(path, { "04A1B2C3D4E580": KEYS });
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    const store = loadTagKeys(path);
    expect(store.uids).to.deep.equal(["04a1b2c3d4e580"]);
    expect(store.keysFor("0x04A1B2C3D4E580")).to.deep.equal(KEYS);
    expect(store.keysFor("04a1b2c3d4e581")).to.equal(undefined);
  });

  it("ATTACK: never replaces an existing file (the keys of tags on products would be lost)", () => {
    const path = join(dir, "once.json");
    writeTagKeys(path, { "04a1b2c3d4e580": KEYS });
    expect(() => writeTagKeys(path, {})).to.throw(TagKeysError, "exists already");
    expect(loadTagKeys(path).uids).to.have.length(1);
  });

  it("ATTACK: refuses a file its group or others may read, saying how to fix it", () => {
    const path = join(dir, "open.json");
    writeTagKeys(path, { "04a1b2c3d4e580": KEYS });
    for (const mode of [0o644, 0o640, 0o604]) {
      chmodSync(path, mode);
      expect(() => loadTagKeys(path)).to.throw(TagKeysError, `mode ${mode.toString(8)}`);
    }
    chmodSync(path, 0o600);
    expect(loadTagKeys(path).uids).to.have.length(1);
  });

  it("refuses a missing file and names the setting", () => {
    expect(() => loadTagKeys(join(dir, "none.json"))).to.throw(TagKeysError, "cannot be read (ENOENT)");
    try {
      loadTagKeys(join(dir, "none.json"));
    } catch (e) {
      expect((e as TagKeysError).hints.join(" ")).to.contain("TRACE_TAG_KEYS");
    }
  });

  it("refuses the whole file when one entry is malformed, naming it", () => {
    const good = { "04a1b2c3d4e580": KEYS };
    const cases: Array<[string, string]> = [
      ["{", "is not JSON"],
      ["[]", "is not a JSON object"],
      [JSON.stringify({ format: "other", tags: good }), '"format" "other"'],
      [JSON.stringify({ format: TAG_KEYS_FORMAT }), 'no "tags" object'],
      [JSON.stringify({ format: TAG_KEYS_FORMAT, tags: { ...good, "04a1": KEYS } }), 'UID "04a1"'],
      [JSON.stringify({ format: TAG_KEYS_FORMAT, tags: { ...good, "04A1B2C3D4E580": KEYS } }), "twice"],
      [
        JSON.stringify({ format: TAG_KEYS_FORMAT, tags: { "04a1b2c3d4e581": { ...KEYS, sdmFileReadKey: "22" } } }),
        "sdmFileReadKey for tag 04a1b2c3d4e581",
      ],
      [JSON.stringify({ format: TAG_KEYS_FORMAT, tags: { "04a1b2c3d4e581": null } }), "sdmMetaReadKey"],
    ];
    for (const [text, message] of cases) expect(() => parseTagKeys(text, "k.json")).to.throw(TagKeysError, message);
    const path = join(dir, "bad.json");
    writeFileSync(path, cases[4][0], { mode: 0o600 });
    expect(() => loadTagKeys(path)).to.throw(TagKeysError, path);
  });
});

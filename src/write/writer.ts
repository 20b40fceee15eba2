/**
 * The write client for sellers and information providers (typechain + ethers): register units, record
 * events, pack and unpack, hand over, assign, correct, and relay signed batches. Every call is split to fit
 * the block gas limit, sent exactly once per transaction (see `TransactionSender`), and refused calls come
 * back as named errors (`NotAllowed`, `UnitNotRegistered`, `StageViolation`, …).
 */
import { toUtf8Bytes, type AbstractSigner, type Interface, type Provider, type TransactionRequest } from "ethers";
import type { Hex } from "viem";
import { TraceLedger__factory, type TraceLedger } from "../../typechain-types";
import { ContractRefusalError, decodeLedgerError, explainContractError } from "../errors/contract";
import { TransactionError } from "../errors/base";
import type { TraceDomain } from "../eip712";
import { TransactionSender, type SendOptions, type SentTransaction } from "./sender";
import { sendInChunks, GAS_PER_ITEM_GUESS, TX_GAS_CAP } from "./batching";
import { sendPipelined } from "./pipeline";
import { recordGasLimit, registerGasLimit } from "./gasModel";
import { retryTransient, sleep } from "./retry";
import { signTraceBatch, type SignedTraceBatch } from "./sign";
import type {
  AggregationInput,
  CustomsDocumentInput,
  EntryInput,
  RegistrationInput,
  TimedRecordInput,
  TraceInput,
} from "./types";
import { LicenceChecker } from "./licences";
import { unfiled } from "./resume";
import type { CorrectionProof } from "../hashChain/hashChain";

/** A batch with its position in the batches given to `relay`. */
type Indexed = { batch: SignedTraceBatch; index: number };

export interface TraceWriterOptions extends SendOptions {
  /** The ledger address. */
  ledger: string;
  /** A signer that can sign transactions locally (e.g. an ethers `Wallet` connected to a provider). */
  signer: AbstractSigner;
  /** Gas budget of one transaction (default: 80 % of the block gas limit, at most 16,777,216). */
  maxTxGas?: bigint;
  /** Transactions of this key in flight at once in a batched write (default `DEFAULT_WINDOW`; 1: one by one). */
  window?: number;
  /** Most calldata bytes of one transaction in a batched write (default `DEFAULT_MAX_TX_BYTES`, 120 KiB). */
  maxTxBytes?: number;
}

/** A signed batch the ledger refused in a relay of several; nothing of it was recorded, its nonce is unused. */
export interface RelayFailure {
  /** Its position in the batches given to `relay`. */
  index: number;
  signer: string;
  nonce: bigint;
  /** Why (for a refused event, a `BatchItemRejectedError` whose `index` is the event's position in the batch). */
  error: ContractRefusalError;
  /** The transaction that reported it (`SignedBatchFailed`), or undefined when refused before sending. */
  transactionHash?: string;
}

/** The outcome of a relay: the others are recorded even when some batches were refused. */
export interface RelayResult extends WriteResult {
  /** Positions of the batches recorded. */
  relayed: number[];
  /** The batches refused, in order. */
  failed: RelayFailure[];
}

/** The outcome of a write: the confirmed transactions in order. */
export interface WriteResult {
  transactions: SentTransaction[];
  /** Items written (units, events, children). */
  items: number;
  gasUsed: bigint;
}

export class TraceWriter {
  readonly ledger: TraceLedger;
  readonly sender: TransactionSender;
  private readonly provider: Provider;
  private maxItems: number | undefined;
  private budget: bigint | undefined;
  private blockGasLimit: bigint | undefined;
  private orgId: Promise<number> | undefined;
  /** The GS1 Company Prefix registry as this writer sees it (licences found are remembered). */
  readonly licences: LicenceChecker;

  private constructor(
    private readonly options: TraceWriterOptions,
    address: string,
  ) {
    if (!options.signer.provider) throw new TypeError("The signer must be connected to a provider.");
    this.provider = options.signer.provider;
    this.ledger = TraceLedger__factory.connect(options.ledger, options.signer);
    this.sender = new TransactionSender(options.signer, this.provider, address, options);
    this.licences = new LicenceChecker(this.ledger, () => this.organization());
  }

  /** Creates a writer for a signer. */
  static async create(options: TraceWriterOptions): Promise<TraceWriter> {
    return new TraceWriter(options, await options.signer.getAddress());
  }

  /** The signer's address. */
  get address(): string {
    return this.sender.address;
  }

  /** The signer's organization (0 when the address is not an account), read once. */
  organization(): Promise<number> {
    this.orgId ??= retryTransient(() => this.ledger.accountInfo(this.address)).then(
      ([orgId]) => Number(orgId),
      (error) => {
        this.orgId = undefined;
        throw explainContractError(error);
      },
    );
    return this.orgId;
  }

  /**
   * Registers units by their codes (any number; split into transactions as needed). Every code is checked
   * first against the prefix registry: when this writer's organization neither holds a code's prefix nor
   * is authorized by its holder, a `CodeNotLicensedError` names each such code and nothing is sent.
   */
  async register(units: RegistrationInput[]): Promise<WriteResult> {
    const lengths = await this.licences.prefixLengths(units.map((u) => u.path));
    const registrations = units.map((u, i) => ({
      path: toUtf8Bytes(u.path),
      prefixLength: lengths[i],
      eventTime: u.eventTime,
      location: u.location,
      recordHash: u.recordHash,
    }));
    return this.batched(
      registrations,
      GAS_PER_ITEM_GUESS.register,
      (chunk) => (chunk.length === 1 ? this.call("register", [chunk[0]]) : this.call("registerBatch", [chunk])),
      (chunk, data) => registerGasLimit(chunk.length, data),
    );
  }

  /**
   * Authorizes (or, with `authorized = false`, stops authorizing) a contract manufacturer to register codes
   * under a prefix this writer's organization holds; the writer's key must be an organization-admin account.
   */
  async authorizeManufacturer(prefix: string, manufacturer: number, authorized = true): Promise<WriteResult> {
    return this.single(await this.ledger.authorizeManufacturer.populateTransaction(prefix, manufacturer, authorized));
  }

  /** Records events in order (any number; split into transactions as needed). */
  record(events: TraceInput[]): Promise<WriteResult> {
    return this.batched(
      events,
      GAS_PER_ITEM_GUESS.record,
      (chunk) => (chunk.length === 1 ? this.call("record", [chunk[0]]) : this.call("recordBatch", [chunk])),
      recordGasLimit,
    );
  }

  /**
   * Files customs documents in order (any number; split into transactions as needed, a later document may
   * cite an earlier one), each as this writer's organization. A refusal comes back decoded
   * (`CustomsDocumentError`, `CustomsMatchError`, `CustomsRuleError`, or the usual `NotAllowed` / `OutOfScope`
   * / `StageViolation` ones), inside a `BatchItemRejectedError` naming the document when several were sent.
   * Relaying documents signed by another key is not offered: the issuer files its own.
   */
  fileDocuments(documents: CustomsDocumentInput[]): Promise<WriteResult> {
    // The ABI coder reads `terms` without changing it; typechain only types it as a mutable tuple.
    const struct = (d: CustomsDocumentInput) => ({ ...d, terms: [...d.terms] as [Hex, Hex] });
    return this.batched(documents, GAS_PER_ITEM_GUESS.document, (chunk) =>
      chunk.length === 1
        ? this.ledger.fileDocument.populateTransaction(struct(chunk[0]))
        : this.ledger.fileDocuments.populateTransaction(chunk.map(struct)),
    );
  }

  /** The documents this writer's organization has not filed yet (to resume an interrupted filing). */
  async unfiledDocuments(documents: CustomsDocumentInput[]): Promise<CustomsDocumentInput[]> {
    const kindOf = (id: Hex) => retryTransient(() => this.ledger.customsDocument(id)).then((d) => Number(d.kind));
    return unfiled(kindOf, await this.organization(), documents);
  }

  /** Packs children into a parent (more than MAX_BATCH children take several packing entries). */
  pack(aggregation: AggregationInput, children: string[]): Promise<WriteResult> {
    return this.batched(children, GAS_PER_ITEM_GUESS.pack, (chunk) =>
      this.ledger.pack.populateTransaction(aggregation, chunk),
    );
  }

  /** Takes children out of a parent. */
  unpack(aggregation: AggregationInput, children: string[]): Promise<WriteResult> {
    return this.batched(children, GAS_PER_ITEM_GUESS.pack, (chunk) =>
      this.ledger.unpack.populateTransaction(aggregation, chunk),
    );
  }

  /**
   * Offers custody of a unit to another organization (`toOrg` 0 withdraws the offer); custody moves when an
   * account of `toOrg` calls {@link acceptHandover}. `offer` carries the offer's own time and place, as its
   * record states them (no default: a handover happens at a time someone saw it happen).
   */
  async handover(unit: string, toOrg: number, offer: EntryInput): Promise<WriteResult> {
    const { eventTime, location, recordHash } = entryFields(offer, "handover");
    return this.single(await this.ledger.handover.populateTransaction(unit, toOrg, eventTime, location, recordHash));
  }

  /** Accepts custody of a unit offered to this writer's organization, at the time and place of `accepted`. */
  async acceptHandover(unit: string, accepted: EntryInput): Promise<WriteResult> {
    const { eventTime, location, recordHash } = entryFields(accepted, "acceptHandover");
    return this.single(await this.ledger.acceptHandover.populateTransaction(unit, eventTime, location, recordHash));
  }

  /** Assigns an organization to a unit (or removes it with `assigned = false`), dated `entry.eventTime`. */
  async assign(unit: string, orgId: number, assigned: boolean, entry: TimedRecordInput): Promise<WriteResult> {
    const { eventTime, recordHash } = entryFields(entry, "assign");
    return this.single(await this.ledger.assign.populateTransaction(unit, orgId, assigned, eventTime, recordHash));
  }

  /**
   * Declares entry `seq` of a unit wrong, dated `declaration.eventTime` (the error declaration's own time,
   * no earlier than the entry's). `proof` shows who recorded it: build it with `correctionProof` (exported
   * by `cbec-trace`) from the unit's current history (`TraceReader.history`).
   */
  async correct(
    unit: string,
    seq: number,
    declaration: TimedRecordInput,
    proof: CorrectionProof,
  ): Promise<WriteResult> {
    const { eventTime, recordHash } = entryFields(declaration, "correct");
    return this.single(
      await this.ledger.correct.populateTransaction(unit, seq, eventTime, recordHash, proof.head, proof.entries),
    );
  }

  /**
   * Relays batches signed offline (by anyone); each is recorded as its signer. One batch: a refusal throws
   * (a `BatchItemRejectedError` naming the event). Several: each succeeds or fails on its own and the
   * refused ones come back in `failed` with their decoded error; the others are recorded.
   */
  async relay(batches: SignedTraceBatch[]): Promise<RelayResult> {
    if (batches.length === 0) return { transactions: [], items: 0, gasUsed: 0n, relayed: [], failed: [] };
    const build = (chunk: Indexed[]) => this.ledger.recordBySig.populateTransaction(chunk.map((c) => c.batch));
    const failed: RelayFailure[] = [];
    // A chunk of one batch (in a relay of several) is the ledger's atomic path: its refusal is that batch's.
    const refusedAlone = (chunk: Indexed[], error: unknown, transactionHash?: string) => {
      if (batches.length === 1 || chunk.length !== 1 || !(error instanceof ContractRefusalError)) throw error;
      const { batch, index } = chunk[0];
      failed.push({ index, signer: batch.signer, nonce: batch.nonce, error, transactionHash });
      return undefined;
    };
    const { maxItems, budget } = await this.limits();
    const sent = await sendInChunks(
      batches.map((batch, index) => ({ batch, index })),
      {
        maxItems,
        gasBudget: budget,
        gasPerItemGuess: GAS_PER_ITEM_GUESS.relay * 10n,
        estimate: async (chunk) => {
          try {
            return await this.sender.estimate(await build(chunk));
          } catch (error) {
            return refusedAlone(chunk, error) ?? 0n;
          }
        },
        send: async (chunk, estimate, offset) => {
          if (failed.some((f) => f.index === chunk[0].index && f.transactionHash === undefined)) return undefined;
          try {
            const tx = await this.sender.send(await build(chunk), estimate);
            failed.push(...this.failuresIn(tx, chunk, offset));
            return tx;
          } catch (error) {
            return refusedAlone(chunk, error);
          }
        },
      },
    );
    const transactions = sent.filter((t): t is SentTransaction => t !== undefined);
    failed.sort((a, b) => a.index - b.index);
    const refused = new Set(failed.map((f) => f.index));
    const relayed = batches.map((_, i) => i).filter((i) => !refused.has(i));
    const gasUsed = transactions.reduce((sum, t) => sum + t.gasUsed, 0n);
    return { transactions, items: relayed.length, gasUsed, relayed, failed };
  }

  /** Invalidates every batch this key signed and not yet relayed: its nonce moves to `newNonce`, by default
   * the start of its next nonce epoch (high 32 bits + 1), beyond anything it queued. Sign again afterwards. */
  async invalidateNonces(newNonce?: bigint): Promise<{ nonce: bigint; result: WriteResult }> {
    const current = await retryTransient(() => this.ledger.nonces(this.address));
    const nonce = newNonce ?? ((current >> 32n) + 1n) << 32n;
    const result = await this.single(await this.ledger.invalidateNonces.populateTransaction(nonce));
    return { nonce, result };
  }

  /**
   * Waits until no transaction of this key is pending (the node's pending nonce equals its mined nonce),
   * so a resumed job sees everything an interrupted run sent before deciding what is left to send.
   */
  async settle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [pending, mined] = await retryTransient(() =>
        Promise.all([
          this.provider.getTransactionCount(this.address, "pending"),
          this.provider.getTransactionCount(this.address, "latest"),
        ]),
      );
      if (pending === mined) return;
      if (Date.now() >= deadline) {
        throw new TransactionError(
          `${pending - mined} transaction(s) of ${this.address} are still pending after ${timeoutMs / 1000} s.`,
          {
            hints: ["Wait for the node to mine them (or check it is producing blocks), then rerun."],
          },
        );
      }
      await sleep(500);
    }
  }

  /** The ledger's EIP-712 domain (for signing offline). */
  async domain(): Promise<TraceDomain> {
    const d = await retryTransient(() => this.ledger.eip712Domain());
    return {
      name: d.name,
      version: d.version,
      chainId: d.chainId,
      verifyingContract: d.verifyingContract,
    };
  }

  /** Signs events as this writer's key (the signed batch can be relayed by anyone). */
  async sign(events: TraceInput[], opts: { deadline: number; nonce?: bigint }): Promise<SignedTraceBatch> {
    const nonce = opts.nonce ?? (await retryTransient(() => this.ledger.nonces(this.address)));
    return signTraceBatch(this.options.signer, await this.domain(), events, { nonce, deadline: opts.deadline });
  }

  /** The `SignedBatchFailed` logs of a relay transaction, as failures of the batches of `chunk`. */
  private failuresIn(tx: SentTransaction, chunk: Indexed[], offset: number): RelayFailure[] {
    const ledger = this.options.ledger.toLowerCase();
    const failures: RelayFailure[] = [];
    for (const log of tx.receipt.logs) {
      if (log.address.toLowerCase() !== ledger) continue;
      const parsed = this.ledger.interface.parseLog(log);
      if (parsed?.name !== "SignedBatchFailed") continue;
      const reason = parsed.args.reason as Hex;
      const index = Number(parsed.args.index);
      failures.push({
        index: chunk[index]?.index ?? offset + index,
        signer: String(parsed.args.signer),
        nonce: BigInt(parsed.args.nonce),
        error:
          decodeLedgerError(reason) ??
          new ContractRefusalError("unknown", [], `The batch was refused with ${reason}.`, [], reason),
        transactionHash: tx.hash,
      });
    }
    return failures;
  }

  private async single(tx: TransactionRequest): Promise<WriteResult> {
    const sent = await this.sender.send(tx);
    return { transactions: [sent], items: 1, gasUsed: sent.gasUsed };
  }

  private async batched<T>(
    items: T[],
    guess: bigint,
    build: (chunk: T[]) => TransactionRequest | Promise<TransactionRequest>,
    gasLimit?: (chunk: T[], data: string) => bigint,
  ): Promise<WriteResult> {
    if (items.length === 0) return { transactions: [], items: 0, gasUsed: 0n };
    const { maxItems, budget } = await this.limits();
    const transactions = await sendPipelined(this.sender, items, {
      maxItems,
      gasBudget: budget,
      gasPerItemGuess: guess,
      blockGasLimit: this.blockGasLimit,
      build,
      gasLimit,
      window: this.options.window,
      maxTxBytes: this.options.maxTxBytes,
    });
    return { transactions, items: items.length, gasUsed: transactions.reduce((s, t) => s + t.gasUsed, 0n) };
  }

  /**
   * A ledger call encoded once, by the ABI directly: typechain's `populateTransaction` walks every argument
   * through ethers' resolver first, which for a 500-item batch costs as much as encoding it.
   */
  private call(method: "register" | "registerBatch" | "record" | "recordBatch", args: unknown[]): TransactionRequest {
    return { to: this.options.ledger, data: (this.ledger.interface as Interface).encodeFunctionData(method, args) };
  }

  private async limits(): Promise<{ maxItems: number; budget: bigint }> {
    if (this.maxItems === undefined || this.budget === undefined) {
      try {
        this.maxItems = Number(await retryTransient(() => this.ledger.MAX_BATCH()));
        const block = await retryTransient(() => this.provider.getBlock("latest"));
        this.blockGasLimit = block?.gasLimit ?? 30_000_000n;
        const byBlock = (this.blockGasLimit * 8n) / 10n;
        const cap = this.options.maxTxGas ?? TX_GAS_CAP - 1_000_000n;
        this.budget = byBlock < cap ? byBlock : cap;
      } catch (error) {
        throw explainContractError(error);
      }
    }
    return { maxItems: this.maxItems, budget: this.budget };
  }
}

/**
 * The entry fields of a custody, assignment or correction call, refused before anything is sent when a
 * caller still passes the record hash alone (the calls took no time before ledger 2.2.0's issue 15).
 */
function entryFields<E extends TimedRecordInput>(entry: E, call: string): E {
  if (entry === null || typeof entry !== "object" || !Number.isSafeInteger(entry.eventTime)) {
    throw new TypeError(
      `${call} takes the entry's { eventTime, recordHash } (and location), e.g. recordObjectEvent(…).input, not ${typeof entry === "string" ? "a record hash alone" : String(entry)}.`,
    );
  }
  return entry;
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IConsortium} from "./IConsortium.sol";
import {IPrefixRegistry} from "./IPrefixRegistry.sol";
import {ICustoms} from "./ICustoms.sol";

/// @title ITraceLedger
/// @notice The cbec-trace ledger: trace units keyed by their canonical GS1 Digital Link path, an
/// append-only, hash-chained history per unit, aggregation (items → cartons → consignments), custody,
/// scoped permissions, an enforced export state machine and EIP-712 signed events relayed by the platform.
///
/// Every change to a unit's history emits exactly one `Traced` log and advances the unit's chain head:
/// `head' = bytes16(keccak256(abi.encode(head, unit, account, data, info)))`, starting from
/// `bytes16(keccak256(abi.encode(chainId, ledger, unit)))`. A verifier rebuilds it from the logs, which it
/// finds by following `info.prevBlock` back from `unitState(unit).lastBlock`.
interface ITraceLedger is IConsortium, IPrefixRegistry, ICustoms {
    /// @notice One event to record on a unit.
    /// @param unit The unit key (`keccak256` of the canonical GS1 Digital Link path).
    /// @param step The business step (`Steps`).
    /// @param disposition The CBV disposition (`Dispositions`), 0 for none.
    /// @param eventTime When the event happened (Unix seconds), as claimed by the recorder.
    /// @param location Where: a 13-digit GLN, or a short code of up to 8 ASCII bytes; 0 for none.
    /// @param recordHash Hash of the full off-chain record (the EPCIS 2.0 event or a document digest).
    struct TraceInput {
        bytes32 unit;
        uint8 step;
        uint8 disposition;
        uint40 eventTime;
        uint64 location;
        bytes32 recordHash;
    }

    /// @notice One unit to register, by its code: the ledger derives the key (`keccak256(path)`) from the same
    /// bytes it checks the company prefix in, so nobody registers a key whose code it does not hold.
    /// @param path The canonical GS1 Digital Link path (`/01/<GTIN-14>[/22/…][/10/…][/21/…]`, `/00/<SSCC>`,
    /// `/401/<GINC>`, `/414/<GLN>[/254/…]`), UTF-8.
    /// @param prefixLength Digits of the GS1 Company Prefix, which starts at byte `Limits.PREFIX_OFFSET`.
    /// @param eventTime Commissioning time (Unix seconds).
    /// @param location Commissioning location (GLN or short code), 0 for none.
    /// @param recordHash Hash of the unit's master data / commissioning record.
    struct Registration {
        bytes path;
        uint8 prefixLength;
        uint40 eventTime;
        uint64 location;
        bytes32 recordHash;
    }

    /// @notice A packing or unpacking operation on a parent.
    /// @param parent The parent unit key (carton SSCC, pallet, consignment).
    /// @param eventTime When it happened.
    /// @param location Where.
    /// @param recordHash Hash of the EPCIS AggregationEvent.
    struct Aggregation {
        bytes32 parent;
        uint40 eventTime;
        uint64 location;
        bytes32 recordHash;
    }

    /// @notice Events signed offline by one account, relayed by anyone.
    /// @param signer The account that signed.
    /// @param nonce The signer's current nonce (`accountInfo(signer).nonce`).
    /// @param deadline Last Unix second at which the signature is valid.
    /// @param events The signed events, recorded in order.
    /// @param signature EIP-712 signature over `TraceBatch(signer, nonce, deadline, events)`.
    struct SignedBatch {
        address signer;
        uint64 nonce;
        uint40 deadline;
        TraceInput[] events;
        bytes signature;
    }

    /// @notice Emitted for every entry of a unit's history; the only log a verifier needs per unit.
    /// @param unit The unit whose chain advanced.
    /// @param account The account that signed or sent it (the signer for relayed events).
    /// @param data The record hash; for a child's (un)packing, the parent key.
    /// @param info Packed fields, low bits first: step (8), disposition (8), eventTime (40), location (64),
    /// prevBlock (32, block of the unit's previous entry), seq (32, this entry's 1-based position),
    /// org (32, the account's organization), aux (40: new custodian for handovers, the organization (+bit 32
    /// when removed) for assignments, the corrected seq for corrections, the child count on a parent's
    /// (un)packing). Decoded by `TraceInfo` and the SDK.
    event Traced(bytes32 indexed unit, address indexed account, bytes32 data, uint256 info);

    /// @notice Thrown when a unit key is zero.
    error TraceLedgerZeroUnitKey();
    /// @notice Thrown when a unit key is not registered.
    /// @param unit The key.
    error TraceLedgerUnknownUnit(bytes32 unit);
    /// @notice Thrown when registering a key that is already registered.
    /// @param unit The key.
    error TraceLedgerUnitAlreadyRegistered(bytes32 unit);

    /// @notice The registering organization neither holds the company prefix the code carries at
    /// `Limits.PREFIX_OFFSET` (`prefixLength` digits) nor is authorized by its holder (`IPrefixRegistry`).
    /// @param unit The unit key the code derives.
    /// @param orgId The registering organization.
    /// @param holder The prefix's holder, 0 when nobody holds it.
    error TraceLedgerCodeNotLicensed(bytes32 unit, uint32 orgId, uint32 holder);
    /// @notice Thrown when the acting organization has nothing to do with the unit.
    /// @param unit The unit.
    /// @param orgId The acting organization.
    error TraceLedgerOutOfScope(bytes32 unit, uint32 orgId);
    /// @notice Thrown when an action needs the unit's current custodian.
    /// @param unit The unit.
    /// @param orgId The acting organization.
    error TraceLedgerNotCustodian(bytes32 unit, uint32 orgId);
    /// @notice Thrown when writing on a destroyed or decommissioned unit.
    /// @param unit The unit.
    error TraceLedgerUnitDestroyed(bytes32 unit);
    /// @notice Thrown when a step is not allowed in the unit's export stage (e.g. release before declaration).
    /// @param unit The unit.
    /// @param step The step.
    /// @param stage The unit's (effective) stage (`Stages`).
    error TraceLedgerStageViolation(bytes32 unit, uint8 step, uint8 stage);
    /// @notice Thrown when a step is refused because the unit (or a parent) is held.
    /// @param unit The unit.
    /// @param step The step.
    error TraceLedgerUnitHeld(bytes32 unit, uint8 step);
    /// @notice Thrown when a step is refused because the unit (or a parent) is recalled.
    /// @param unit The unit.
    /// @param step The step.
    error TraceLedgerUnitRecalled(bytes32 unit, uint8 step);
    /// @notice Thrown when lifting a hold, flag or recall the unit itself does not carry.
    /// @param unit The unit.
    /// @param step The lifting step.
    error TraceLedgerNothingToLift(bytes32 unit, uint8 step);
    /// @notice Thrown when a step has its own entry point (register, pack, unpack, handover, assign, correct)
    /// or is not a defined step.
    /// @param step The step.
    error TraceLedgerStepNotRecordable(uint8 step);
    /// @notice Thrown when a disposition code is not defined.
    /// @param disposition The code.
    error TraceLedgerInvalidDisposition(uint8 disposition);
    /// @notice Thrown when packing, handing over or assigning... a unit that is packed inside a parent.
    /// @param unit The unit.
    error TraceLedgerUnitPacked(bytes32 unit);
    /// @notice Thrown when packing a child whose custodian is not the parent's custodian: goods are packed
    /// by whoever holds both, and custody moves only by `handover`.
    /// @param child The child.
    /// @param childCustodian The child's custodian.
    /// @param parentCustodian The parent's (effective) custodian.
    error TraceLedgerCustodyMismatch(bytes32 child, uint32 childCustodian, uint32 parentCustodian);
    /// @notice Thrown when unpacking a child that is not inside the given parent.
    /// @param child The child.
    /// @param parent The parent.
    error TraceLedgerNotInParent(bytes32 child, bytes32 parent);
    /// @notice Thrown when packing would put a unit inside itself or inside its own contents.
    /// @param parent The parent.
    /// @param child The child.
    error TraceLedgerPackingCycle(bytes32 parent, bytes32 child);
    /// @notice Thrown when an assignment would not change anything.
    /// @param unit The unit.
    /// @param orgId The organization.
    error TraceLedgerAssignmentUnchanged(bytes32 unit, uint32 orgId);
    /// @notice Thrown when a correction names an event the unit does not have.
    /// @param unit The unit.
    /// @param seq The sequence number given.
    error TraceLedgerInvalidCorrection(bytes32 unit, uint32 seq);
    /// @notice Thrown when a unit's history already holds the most entries its uint32 sequence number counts
    /// (2^32 − 1); a unit that busy is better split into units of its own.
    /// @param unit The unit.
    error TraceLedgerUnitHistoryFull(bytes32 unit);
    /// @notice Thrown when packing into a new parent after all 2^32 − 1 container numbers are in use.
    error TraceLedgerContainerNumbersExhausted();
    /// @notice Thrown when the chain's block number no longer fits the uint32 block fields of the unit state
    /// and the `Traced` log (the links that make histories findable): the consortium moves to a new ledger.
    /// @param blockNumber The current block number.
    error TraceLedgerBlockNumberTooLarge(uint256 blockNumber);
    /// @notice Thrown when a batch is empty.
    error TraceLedgerEmptyBatch();
    /// @notice Thrown when a batch exceeds `MAX_BATCH` items.
    /// @param length The batch length.
    /// @param max The limit.
    error TraceLedgerBatchTooLarge(uint256 length, uint256 max);
    /// @notice Thrown when one item of a batch is refused; the whole batch is reverted.
    /// @param index The item's position in the batch (for a signed batch: the event's position in it).
    /// @param reason The item's own error (ABI-encoded custom error).
    error TraceLedgerBatchItemRejected(uint256 index, bytes reason);
    /// @notice Thrown when a signed batch's deadline has passed.
    /// @param deadline The deadline.
    error TraceLedgerSignatureExpired(uint40 deadline);
    /// @notice Thrown when a signed batch's nonce is not the signer's current nonce (replay or out of order).
    /// @param signer The signer.
    /// @param expected The signer's current nonce.
    error TraceLedgerInvalidNonce(address signer, uint64 expected);
    /// @notice Thrown when a signature is not the signer's over this ledger, chain and batch.
    /// @param signer The claimed signer.
    error TraceLedgerInvalidSignature(address signer);

    // --- Signed batches, trust model v2 (issue 11 item 8): per-batch isolation of multi-batch relays ---

    /// @notice Emitted when one batch of a multi-batch `recordBySig` is refused; nothing of it was recorded
    /// and its nonce is still unused. The other batches of the call are unaffected.
    /// @param index The batch's position in the call.
    /// @param signer The batch's signer.
    /// @param nonce The batch's nonce.
    /// @param reason The refusal, exactly as relaying this batch alone reverts (ABI-encoded custom error,
    /// usually `TraceLedgerBatchItemRejected(i, inner error)` with `i` the event's position in the batch).
    event SignedBatchFailed(uint256 indexed index, address indexed signer, uint64 nonce, bytes reason);
    /// @notice Thrown when a batch of a multi-batch relay ran out of gas: the relayer sent too little, and the
    /// batch is not to blame (send the call with more gas).
    /// @param index The batch's position in the call.
    error TraceLedgerRelayOutOfGas(uint256 index);

    // --- Trust model v2, custody and corrections (issue 11 items 3-5) ---

    /// @notice One entry of a unit's history as the hash chain hashes it (the `Traced` log's fields).
    /// @param account The entry's account.
    /// @param data The entry's data word.
    /// @param info The entry's complete info word.
    /// @param blockRef The entry's block: `blockNumber << 64 | blockTimestamp` (`TraceInfo.blockRef`).
    struct ChainEntry {
        address account;
        bytes32 data;
        uint256 info;
        uint256 blockRef;
    }

    /// @notice Emitted when a custodian offers a unit to another organization (toOrg 0: offer withdrawn).
    /// @param unit The unit.
    /// @param fromOrg The offering custodian.
    /// @param toOrg The organization that may accept, 0 when withdrawn.
    /// @param recordHash Hash of the offer record (e.g. the delivery note).
    /// @param eventTime When the custodian made the offer (Unix seconds), as it claims.
    /// @param location Where (GLN or short code), 0 for none.
    event HandoverOffered(
        bytes32 indexed unit,
        uint32 indexed fromOrg,
        uint32 indexed toOrg,
        bytes32 recordHash,
        uint40 eventTime,
        uint64 location
    );

    /// @notice Thrown when an organization would assign or hand a unit over to itself.
    /// @param unit The unit.
    /// @param orgId The organization.
    error TraceLedgerSelfTarget(bytes32 unit, uint32 orgId);
    /// @notice Thrown when accepting a unit no open offer names the acting organization for.
    /// @param unit The unit.
    /// @param orgId The acting organization.
    error TraceLedgerNoHandoverOffer(bytes32 unit, uint32 orgId);
    /// @notice Thrown when accepting an offer made before the unit's latest entry (custody, packing, a hold,
    /// any write since): the custodian offers again on the current state.
    /// @param unit The unit.
    error TraceLedgerHandoverOfferStale(bytes32 unit);
    /// @notice Thrown when a correction's proof does not rebuild the unit's head from entry `seq` on.
    /// @param unit The unit.
    /// @param seq The corrected sequence number.
    error TraceLedgerInvalidCorrectionProof(bytes32 unit, uint32 seq);
    /// @notice Thrown when correcting an entry another organization recorded (regulators excepted).
    /// @param unit The unit.
    /// @param seq The corrected sequence number.
    /// @param author The organization that recorded it.
    error TraceLedgerNotEntryAuthor(bytes32 unit, uint32 seq, uint32 author);

    /// @notice Accepts custody of a unit (and everything packed in it) offered to the caller's organization.
    /// @dev Requirements: not paused; roles allow `CUSTODY_TRANSFERRED`; an offer by `handover` names the
    /// caller's organization and the unit has had no entry since (else `TraceLedgerHandoverOfferStale`);
    /// `eventTime` as `record` takes it (`TraceLedgerInvalidEventTime`).
    /// Ends every assignment on the unit and on what is inside. Emits `Traced` (step `CUSTODY_TRANSFERRED`,
    /// account and org = the acceptor, aux = the acceptor's organization).
    /// @param unit The unit.
    /// @param eventTime When the receiver took the goods (Unix seconds), as it claims.
    /// @param location Where (GLN or short code), 0 for none.
    /// @param recordHash Hash of the acceptance record (e.g. the signed proof of delivery).
    function acceptHandover(bytes32 unit, uint40 eventTime, uint64 location, bytes32 recordHash) external;

    /// @notice The open handover offer on a unit.
    /// @param unit The unit.
    /// @return fromOrg The offering custodian (0: none).
    /// @return toOrg The organization that may accept.
    /// @return seq The unit's entry count when offered; the offer holds only while it is unchanged.
    function handoverOffer(bytes32 unit) external view returns (uint32 fromOrg, uint32 toOrg, uint32 seq);

    // Trust model v2, aggregation and stopped units (issue 11 items 1 and 6).

    /// @notice Thrown when packing a child into a parent whose effective stage is further along than the
    /// child's own: packing never advances a unit (an undeclared item packed into a released consignment
    /// would be released without a declaration).
    /// @param child The child.
    /// @param childStage The child's own stage (`Stages`).
    /// @param parentStage The parent's effective stage.
    error TraceLedgerPackingAdvancesChild(bytes32 child, uint8 childStage, uint8 parentStage);
    /// @notice Thrown when a non-customs account packs into or unpacks from a parent whose effective stage
    /// is DECLARED or RELEASED: under customs control, only customs changes what was declared.
    /// @param unit The parent.
    error TraceLedgerCustomsControlled(bytes32 unit);
    /// @notice Thrown when a unit that holds a held or recalled unit (at any depth) would move: pack it, hand
    /// it over, declare, release, depart, deliver... Unpack the stopped unit or have the flag lifted first.
    /// @param unit The unit.
    /// @param step The refused step.
    error TraceLedgerContainsStopped(bytes32 unit, uint8 step);

    // Event times of every entry (issue 15).

    /// @notice Thrown when an entry's claimed event time is 0 (no time) or later than the block's time plus
    /// `Limits.MAX_EVENT_TIME_SKEW`: events are recorded when or after they happen, not ahead of time.
    /// @param eventTime The claimed time.
    /// @param latest The latest time this block accepts.
    error TraceLedgerInvalidEventTime(uint40 eventTime, uint256 latest);
    /// @notice Thrown when a correction is dated before the entry it declares wrong.
    /// @param unit The unit.
    /// @param seq The corrected entry.
    /// @param entryTime The corrected entry's event time, the earliest the correction may carry.
    error TraceLedgerCorrectionPredatesEntry(bytes32 unit, uint32 seq, uint40 entryTime);

    /// @notice Registers a unit; the acting organization becomes its registrant and custodian.
    /// @dev Requirements: not paused; the caller's roles allow `COMMISSIONING`; the key is non-zero and
    /// unregistered. Emits `Traced` (step `COMMISSIONING`, seq 1).
    /// @param registration The unit and its commissioning record.
    function register(Registration calldata registration) external;

    /// @notice Registers many units atomically.
    /// @dev As `register` for each; 1..MAX_BATCH items; a refused item reverts all with
    /// `TraceLedgerBatchItemRejected(index, reason)`.
    /// @param registrations The units.
    function registerBatch(Registration[] calldata registrations) external;

    /// @notice Records one event on a unit.
    /// @dev Requirements: not paused; the caller is an active account whose roles allow `step`; the unit is
    /// registered, in the caller's scope (custodian, assigned to it or a parent, or a regulator)
    /// and its stage and flags allow the step; the event time is not 0 and at most
    /// `Limits.MAX_EVENT_TIME_SKEW` seconds after the block's (`TraceLedgerInvalidEventTime`; every entry
    /// point that takes an event time checks it so). Emits `Traced`.
    /// Example: a carrier records `{unit: consignment, step: DEPARTING, disposition: IN_TRANSIT, ...}`
    /// after customs recorded `CUSTOMS_RELEASED` on the same consignment.
    /// @param input The event.
    function record(TraceInput calldata input) external;

    /// @notice Records many events atomically, in order (the same unit may appear several times).
    /// @dev As `record` for each; 1..MAX_BATCH items.
    /// @param inputs The events.
    function recordBatch(TraceInput[] calldata inputs) external;

    /// @notice Relays events signed offline; each batch is checked and recorded as its signer.
    /// @dev Requirements per batch, in order: 1..MAX_BATCH events, deadline not passed, nonce equal to the
    /// signer's, a valid EIP-712 (or ERC-1271) signature by `signer`, an active signer account, then
    /// `record`'s requirements for the signer. Consumes the nonce. Anyone may relay; the relayer gains no
    /// rights. A batch is atomic: a refusal undoes all of it (its nonce stays unused) with
    /// `TraceLedgerBatchItemRejected(i, reason)`, `i` the event (0 for the batch's own checks). One batch:
    /// the call reverts with that error. Several: each is relayed alone (by a call of the ledger to this
    /// function) and succeeds or fails on its own; a failure emits `SignedBatchFailed(b, …, error)` and the
    /// others are recorded. The call reverts only while paused (`ConsortiumPaused`) or when a batch ran out
    /// of the gas the relayer sent (`TraceLedgerRelayOutOfGas(b)`).
    /// @param batches The signed batches.
    function recordBySig(SignedBatch[] calldata batches) external;

    /// @notice Packs units into a parent; events on the parent then hold for them.
    /// @dev Requirements: not paused; roles allow `PACKING`; parent and children registered, in scope,
    /// not destroyed or held; a parent at (effective) stage DECLARED or RELEASED only by a `CUSTOMS` account
    /// (`TraceLedgerCustomsControlled`); children not already packed, not held or recalled, holding no held
    /// or recalled unit (`TraceLedgerContainsStopped`), at least at the parent's effective stage
    /// (`TraceLedgerPackingAdvancesChild`: packing never advances a unit) and in the parent's custody; no
    /// cycle. Emits `Traced` on each child (data = parent) and on the parent (aux = child count).
    /// @param aggregation The parent and the aggregation record.
    /// @param children The units to put inside.
    function pack(Aggregation calldata aggregation, bytes32[] calldata children) external;

    /// @notice Takes units out of a parent; they keep the stage and recall the parent had reached.
    /// @dev Requirements: not paused; roles allow `UNPACKING`; parent in scope and not held (nor any
    /// parent around it); a parent at (effective) stage DECLARED or RELEASED only by a `CUSTOMS` account
    /// (`TraceLedgerCustomsControlled`); each child inside this parent and not destroyed; a child itself held
    /// or recalled only by a regulator (`CUSTOMS`, `MARKET_REGULATOR`). A parent that merely holds a stopped
    /// unit may be unpacked: that is how the stopped unit is isolated. Emits `Traced` on each child and on
    /// the parent.
    /// @param aggregation The parent and the aggregation record.
    /// @param children The units to take out.
    function unpack(Aggregation calldata aggregation, bytes32[] calldata children) external;

    /// @notice Offers custody of a unit (and everything packed in it) to another organization, which takes it
    /// with `acceptHandover`; custody never moves without the receiver's consent.
    /// @dev Requirements: not paused; roles allow `CUSTODY_TRANSFERRED`; the caller's organization is the
    /// custodian; the unit is not packed, held or destroyed (a hold on an item inside does not stop its
    /// parent: customs holds the consignment to stop a shipment); `toOrg` is another, active organization, or 0
    /// to withdraw; a unit holding a held or recalled unit is refused (`TraceLedgerContainsStopped`);
    /// `eventTime` as `record` takes it (`TraceLedgerInvalidEventTime`). Replaces any earlier offer. Writes
    /// no history entry. Emits `HandoverOffered`.
    /// @param unit The unit.
    /// @param toOrg The proposed custodian, 0 to withdraw the offer.
    /// @param eventTime When the offer was made (Unix seconds), as the custodian claims.
    /// @param location Where (GLN or short code), 0 for none.
    /// @param recordHash Hash of the offer record (e.g. a delivery note).
    function handover(bytes32 unit, uint32 toOrg, uint40 eventTime, uint64 location, bytes32 recordHash) external;

    /// @notice Lets the custodian assign an organization to a unit (e.g. the carrier and customs broker of a
    /// consignment), or remove it. Assigned organizations may write on the unit and on everything inside it
    /// while the assigning organization keeps custody: an assignment ends when custody moves (of the unit or of
    /// a parent it is in) and does not come back if custody returns.
    /// @dev Requirements: not paused; roles allow `ASSIGNED`; the unit (and any parent) not destroyed; the
    /// caller's organization is the (effective) custodian; `orgId` is another organization (else
    /// `TraceLedgerSelfTarget`), exists, and is active when assigning; the (effective) assignment changes;
    /// `eventTime` as `record` takes it (`TraceLedgerInvalidEventTime`). An assignment is an agreement, not
    /// a movement of goods: its entry has no location. Emits `Traced` (aux = orgId, +2^32 when removed).
    /// @param unit The unit.
    /// @param orgId The organization assigned or removed.
    /// @param assigned True to assign, false to remove.
    /// @param eventTime When the assignment was agreed (Unix seconds), as the custodian claims.
    /// @param recordHash Hash of the assignment record.
    function assign(bytes32 unit, uint32 orgId, bool assigned, uint40 eventTime, bytes32 recordHash) external;

    /// @notice Declares an earlier event of the unit wrong (EPCIS error declaration). Both stay visible.
    /// @dev Requirements: not paused; roles allow `CORRECTION`; the unit (and any parent) not destroyed —
    /// "nothing after destruction" holds for corrections too; `seq` names an existing entry; `proof` rebuilds
    /// the unit's current head from entry `seq` on; the caller's organization recorded that entry (its info's
    /// org field), or the caller is a regulator. Scope is not needed: the author speaks for its own entry.
    /// `eventTime` is the declaration's own time (EPCIS `declarationTime`), taken as `record` takes an
    /// event time and no earlier than the corrected entry's event time (`TraceLedgerCorrectionPredatesEntry`):
    /// nobody declares an event wrong before it happened. Emits `Traced` (aux = seq), without location.
    /// @param unit The unit.
    /// @param seq The corrected entry's sequence number.
    /// @param eventTime When the error was declared (Unix seconds), as the declarer claims.
    /// @param recordHash Hash of the error declaration / corrective record.
    /// @param head The unit's head before entry `seq` (the genesis head for seq 1).
    /// @param entries Entries `seq` .. latest, oldest first.
    function correct(
        bytes32 unit,
        uint32 seq,
        uint40 eventTime,
        bytes32 recordHash,
        bytes16 head,
        ChainEntry[] calldata entries
    ) external;

    /// @notice A unit's on-chain state.
    /// @param unit The unit key.
    /// @return head The hash-chain head (0 if unregistered).
    /// @return seq The number of history entries.
    /// @return lastBlock The block of the latest entry (where a verifier starts walking back).
    /// @return stage The unit's own export stage (`Stages`).
    /// @return flags The unit's own flags (`Flags`: held, recalled, flagged, packed, and `HOLDS_STOPPED` when
    /// a unit packed inside it, at any depth, is held or recalled).
    /// @return registrant The registrant organization.
    /// @return custodian The effective custodian organization (that of the outermost parent when packed).
    /// @return parent The parent unit key when packed, else 0.
    function unitState(
        bytes32 unit
    )
        external
        view
        returns (
            bytes16 head,
            uint32 seq,
            uint32 lastBlock,
            uint8 stage,
            uint8 flags,
            uint32 registrant,
            uint32 custodian,
            bytes32 parent
        );

    /// @notice Whether an organization is assigned to a unit, by its current custodian since custody last moved.
    /// @param unit The unit.
    /// @param orgId The organization.
    /// @return assigned True when assigned.
    function isAssigned(bytes32 unit, uint32 orgId) external view returns (bool assigned);

    /// @notice The version of this ledger, equal to its EIP-712 domain version.
    /// @return The semantic version string.
    function version() external view returns (string memory);
}

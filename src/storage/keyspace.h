// The keyspace: every database's keys, in the hot tier and (in durable profiles) RocksDB.
//
// Contract for callers (the command layer):
//  - Lookup() returns the live entry for a key or nullptr; an expired key is deleted on the
//    way and never returned. Returned pointers stay valid until the current command ends:
//    eviction and active expiry run only between commands.
//  - Every mutation goes through this class (Put/Delete/SetExpire/ValueChanged), which
//    updates the hot copy and stages the persisted change into the open batch. The open batch
//    goes to the commit pipeline (commit_pipeline.h) as one atomic RocksDB write.
//    Under appendfsync everysec and no, the server calls CommitAsync() after each batch of
//    pipelined commands (the writer thread writes while the execution thread goes on) and
//    sends no reply before the returned ticket is written (with one client connected, it
//    commits as under always: net/server.h says why). Under always it notes
//    PendingTicket() and calls Commit() once per event-loop pass, which writes and syncs on
//    the execution thread, as Redis does (commit_pipeline.h says why). Commit() also serves
//    embedded use, tests, barriers and shutdown.
//  - In the cache profile nothing is staged and committing is free.
//
// Deferred writes (durable profiles): the redo log (redo_log.h) is the store's WAL and
// RocksDB its checkpoint. A string whose RocksDB copy has the same type and expiry
// (disk_string), or a new string without a TTL that RocksDB does not have (disk_absent), is
// not written to RocksDB when its value changes: the new value goes to the redo log only, and
// the entry stays pinned in the hot tier until the next checkpoint writes it to RocksDB. A
// counter INCRed a thousand times a second costs RocksDB one write per checkpoint instead of
// one per command. Point reads never miss a deferred value (it is pinned hot); the expire
// index and compaction see the same expiry in the old copy; SCAN, KEYS and RANDOMKEY, which
// walk RocksDB, first write deferred values through (WriteDeferredStringsThrough). Any other
// change (delete, new expiry, other type) is written through.
//
// Collections held whole (not streams) defer their sub-key changes the same way: they go to
// the redo log and to the memory copy's list of changes (HotObject::deferred), and the entry is
// pinned; the header (meta value) is still written with each batch. A checkpoint writes the
// changes of collections that still exist; those of a collection deleted or replaced in the
// meantime are dropped with its memory copy, so a job list that fills and drains between two
// checkpoints costs RocksDB a few header writes. Whoever reads a collection's sub-keys from
// RocksDB, or drops its memory copy, first writes its changes out (WriteOutIfHeldWhole,
// DropObject).
//
// A checkpoint is taken when the current log file passes checkpoint-log-size, every
// Checkpointer::kIntervalMs while anything is deferred, when deferred entries keep memory over
// maxmemory, when the server has been idle for kIdleCheckpointMs with a quarter of that size
// logged, on SAVE, and at a clean shutdown. It starts a new log file and writes deferred
// strings and collections' changes in slices, one per batch (so no batch stalls the
// clients behind it), and ends when the last slice is applied; RocksDB is then flushed and
// the older log files deleted (commit_pipeline.h). SAVE and shutdown take it in one batch.
// A client batch's slice is its share of what is left, in proportion to the log bytes it
// adds, so the checkpoint ends by the time the new file reaches checkpoint-log-size (twice
// its inflow once behind, or when deferred memory runs short); batches with nothing of any
// client's carry full slices, back to back while no client writes.
//
// Invariants (durable profiles):
//  - Every entry with a change in the open or the in-flight batch is pinned in the hot tier
//    until that batch is written; a staged delete is a kNone tombstone. So a point read never
//    reaches RocksDB for a key whose latest change is not there yet.
//  - At most one batch is in flight; the open batch is submitted when it lands.
//  - RocksDB's expire column family holds exactly one index entry per key with a TTL.
//  - Per-database key and expire counts are persisted in the same batch as the change.
//
// Threading: execution thread only.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "config/policies.h"
#include "storage/checkpointer.h"
#include "storage/commit_pipeline.h"
#include "storage/db_catalog.h"
#include "storage/hot_tier.h"
#include "storage/key_observer.h"
#include "storage/sub_iterator.h"
#include "storage/subkey_overlay.h"
#include "storage/warm_tier.h"

namespace strata::storage {

struct KeyspaceOptions {
  config::Profile profile = config::Profile::kSession;
  std::string path;  // RocksDB directory (durable profiles)
  uint32_t databases = 16;
  uint64_t maxmemory = 0;
  config::EvictionPolicy policy = config::EvictionPolicy::kNoEviction;
  Clock* clock = nullptr;  // defaults to the system clock
  std::string version;
  config::FsyncPolicy fsync = config::FsyncPolicy::kEverySec;
  // Called on the writer thread when a ticket is written; the owner must then call
  // OnWritten(ticket) on the execution thread. Unset: only the synchronous Commit() is used.
  std::function<void(uint64_t ticket)> on_written;
  uint64_t big_value_warn = 0;  // see ServerConfig::big_value_warn; 0 = off
  // A checkpoint starts when the redo log file reaches this size (ServerConfig).
  uint64_t checkpoint_log_size = 64ull << 20;
  // Rewrites what format 1 stored differently (types::UpgradeStreamRecordsFromFormat1), staged
  // into the open batch; run at open on a directory still in format 1. Unset: such a
  // directory is refused.
  std::function<Status(class Keyspace&)> upgrade_from_format_1;
};

struct TierStats {
  uint64_t hot_hits = 0;
  uint64_t warm_reads = 0;      // point reads that went to RocksDB
  uint64_t warm_hits = 0;       // ... and found the key
  uint64_t evicted_keys = 0;    // cache profile: keys deleted by the policy
  uint64_t evicted_copies = 0;  // durable profiles: hot copies dropped (key stays on disk)
  uint64_t expired_keys = 0;
  uint64_t big_value_writes = 0;  // values written larger than big_value_warn
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
};

struct ScanResult {
  uint64_t next_cursor = 0;
  std::vector<std::string> keys;
};

class Keyspace {
 public:
  static StatusOr<std::unique_ptr<Keyspace>> Open(const KeyspaceOptions& options);
  ~Keyspace();

  bool durable() const { return warm_ != nullptr; }
  int databases() const { return static_cast<int>(catalog_.size()); }
  config::Profile profile() const { return options_.profile; }
  WarmTier* warm() { return warm_.get(); }

  // The time commands see: fixed for the duration of one command (as Redis does), so a
  // key cannot expire half-way through it. Called between commands: also a safe point, where
  // no caller holds an entry pointer.
  void SetCommandTime(int64_t now_ms);
  int64_t now_ms() const { return now_ms_; }
  // A key is alive up to and including its deadline millisecond, as in Redis.
  bool IsExpired(int64_t expire_ms) const { return expire_ms != 0 && expire_ms < now_ms_; }
  // While set (CLIENT PAUSE), a lookup that finds an expired key answers that it is missing
  // but does not delete it: deleting is a write, and a pause holds writes back, as in Redis.
  void SetKeepExpired(bool keep) { keep_expired_ = keep; }
  // While set (EXEC runs its commands), nothing commits part-way: a transaction's writes reach
  // the redo log as one record, so a crash keeps all of them or none. Readers that would commit
  // to see RocksDB up to date (SCAN, KEYS, RANDOMKEY) merge the hot tier's pinned entries
  // instead.
  void SetInTransaction(bool on) { in_transaction_ = on; }
  Clock* clock() const { return clock_; }

  // `db` is always the logical index (0 .. databases-1), checked by the caller.
  StatusOr<HotEntry*> Lookup(int db, std::string_view key);
  // Like Lookup, but does not count a keyspace hit or miss (write paths, as Redis's
  // lookupKeyWrite). Both mark the key as recently used.
  StatusOr<HotEntry*> Peek(int db, std::string_view key);
  // Neither statistics nor recency (OBJECT, as Redis's LOOKUP_NOTOUCH).
  StatusOr<HotEntry*> PeekNoTouch(int db, std::string_view key);

  // Creates or overwrites `key` as a string. expire_ms 0 = no TTL. Returns the entry.
  HotEntry* PutString(int db, std::string_view key, std::string value, int64_t expire_ms);
  // After changing e->value in place (APPEND, SETRANGE, INCR...): persists and recharges.
  void ValueChanged(HotEntry* e);
  // Sets or clears (0) the TTL of a live entry.
  void SetExpire(HotEntry* e, int64_t expire_ms);
  // Deletes a live entry. `e` is invalid afterwards.
  void Delete(HotEntry* e);

  // ---- Collections (hash, list, set, sorted set) ----
  // The column family a sub-key lives in: elements in kData; sorted sets also keep a
  // score-ordered index in kScore.
  enum class SubCf { kData, kScore };

  // Creates an empty collection of `type` under `key` with a fresh version, replacing any
  // entry (the caller has checked types). The caller adds elements and calls SetHeader.
  HotEntry* CreateCollection(int db, std::string_view key, ValueType type);
  CollectionHeader Header(const HotEntry* e) const;
  // Persists a changed header. A collection whose size drops to 0 is deleted (as Redis
  // deletes empty aggregates); `e` is then invalid.
  void SetHeader(HotEntry* e, const CollectionHeader& h);
  // After changing e->object: recharges the entry's memory.
  void ObjectChanged(HotEntry* e) { hot_.Recharge(e); }
  // Stops holding a collection whole (it grew too big). Its unwritten changes are written out
  // first, since only a collection not held whole keeps them in the read overlay.
  Status DropObject(HotEntry* e);
  // Sub-key access for collections not held whole. Reads and iterators see changes that are
  // staged or in flight (they are kept in an overlay until written), so they never see a
  // stale sub-key and never wait for the commit pipeline.
  Status GetSub(HotEntry* e, SubCf cf, std::string_view sub, std::string* value);
  // `fresh`: the caller knows the sub-key holds nothing now (a new element, a new list index),
  // so that a delete of it before the next checkpoint can cancel both. When unsure, false.
  void PutSub(HotEntry* e, SubCf cf, std::string_view sub, std::string_view value,
              bool fresh = false);
  void DeleteSub(HotEntry* e, SubCf cf, std::string_view sub);
  // An iterator over one collection's sub-keys in `cf`, in sub-key order, that sees the
  // changes not yet written (sub_iterator.h).
  using SubIterator = storage::SubIterator;
  StatusOr<std::unique_ptr<SubIterator>> NewSubIterator(HotEntry* e, SubCf cf);
  // Copies `src` (any type) to `dst_key` in `dst_db` with the same TTL, replacing what is
  // there; collections get a new version and their sub-keys are copied. Returns the copy.
  StatusOr<HotEntry*> CopyEntry(HotEntry* src, int dst_db, std::string_view dst_key);
  // OBJECT FREQ (LFU policies) and OBJECT IDLETIME (otherwise), for a live entry.
  bool TracksFrequency() const { return hot_.track_lfu(); }
  uint8_t Frequency(HotEntry* e) const { return hot_.Frequency(e, now_ms_); }
  int64_t IdleSeconds(const HotEntry* e) const {
    int64_t idle = now_ms_ / 1000 - static_cast<int64_t>(e->access_clock);
    return idle > 0 ? idle : 0;
  }
  // Collections at or below this many elements are held whole in memory once read; a durable
  // one that grows past twice as many is dropped to its header. With maxmemory set, the limit
  // scales with it (about 1/16 of maxmemory for a collection of ~128-byte elements), so a
  // queue of a hundred thousand jobs stays in memory on a 256mb server while a 10-million
  // member collection lives on disk; without maxmemory it is the base value.
  static constexpr uint64_t kHotCollectionLimit = 512;
  uint64_t hot_collection_limit() const { return hot_collection_limit_; }

  // ---- Who waits on keys ----
  // The registries of blocked clients and WATCH live above storage; storage reports to them
  // (key_observer.h): every change while a key is watched, and keys that may serve a waiter.
  // Creating a collection under a key reports it ready (as Redis's dbAdd does: a blocked
  // client only ever waits on a key that does not exist); streams signal explicitly.
  void SetKeyObserver(KeyObserver* observer) { observer_ = observer; }
  void SignalReady(int db, std::string_view key) {
    if (observer_ != nullptr && observer_->wants_ready()) observer_->KeyReady(db, key);
  }
  // A stream stops existing (deleted, expired, overwritten, flushed): its blocked group
  // readers must be told, as Redis answers them -UNBLOCKED.
  void SignalStreamGone(const HotEntry* e) { SignalReady(Logical(e->db), e->key()); }

  // Seals what is staged so far and submits it if nothing is in flight. Returns the ticket
  // whose completion covers every change made so far, or 0 if all are already written.
  uint64_t CommitAsync();
  // Execution thread: the pipeline reported `ticket` logged or done (commit_pipeline.h). Once
  // done: submits the open batch if any, unless submissions are held.
  void OnWritten(uint64_t ticket);
  bool HasOpenBatch() const { return durable() && OpenBatchHasContent(); }
  // Writes (and syncs, per policy) everything staged and in flight before returning. The open
  // batch is written on this thread (CommitPipeline::WriteInline): under appendfsync always
  // the server calls this once per event-loop pass, as Redis fsyncs its AOF before replying.
  Status Commit();
  // The ticket whose completion covers every change made so far (0: all written), without
  // submitting anything: for callers that will Commit() before they reply.
  uint64_t PendingTicket() const;
  // Makes the next submitted batch a checkpoint: it carries every deferred value to RocksDB
  // and starts a new redo log file (see "Deferred writes" above).
  void RequestCheckpoint() {
    if (durable()) checkpointer_.Request();
  }
  // The timer's call: starts a checkpoint while the server is idle and the log holds a
  // quarter of checkpoint-log-size. Run while nobody writes, a checkpoint's memtable inserts
  // cost no client anything; started by size under load, they ride on client batches.
  void CheckpointIfIdle();
  static constexpr int64_t kIdleCheckpointMs = 200;  // no batch logged for this long: idle
  // SAVE: a checkpoint, committed and flushed, so a restart replays (almost) nothing.
  Status Save();
  // Whether `ticket`'s batch is in the redo log (and synced, per policy): its replies may go.
  bool Written(uint64_t ticket) const {
    return ticket <= processed_ticket_ || ticket <= logged_ticket_;
  }
  // Set once a write failed: from then on the store refuses writes (MISCONF).
  const Status& write_error() const { return write_error_; }
  void SetFsyncPolicy(config::FsyncPolicy policy);
  const CommitPipeline* pipeline() const { return pipeline_.get(); }

  uint64_t KeyCount(int db) const { return catalog_.counts(Physical(db)).keys; }
  uint64_t ExpireCount(int db) const { return catalog_.counts(Physical(db)).expires; }
  // INFO keyspace's avg_ttl: the mean remaining TTL of the keys with one, in milliseconds.
  int64_t AverageTtlMs(int db) const;

  // SCAN: keys with stable hash >= cursor. `count` is the work hint; `type` filters when set;
  // `pattern` is a glob ("*" matches everything, "" only the empty key). In durable profiles it
  // first commits and writes deferred values through (a barrier: SCAN sees every key a client
  // has been acknowledged); a background walker that may miss keys created in the last few
  // milliseconds passes barrier=false and never waits for the commit pipeline.
  StatusOr<ScanResult> Scan(int db, uint64_t cursor, size_t count, std::string_view pattern,
                            std::optional<ValueType> type, bool barrier = true);
  StatusOr<std::vector<std::string>> Keys(int db, std::string_view pattern);
  StatusOr<std::optional<std::string>> RandomKey(int db);
  Status FlushDb(int db);
  Status FlushAll();
  Status SwapDb(int a, int b);

  // Active expiry: removes up to `max_keys` expired keys without anyone reading them.
  // Returns how many were removed; the caller commits.
  StatusOr<size_t> ActiveExpireCycle(size_t max_keys);

  // Memory. used_memory = baseline + hot tier + RocksDB memory + what the server adds for
  // client buffers (external_bytes).
  void SetExternalBytes(size_t n) { external_bytes_ = n; }
  uint64_t UsedMemory() const;
  uint64_t HotBytes() const { return hot_.bytes(); }
  uint64_t StartupBytes() const { return baseline_bytes_; }  // heap in use when it opened
  uint64_t ExternalBytes() const { return external_bytes_; }
  // The hash table's own bucket array for logical database `db` (MEMORY STATS).
  uint64_t TableOverhead(int db) const { return hot_.table(Physical(db)).bucket_bytes(); }
  uint64_t HotKeys() const { return hot_.entries(); }
  uint64_t WarmMemory() const;
  // Brings memory under maxmemory. Cache: deletes keys by policy (false if over the limit and
  // nothing can be evicted). Durable: drops unpinned hot copies; always true.
  bool EnforceMemory();
  // Cache profile, noeviction (or nothing evictable): writes that add memory must be refused.
  bool OverMemoryLimit() const;
  void SetMaxMemory(uint64_t bytes, config::EvictionPolicy policy);

  // What happens to keys beside what a command announces (keyspace notifications listen): a
  // key expired, lazily or actively, from memory or from disk alone; a key evicted (cache
  // profile); a read found no key; a key was created where none lived. Called during the
  // deletion, lookup or creation, with the key's database as clients number it.
  enum class KeyEvent { kExpired, kEvicted, kMiss, kNew };
  using KeyEventListener = std::function<void(KeyEvent what, int db, std::string_view key)>;
  void SetKeyEventListener(KeyEventListener listener) { key_events_ = std::move(listener); }
  // Whether anyone would hear them (notify-keyspace-events is set): misses and new keys are
  // on every command's path, so they are not reported for nothing.
  void WantKeyEvents(bool want) { key_events_wanted_ = want; }
  // Every change to a key (as WATCH sees them), by name alone: CLIENT TRACKING listens.
  using ChangeListener = std::function<void(std::string_view key)>;
  void SetChangeListener(ChangeListener listener) { changes_ = std::move(listener); }
  void SetBigValueWarn(uint64_t bytes) { options_.big_value_warn = bytes; }
  void SetCheckpointLogSize(uint64_t bytes) { options_.checkpoint_log_size = bytes; }
  uint64_t maxmemory() const { return options_.maxmemory; }

  const TierStats& stats() const { return stats_; }
  void ResetStats() { stats_ = TierStats(); }

 private:
  explicit Keyspace(const KeyspaceOptions& options);
  Status LoadState();
  // After the redo log is replayed: brings a directory of an older format to the current one,
  // the rewritten records and the new format record in one batch (one redo record), so a
  // crash leaves either format, never a mix.
  Status UpgradeFormat();
  DbIndex Physical(int db) const { return catalog_.Physical(db); }
  int Logical(DbIndex p) const { return catalog_.Logical(p); }
  void ReportKeyEvent(KeyEvent what, DbIndex p, std::string_view key) {
    if (key_events_wanted_ && key_events_) key_events_(what, Logical(p), key);
  }
  HotEntry* LoadFromWarm(DbIndex db, uint64_t hash, std::string_view key, Status* status);
  StatusOr<HotEntry*> Find(DbIndex physical, std::string_view key, bool count_stats,
                           bool touch = true);
  // The same with the key's hash already computed (write paths hash once).
  StatusOr<HotEntry*> Find(DbIndex physical, uint64_t hash, std::string_view key, bool count_stats,
                           bool touch = true);
  void Stage(HotEntry* e);      // pin and remember for Commit
  void StageMeta(HotEntry* e);  // persist e's meta value with the open batch
  void WriteDirtyMeta();
  void StageExpireIndex(HotEntry* e, int64_t old_expire_ms);
  void DeleteInternal(HotEntry* e, bool expired);
  bool OpenBatchHasContent() const;
  // Moves the open batch's pins and overlay keys to the in-flight set and returns whether
  // the batch is a checkpoint; the caller then hands batch_/deferred_batch_ to the pipeline.
  struct Sealed {
    bool rotate = false;  // the batch starts a checkpoint (BatchParts)
    bool retire = false;  // ... or ends one
    bool logs = false;    // it holds writes for the redo log (not only a checkpoint's slice)
  };
  bool OpenBatchLogs() const { return batch_.Count() > 0 || deferred_batch_.Count() > 0; }
  Sealed SealOpenBatch(bool inline_commit);
  void SubmitOpenBatch();
  void WriteDeferredString(HotEntry* e);  // its value into the open batch's backfill
  // Deferred string values into the open batch, their pins released (collections' deferred
  // changes stay for the checkpoint: SCAN and KEYS read only meta values).
  void WriteDeferredStringsThrough();
  // Moves the next slice of the open checkpoint into the batch's backfill. Returns true when
  // that was the last one. `inline_commit`: the batch is written on this thread (Commit()).
  bool ContinueCheckpoint(bool inline_commit);
  class SliceSink;  // the checkpointer's way into the open batch
  // Deferred values keep the hot tier near maxmemory: a checkpoint is due, and behind.
  bool DeferredMemoryShort() const {
    return options_.maxmemory != 0 && checkpointer_.deferred_bytes() > HotBudget() / 4;
  }
  // A collection with a memory copy defers its sub-key changes to the checkpoint. (A long
  // stream's copy holds its newest entries and group state; its readers below that go through
  // NewSubIterator/GetSub, which write the changes out first.)
  bool DefersSubs(const HotEntry* e) const { return e->object != nullptr; }
  void DeferSub(HotEntry* e, SubCf cf, std::string_view key, const std::string_view* value,
                bool fresh);

  // Puts e's deferred changes, older first and coalesced, into the open batch's applied
  // writes and the overlay, after a segment cut (CutBatch).
  void WriteOutDeferredSubs(HotEntry* e);
  // Finishes the checkpoint in progress, then takes a whole one in a single batch (SAVE, a
  // clean stop).
  Status CheckpointInOneBatch();
  // Commit() and, if values are deferred, write them through and commit again: for readers
  // that walk RocksDB instead of looking keys up (SCAN, KEYS, RANDOMKEY).
  Status CommitThrough();
  void FailWrites(const Status& error);
  uint64_t NextVersion();
  WarmTier::Cf CfOf(SubCf cf) const {
    return cf == SubCf::kData ? WarmTier::kData : WarmTier::kZScore;
  }
  static SubCf SubCfOf(WarmTier::Cf cf) {
    return cf == WarmTier::kZScore ? SubCf::kScore : SubCf::kData;
  }
  // An applied sub-key write, also put in the overlay; `prefix_len`: the bytes of `key` that
  // name the collection (EncodeSubKeyPrefix).
  void StageAppliedSub(SubCf cf, std::string_view key, size_t prefix_len,
                       const std::string_view* value);
  // Waits for the batch in flight, if any, and handles its completion (without submitting the
  // open batch). Returns write_error().
  Status WaitForInFlight();
  // Pinned entries of physical database `p` (staged, in flight, deferred or being
  // checkpointed): the only keys whose RocksDB copy may be missing or stale. In the order of
  // their stable hash (KeyHash64), RocksDB's order; the hot tier's own hash is per process.
  struct Unsettled {
    uint64_t disk_hash;
    HotEntry* entry;
  };
  std::vector<Unsettled> UnsettledEntries(DbIndex p) const;
  // Scan's durable walk: RocksDB's meta keys from `cursor` (none while a FLUSHDB of `p` is
  // unwritten), merged in hash order with `unsettled` (UnsettledEntries, or empty when RocksDB
  // is up to date), whose hot state wins. Returns the next cursor.
  StatusOr<uint64_t> ScanMeta(
      DbIndex p, uint64_t cursor, size_t count, std::vector<Unsettled> unsettled,
      const std::function<void(std::string_view, ValueType, int64_t)>& consider);
  // Whether physical database `p` was flushed by a batch not yet written: RocksDB's copy of
  // it is stale until then, and reads of it find nothing there.
  bool FlushPending(DbIndex p) const { return catalog_.flushed_ticket(p) > processed_ticket_; }
  // Ends a segment of the open batch if deferred writes were staged since the last cut, so the
  // log replays them before the applied writes that follow (BatchCut).
  void CutBatch();
  void StageSub(HotEntry* e, SubCf cf, std::string_view sub, const std::string_view* value,
                bool fresh);
  Status WriteOutIfHeldWhole(HotEntry* e);
  uint64_t HotBudget() const;

  KeyspaceOptions options_;
  Clock* clock_;
  int64_t now_ms_ = 0;
  std::unique_ptr<WarmTier> warm_;
  HotTier hot_;
  DbCatalog catalog_;
  std::string scratch_key_;  // reused encoding buffers (hot path: no allocation per write)
  std::string scratch_value_;
  rocksdb::WriteBatch batch_;           // the open batch
  rocksdb::WriteBatch deferred_batch_;  // the open batch's deferred part (redo log only)
  rocksdb::WriteBatch backfill_;     // the open batch's checkpoint slice, strings written through
  Checkpointer checkpointer_{&hot_};  // deferred values, and the checkpoint writing them
  int64_t last_logged_batch_ms_ = 0;  // when the last batch with something to log was sealed
  bool in_flight_has_writes_ = false;  // the batch in flight logs something (not a bare slice)
  std::vector<BatchCut> cuts_;        // the open batch's segment ends (CutBatch)
  std::vector<HotEntry*> staged_;     // entries pinned by the open batch
  std::vector<HotEntry*> in_flight_;  // entries pinned by the batch being written
  std::unique_ptr<CommitPipeline> pipeline_;
  uint64_t next_ticket_ = 1;        // the open batch's ticket
  uint64_t processed_ticket_ = 0;   // last ticket whose completion was handled here
  uint64_t logged_ticket_ = 0;      // last ticket reported logged, maybe not yet done
  bool committing_inline_ = false;  // in Commit(): OnWritten must not submit the open batch
  KeyEventListener key_events_;
  bool key_events_wanted_ = false;
  bool keep_expired_ = false;
  bool in_transaction_ = false;
  ChangeListener changes_;
  uint64_t hot_collection_limit_ = kHotCollectionLimit;
  bool reset_hot_ = false;  // set by a failed write: drop every hot copy at the next safe point
  KeyObserver* observer_ = nullptr;
  void Changed(const HotEntry* e);  // reports a change to listeners
  // Counts (and now and then logs) a write of a value over big_value_warn.
  void CheckValueSize(const HotEntry* e, size_t size) {
    if (options_.big_value_warn != 0 && size > options_.big_value_warn) BigValueWritten(e, size);
  }
  void BigValueWritten(const HotEntry* e, size_t size);
  int64_t big_value_logged_ms_ = 0;
  uint64_t big_values_unlogged_ = 0;
  bool Exists(DbIndex p, std::string_view key);  // without statistics or recency
  SubKeyOverlay overlay_;  // sub-key changes staged or in flight, and seek hints
  uint64_t next_version_ = 1;
  uint64_t version_limit_ = 0;  // versions below it are reserved on disk
  Status write_error_;
  uint64_t baseline_bytes_ = 0;
  size_t external_bytes_ = 0;
  uint64_t warm_memory_cached_ = 0;
  int64_t warm_memory_at_ms_ = 0;
  uint64_t cache_expire_cursor_ = 0;
  size_t cache_expire_db_ = 0;
  TierStats stats_;
};

}  // namespace strata::storage

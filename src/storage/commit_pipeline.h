// Group commit, off the execution thread.
//
// The execution thread stages each command's changes into one open WriteBatch. While no batch
// is being written it submits the open one at once; while one is in flight, everything staged
// meanwhile — by any number of clients — accumulates and is submitted as one batch when the
// flight lands. So under load batches grow and every write, fsync included, is shared.
//
// The writer thread appends a batch to the redo log (redo_log.h) as one record, syncs it under
// appendfsync always (one fsync covers the whole batch), and then applies the batch's
// immediate part to RocksDB (memtables only: the redo log is the WAL). A batch's deferred
// part goes to the log only. Under everysec the log is synced once a second; under no, never.
// A ticket is "done" when its batch is logged (and synced, under always) and applied. Callers
// hold replies until the ticket covering what they saw is logged: the log is what a restart
// replays, so a logged batch is acknowledged, and its entries stay pinned in the hot tier
// until it is done, so no reader misses what RocksDB has yet to get. A batch that carries a
// checkpoint's backfill reports its ticket twice through the callback, once logged (done()
// still below it) and once done: replies need not wait for the backfill's memtable inserts.
//
// Checkpoints: a batch marked `rotate` starts a new log file. The changes that only the older
// files hold then reach RocksDB as the `backfill` of later batches (applied, not logged again:
// the older files still have them), and a batch marked `retire` says that they all have. Once
// RocksDB has flushed everything applied up to and including that batch, the files before the
// rotation hold nothing RocksDB lacks and a checkpointer thread deletes them. One batch may
// both rotate and retire.
//
// Inline writes: under appendfsync always the execution thread may write a batch itself
// (WriteInline), as Redis does its AOF write and fsync before it sends replies. On a machine
// with few cores, the two thread hand-offs of the pipeline cost more than they save when
// every batch must wait for its fsync anyway.
//
// Threading: Submit/WriteInline/WaitFor/SetPolicy on the execution thread. The callback runs
// on the writer thread; its owner forwards it to the execution thread. The log is touched by
// one thread at a time (log_mu_): the writer, or the execution thread writing inline.
#pragma once

#include <rocksdb/write_batch.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "config/policies.h"
#include "storage/redo_log.h"

namespace strata::storage {

class WarmTier;

// A point in a batch: how many writes (and representation bytes) its applied and deferred
// parts held when the keyspace cut it. The log replays the deferred writes before a cut ahead of
// the applied writes after it (redo_log.h, segments); RocksDB gets the applied part whole.
struct BatchCut {
  uint32_t applied_count = 0;
  size_t applied_bytes = 0;
  uint32_t deferred_count = 0;
  size_t deferred_bytes = 0;
};

// One batch's parts, as the keyspace hands them over (their contents are taken).
struct BatchParts {
  rocksdb::WriteBatch* applied;   // to the log, then RocksDB
  rocksdb::WriteBatch* deferred;  // to the log only
  rocksdb::WriteBatch* backfill;  // to RocksDB only, before `applied`, in the same write
  std::vector<BatchCut>* cuts;    // ascending; empty for most batches
  bool rotate = false;            // start a new log file before this batch
  bool retire = false;            // the files before the last rotation may go after this batch
};

// The log's segments of a batch cut at `cuts` (views into `applied`, `deferred` and *storage).
std::vector<RedoSegment> SegmentsOf(const rocksdb::WriteBatch& applied,
                                    const rocksdb::WriteBatch& deferred,
                                    const std::vector<BatchCut>& cuts,
                                    std::vector<std::string>* storage);

class CommitPipeline {
 public:
  using Callback = std::function<void(uint64_t ticket)>;

  CommitPipeline(WarmTier* warm, std::unique_ptr<RedoLog> log, config::FsyncPolicy policy,
                 Callback on_done);
  ~CommitPipeline();  // writes what was submitted, syncs, stops

  // REQUIRES: nothing in flight (in_flight() == 0). Takes the parts' contents (BatchParts).
  void Submit(uint64_t ticket, const BatchParts& parts);
  // REQUIRES: nothing in flight. Writes the batch on the calling thread, syncing it per the
  // policy, and marks `ticket` done without calling the callback. Returns the write's status
  // (also kept as error()).
  Status WriteInline(uint64_t ticket, const BatchParts& parts);
  // Blocks until `ticket` is done or the pipeline failed.
  void WaitFor(uint64_t ticket);
  uint64_t done() const { return done_.load(std::memory_order_acquire); }
  uint64_t in_flight() const { return in_flight_.load(std::memory_order_acquire); }
  // The first write or sync error; once set, the pipeline writes nothing more.
  Status error() const;
  void SetPolicy(config::FsyncPolicy policy);
  uint64_t syncs() const { return syncs_.load(std::memory_order_relaxed); }
  uint64_t batches() const { return batches_.load(std::memory_order_relaxed); }
  // How long the last batch took to write (and sync), in microseconds.
  uint64_t last_write_us() const { return last_write_us_.load(std::memory_order_relaxed); }
  // Bytes in the current log file: the execution thread checkpoints when it grows large.
  uint64_t log_bytes() const { return log_bytes_.load(std::memory_order_relaxed); }
  uint64_t checkpoints_done() const { return checkpoints_done_.load(std::memory_order_acquire); }

 private:
  void Run();
  void RunCheckpointer();
  // Syncs the log in the background under everysec (each second) and no (never, but for
  // kSyncAfterBytes): the writer never waits for these syncs, and a rotation, which must sync
  // the file it closes, finds little left to sync.
  void RunSyncer();
  // Writes one batch; *appended: the bytes it added to the log. `early_ticket` (0: none) is
  // reported logged before a backfill goes to RocksDB.
  Status WriteOne(const BatchParts& parts, bool sync, uint64_t early_ticket, uint64_t* appended);
  // WriteOne, timed and counted; notes unsynced bytes (REQUIRES: mu_ held by the caller after).
  Status WriteCounted(const BatchParts& parts, bool sync, uint64_t early_ticket,
                      uint64_t* appended);
  // After a write that was not synced. REQUIRES: mu_ held.
  void NoteUnsynced(uint64_t appended);

  static constexpr uint64_t kSyncAfterBytes = 8u << 20;

  WarmTier* warm_;
  std::mutex log_mu_;             // held while log_ is written or synced
  std::unique_ptr<RedoLog> log_;  // guarded by log_mu_ (its dir() is constant)
  Callback on_done_;
  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  rocksdb::WriteBatch pending_;           // guarded by mu_
  rocksdb::WriteBatch pending_deferred_;  // guarded by mu_
  rocksdb::WriteBatch pending_backfill_;  // guarded by mu_
  std::vector<BatchCut> pending_cuts_;    // guarded by mu_
  bool pending_rotate_ = false;           // guarded by mu_
  bool pending_retire_ = false;           // guarded by mu_
  bool unsynced_ = false;                 // guarded by mu_: the log has unsynced appends
  uint64_t unsynced_bytes_ = 0;           // guarded by mu_: appended since the last sync began
  std::condition_variable sync_cv_;
  uint64_t pending_ticket_ = 0;  // guarded by mu_; 0 = none
  uint64_t rotated_log_ = 0;     // guarded by log_mu_: the file the last rotation closed
  uint64_t retired_log_ = 0;     // guarded by mu_: newest log file the checkpointer may delete
  std::condition_variable checkpoint_cv_;
  config::FsyncPolicy policy_;  // guarded by mu_
  Status error_;                // guarded by mu_
  bool stop_ = false;           // guarded by mu_
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> in_flight_{0};
  std::atomic<uint64_t> syncs_{0};
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> last_write_us_{0};
  std::atomic<uint64_t> log_bytes_{0};
  std::atomic<uint64_t> checkpoints_done_{0};
  std::thread thread_;
  std::thread checkpointer_;
  std::thread syncer_;
};

}  // namespace strata::storage

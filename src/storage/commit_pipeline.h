// Group commit, off the execution thread.
//
// The execution thread stages each command's changes into one open WriteBatch. While no batch
// is being written it submits the open one at once; while one is in flight, everything staged
// meanwhile — by any number of clients — accumulates and is submitted as one batch when the
// flight lands. So under load batches grow and every write, fsync included, is shared.
//
// The writer thread applies a batch to RocksDB (WAL and memtables); under appendfsync always
// with sync=true, so one fsync covers the whole batch. Under everysec it also fsyncs the WAL
// once a second; under no, never. A ticket is "done" when its batch is written (and synced,
// under always); callers hold replies until the ticket covering what they saw is done.
//
// Threading: Submit/WaitFor/SetPolicy on the execution thread. The callback runs on the writer
// thread; its owner forwards it to the execution thread.
#pragma once

#include <rocksdb/write_batch.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "common/status.h"
#include "config/config.h"

namespace strata::storage {

class WarmTier;

class CommitPipeline {
 public:
  using Callback = std::function<void(uint64_t ticket)>;

  CommitPipeline(WarmTier* warm, config::FsyncPolicy policy, Callback on_done);
  ~CommitPipeline();  // writes what was submitted, syncs, stops

  // REQUIRES: nothing in flight (in_flight() == 0). Takes the batch's contents.
  void Submit(uint64_t ticket, rocksdb::WriteBatch* batch);
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

 private:
  void Run();

  WarmTier* warm_;
  Callback on_done_;
  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  rocksdb::WriteBatch pending_;  // guarded by mu_
  uint64_t pending_ticket_ = 0;  // guarded by mu_; 0 = none
  config::FsyncPolicy policy_;   // guarded by mu_
  Status error_;                 // guarded by mu_
  bool stop_ = false;            // guarded by mu_
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> in_flight_{0};
  std::atomic<uint64_t> syncs_{0};
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> last_write_us_{0};
  std::thread thread_;
};

}  // namespace strata::storage

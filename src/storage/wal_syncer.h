// Group commit. Writes reach the WAL file on the execution thread (un-synced); this thread
// fsyncs it. Under appendfsync always, a connection whose commands wrote at sequence S holds
// its replies until a sync covering S completes; every write that landed before a sync
// started is covered by it, so one fsync serves all the clients that wrote meanwhile.
// Under everysec it syncs once a second; under no, never (the OS decides).
//
// Thread-safety: Request() and synced() from any thread. The callback runs on the syncer
// thread; the server forwards it to its event loop.
#pragma once

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

class WalSyncer {
 public:
  using Callback = std::function<void(uint64_t synced_seq, const Status& status)>;

  WalSyncer(WarmTier* warm, config::FsyncPolicy policy, Callback on_synced);
  ~WalSyncer();  // stops the thread after a final sync

  // Asks for a sync that covers sequence `seq`.
  void Request(uint64_t seq);
  void SetPolicy(config::FsyncPolicy policy);
  uint64_t synced() const { return synced_.load(std::memory_order_acquire); }
  uint64_t sync_count() const { return sync_count_.load(std::memory_order_relaxed); }

 private:
  void Run();

  WarmTier* warm_;
  Callback on_synced_;
  std::mutex mu_;
  std::condition_variable cv_;
  config::FsyncPolicy policy_;
  uint64_t requested_ = 0;  // guarded by mu_
  bool stop_ = false;       // guarded by mu_
  std::atomic<uint64_t> synced_{0};
  std::atomic<uint64_t> sync_count_{0};
  std::thread thread_;
};

}  // namespace strata::storage

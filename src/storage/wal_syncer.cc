#include "storage/wal_syncer.h"

#include <chrono>

#include "storage/warm_tier.h"

namespace strata::storage {

WalSyncer::WalSyncer(WarmTier* warm, config::FsyncPolicy policy, Callback on_synced)
    : warm_(warm), on_synced_(std::move(on_synced)), policy_(policy) {
  synced_ = warm_->LatestSequence();
  thread_ = std::thread([this] { Run(); });
}

WalSyncer::~WalSyncer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void WalSyncer::Request(uint64_t seq) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (seq <= requested_) return;
    requested_ = seq;
  }
  cv_.notify_one();
}

void WalSyncer::SetPolicy(config::FsyncPolicy policy) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    policy_ = policy;
  }
  cv_.notify_one();
}

void WalSyncer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  auto next_periodic = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (true) {
    bool periodic_due = false;
    while (!stop_ && requested_ <= synced_.load()) {
      if (policy_ == config::FsyncPolicy::kEverySec) {
        if (cv_.wait_until(lock, next_periodic) == std::cv_status::timeout) {
          periodic_due = true;
          break;
        }
      } else {
        cv_.wait(lock);
      }
    }
    if (stop_ && requested_ <= synced_.load() && !periodic_due) break;
    lock.unlock();
    // Everything published before this read is already in the WAL file, so the sync below
    // covers it.
    uint64_t target = warm_->LatestSequence();
    Status s = warm_->SyncWal();
    sync_count_.fetch_add(1, std::memory_order_relaxed);
    if (s.ok() && target > synced_.load()) synced_.store(target, std::memory_order_release);
    if (on_synced_) on_synced_(target, s);
    lock.lock();
    if (!s.ok()) cv_.wait_for(lock, std::chrono::milliseconds(100));  // back off, then retry
    if (periodic_due) next_periodic = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  }
}

}  // namespace strata::storage

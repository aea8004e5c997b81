#include "storage/commit_pipeline.h"

#include <chrono>

#include "storage/warm_tier.h"

namespace strata::storage {

CommitPipeline::CommitPipeline(WarmTier* warm, config::FsyncPolicy policy, Callback on_done)
    : warm_(warm), on_done_(std::move(on_done)), policy_(policy) {
  thread_ = std::thread([this] { Run(); });
}

CommitPipeline::~CommitPipeline() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  thread_.join();
}

void CommitPipeline::Submit(uint64_t ticket, rocksdb::WriteBatch* batch) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = std::move(*batch);
    pending_ticket_ = ticket;
    in_flight_.store(ticket, std::memory_order_release);
  }
  batch->Clear();
  work_cv_.notify_one();
}

void CommitPipeline::WaitFor(uint64_t ticket) {
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] { return done_.load() >= ticket || !error_.ok(); });
}

Status CommitPipeline::error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

void CommitPipeline::SetPolicy(config::FsyncPolicy policy) {
  std::lock_guard<std::mutex> lock(mu_);
  policy_ = policy;
}

void CommitPipeline::Run() {
  using Clock = std::chrono::steady_clock;
  auto last_sync = Clock::now();
  bool unsynced = false;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    work_cv_.wait_for(lock, std::chrono::milliseconds(100),
                      [&] { return stop_ || pending_ticket_ != 0; });
    if (pending_ticket_ != 0 && error_.ok()) {
      rocksdb::WriteBatch batch = std::move(pending_);
      uint64_t ticket = pending_ticket_;
      bool sync = policy_ == config::FsyncPolicy::kAlways;
      lock.unlock();
      auto start = Clock::now();
      auto written = warm_->Write(&batch, sync);
      last_write_us_.store(
          static_cast<uint64_t>(
              std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count()),
          std::memory_order_relaxed);
      batches_.fetch_add(1, std::memory_order_relaxed);
      if (sync) syncs_.fetch_add(1, std::memory_order_relaxed);
      lock.lock();
      if (!written.ok()) error_ = written.status();
      unsynced = unsynced || !sync;
      if (sync) last_sync = Clock::now();
      pending_ticket_ = 0;
      in_flight_.store(0, std::memory_order_release);
      done_.store(ticket, std::memory_order_release);
      done_cv_.notify_all();
      if (on_done_) {
        lock.unlock();
        on_done_(ticket);
        lock.lock();
      }
      continue;
    }
    bool periodic = policy_ == config::FsyncPolicy::kEverySec &&
                    Clock::now() - last_sync >= std::chrono::seconds(1);
    if (unsynced && (periodic || stop_) && error_.ok() && policy_ != config::FsyncPolicy::kNo) {
      lock.unlock();
      Status s = warm_->SyncWal();
      syncs_.fetch_add(1, std::memory_order_relaxed);
      lock.lock();
      if (!s.ok()) error_ = s;
      unsynced = false;
      last_sync = Clock::now();
    }
    if (stop_ && pending_ticket_ == 0) break;
  }
  done_cv_.notify_all();
}

}  // namespace strata::storage

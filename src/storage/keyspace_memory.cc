// Keyspace: memory accounting and maxmemory (eviction in the cache profile, dropped hot copies
// in the durable ones), and the big-value warning.
#include <spdlog/spdlog.h>

#include "storage/keyspace.h"
#include "storage/keyspace_internal.h"

namespace strata::storage {

void Keyspace::BigValueWritten(const HotEntry* e, size_t size) {
  ++stats_.big_value_writes;
  // One line a second at most, saying how many more there were: a loop writing big values
  // must not flood the log.
  if (now_ms_ - big_value_logged_ms_ < 1000) {
    ++big_values_unlogged_;
    return;
  }
  spdlog::warn(
      "a {}-byte value was written to key '{}' (big-value-warn {}; {} more since the last "
      "warning): large values cost memory and network on every read; keep big blobs in an "
      "object store and their address here",
      size, e->key(), options_.big_value_warn, big_values_unlogged_);
  big_value_logged_ms_ = now_ms_;
  big_values_unlogged_ = 0;
}

uint64_t Keyspace::WarmMemory() const { return durable() ? warm_->MemoryUsage() : 0; }

uint64_t Keyspace::UsedMemory() const {
  return baseline_bytes_ + hot_.bytes() + warm_memory_cached_ + external_bytes_;
}

uint64_t Keyspace::HotBudget() const {
  uint64_t max = options_.maxmemory;
  uint64_t other = baseline_bytes_ + external_bytes_ + warm_memory_cached_;
  uint64_t budget = max > other ? max - other : 0;
  if (durable()) budget = std::max(budget, max / 4);
  return budget;
}

bool Keyspace::EnforceMemory() {
  if (options_.maxmemory == 0) return true;
  if (durable() && now_ms_ - warm_memory_at_ms_ >= 100) {
    warm_memory_cached_ = warm_->MemoryUsage();
    warm_memory_at_ms_ = now_ms_;
  }
  uint64_t budget = HotBudget();
  while (hot_.bytes() > budget) {
    if (durable()) {
      HotEntry* victim = hot_.PickVictim(config::EvictionPolicy::kAllKeysLru, now_ms_);
      if (victim == nullptr) {
        // Everything left is pinned until the commit, or until a checkpoint writes it.
        if (checkpointer_.has_deferred()) RequestCheckpoint();
        return true;
      }
      ++stats_.evicted_copies;
      hot_.Erase(victim);
    } else {
      HotEntry* victim = hot_.PickVictim(options_.policy, now_ms_);
      if (victim == nullptr) return false;
      ++stats_.evicted_keys;
      ReportKeyEvent(KeyEvent::kEvicted, victim->db, victim->key());
      DeleteInternal(victim, false);
    }
  }
  return true;
}

bool Keyspace::OverMemoryLimit() const {
  return !durable() && options_.maxmemory != 0 && UsedMemory() > options_.maxmemory;
}

void Keyspace::SetMaxMemory(uint64_t bytes, config::EvictionPolicy policy) {
  options_.maxmemory = bytes;
  hot_collection_limit_ = HotCollectionLimitFor(bytes);
  options_.policy = durable() ? config::EvictionPolicy::kNoEviction : policy;
  hot_.set_track_lfu(options_.policy == config::EvictionPolicy::kAllKeysLfu ||
                     options_.policy == config::EvictionPolicy::kVolatileLfu);
}

}  // namespace strata::storage

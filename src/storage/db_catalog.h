// The databases: how clients number them (logical, 0 .. n-1) and how RocksDB's keys do
// (physical: SWAPDB swaps the mapping, never the data), with each one's key and expire counts
// and the batch of its last FLUSHDB.
//
// The map and the counts live in RocksDB's default column family under reserved keys and are
// written with the batch that changes them (StageMap, StageDirtyCounts), so after a crash they
// agree with the keys that batch wrote. The counts carry the sum of every TTL deadline, so
// INFO's avg_ttl is exact without a scan.
//
// Threading: execution thread only.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "storage/key_format.h"

namespace strata::storage {

class WarmTier;

class DbCatalog {
 public:
  struct Counts {
    uint64_t keys = 0;
    uint64_t expires = 0;
    double deadline_sum = 0;  // of every key's deadline
  };

  // `n` databases, identity-mapped, empty.
  void Reset(size_t n);
  // Reads the map and counts that `warm` holds (Reset first). Refuses a directory created with
  // more databases than this catalog has.
  Status Load(WarmTier& warm);

  size_t size() const { return map_.size(); }
  DbIndex Physical(int db) const { return map_[static_cast<size_t>(db)]; }
  int Logical(DbIndex p) const;
  // Physical indexes, in logical order.
  const std::vector<DbIndex>& physical() const { return map_; }
  void Swap(int a, int b);
  // Puts the current map into `batch` (after Swap).
  void StageMap(WarmTier& warm, rocksdb::WriteBatch* batch) const;

  const Counts& counts(DbIndex p) const { return counts_[p]; }
  void KeyAdded(DbIndex p) {
    ++counts_[p].keys;
    dirty_[p] = true;
  }
  // A key left; `expire_ms` is the TTL it had (0: none).
  void KeyRemoved(DbIndex p, int64_t expire_ms) {
    --counts_[p].keys;
    ExpireChanged(p, expire_ms, 0);
  }
  void ExpireChanged(DbIndex p, int64_t old_expire_ms, int64_t new_expire_ms);
  // FLUSHDB: no keys now; the flush is carried by the batch with ticket `ticket`.
  void Flushed(DbIndex p, uint64_t ticket);
  // The ticket of the batch that carried `p`'s last FLUSHDB (0: none since the start).
  uint64_t flushed_ticket(DbIndex p) const { return flushed_ticket_[p]; }

  bool AnyCountsDirty() const;
  // Puts every changed database's counts into `batch`; `warm` null (the cache profile,
  // nothing persisted): only forgets that they changed.
  void StageDirtyCounts(WarmTier* warm, rocksdb::WriteBatch* batch);

 private:
  std::vector<DbIndex> map_;  // logical -> physical
  std::vector<Counts> counts_;
  std::vector<bool> dirty_;
  std::vector<uint64_t> flushed_ticket_;
};

}  // namespace strata::storage

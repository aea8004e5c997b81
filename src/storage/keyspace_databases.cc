// Keyspace: whole databases (FLUSHDB, FLUSHALL, SWAPDB) and their TTL statistics.
#include "storage/keyspace.h"
#include "storage/keyspace_internal.h"

namespace strata::storage {

Status Keyspace::FlushDb(int db) {
  DbIndex p = Physical(db);
  if (observer_ != nullptr && (observer_->wants_changes() || observer_->wants_ready())) {
    observer_->DatabaseFlushing(db, [&](std::string_view key) { return Exists(p, key); });
  }
  // No commit here: FLUSHDB may be one command of a transaction. What matters is that no
  // batch holds a pointer to an entry about to be freed: wait for the one in flight, and take
  // the open batch's entries of this database out of it (their writes, already staged, come
  // before the DeleteRange below and are undone by it).
  Status s = WaitForInFlight();
  if (!s.ok()) return s;
  size_t kept = 0;
  for (HotEntry* e : staged_) {
    if (e->db == p) {
      e->meta_dirty = 0;
      hot_.Unpin(e);
    } else {
      staged_[kept++] = e;
    }
  }
  staged_.resize(kept);
  checkpointer_.Forget(p);
  hot_.Clear(p);
  if (!durable()) {
    catalog_.Flushed(p, 0);  // nothing on disk to be stale
    return Status::OK();
  }
  // The deferred writes staged so far (this database's among them) replay before the
  // DeleteRange; until the batch is written, reads of this database ignore RocksDB.
  CutBatch();
  std::string begin = MetaKeyPrefix(p), end = PrefixEnd(p);
  for (auto cf : {WarmTier::kMeta, WarmTier::kExpire, WarmTier::kData, WarmTier::kZScore}) {
    batch_.DeleteRange(warm_->cf(cf), begin, end);
  }
  catalog_.Flushed(p, next_ticket_);
  return Status::OK();
}

Status Keyspace::FlushAll() {
  for (int db = 0; db < databases(); ++db) {
    Status s = FlushDb(db);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status Keyspace::SwapDb(int a, int b) {
  if (observer_ != nullptr && observer_->wants_changes()) {
    observer_->DatabasesSwapping(
        a, b, [&](int db, std::string_view key) { return Exists(Physical(db), key); });
  }
  catalog_.Swap(a, b);
  if (durable()) catalog_.StageMap(*warm_, &batch_);
  return Status::OK();
}

int64_t Keyspace::AverageTtlMs(int db) const {
  const DbCatalog::Counts& c = catalog_.counts(Physical(db));
  if (c.expires == 0) return 0;
  double avg = c.deadline_sum / static_cast<double>(c.expires) - static_cast<double>(now_ms_);
  return avg > 0 ? static_cast<int64_t>(avg) : 0;
}

}  // namespace strata::storage

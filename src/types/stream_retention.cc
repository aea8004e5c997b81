#include "types/stream_retention.h"

#include "types/stream.h"

namespace strata::types {

StatusOr<uint64_t> StreamRetention::Cycle(storage::Keyspace& ks, int64_t default_retention_ms,
                                          size_t budget, const TrimmedFn& on_trimmed) {
  if (db_ >= ks.databases()) db_ = 0;
  uint64_t removed = 0;
  // Skip empty databases, at most one full turn.
  for (int tries = 0; tries < ks.databases() && ks.KeyCount(db_) == 0; ++tries) {
    db_ = (db_ + 1) % ks.databases();
    cursor_ = 0;
  }
  if (ks.KeyCount(db_) == 0) return removed;
  // No barrier: a stream created in the last few milliseconds waits for the next turn, and the
  // cron never stalls on the commit pipeline or undoes deferred writes (keyspace.h).
  auto page = ks.Scan(db_, cursor_, budget, "*", storage::ValueType::kStream, /*barrier=*/false);
  if (!page.ok()) return page.status();
  for (const std::string& key : page->keys) {
    auto s = Stream::Open(ks, db_, key, /*for_write=*/true);
    if (!s.ok()) return s.status();
    if (!s->exists()) continue;
    int64_t retention = s->retention_ms() == -1 ? default_retention_ms : s->retention_ms();
    if (retention <= 0 || retention > ks.now_ms()) continue;
    StreamTrim trim;
    trim.kind = StreamTrim::kMinId;
    trim.minid = StreamId{static_cast<uint64_t>(ks.now_ms() - retention), 0};
    auto trimmed = s->Trim(trim);
    if (!trimmed.ok()) return trimmed.status();
    removed += static_cast<uint64_t>(*trimmed);
    if (*trimmed > 0 && on_trimmed) on_trimmed(db_, key);
  }
  cursor_ = page->next_cursor;
  if (cursor_ == 0) db_ = (db_ + 1) % ks.databases();
  return removed;
}

}  // namespace strata::types

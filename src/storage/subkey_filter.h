// Compaction filter for the sub-key column families (data, zscore): drops the sub-keys of
// collections that were deleted, replaced, or expired and removed. Deleting a collection is
// one meta write; this is where its elements' disk space comes back.
//
// A sub-key is kept only while the meta column family holds a collection under the same
// database and key whose version equals the sub-key's. Versions are never reused, so a
// collection recreated under the same name never adopts its predecessor's elements.
//
// Threading: RocksDB runs filters on its compaction threads; each filter instance is used by
// one compaction at a time.
#pragma once

#include <rocksdb/compaction_filter.h>
#include <rocksdb/db.h>

#include <atomic>
#include <memory>

namespace strata::storage {

class SubKeyFilterFactory : public rocksdb::CompactionFilterFactory {
 public:
  // Set once the DB is open; until then (and after it closes) every sub-key is kept.
  void Attach(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta) {
    meta_.store(meta);
    db_.store(db);
  }
  void Detach() { db_.store(nullptr); }

  std::unique_ptr<rocksdb::CompactionFilter> CreateCompactionFilter(
      const rocksdb::CompactionFilter::Context& context) override;
  const char* Name() const override { return "strata.SubKeyFilterFactory"; }

 private:
  std::atomic<rocksdb::DB*> db_{nullptr};
  std::atomic<rocksdb::ColumnFamilyHandle*> meta_{nullptr};
};

}  // namespace strata::storage

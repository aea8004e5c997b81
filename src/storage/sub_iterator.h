// Iterates one collection's sub-keys in one column family, merging RocksDB with the changes
// that are staged or in flight (the keyspace's overlay), so a command can iterate a
// collection it has just changed without waiting for the commit pipeline.
//
// Both inputs are snapshots taken at construction (RocksDB iterators are implicitly
// snapshotted; the overlay part is copied), so changes made while iterating are not seen.
//
// Invariant (as in leveldb's merging iterator): moving forward, both inputs are positioned at
// keys >= the current key; moving backward, at keys <= it. An overlay entry shadows a RocksDB
// key equal to it; an overlay deletion hides it.
#pragma once

#include <rocksdb/iterator.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace strata::storage {

// What the keyspace remembers about one collection's sub-keys in one column family, so that
// SeekToFirst/SeekToLast jump past keys already deleted instead of stepping over their
// tombstones one by one (the "queue churn" cliff: ZPOPMIN after ZPOPMIN). Invariant: no live
// sub-key sorts below `lo` or above `hi` (empty = unknown). Puts outside the bounds widen them.
struct SeekHints {
  std::string lo;
  std::string hi;
};

class SubIterator {
 public:
  struct Pending {
    std::string key;                   // full encoded sub-key
    std::optional<std::string> value;  // nullopt = deleted
  };

  // `base` iterates RocksDB within [prefix, upper); `pending` holds the overlay's entries
  // within the same range, sorted by key.
  SubIterator(std::string prefix, std::unique_ptr<rocksdb::Iterator> base,
              std::vector<Pending> pending, std::shared_ptr<SeekHints> hints = nullptr);

  void Seek(std::string_view sub);
  void SeekToFirst();
  void SeekToLast();
  void SeekForPrev(std::string_view sub);
  bool Valid() const { return current_ != Source::kNone; }
  void Next();
  void Prev();
  // The sub-key without the collection's prefix.
  std::string_view sub() const;
  std::string_view value() const;
  Status status() const;

 private:
  enum class Source { kNone, kBase, kPending };
  std::string_view key() const;
  std::string_view BaseKey() const { return {base_->key().data(), base_->key().size()}; }
  bool PendingValid() const { return pi_ >= 0 && pi_ < static_cast<int64_t>(pending_.size()); }
  int64_t LowerBound(std::string_view key) const;  // first pending index with key >= `key`
  int64_t UpperBound(std::string_view key) const;  // first pending index with key > `key`
  void FindNextVisible();
  void FindPrevVisible();

  std::string prefix_;
  std::unique_ptr<rocksdb::Iterator> base_;
  std::vector<Pending> pending_;
  std::shared_ptr<SeekHints> hints_;
  int64_t pi_ = -1;
  bool forward_ = true;
  Source current_ = Source::kNone;
};

}  // namespace strata::storage

// Hashes: field -> value maps.
//
// A hash lives in RocksDB as one sub-key per field (kData: hash64(field) | field -> value),
// ordered by the field's stable hash so that an HSCAN cursor is a number, as for SCAN. A hash
// of at most Keyspace::kHotCollectionLimit fields is held whole in memory once read
// (HashObject); a bigger one keeps only its header hot and each command reads and writes just
// the fields it touches. Writes go to both, so the memory copy can be dropped at any time.
//
// A Hash is a handle for the duration of one command (it holds a HotEntry pointer).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/keyspace.h"

namespace strata::types {

class HashObject : public storage::HotObject {
 public:
  size_t Bytes() const override { return bytes_; }
  std::unique_ptr<storage::HotObject> Clone() const override;
  const std::unordered_map<std::string, std::string>& fields() const { return fields_; }
  // Returns true if the field is new.
  bool Set(std::string_view field, std::string_view value);
  bool Erase(std::string_view field);

 private:
  std::unordered_map<std::string, std::string> fields_;
  size_t bytes_ = 0;
};

class Hash {
 public:
  using Pair = std::pair<std::string_view, std::string_view>;

  // The hash at `key`, or an empty handle if the key does not exist; WrongType() if the key
  // holds another type. `for_write` skips the keyspace hit/miss statistics (as Redis).
  static StatusOr<Hash> Open(storage::Keyspace& ks, int db, std::string_view key,
                             bool for_write = false);

  bool exists() const { return entry_ != nullptr; }
  uint64_t size() const;

  StatusOr<std::optional<std::string>> Get(std::string_view field);
  // Sets every pair (later pairs win); creates the hash if needed. Returns how many fields
  // were new. `only_new` (HSETNX) leaves existing fields unchanged.
  StatusOr<int64_t> Set(const std::vector<Pair>& pairs, bool only_new = false);
  // Deletes fields; deletes the key when the hash becomes empty. Returns how many existed.
  StatusOr<int64_t> Delete(const std::vector<std::string_view>& fields);
  // Calls fn for every field (in no particular order).
  Status ForEach(const std::function<void(std::string_view field, std::string_view value)>& fn);
  // HSCAN: fields whose stable hash is >= cursor, about `count` of them.
  struct ScanPage {
    uint64_t next_cursor = 0;
    std::vector<std::pair<std::string, std::string>> items;
  };
  StatusOr<ScanPage> Scan(uint64_t cursor, size_t count);

 private:
  Hash(storage::Keyspace& ks, int db, std::string key, storage::HotEntry* e)
      : ks_(&ks), db_(db), key_(std::move(key)), entry_(e) {}
  HashObject* object() const { return static_cast<HashObject*>(entry_->object.get()); }
  Status LoadIfSmall();

  storage::Keyspace* ks_;
  int db_;
  std::string key_;
  storage::HotEntry* entry_;
};

// The sub-key of a field: its stable hash, big-endian, then the field itself.
std::string HashFieldSubKey(std::string_view field);

}  // namespace strata::types

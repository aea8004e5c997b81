// Hashes: field -> value maps.
//
// A hash lives in RocksDB as one sub-key per field (kData: hash64(field) | field -> value),
// ordered by the field's stable hash so that an HSCAN cursor is a number, as for SCAN. A hash
// of at most Keyspace::kHotCollectionLimit fields is held whole in memory once read
// (HashObject); in the cache profile every hash is. A bigger durable hash keeps only its
// header hot and each command reads and writes just the fields it touches. Writes go to both,
// so the memory copy can be dropped at any time.
//
// Invariants, after every command:
//  - the header's size is the number of fields (HLEN is O(1)); an empty hash does not exist;
//  - when the HashObject is present it holds exactly the fields on disk (durable profiles);
//  - HSCAN cursors are field hashes whether the hash is in memory or not, so a scan in
//    progress survives the memory copy being dropped or reloaded.
//
// A Hash is a handle for the duration of one command (it holds a HotEntry pointer).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/string_index.h"
#include "storage/keyspace.h"

namespace strata::types {

// The whole hash in memory. Fields keep their insertion order while the hash is small (up to
// kOrderedFields, Redis's listpack limit), so HGETALL on a small hash lists fields as Redis
// does; past that, a delete moves the last field into the hole (O(1)), as order is then
// unspecified in Redis too. The order vector also gives HRANDFIELD O(1) random access.
class HashObject : public storage::HotObject {
 public:
  static constexpr size_t kOrderedFields = 128;

  HashObject() = default;
  HashObject(const HashObject& other);
  HashObject& operator=(const HashObject&) = delete;

  size_t Bytes() const override { return bytes_; }
  std::unique_ptr<storage::HotObject> Clone() const override;

  size_t size() const { return order_.size(); }
  // The value of `field`, or nullptr. Valid until the object changes.
  const std::string* Find(std::string_view field) const;
  // Returns true if the field is new.
  bool Set(std::string_view field, std::string_view value);
  bool Erase(std::string_view field);
  // The i-th field and its value in iteration order. REQUIRES: i < size().
  std::pair<std::string_view, std::string_view> At(size_t i) const {
    return {order_[i]->name, order_[i]->value};
  }

 private:
  struct Field {
    std::string name;
    std::string value;
    size_t pos;  // index in order_
  };
  static std::string_view NameOf(const Field& f) { return f.name; }

  StringIndex<Field, &HashObject::NameOf> index_;
  std::vector<std::unique_ptr<Field>> order_;  // owns the fields
  size_t bytes_ = 0;
};

class Hash {
 public:
  using Pair = std::pair<std::string_view, std::string_view>;
  using Field = std::pair<std::string, std::string>;

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
  // HINCRBY: adds `delta` to the field's integer value (0 if absent) and returns the result.
  // Errors carry Redis's reply text: "ERR hash value is not an integer",
  // "ERR increment or decrement would overflow".
  StatusOr<int64_t> IncrBy(std::string_view field, int64_t delta);
  // HINCRBYFLOAT: adds `delta` (finite) and returns the stored text. Errors: "ERR hash value is
  // not a float", "ERR increment would produce NaN or Infinity".
  StatusOr<std::string> IncrByFloat(std::string_view field, long double delta);
  // Calls fn for every field: insertion order while held whole and small, else unspecified.
  Status ForEach(const std::function<void(std::string_view field, std::string_view value)>& fn);
  // HRANDFIELD: `count` random fields with their values. `distinct`: no field twice, at most
  // size() of them (all of them when count >= size()); otherwise fields may repeat and exactly
  // `count` come back.
  StatusOr<std::vector<Field>> Random(uint64_t count, bool distinct);
  // HSCAN: fields whose stable hash is >= cursor, about `count` of them; next_cursor 0 when
  // done. A small hash held whole returns everything at once with cursor 0, as Redis does for
  // its small encoding.
  struct ScanPage {
    uint64_t next_cursor = 0;
    std::vector<Field> items;
  };
  StatusOr<ScanPage> Scan(uint64_t cursor, size_t count);

 private:
  Hash(storage::Keyspace& ks, int db, std::string key, storage::HotEntry* e)
      : ks_(&ks), db_(db), key_(std::move(key)), entry_(e) {}
  HashObject* object() const { return static_cast<HashObject*>(entry_->object.get()); }
  Status LoadIfSmall();
  StatusOr<std::vector<Field>> RandomFromDisk(uint64_t count, bool distinct);

  storage::Keyspace* ks_;
  int db_;
  std::string key_;
  storage::HotEntry* entry_;
};

// The sub-key of a field: its stable hash, big-endian, then the field itself.
std::string HashFieldSubKey(std::string_view field);

}  // namespace strata::types

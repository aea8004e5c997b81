// The persisted header of a collection (hash, list, set, sorted set), kept in its meta value
// after the type and expiry, and the HotObject base for a collection held whole in memory.
//
//   version:u64 | size:u64 [| head:u64 | tail:u64 for lists]
//                          [| last | first | max_deleted (ms:u64 | seq:u64 each) |
//                             entries_added:u64 | aux:u64 | retention_ms:i64 for streams]
//
// `version` is unique for every collection ever created in a data directory: a collection's
// sub-keys carry it, so deleting or replacing a collection of any size is one meta write, and
// the compaction filter (subkey_filter.h) drops sub-keys whose version is no longer current.
// `size` is the element count, so HLEN/LLEN/SCARD/ZCARD/XLEN are O(1). A list's elements live at
// indexes head .. tail-1; indexes start at 2^63 so that both ends can grow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/key_format.h"

namespace strata::storage {

struct CollectionHeader {
  static constexpr uint64_t kListOrigin = uint64_t{1} << 63;
  uint64_t version = 0;
  uint64_t size = 0;
  uint64_t head = kListOrigin;  // lists only
  uint64_t tail = kListOrigin;  // lists only
  // Streams only (types/stream.h): the last ID ever generated, the first entry's ID, the
  // largest ID removed by XDEL, and how many entries were ever added. A stream keeps them
  // when it is empty, and an empty stream is not deleted.
  uint64_t last_ms = 0, last_seq = 0;
  uint64_t first_ms = 0, first_seq = 0;
  uint64_t max_deleted_ms = 0, max_deleted_seq = 0;
  uint64_t entries_added = 0;
  // How many of the stream's sub-keys are not entries (groups, consumers, pending entries):
  // decides whether it is held whole in memory, nothing else.
  uint64_t aux = 0;
  // Time-based retention (XRETENTION): -1 = the server's stream-retention-ms, 0 = none.
  int64_t retention_ms = -1;
  // Sorted sets only: whether the kScore sub-keys hold the set's order (types/zset.h). A set
  // gets them once it is too big to be held whole in memory. A header without this
  // field decodes as true: such a set has kScore.
  bool score_index = true;
};

inline bool IsCollection(ValueType t) {
  return t == ValueType::kHash || t == ValueType::kList || t == ValueType::kSet ||
         t == ValueType::kZSet || t == ValueType::kStream;
}

void EncodeCollectionHeader(ValueType type, const CollectionHeader& h, std::string* out);
std::optional<CollectionHeader> DecodeCollectionHeader(ValueType type, std::string_view payload);

// Sub-key changes (puts and deletes, by column family and full RocksDB key) kept in order, as
// one flat buffer. See HotObject below.
class SubKeyChanges {
 public:
  SubKeyChanges() = default;
  // A copy starts empty: changes belong to the collection they were made to, never to a
  // clone of its memory copy (which writes its own sub-keys).
  SubKeyChanges(const SubKeyChanges&) {}
  SubKeyChanges& operator=(const SubKeyChanges&) = delete;

  // `fresh`: the key holds nothing before this put (a new element), as far as the changes
  // before it say. Coalescing (ForEachFinal) then drops a put that a later delete undoes.
  void Put(uint8_t cf, std::string_view key, std::string_view value, bool fresh);
  void Delete(uint8_t cf, std::string_view key);
  bool empty() const { return count_ == 0; }
  size_t count() const { return count_; }
  size_t bytes() const { return rep_.size(); }
  size_t heap_bytes() const { return rep_.capacity(); }
  // Appends every change of `other` after this one's and empties `other`.
  void TakeFrom(SubKeyChanges* other);
  void Clear();
  // Calls fn(cf, key, value) for the last change of each key, in the order of those last
  // changes (value is nullptr for a delete), and skips every change of a key whose first
  // change was a fresh put and whose last is a delete: applying that is applying them all.
  void ForEachFinal(const std::function<void(uint8_t cf, std::string_view key,
                                             const std::string_view* value)>& fn) const;
  // Replaces the changes with what ForEachFinal would emit (a put keeps "fresh" if its key's
  // first change was a fresh put), so a queue that churns keeps only its live elements here.
  void Coalesce();
  // Coalesce() is worth running once count() reaches this: four times what survived the last
  // one, so a collection whose changes do not cancel out pays O(1) per change for trying.
  size_t coalesce_at() const { return coalesce_at_; }
  // Calls fn(cf, key, value) for up to `max` changes in order, starting at byte `offset` (0,
  // or what the last call returned); returns where the next call starts (bytes() when done).
  size_t ForEachFrom(size_t offset, size_t max,
                     const std::function<void(uint8_t cf, std::string_view key,
                                              const std::string_view* value)>& fn) const;

 private:
  struct Change {
    std::string_view id;  // cf byte + key: what identifies the RocksDB key
    const std::string_view* value;
    std::string_view value_storage;
    bool fresh;
  };
  // fn(const Change&) for each change from byte `offset`, until fn returns false (when it
  // returns bool). Returns the offset after the last change visited.
  template <typename Fn>
  size_t ForEach(Fn&& fn, size_t offset = 0) const;
  template <typename Fn>
  void ForEachFinalChange(Fn&& fn) const;  // fn(const Change&, bool created)
  static constexpr size_t kMinCoalesce = size_t{1} << 18;

  static constexpr uint8_t kDeleteFlag = 1;
  static constexpr uint8_t kFreshFlag = 2;
  // Per change: flags:u8 | key_len:u32 | cf:u8 | key [| value_len:u32 | value for a put].
  std::string rep_;
  size_t count_ = 0;
  size_t coalesce_at_ = kMinCoalesce;
};

// A collection decoded in memory. The types layer defines one subclass per type; the hot
// tier owns it and charges Bytes() (and its deferred changes) to the entry.
class HotObject {
 public:
  virtual ~HotObject() = default;
  // Bytes the object holds on the heap (for maxmemory accounting); kept current by the type
  // that changes it.
  virtual size_t Bytes() const = 0;
  virtual std::unique_ptr<HotObject> Clone() const = 0;  // COPY in the cache profile

  // Durable profiles (keyspace.h, "Deferred writes"): this collection's sub-key changes that
  // are in the redo log but not yet in RocksDB, made since the last checkpoint began, and
  // those that the checkpoint in progress has still to write. They die with the memory copy:
  // the keyspace writes them out before it drops a copy whose version is still live, and a
  // copy dropped because the collection was deleted or replaced takes only dead sub-keys along.
  SubKeyChanges deferred;
  SubKeyChanges checkpointing;
  size_t DeferredBytes() const { return deferred.heap_bytes() + checkpointing.heap_bytes(); }
};

}  // namespace strata::storage

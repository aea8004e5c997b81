// Sets: unordered collections of distinct byte strings.
//
// A set lives in RocksDB as one sub-key per member (kData: hash64(member) BE | member -> empty
// value), ordered by the member's stable hash so that an SSCAN cursor is a number, as for
// SCAN. A set of at most Keyspace::kHotCollectionLimit members is held whole in memory once
// read (SetObject); in the cache profile every set is. A bigger durable set keeps only its
// header hot and each command reads and writes just the members it touches. Writes go to both,
// so the memory copy can be dropped at any time.
//
// Invariants, after every command:
//  - the header's size is the number of members (SCARD is O(1)); an empty set does not exist;
//  - when the SetObject is present it holds exactly the members on disk (durable profiles);
//  - SSCAN cursors are member hashes whether the set is in memory or not, so a scan in
//    progress survives the memory copy being dropped or reloaded.
//
// Order. Redis 7.0 keeps a set of at most 512 integers as a sorted intset and lists it in
// numeric order; every other set is a hash table whose order is arbitrary. SetObject tracks the
// same condition (intset()) and lists such a set in numeric order, so SMEMBERS, SSCAN and the
// set algebra reply as Redis does wherever Redis's order is deterministic.
//
// A SetHandle is a handle for the duration of one command (it holds a HotEntry pointer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/string_index.h"
#include "storage/keyspace.h"

namespace strata::types {

// Redis's set-max-intset-entries default: the largest set Redis 7.0 keeps as an intset.
inline constexpr size_t kIntsetMaxEntries = 512;

// Whether `members` would be listed in numeric order by Redis 7.0 if they were a freshly
// built set (SUNION, SINTERSTORE... build their result as an intset first): all integers and
// at most kIntsetMaxEntries of them.
bool IntsetEligible(const std::vector<std::string>& members);
// Sorts integer members numerically. REQUIRES: every member parses as an int64.
void SortNumerically(std::vector<std::string>* members);

// The whole set in memory. Members also sit in a dense vector (a delete moves the last member
// into the hole), so a uniformly random member is O(1).
class SetObject : public storage::HotObject {
 public:
  SetObject() = default;
  SetObject(const SetObject& other);
  SetObject& operator=(const SetObject&) = delete;

  size_t Bytes() const override { return bytes_; }
  std::unique_ptr<storage::HotObject> Clone() const override;

  size_t size() const { return order_.size(); }
  bool Contains(std::string_view member) const;
  // Returns true if the member is new.
  bool Insert(std::string_view member);
  // Returns true if the member existed.
  bool Erase(std::string_view member);
  // The i-th member in storage order. REQUIRES: i < size().
  std::string_view At(size_t i) const { return order_[i]->value; }
  // True while Redis 7.0 would hold this set as an intset: every member added so far is an
  // integer and the set never grew past kIntsetMaxEntries (as in Redis, a set that lost the
  // encoding does not get it back until it is rebuilt, e.g. reloaded from disk).
  bool intset() const { return intset_; }
  // Every member: in numeric order for an intset, otherwise in storage order.
  std::vector<std::string_view> Members() const;

 private:
  struct Node {
    std::string value;
    size_t pos;  // index in order_
  };
  static std::string_view ValueOf(const Node& n) { return n.value; }

  StringIndex<Node, &SetObject::ValueOf> index_;
  std::vector<std::unique_ptr<Node>> order_;  // owns the members
  size_t bytes_ = 0;
  bool intset_ = true;
};

class SetHandle {
 public:
  // The set at `key`, or an empty handle if the key does not exist; WrongType() if the key
  // holds another type. `for_write` skips the keyspace hit/miss statistics (as Redis).
  static StatusOr<SetHandle> Open(storage::Keyspace& ks, int db, std::string_view key,
                                  bool for_write = false);

  bool exists() const { return entry_ != nullptr; }
  uint64_t size() const;
  // True if the set is held whole and Redis would list it in numeric order (see SetObject).
  bool intset() const;

  StatusOr<bool> Contains(std::string_view member);
  // Adds members (duplicates count once); creates the set if needed. Returns how many were new.
  StatusOr<int64_t> Add(const std::vector<std::string_view>& members);
  // Removes members; deletes the key when the set becomes empty (the handle then no longer
  // exists). Returns how many existed.
  StatusOr<int64_t> Remove(const std::vector<std::string_view>& members);
  // Every member: numeric order for an intset, otherwise unspecified (member hash order when
  // read from disk).
  StatusOr<std::vector<std::string>> Members();
  // SRANDMEMBER: `count` random members. `distinct`: no member twice, at most size() of them
  // (all of them, in Members() order, when count >= size()); otherwise members may repeat and
  // exactly `count` come back.
  StatusOr<std::vector<std::string>> Random(uint64_t count, bool distinct);
  // SPOP: removes and returns up to `count` distinct random members (all of them, in Members()
  // order, when count >= size(), deleting the key).
  StatusOr<std::vector<std::string>> Pop(uint64_t count);
  // SSCAN: members whose stable hash is >= cursor, about `count` of them; next_cursor 0 when
  // done. A small set held whole returns everything at once with cursor 0, as Redis does for
  // its small encoding.
  struct ScanPage {
    uint64_t next_cursor = 0;
    std::vector<std::string> members;
  };
  StatusOr<ScanPage> Scan(uint64_t cursor, size_t count);

  // SINTERSTORE, SUNIONSTORE, SDIFFSTORE: makes `key` a new set holding exactly `members`
  // (distinct), replacing whatever the key held, of any type, and its TTL. An empty `members`
  // deletes the key. Returns the new size.
  static StatusOr<int64_t> Store(storage::Keyspace& ks, int db, std::string_view key,
                                 const std::vector<std::string>& members);

 private:
  SetHandle(storage::Keyspace& ks, int db, std::string key, storage::HotEntry* e)
      : ks_(&ks), db_(db), key_(std::move(key)), entry_(e) {}
  SetObject* object() const {
    return entry_ ? static_cast<SetObject*>(entry_->object.get()) : nullptr;
  }
  Status LoadIfSmall();
  // Distinct random picks from a set not held whole. REQUIRES: count < size().
  StatusOr<std::vector<std::string>> RandomDistinctFromDisk(uint64_t count);
  StatusOr<std::vector<std::string>> RandomRepeatedFromDisk(uint64_t count);
  // Removes members known to be present (from Pop).
  void RemoveKnown(const std::vector<std::string>& members);

  storage::Keyspace* ks_;
  int db_;
  std::string key_;
  storage::HotEntry* entry_;
};

// The sub-key of a member: its stable hash, big-endian, then the member itself.
std::string SetMemberSubKey(std::string_view member);

}  // namespace strata::types

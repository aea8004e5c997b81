// Lists: sequences of byte strings, pushed and popped at both ends.
//
// On disk a list is a run of consecutive indexes: element i (0-based) lives in kData under the
// sub-key (head + i) as 8-byte big-endian, where head/tail come from the CollectionHeader and
// tail = head + size. A push to the front decrements head, a push to the back writes at tail
// and increments it; indexes start at CollectionHeader::kListOrigin (2^63) so both ends have
// room. Invariants, after every command:
//  - exactly the indexes head .. tail-1 hold elements (pops delete what they remove and move
//    head/tail past it, so a queue's churn never leaves the header pointing at a deleted
//    index), and size == tail - head;
//  - an empty list does not exist (the key is deleted, which drops every sub-key at once).
// End operations (push, pop, index, set) touch one sub-key each and the length is O(1). LRANGE
// reads just the range. Inserting and removing in the middle shift the shorter side.
//
// A list of at most Keyspace::kHotCollectionLimit elements is held whole in memory once read
// (ListObject); in the cache profile it always is. Writes go to both the object (when present)
// and the sub-keys, so the memory copy can be dropped at any time.
//
// A List is a handle for the duration of one command (it holds a HotEntry pointer).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace.h"

namespace strata::types {

class ListObject : public storage::HotObject {
 public:
  size_t Bytes() const override { return bytes_; }
  std::unique_ptr<storage::HotObject> Clone() const override;

  const std::deque<std::string>& items() const { return items_; }
  size_t size() const { return items_.size(); }
  const std::string& at(size_t i) const { return items_[i]; }

  void PushFront(std::string_view v);
  void PushBack(std::string_view v);
  std::string PopFront();  // REQUIRES: not empty
  std::string PopBack();   // REQUIRES: not empty
  void Set(size_t i, std::string_view v);
  void Insert(size_t i, std::string_view v);  // the new element gets index i
  // Removes the elements at the given ascending positions.
  void EraseAt(const std::vector<uint64_t>& positions);
  // Drops `front` elements from the head and `back` from the tail.
  void Trim(size_t front, size_t back);

 private:
  std::deque<std::string> items_;
  size_t bytes_ = 0;
};

class List {
 public:
  enum class End { kHead, kTail };  // LEFT / RIGHT

  // The list at `key`, or an empty handle if the key does not exist; WrongType() if the key
  // holds another type. `for_write` skips the keyspace hit/miss statistics (as Redis).
  static StatusOr<List> Open(storage::Keyspace& ks, int db, std::string_view key,
                             bool for_write = false);

  bool exists() const { return entry_ != nullptr; }
  uint64_t size() const;

  // Pushes the values one by one (so LPUSH a b c leaves c first); creates the list if needed.
  // Returns the new length.
  StatusOr<uint64_t> Push(End end, const std::vector<std::string_view>& values);
  StatusOr<uint64_t> PushFront(const std::vector<std::string_view>& values) {
    return Push(End::kHead, values);
  }
  StatusOr<uint64_t> PushBack(const std::vector<std::string_view>& values) {
    return Push(End::kTail, values);
  }
  // Removes up to `count` elements from one end, in the order they are popped. Deletes the key
  // when the list becomes empty (the handle then no longer exists()).
  StatusOr<std::vector<std::string>> Pop(End end, uint64_t count);
  StatusOr<std::vector<std::string>> PopFront(uint64_t count) { return Pop(End::kHead, count); }
  StatusOr<std::vector<std::string>> PopBack(uint64_t count) { return Pop(End::kTail, count); }

  // LINDEX: a negative index counts from the tail; nullopt when out of range or missing.
  StatusOr<std::optional<std::string>> Index(int64_t index);
  // LSET. REQUIRES: exists(). InvalidArgument("ERR index out of range") when out of range.
  Status Set(int64_t index, std::string_view value);

  // LRANGE with Redis's index rules. Reports the element count to `begin` first, then each
  // element in order; nothing is reported if an error is returned. Elements of a list held in
  // memory are passed without copying.
  Status Range(int64_t start, int64_t stop, const std::function<void(size_t count)>& begin,
               const std::function<void(std::string_view element)>& each);
  // Every element, head to tail (for callers that need the whole list, e.g. SORT).
  Status ForEach(const std::function<void(std::string_view element)>& fn);

  // LINSERT: inserts `value` before or after the first element equal to `pivot`. Returns the
  // new length, -1 if the pivot is not there, 0 if the list does not exist.
  StatusOr<int64_t> Insert(bool after, std::string_view pivot, std::string_view value);
  // LREM: removes elements equal to `value`: the first `count` from the head (count > 0), the
  // last -count from the tail (count < 0), or all (0). Returns how many were removed.
  StatusOr<int64_t> Remove(int64_t count, std::string_view value);
  // LTRIM with Redis's index rules; deletes the removed sub-keys (or the key if none remain).
  Status Trim(int64_t start, int64_t stop);
  // LPOS: indexes of elements equal to `element`. rank > 0 skips rank-1 matches from the
  // head, rank < 0 searches from the tail (skipping -rank-1); rank != 0. At most `count`
  // results (0 = all); at most `maxlen` elements compared (0 = all).
  StatusOr<std::vector<int64_t>> Positions(std::string_view element, int64_t rank, uint64_t count,
                                           uint64_t maxlen);

  // LMOVE / RPOPLPUSH: pops from `from` of `source` and pushes to `to` of `destination` (the
  // same key rotates it). nullopt if the source does not exist; WrongType() if either key
  // holds another type, checked before anything changes.
  static StatusOr<std::optional<std::string>> Move(storage::Keyspace& ks, int db,
                                                   std::string_view source,
                                                   std::string_view destination, End from, End to);

 private:
  List(storage::Keyspace& ks, int db, std::string key, storage::HotEntry* e)
      : ks_(&ks), db_(db), key_(std::move(key)), entry_(e) {}
  ListObject* object() const { return static_cast<ListObject*>(entry_->object.get()); }
  Status LoadIfSmall();
  // Elements at positions [from, from + n) (0-based from the head).
  Status ReadSpan(uint64_t from, uint64_t n, std::vector<std::string>* out);
  StatusOr<std::string> ReadAt(uint64_t pos);
  // `fresh`: a push, to an index past either end (see Keyspace::PutSub).
  void WriteIndex(uint64_t index, std::string_view value, bool fresh = false);
  void DeleteIndex(uint64_t index);
  // Persists the header (written last) and drops the memory copy of a durable list that grew
  // past twice the hot limit. Deletes the key when the size is 0.
  void Finish(const storage::CollectionHeader& header);

  storage::Keyspace* ks_;
  int db_;
  std::string key_;
  storage::HotEntry* entry_;
};

// The sub-key of list index `index`: 8 bytes, big-endian.
std::string ListIndexSubKey(uint64_t index);

}  // namespace strata::types

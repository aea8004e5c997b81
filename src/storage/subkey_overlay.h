// What a reader of collections' sub-keys must see that RocksDB does not hold yet: the sub-key
// changes staged in the open batch or written by the batch in flight, and, per collection,
// where its live sub-keys begin and end (SeekHints, sub_iterator.h).
//
// Keys are a column family tag (one byte, the caller's) followed by the encoded sub-key, so
// one ordered map serves point reads and the range an iterator merges. A change is dropped
// once the batch that carries it is written, unless a later batch changed the key again.
//
// Threading: execution thread only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/sub_iterator.h"

namespace strata::storage {

class SubKeyOverlay {
 public:
  bool empty() const { return changes_.empty(); }

  // Remembers a change staged with the open batch, whose ticket is `ticket`. `value` null: a
  // delete. Widens the collection's seek hints (its first `prefix_len` bytes of `key` name it)
  // when a put lands outside them.
  void Record(uint8_t cf, std::string_view key, size_t prefix_len, const std::string_view* value,
              uint64_t ticket);

  enum class Found { kNothing, kValue, kDeleted };
  // The latest unwritten change to `key`: kNothing sends the reader to RocksDB.
  Found Get(uint8_t cf, std::string_view key, std::string* value) const;

  // The unwritten changes of keys in [lo, hi), in key order, for an iterator to merge.
  std::vector<SubIterator::Pending> Range(uint8_t cf, std::string_view lo,
                                          std::string_view hi) const;

  // The open batch was submitted: its changes are now the batch in flight's.
  void Seal() {
    in_flight_.swap(open_);
    open_.clear();
  }
  // The batch with ticket `ticket` is written: its changes are in RocksDB now.
  void Settle(uint64_t ticket);
  // Everything is written or dropped (a failed write discards every hot copy).
  void Clear();

  // The seek hints of the collection whose sub-keys start with `prefix`, created empty on first
  // use. Bounded: forgets every collection's hints when it has remembered too many.
  std::shared_ptr<SeekHints> HintsFor(uint8_t cf, std::string_view prefix);
  // A put of `key` outside its collection's hints widens them (deferred changes, which bypass
  // Record, report their puts here).
  void WidenHints(uint8_t cf, std::string_view key, size_t prefix_len) {
    if (!hints_.empty()) WidenKnownHints(cf, key, prefix_len);
  }

 private:
  struct Change {
    uint64_t ticket;
    bool deleted;
    std::string value;
  };
  static std::string Tagged(uint8_t cf, std::string_view key) {
    std::string out(1, static_cast<char>(cf));
    out.append(key);
    return out;
  }
  void WidenKnownHints(uint8_t cf, std::string_view key, size_t prefix_len);

  static constexpr size_t kMaxHints = 65536;
  std::map<std::string, Change, std::less<>> changes_;  // ordered: iterators merge a range
  std::vector<std::string> open_;       // keys changed in the open batch
  std::vector<std::string> in_flight_;  // ... in the batch being written
  // By tag + sub-key prefix (which includes the collection's version, so a recreated
  // collection starts without hints).
  std::unordered_map<std::string, std::shared_ptr<SeekHints>> hints_;
};

}  // namespace strata::storage

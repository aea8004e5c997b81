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
};

inline bool IsCollection(ValueType t) {
  return t == ValueType::kHash || t == ValueType::kList || t == ValueType::kSet ||
         t == ValueType::kZSet || t == ValueType::kStream;
}

void EncodeCollectionHeader(ValueType type, const CollectionHeader& h, std::string* out);
std::optional<CollectionHeader> DecodeCollectionHeader(ValueType type, std::string_view payload);

// A collection decoded in memory. The types layer defines one subclass per type; the hot
// tier owns it and charges Bytes() to the entry.
class HotObject {
 public:
  virtual ~HotObject() = default;
  // Bytes the object holds on the heap (for maxmemory accounting); kept current by the type
  // that changes it.
  virtual size_t Bytes() const = 0;
  virtual std::unique_ptr<HotObject> Clone() const = 0;  // COPY in the cache profile
};

}  // namespace strata::storage

// What the files of Keyspace share (keyspace.cc, keyspace_*.cc): the reserved keys of RocksDB's
// default column family and small helpers. Not for use outside Keyspace.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "common/coding.h"
#include "storage/keyspace.h"

namespace strata::storage {

inline constexpr char kVersionKey[] = "strata:version";
inline constexpr uint64_t kVersionReservation = uint64_t{1} << 16;

// The first key after every key of database `db` in any column family keyed by db:u16 first.
inline std::string PrefixEnd(DbIndex db) {
  std::string out;
  if (db == 0xFFFF) return std::string("\xff\xff\xff", 3);
  PutFixed16BE(&out, static_cast<uint16_t>(db + 1));
  return out;
}

inline uint64_t HotCollectionLimitFor(uint64_t maxmemory) {
  if (maxmemory == 0) return Keyspace::kHotCollectionLimit;
  return std::clamp<uint64_t>(maxmemory / 2048, Keyspace::kHotCollectionLimit, uint64_t{1} << 20);
}

}  // namespace strata::storage

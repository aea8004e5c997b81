// The persisted layout of keys in RocksDB. Every encoding here is part of the on-disk format:
// changing one requires bumping kFormatVersion in warm_tier.cc.
//
// Column families and their keys (all integers fixed-width big-endian, so bytewise order is
// numeric order):
//   meta    db:u16 | hash:u64 | key                      -> MetaValue
//           Ordered by the key's stable hash, so a SCAN cursor is simply the next hash to
//           visit: stateless, numeric (redis-py parses cursors as integers), and it survives
//           restarts and concurrent writes with Redis's guarantees.
//   expire  db:u16 | when_ms:u64 | hash:u64 | key        -> empty
//           Every key with a TTL, by deadline: active expiry reads the front of it.
//   data    db:u16 | len(key):u32 | key | version:u64 | sub-key -> element
//           Sub-keys of collections (hash fields, list indexes, set members, zset members, stream entries).
//           A collection's sub-keys share a prefix, and a new version orphans the old ones.
//   zscore  the same prefix | score (order-preserving) | member   (sorted sets too big to hold whole)
//   default the format record, the database map and the per-database counters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata::storage {

using DbIndex = uint16_t;  // physical database id (see the database map in keyspace.h)

enum class ValueType : uint8_t {
  kString = 0,
  kHash = 1,
  kList = 2,
  kSet = 3,
  kZSet = 4,
  kStream = 5,
  kNone = 255,  // never persisted: a hot-tier tombstone for a staged delete
};

std::string_view TypeName(ValueType t);  // "string", "hash", ... as TYPE replies

std::string EncodeMetaKey(DbIndex db, uint64_t hash, std::string_view key);
// The same into a caller's buffer (cleared first), so hot paths reuse one allocation.
void EncodeMetaKeyTo(DbIndex db, uint64_t hash, std::string_view key, std::string* out);
std::string MetaKeyPrefix(DbIndex db);  // all meta keys of one database start with it
struct DecodedMetaKey {
  DbIndex db;
  uint64_t hash;
  std::string_view key;
};
std::optional<DecodedMetaKey> DecodeMetaKey(std::string_view encoded);

std::string EncodeExpireKey(DbIndex db, int64_t when_ms, uint64_t hash, std::string_view key);
struct DecodedExpireKey {
  DbIndex db;
  int64_t when_ms;
  uint64_t hash;
  std::string_view key;
};
std::optional<DecodedExpireKey> DecodeExpireKey(std::string_view encoded);

// Prefix of every sub-key of one version of one collection.
std::string EncodeSubKeyPrefix(DbIndex db, std::string_view key, uint64_t version);
std::string EncodeSubKey(DbIndex db, std::string_view key, uint64_t version,
                         std::string_view sub_key);

// The value stored under a meta key.
//   type:u8 | flags:u8 | [expire_ms:u64 if flags&kHasExpire] | payload
// For strings the payload is the value itself; for collections it is the CollectionHeader
// (storage/collection.h).
struct MetaValue {
  static constexpr uint8_t kHasExpire = 1;
  ValueType type = ValueType::kString;
  int64_t expire_ms = 0;  // absolute deadline, 0 = no TTL
  std::string_view payload;
};
void EncodeMetaValue(ValueType type, int64_t expire_ms, std::string_view payload, std::string* out);
std::optional<MetaValue> DecodeMetaValue(std::string_view encoded);

}  // namespace strata::storage

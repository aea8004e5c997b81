#include "storage/key_format.h"

#include "common/coding.h"

namespace strata::storage {

std::string_view TypeName(ValueType t) {
  switch (t) {
    case ValueType::kString:
      return "string";
    case ValueType::kHash:
      return "hash";
    case ValueType::kList:
      return "list";
    case ValueType::kSet:
      return "set";
    case ValueType::kZSet:
      return "zset";
    case ValueType::kStream:
      return "stream";
    case ValueType::kNone:
      return "none";
  }
  return "none";
}

std::string EncodeMetaKey(DbIndex db, uint64_t hash, std::string_view key) {
  std::string out;
  EncodeMetaKeyTo(db, hash, key, &out);
  return out;
}

void EncodeMetaKeyTo(DbIndex db, uint64_t hash, std::string_view key, std::string* out) {
  out->clear();
  out->reserve(10 + key.size());
  PutFixed16BE(out, db);
  PutFixed64BE(out, hash);
  out->append(key);
}

std::string MetaKeyPrefix(DbIndex db) {
  std::string out;
  PutFixed16BE(&out, db);
  return out;
}

std::optional<DecodedMetaKey> DecodeMetaKey(std::string_view encoded) {
  if (encoded.size() < 10) return std::nullopt;
  return DecodedMetaKey{DecodeFixed16BE(encoded.data()), DecodeFixed64BE(encoded.data() + 2),
                        encoded.substr(10)};
}

std::string EncodeExpireKey(DbIndex db, int64_t when_ms, uint64_t hash, std::string_view key) {
  std::string out;
  out.reserve(18 + key.size());
  PutFixed16BE(&out, db);
  PutFixed64BE(&out, static_cast<uint64_t>(when_ms));
  PutFixed64BE(&out, hash);
  out.append(key);
  return out;
}

std::optional<DecodedExpireKey> DecodeExpireKey(std::string_view encoded) {
  if (encoded.size() < 18) return std::nullopt;
  return DecodedExpireKey{DecodeFixed16BE(encoded.data()),
                          static_cast<int64_t>(DecodeFixed64BE(encoded.data() + 2)),
                          DecodeFixed64BE(encoded.data() + 10), encoded.substr(18)};
}

std::string EncodeSubKeyPrefix(DbIndex db, std::string_view key, uint64_t version) {
  std::string out;
  out.reserve(14 + key.size());
  PutFixed16BE(&out, db);
  PutFixed32BE(&out, static_cast<uint32_t>(key.size()));
  out.append(key);
  PutFixed64BE(&out, version);
  return out;
}

std::string EncodeSubKey(DbIndex db, std::string_view key, uint64_t version,
                         std::string_view sub_key) {
  std::string out = EncodeSubKeyPrefix(db, key, version);
  out.append(sub_key);
  return out;
}

void EncodeMetaValue(ValueType type, int64_t expire_ms, std::string_view payload,
                     std::string* out) {
  out->clear();
  out->reserve(10 + payload.size());
  out->push_back(static_cast<char>(type));
  out->push_back(static_cast<char>(expire_ms ? MetaValue::kHasExpire : 0));
  if (expire_ms) PutFixed64BE(out, static_cast<uint64_t>(expire_ms));
  out->append(payload);
}

std::optional<MetaValue> DecodeMetaValue(std::string_view encoded) {
  if (encoded.size() < 2) return std::nullopt;
  MetaValue v;
  v.type = static_cast<ValueType>(static_cast<uint8_t>(encoded[0]));
  uint8_t flags = static_cast<uint8_t>(encoded[1]);
  size_t pos = 2;
  if (flags & MetaValue::kHasExpire) {
    if (encoded.size() < 10) return std::nullopt;
    v.expire_ms = static_cast<int64_t>(DecodeFixed64BE(encoded.data() + 2));
    pos = 10;
  }
  v.payload = encoded.substr(pos);
  return v;
}

}  // namespace strata::storage

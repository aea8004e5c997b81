#include "storage/key_format.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace strata::storage {
namespace {

TEST(KeyFormat, MetaKeysOrderByDatabaseThenHash) {
  std::vector<std::string> keys = {EncodeMetaKey(1, 5, "a"), EncodeMetaKey(0, 9, "z"),
                                   EncodeMetaKey(0, 1, "zz"), EncodeMetaKey(0, ~0ull, ""),
                                   EncodeMetaKey(256, 0, "x")};
  std::sort(keys.begin(), keys.end());
  auto decoded = [&](size_t i) { return *DecodeMetaKey(keys[i]); };
  EXPECT_EQ(decoded(0).hash, 1u);
  EXPECT_EQ(decoded(1).hash, 9u);
  EXPECT_EQ(decoded(2).hash, ~0ull);
  EXPECT_EQ(decoded(3).db, 1);
  EXPECT_EQ(decoded(4).db, 256);
  EXPECT_EQ(decoded(4).key, "x");
}

TEST(KeyFormat, ExpireKeysOrderByDeadline) {
  std::vector<std::string> keys = {EncodeExpireKey(0, 2000, 1, "b"),
                                   EncodeExpireKey(0, 1000, 99, "a"),
                                   EncodeExpireKey(0, 1'700'000'000'000, 0, "c")};
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(DecodeExpireKey(keys[0])->when_ms, 1000);
  EXPECT_EQ(DecodeExpireKey(keys[1])->when_ms, 2000);
  EXPECT_EQ(DecodeExpireKey(keys[2])->key, "c");
}

TEST(KeyFormat, SubKeysOfOneVersionShareAPrefixAndKeysDoNotCollide) {
  // "ab" + version must never be a prefix of "a" + anything: the length field prevents it.
  std::string a = EncodeSubKeyPrefix(0, "a", 1);
  std::string ab = EncodeSubKeyPrefix(0, "ab", 1);
  EXPECT_NE(ab.compare(0, a.size(), a), 0);
  std::string field = EncodeSubKey(0, "a", 1, "field");
  EXPECT_EQ(field.compare(0, a.size(), a), 0);
  EXPECT_LT(EncodeSubKeyPrefix(0, "a", 1), EncodeSubKeyPrefix(0, "a", 2));
}

TEST(KeyFormat, MetaValueRoundTrips) {
  std::string raw;
  EncodeMetaValue(ValueType::kString, 1234567890123, std::string("v\0x", 3), &raw);
  auto v = DecodeMetaValue(raw);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->type, ValueType::kString);
  EXPECT_EQ(v->expire_ms, 1234567890123);
  EXPECT_EQ(v->payload, std::string("v\0x", 3));
  EncodeMetaValue(ValueType::kString, 0, "", &raw);
  EXPECT_EQ(raw.size(), 2u);  // no TTL costs no bytes
  EXPECT_FALSE(
      DecodeMetaValue(std::string_view("\x00\x01\x00", 3)).has_value());  // truncated expire
}

}  // namespace
}  // namespace strata::storage

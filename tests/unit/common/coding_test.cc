// Big-endian fixed-width encodings: the bytes RocksDB compares, so their order is the numbers'.
#include "common/coding.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace strata {
namespace {

TEST(Coding, WritesTheMostSignificantByteFirst) {
  std::string out;
  PutFixed32BE(&out, 0x01020304u);
  PutFixed64BE(&out, 0x05060708090a0b0cull);
  EXPECT_EQ(out, std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c", 12));
  EXPECT_EQ(DecodeFixed32BE(out.data()), 0x01020304u);
  EXPECT_EQ(DecodeFixed64BE(out.data() + 4), 0x05060708090a0b0cull);
}

TEST(Coding, RoundTripsAndKeepsOrder) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 10000; ++i) {
    const uint64_t a = rng() >> (rng() % 64);
    const uint64_t b = rng() >> (rng() % 64);
    std::string ea, eb;
    PutFixed64BE(&ea, a);
    PutFixed64BE(&eb, b);
    ASSERT_EQ(DecodeFixed64BE(ea.data()), a);
    ASSERT_EQ(ea < eb, a < b) << a << " " << b;
    std::string sa, sb;
    PutOrderedInt64(&sa, static_cast<int64_t>(a));
    PutOrderedInt64(&sb, static_cast<int64_t>(b));
    ASSERT_EQ(DecodeOrderedInt64(sa.data()), static_cast<int64_t>(a));
    ASSERT_EQ(sa < sb, static_cast<int64_t>(a) < static_cast<int64_t>(b));
    std::string fa;
    PutFixed32BE(&fa, static_cast<uint32_t>(a));
    ASSERT_EQ(DecodeFixed32BE(fa.data()), static_cast<uint32_t>(a));
  }
}

}  // namespace
}  // namespace strata

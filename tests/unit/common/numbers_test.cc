#include "common/numbers.h"

#include <gtest/gtest.h>

#include "common/hash.h"

namespace strata {
namespace {

TEST(Numbers, ParseInt64IsAsStrictAsRedis) {
  EXPECT_EQ(ParseInt64("0"), 0);
  EXPECT_EQ(ParseInt64("-42"), -42);
  EXPECT_EQ(ParseInt64("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseInt64("-9223372036854775808"), INT64_MIN);
  for (const char* bad :
       {"", "-", "+1", " 1", "1 ", "01", "-0", "9223372036854775808", "1e3", "0x10", "abc"}) {
    EXPECT_FALSE(ParseInt64(bad).has_value()) << bad;
  }
}

TEST(Numbers, LongDoubleFormattingMatchesIncrbyfloat) {
  EXPECT_EQ(FormatLongDoubleHuman(10.5L), "10.5");
  EXPECT_EQ(FormatLongDoubleHuman(3.0L), "3");
  EXPECT_EQ(FormatLongDoubleHuman(*ParseLongDouble("10.1")), "10.1");
  EXPECT_EQ(FormatLongDoubleHuman(*ParseLongDouble("5.0e3")), "5000");
  EXPECT_FALSE(ParseLongDouble(" 1").has_value());
  EXPECT_FALSE(ParseLongDouble("nan").has_value());
}

TEST(Numbers, MemorySizesUseRedisUnits) {
  EXPECT_EQ(ParseMemorySize("100"), 100u);
  EXPECT_EQ(ParseMemorySize("1k"), 1000u);
  EXPECT_EQ(ParseMemorySize("1kb"), 1024u);
  EXPECT_EQ(ParseMemorySize("100mb"), 100u << 20);
  EXPECT_EQ(ParseMemorySize("2GB"), 2ull << 30);
  EXPECT_EQ(ParseMemorySize("0100"), 100u);
  EXPECT_FALSE(ParseMemorySize("10xb").has_value());
  EXPECT_FALSE(ParseMemorySize("mb").has_value());
}

TEST(Hash, IsStableAcrossBuilds) {
  // The hash orders keys on disk: these values must never change.
  EXPECT_EQ(KeyHash64(""), 0u);
  EXPECT_EQ(KeyHash64("user:1"), 10383548588944537327ull);
  EXPECT_EQ(KeyHash64("a much longer key that spans words"), 12817399886204198996ull);
  EXPECT_NE(KeyHash64("a"), KeyHash64("b"));
  EXPECT_NE(KeyHash64(std::string("a\0", 2)), KeyHash64("a"));
}

// The reference vectors of the SipHash paper's implementation: key 00 01 .. 0f, messages
// 00 01 .. (n-1). 1-3 shares every step with 2-4 but the round counts.
TEST(Hash, SipHashMatchesTheReferenceVectors) {
  const uint64_t k0 = 0x0706050403020100ull, k1 = 0x0f0e0d0c0b0a0908ull;
  std::string msg;
  for (int i = 0; i < 16; ++i) msg.push_back(static_cast<char>(i));
  EXPECT_EQ(SipHash24(k0, k1, ""), 0x726fdb47dd0e0e31ull);
  EXPECT_EQ(SipHash24(k0, k1, msg.substr(0, 1)), 0x74f839c593dc67fdull);
  EXPECT_EQ(SipHash24(k0, k1, msg.substr(0, 8)), 0x93f5f5799a932462ull);
  EXPECT_EQ(SipHash24(k0, k1, msg.substr(0, 15)), 0xa129ca6149be45e5ull);
  // Every tail length, against the paper's table for messages 00 .. (n-1).
  const uint64_t kVectors[16] = {
      0x726fdb47dd0e0e31ull, 0x74f839c593dc67fdull, 0x0d6c8009d9a94f5aull, 0x85676696d7fb7e2dull,
      0xcf2794e0277187b7ull, 0x18765564cd99a68dull, 0xcbc9466e58fee3ceull, 0xab0200f58b01d137ull,
      0x93f5f5799a932462ull, 0x9e0082df0ba9e4b0ull, 0x7a5dbbc594ddb9f3ull, 0xf4b32f46226bada7ull,
      0x751e8fbc860ee5fbull, 0x14ea5627c0843d90ull, 0xf723ca908e7af2eeull, 0xa129ca6149be45e5ull};
  for (size_t n = 0; n < 16; ++n) {
    EXPECT_EQ(SipHash24(k0, k1, msg.substr(0, n)), kVectors[n]) << "length " << n;
  }
}

TEST(Hash, MemoryHashIsKeyedPerProcess) {
  // Same process, same key: stable within the run; and not the public stable hash.
  EXPECT_EQ(MemoryHash("user:1"), MemoryHash("user:1"));
  EXPECT_NE(MemoryHash("user:1"), MemoryHash("user:2"));
  EXPECT_NE(MemoryHash("user:1"), KeyHash64("user:1"));
  EXPECT_NE(MemoryHash(""), 0u);
}

}  // namespace
}  // namespace strata

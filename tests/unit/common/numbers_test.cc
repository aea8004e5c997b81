#include "common/numbers.h"

#include <gtest/gtest.h>

#include "common/glob.h"
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

TEST(Glob, MatchesLikeRedis) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("user:*", "user:1"));
  EXPECT_FALSE(GlobMatch("user:?", "user:10"));
  EXPECT_TRUE(GlobMatch("h[ae]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[^e]llo", "hello"));
  EXPECT_TRUE(GlobMatch("h[a-c]llo", "hbllo"));
  EXPECT_TRUE(GlobMatch("a\\*b", "a*b"));
  EXPECT_FALSE(GlobMatch("a\\*b", "axb"));
  EXPECT_TRUE(GlobMatch("MAXMEM*", "maxmemory", /*nocase=*/true));
  // A pathological pattern terminates.
  EXPECT_FALSE(GlobMatch(std::string(50, '*') + "a*a*a*a*a*a*b", std::string(60, 'a')));
}

TEST(Hash, IsStableAcrossBuilds) {
  // The hash orders keys on disk: these values must never change.
  EXPECT_EQ(KeyHash64(""), 0u);
  EXPECT_EQ(KeyHash64("user:1"), 10383548588944537327ull);
  EXPECT_EQ(KeyHash64("a much longer key that spans words"), 12817399886204198996ull);
  EXPECT_NE(KeyHash64("a"), KeyHash64("b"));
  EXPECT_NE(KeyHash64(std::string("a\0", 2)), KeyHash64("a"));
}

}  // namespace
}  // namespace strata

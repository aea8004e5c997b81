// Shebang lines: the flags Redis 7.0 knows, and its error texts for the rest.
#include "scripting/shebang.h"

#include <gtest/gtest.h>

namespace strata::scripting {
namespace {

TEST(ShebangTest, NoShebangIsCompatibilityMode) {
  auto s = ParseShebang("return 1");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->flags.compat);
  EXPECT_EQ(s->length, 0u);
}

TEST(ShebangTest, FlagsAreRead) {
  auto s = ParseShebang("#!lua flags=no-writes,allow-oom\nreturn 1");
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->flags.compat);
  EXPECT_TRUE(s->flags.no_writes);
  EXPECT_TRUE(s->flags.allow_oom);
  EXPECT_FALSE(s->flags.allow_stale);
  EXPECT_EQ(s->length, 31u);  // up to the newline, which the body keeps

  auto plain = ParseShebang("#!lua\nreturn 1");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->flags.compat);
  EXPECT_FALSE(plain->flags.no_writes);
  auto empty = ParseShebang("#!lua flags=\nreturn 1");
  ASSERT_TRUE(empty.ok());
}

TEST(ShebangTest, ErrorsAsRedisWordsThem) {
  EXPECT_EQ(ParseShebang("#!lua return 1").status().message(), "ERR Invalid script shebang");
  EXPECT_EQ(ParseShebang("#!python\nx").status().message(),
            "ERR Unexpected engine in script shebang: #!python");
  EXPECT_EQ(ParseShebang("#!lua flags=nope\nx").status().message(),
            "ERR Unexpected flag in script shebang: nope");
  EXPECT_EQ(ParseShebang("#!lua flags=no-writes,\nx").status().message(),
            "ERR Unexpected flag in script shebang: ");
  EXPECT_EQ(ParseShebang("#!lua x=1\nx").status().message(),
            "ERR Unknown lua shebang option: x=1");
}

}  // namespace
}  // namespace strata::scripting

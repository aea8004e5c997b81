// Expiry commands, with replies checked against Redis 7.0's. The FakeClock drives time.
#include <string>

#include "command_fixture.h"

namespace strata::commands::testing {
namespace {

class ExpireCommandsTest : public ProfileTest {};

TEST_P(ExpireCommandsTest, TtlOfMissingAndPersistentKeys) {
  EXPECT_EQ(Run({"ttl", "k"}), ":-2");
  EXPECT_EQ(Run({"pttl", "k"}), ":-2");
  EXPECT_EQ(Run({"expiretime", "k"}), ":-2");
  EXPECT_EQ(Run({"pexpiretime", "k"}), ":-2");
  EXPECT_EQ(Run({"set", "k", "v"}), "+OK");
  EXPECT_EQ(Run({"ttl", "k"}), ":-1");
  EXPECT_EQ(Run({"pttl", "k"}), ":-1");
  EXPECT_EQ(Run({"expiretime", "k"}), ":-1");
  EXPECT_EQ(Run({"pexpiretime", "k"}), ":-1");
  EXPECT_EQ(Run({"persist", "k"}), ":0");
  EXPECT_EQ(Run({"persist", "nokey"}), ":0");
  EXPECT_EQ(Run({"expire", "nokey", "10"}), ":0");
}

TEST_P(ExpireCommandsTest, ExpireFamilySetsDeadlines) {
  EXPECT_EQ(Run({"set", "k", "v"}), "+OK");
  EXPECT_EQ(Run({"expire", "k", "100"}), ":1");
  EXPECT_EQ(Run({"pttl", "k"}), ":100000");
  EXPECT_EQ(Run({"pexpire", "k", "2500"}), ":1");
  EXPECT_EQ(Run({"pttl", "k"}), ":2500");
  EXPECT_EQ(Run({"ttl", "k"}), ":3");  // rounded to the nearest second
  int64_t at = NowMs() / 1000 + 50;
  EXPECT_EQ(Run({"expireat", "k", std::to_string(at)}), ":1");
  EXPECT_EQ(Run({"expiretime", "k"}), ":" + std::to_string(at));
  EXPECT_EQ(Run({"pexpiretime", "k"}), ":" + std::to_string(at * 1000));
  EXPECT_EQ(Run({"pexpireat", "k", std::to_string(NowMs() + 1234)}), ":1");
  EXPECT_EQ(Run({"pttl", "k"}), ":1234");
  EXPECT_EQ(Run({"pexpiretime", "k"}), ":" + std::to_string(NowMs() + 1234));
  EXPECT_EQ(Run({"persist", "k"}), ":1");
  EXPECT_EQ(Run({"ttl", "k"}), ":-1");
}

TEST_P(ExpireCommandsTest, TtlRounding) {
  EXPECT_EQ(Run({"set", "k", "v", "px", "1499"}), "+OK");
  EXPECT_EQ(Run({"ttl", "k"}), ":1");
  AdvanceMs(1000);  // 499 ms left
  EXPECT_EQ(Run({"ttl", "k"}), ":0");
  EXPECT_EQ(Run({"pttl", "k"}), ":499");
  EXPECT_EQ(Run({"set", "k", "v", "px", "1500"}), "+OK");
  EXPECT_EQ(Run({"ttl", "k"}), ":2");
  // EXPIRETIME rounds the deadline the same way.
  EXPECT_EQ(Run({"pexpireat", "k", "9223372036854775806"}), ":1");
  EXPECT_EQ(Run({"expiretime", "k"}), ":9223372036854776");
  EXPECT_EQ(Run({"pexpiretime", "k"}), ":9223372036854775806");
  EXPECT_EQ(Run({"pexpireat", "k", "9223372036854775307"}), ":1");
  EXPECT_EQ(Run({"expiretime", "k"}), ":9223372036854775");
}

TEST_P(ExpireCommandsTest, KeysExpireWhenTheClockPasses) {
  EXPECT_EQ(Run({"set", "k", "v"}), "+OK");
  EXPECT_EQ(Run({"pexpire", "k", "100"}), ":1");
  AdvanceMs(99);
  EXPECT_EQ(Run({"exists", "k"}), ":1");
  EXPECT_EQ(Run({"pttl", "k"}), ":1");
  AdvanceMs(1);  // at the deadline millisecond the key is still alive, as in Redis
  EXPECT_EQ(Run({"exists", "k"}), ":1");
  EXPECT_EQ(Run({"pttl", "k"}), ":0");
  AdvanceMs(1);
  EXPECT_EQ(Run({"exists", "k"}), ":0");
  EXPECT_EQ(Run({"ttl", "k"}), ":-2");
  EXPECT_EQ(Run({"dbsize"}), ":0");
}

TEST_P(ExpireCommandsTest, PastDeadlinesDeleteAndReturnOne) {
  for (const std::vector<std::string>& cmd :
       std::vector<std::vector<std::string>>{{"expire", "k", "0"},
                                             {"expire", "k", "-5"},
                                             {"pexpire", "k", "-9223372036854775808"},
                                             {"expireat", "k", "1"},
                                             {"pexpireat", "k", "0"},
                                             {"pexpireat", "k", "NOW"}}) {
    EXPECT_EQ(Run({"set", "k", "v"}), "+OK");
    std::vector<std::string> c = cmd;
    if (c[2] == "NOW") c[2] = std::to_string(NowMs());  // a deadline equal to now has passed
    EXPECT_EQ(Run(c), ":1") << c[0] << " " << c[2];
    EXPECT_EQ(Run({"exists", "k"}), ":0") << c[0] << " " << c[2];
    EXPECT_EQ(Run({"dbsize"}), ":0");
  }
}

TEST_P(ExpireCommandsTest, OverflowIsInvalidExpire) {
  EXPECT_EQ(Run({"set", "k", "v"}), "+OK");
  EXPECT_EQ(Run({"expire", "k", "9223372036854775807"}),
            "-ERR invalid expire time in 'expire' command");
  EXPECT_EQ(Run({"expire", "k", "-9223372036854775808"}),
            "-ERR invalid expire time in 'expire' command");
  EXPECT_EQ(Run({"expire", "k", "9223372036854775"}),
            "-ERR invalid expire time in 'expire' command");
  EXPECT_EQ(Run({"pexpire", "k", "9223372036854775807"}),
            "-ERR invalid expire time in 'pexpire' command");
  EXPECT_EQ(Run({"expireat", "k", "9223372036854775807"}),
            "-ERR invalid expire time in 'expireat' command");
  // Overflow is refused even for a missing key: the number is checked first.
  EXPECT_EQ(Run({"expire", "nokey", "9223372036854775807"}),
            "-ERR invalid expire time in 'expire' command");
  EXPECT_EQ(Run({"expire", "k", "abc"}), "-ERR value is not an integer or out of range");
  EXPECT_EQ(Run({"ttl", "k"}), ":-1");
  EXPECT_EQ(Run({"pexpireat", "k", "9223372036854775807"}), ":1");
  EXPECT_EQ(Run({"pexpiretime", "k"}), ":9223372036854775807");
  EXPECT_EQ(Run({"expire", "k", "9223370036854775"}), ":1");
  EXPECT_EQ(Run({"ttl", "k"}), ":9223370036854775");
}

TEST_P(ExpireCommandsTest, OptionErrors) {
  EXPECT_EQ(Run({"set", "k", "v"}), "+OK");
  const std::string nx_error =
      "-ERR NX and XX, GT or LT options at the same time are not compatible";
  EXPECT_EQ(Run({"expire", "k", "100", "nx", "xx"}), nx_error);
  EXPECT_EQ(Run({"expire", "k", "100", "nx", "gt"}), nx_error);
  EXPECT_EQ(Run({"expire", "k", "100", "lt", "nx"}), nx_error);
  EXPECT_EQ(Run({"expire", "k", "100", "gt", "lt"}),
            "-ERR GT and LT options at the same time are not compatible");
  EXPECT_EQ(Run({"expire", "k", "100", "xx", "gt", "lt"}),
            "-ERR GT and LT options at the same time are not compatible");
  EXPECT_EQ(Run({"expire", "k", "100", "xyz"}), "-ERR Unsupported option xyz");
  EXPECT_EQ(Run({"pexpireat", "k", "100", "nx", "Foo"}), "-ERR Unsupported option Foo");
  // Options are checked before the number.
  EXPECT_EQ(Run({"expire", "k", "abc", "xyz"}), "-ERR Unsupported option xyz");
  EXPECT_EQ(Run({"expire", "k", "abc", "nx"}), "-ERR value is not an integer or out of range");
  EXPECT_EQ(Run({"ttl", "k"}), ":-1");
}

TEST_P(ExpireCommandsTest, Conditions) {
  EXPECT_EQ(Run({"set", "k", "v"}), "+OK");
  EXPECT_EQ(Run({"expire", "k", "100", "xx"}), ":0");
  EXPECT_EQ(Run({"expire", "k", "100", "gt"}), ":0");  // no TTL counts as infinite
  EXPECT_EQ(Run({"ttl", "k"}), ":-1");
  EXPECT_EQ(Run({"expire", "k", "100", "nx", "nx"}), ":1");
  EXPECT_EQ(Run({"expire", "k", "50", "nx"}), ":0");
  EXPECT_EQ(Run({"expire", "k", "200", "xx"}), ":1");
  EXPECT_EQ(Run({"ttl", "k"}), ":200");
  EXPECT_EQ(Run({"expire", "k", "200", "gt"}), ":0");  // equal is not greater
  EXPECT_EQ(Run({"expire", "k", "200", "lt"}), ":0");
  EXPECT_EQ(Run({"expire", "k", "300", "lt"}), ":0");
  EXPECT_EQ(Run({"expire", "k", "100", "gt"}), ":0");
  EXPECT_EQ(Run({"expire", "k", "300", "gt"}), ":1");
  EXPECT_EQ(Run({"expire", "k", "150", "lt", "xx"}), ":1");
  EXPECT_EQ(Run({"ttl", "k"}), ":150");
  EXPECT_EQ(Run({"persist", "k"}), ":1");
  EXPECT_EQ(Run({"expire", "k", "10", "lt"}), ":1");  // anything is less than infinite
  EXPECT_EQ(Run({"ttl", "k"}), ":10");
  // A condition that fails leaves even a past deadline unapplied.
  EXPECT_EQ(Run({"expire", "k", "-1", "gt"}), ":0");
  EXPECT_EQ(Run({"exists", "k"}), ":1");
  EXPECT_EQ(Run({"expire", "k", "-1", "lt"}), ":1");
  EXPECT_EQ(Run({"exists", "k"}), ":0");
}

TEST_P(ExpireCommandsTest, PersistSurvivesTheOldDeadline) {
  EXPECT_EQ(Run({"set", "k", "v", "px", "100"}), "+OK");
  EXPECT_EQ(Run({"persist", "k"}), ":1");
  AdvanceMs(1000);
  EXPECT_EQ(Run({"get", "k"}), "\"v\"");
  EXPECT_EQ(Run({"ttl", "k"}), ":-1");
}

TEST_P(ExpireCommandsTest, CommandTableEntries) {
  const CommandSpec* expire = CommandTable::Get().Find("expire");
  ASSERT_NE(expire, nullptr);
  EXPECT_EQ(expire->arity, -3);
  EXPECT_EQ(CommandTable::FlagNames(expire->flags),
            (std::vector<std::string_view>{"write", "fast"}));
  EXPECT_EQ(CommandTable::AclNames(expire->acl),
            (std::vector<std::string_view>{"@keyspace", "@write", "@fast"}));
  const CommandSpec* ttl = CommandTable::Get().Find("TTL");
  ASSERT_NE(ttl, nullptr);
  EXPECT_EQ(CommandTable::FlagNames(ttl->flags),
            (std::vector<std::string_view>{"readonly", "fast"}));
}

STRATA_INSTANTIATE_PROFILES(ExpireCommandsTest);

}  // namespace
}  // namespace strata::commands::testing

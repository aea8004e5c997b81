// Operational warnings: writes of big values are counted and logged
// (big-value-warn), and a cache holding many keys without a TTL says so in the log.
#include <gtest/gtest.h>

#include <string>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

TEST(Gotchas, BigValueWritesAreCountedAndLogged) {
  ServerProcess server(WithProfile("session", {"--big-value-warn", "1kb"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  ReplyValue cfg = c.Command({"CONFIG", "GET", "big-value-warn"});
  ASSERT_EQ(cfg.elements.size(), 2u);
  EXPECT_EQ(Str(cfg.elements[1]), "1024");
  EXPECT_EQ(InfoField(c, "stats", "strata_big_value_writes"), "0");
  const std::string big = MakeValue(2048, 7);
  EXPECT_EQ(Str(c.Command({"SET", "blob", big})), "OK");
  EXPECT_EQ(c.Command({"HSET", "h", "field", big}).integer, 1);
  EXPECT_EQ(Str(c.Command({"SET", "small", "v"})), "OK");
  EXPECT_EQ(c.Command({"APPEND", "small", MakeValue(100, 1)}).integer, 101);
  EXPECT_EQ(InfoField(c, "stats", "strata_big_value_writes"), "2");
  EXPECT_TRUE(PollUntil(
      [&] {
        return server.LogText().find("2048-byte value was written to key 'blob'") !=
               std::string::npos;
      },
      std::chrono::seconds(10)))
      << server.LogText();
  // Off at run time.
  EXPECT_EQ(Str(c.Command({"CONFIG", "SET", "big-value-warn", "0"})), "OK");
  EXPECT_EQ(Str(c.Command({"SET", "blob2", big})), "OK");
  EXPECT_EQ(InfoField(c, "stats", "strata_big_value_writes"), "2");
}

TEST(Gotchas, ACacheFullOfKeysWithoutTtlIsReportedInTheLog) {
  ServerProcess server(WithProfile("cache"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  std::vector<std::vector<std::string>> cmds;
  for (int i = 0; i < 1500; ++i) cmds.push_back({"SET", "user:" + std::to_string(i), "x"});
  for (const ReplyValue& r : c.Pipeline(cmds)) ASSERT_EQ(Str(r), "OK");
  EXPECT_TRUE(
      PollUntil([&] { return server.LogText().find("keys have no TTL") != std::string::npos; },
                std::chrono::seconds(10)))
      << server.LogText();
}

TEST(Gotchas, OnlyACacheMostlyWithoutTtlsIsWarnedAbout) {
  ServerProcess server(WithProfile("cache"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  auto set_many = [&](int from, int to, bool ttl) {
    std::vector<std::vector<std::string>> cmds;
    for (int i = from; i < to; ++i) {
      std::vector<std::string> cmd = {"SET", "k:" + std::to_string(i), "x"};
      if (ttl) cmd.insert(cmd.end(), {"EX", "3000"});
      cmds.push_back(cmd);
    }
    for (const ReplyValue& r : c.Pipeline(cmds)) ASSERT_EQ(Str(r), "OK");
  };
  // 1,400 of 2,900 without a TTL: under half, no warning.
  set_many(0, 1500, true);
  set_many(1500, 2900, false);
  // A key expiring by itself proves a cron pass (which also runs the check) came after.
  EXPECT_EQ(Str(c.Command({"SET", "tick", "x", "PX", "1"})), "OK");
  EXPECT_TRUE(PollUntil([&] { return InfoField(c, "stats", "expired_keys") == "1"; },
                        std::chrono::seconds(10)));
  EXPECT_EQ(server.LogText().find("have no TTL"), std::string::npos) << server.LogText();
  // 1,600 of 3,100: most keys have none now. (The count logged depends on which cron pass
  // sees the pipeline half done: only the warning itself is checked.)
  set_many(2900, 3100, false);
  EXPECT_TRUE(
      PollUntil([&] { return server.LogText().find("keys have no TTL") != std::string::npos; },
                std::chrono::seconds(10)))
      << server.LogText();
}

}  // namespace
}  // namespace strata::testing

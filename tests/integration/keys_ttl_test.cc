// Expiry end to end: a TTL is an absolute deadline stored with the key, so a restart neither
// resets nor drops it; expired keys vanish by themselves (active expiry), without any access,
// also when they were written before a restart and never touched after it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

// Counts keys the way a user watching INFO keyspace would: the sum of keys= over all dbs.
int64_t KeyspaceKeys(RespClient& c) {
  ReplyValue info = c.Command({"INFO", "keyspace"});
  int64_t total = 0;
  for (const auto& [field, value] : ParseInfo(info.str)) {
    if (field.rfind("db", 0) != 0) continue;
    size_t p = value.find("keys=");
    if (p != std::string::npos) total += std::stoll(value.substr(p + 5));
  }
  return total;
}

TEST(KeysTtl, TtlKeepsCountingDownAcrossARestart) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  int64_t written_at = UnixMillis();
  {
    RespClient c(server.port());
    ASSERT_EQ(Str(c.Command({"SET", "k", "v", "EX", "100"})), "OK");
    ASSERT_EQ(Str(c.Command({"SET", "p", "v", "PX", "100000"})), "OK");
  }
  ASSERT_TRUE(server.Restart());
  RespClient c(server.port());
  int64_t elapsed = UnixMillis() - written_at;
  EXPECT_EQ(Str(c.Command({"GET", "k"})), "v");
  int64_t pttl = c.Command({"PTTL", "k"}).integer;
  // Not reset to 100 s (upper bound), not lost or shortened (lower bound; 1 s of slack).
  EXPECT_LE(pttl, 100'000 - elapsed + 50) << "TTL was reset by the restart";
  EXPECT_GE(pttl, 100'000 - elapsed - 1000) << "TTL lost or shortened by the restart";
  int64_t ttl = c.Command({"TTL", "k"}).integer;
  EXPECT_GE(ttl, 98);
  EXPECT_LE(ttl, 100);
  int64_t pttl_p = c.Command({"PTTL", "p"}).integer;
  EXPECT_LE(pttl_p, 100'000 - elapsed + 50);
  EXPECT_GE(pttl_p, 100'000 - elapsed - 1000);
}

TEST(KeysTtl, AbsoluteExpiryTimeIsExactAfterARestart) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  const int64_t at_ms = UnixMillis() + 10'000'000;
  {
    RespClient c(server.port());
    ASSERT_EQ(Str(c.Command({"SET", "k", "v", "PXAT", std::to_string(at_ms)})), "OK");
    ASSERT_EQ(Str(c.Command({"SET", "persistent", "v"})), "OK");
  }
  ASSERT_TRUE(server.CrashAndRestart());
  RespClient c(server.port());
  EXPECT_EQ(c.Command({"PEXPIRETIME", "k"}).integer, at_ms);
  EXPECT_EQ(c.Command({"EXPIRETIME", "persistent"}).integer, -1);
}

TEST(KeysTtl, ExpiredKeyIsInvisibleAtOnce) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  ASSERT_EQ(Str(c.Command({"SET", "short", "v", "PX", "300"})), "OK");
  ASSERT_EQ(Str(c.Command({"GET", "short"})), "v");
  // Poll until GET says it is gone; then every other view must agree.
  EXPECT_TRUE(PollUntil([&] { return IsNil(c.Command({"GET", "short"})); }, milliseconds(5000)));
  EXPECT_EQ(c.Command({"EXISTS", "short"}).integer, 0);
  EXPECT_EQ(c.Command({"TTL", "short"}).integer, -2);
  EXPECT_EQ(Str(c.Command({"TYPE", "short"})), "none");
}

TEST(KeysTtl, ActiveExpiryRemovesKeysWithoutAnyAccess) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  std::vector<std::vector<std::string>> cmds;
  for (int i = 0; i < 100; ++i)
    cmds.push_back({"SET", "short:" + std::to_string(i), "v", "PX", "300"});
  cmds.push_back({"SELECT", "2"});
  cmds.push_back({"SET", "short:db2", "v", "PX", "300"});
  cmds.push_back({"SELECT", "0"});
  for (const auto& r : c.Pipeline(cmds)) ASSERT_FALSE(IsError(r)) << r.str;
  ASSERT_EQ(KeyspaceKeys(c), 101);
  // Only INFO and DBSIZE from here on: neither touches the keys themselves.
  EXPECT_TRUE(PollUntil([&] { return KeyspaceKeys(c) == 0; }, milliseconds(5000)))
      << "INFO keyspace still counts " << KeyspaceKeys(c) << " keys";
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, 0);
  EXPECT_GE(std::stoll(InfoField(c, "stats", "expired_keys")), 101);
}

TEST(KeysTtl, ActiveExpiryAfterARestartWithoutAnyAccess) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    for (int i = 0; i < 20; ++i) {
      ASSERT_EQ(Str(c.Command({"SET", "short:" + std::to_string(i), "v", "PX", "300"})), "OK");
    }
    ASSERT_EQ(Str(c.Command({"SET", "stays", "v"})), "OK");
  }
  ASSERT_TRUE(server.Restart());
  RespClient c(server.port());
  // Never touched after the restart: only DBSIZE is asked.
  EXPECT_TRUE(PollUntil([&] { return c.Command({"DBSIZE"}).integer == 1; }, milliseconds(5000)))
      << "DBSIZE " << c.Command({"DBSIZE"}).integer << " (expected the one persistent key)";
  EXPECT_EQ(KeyspaceKeys(c), 1);
  EXPECT_EQ(Str(c.Command({"GET", "stays"})), "v");
}

TEST(KeysTtl, KeyExpiredWhileDownIsGoneAfterRestart) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  int64_t at_ms = 0;
  {
    RespClient c(server.port());
    at_ms = UnixMillis() + 300;
    ASSERT_EQ(Str(c.Command({"SET", "short", "v", "PXAT", std::to_string(at_ms)})), "OK");
  }
  server.Kill9();
  // Restart only once the deadline has passed, so the key expired while the server was down.
  ASSERT_TRUE(PollUntil([&] { return UnixMillis() > at_ms + 50; }, milliseconds(5000)));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_TRUE(IsNil(c.Command({"GET", "short"})));
  EXPECT_TRUE(PollUntil([&] { return c.Command({"DBSIZE"}).integer == 0; }, milliseconds(5000)));
}

TEST(KeysTtl, CacheProfileActiveExpiryToo) {
  ServerProcess server(WithProfile("cache"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(Str(c.Command({"SET", "short:" + std::to_string(i), "v", "PX", "300"})), "OK");
  }
  EXPECT_TRUE(PollUntil([&] { return c.Command({"DBSIZE"}).integer == 0; }, milliseconds(5000)));
}

}  // namespace
}  // namespace strata::testing

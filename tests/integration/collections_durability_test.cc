// Every type survives kill -9 exactly as acknowledged, small collections (held whole in
// memory) and big ones (kept on disk, only their header hot) alike, in the queue profile
// (appendfsync always) and the session profile. The server is killed the moment the last
// reply has been read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

// Bigger than the 1024 elements past which a durable collection is no longer held whole.
constexpr int kBig = 2500;
constexpr int kSmall = 40;

// Writes one collection of each type with `n` elements, then changes some of them, all in
// pipelines whose every reply must be a success.
void WriteAll(RespClient& c, const std::string& tag, int n) {
  std::vector<std::vector<std::string>> cmds;
  for (int i = 0; i < n; ++i) {
    std::string s = std::to_string(i);
    cmds.push_back({"HSET", tag + ":h", "f" + s, "v" + s});
    cmds.push_back({"RPUSH", tag + ":l", "e" + s});
    cmds.push_back({"SADD", tag + ":s", "m" + s});
    cmds.push_back({"ZADD", tag + ":z", std::to_string(i * 2), "z" + s});
  }
  // Changes after the fact: deletes, pops, updates, a TTL.
  cmds.push_back({"HDEL", tag + ":h", "f0", "f1"});
  cmds.push_back({"HINCRBY", tag + ":h", "counter", "7"});
  cmds.push_back({"LPOP", tag + ":l", "3"});
  cmds.push_back({"RPUSH", tag + ":l", "tail"});
  cmds.push_back({"SREM", tag + ":s", "m2"});
  cmds.push_back({"ZPOPMIN", tag + ":z", "2"});
  cmds.push_back({"ZINCRBY", tag + ":z", "0.5", "z10"});
  cmds.push_back({"EXPIRE", tag + ":s", "100000"});
  std::vector<ReplyValue> replies = c.Pipeline(cmds);
  ASSERT_EQ(replies.size(), cmds.size());
  for (size_t i = 0; i < replies.size(); ++i) {
    ASSERT_FALSE(IsError(replies[i])) << i << ": " << replies[i].str;
  }
}

void VerifyAll(RespClient& c, const std::string& tag, int n) {
  // Hash: f0, f1 deleted, a counter added.
  EXPECT_EQ(c.Command({"HLEN", tag + ":h"}).integer, n - 2 + 1);
  EXPECT_EQ(Str(c.Command({"HGET", tag + ":h", "f5"})), "v5");
  EXPECT_EQ(c.Command({"HGET", tag + ":h", "f0"}).type, ReplyValue::Type::kNull);
  EXPECT_EQ(Str(c.Command({"HGET", tag + ":h", "counter"})), "7");
  // List: three popped from the head, "tail" pushed.
  EXPECT_EQ(c.Command({"LLEN", tag + ":l"}).integer, n - 3 + 1);
  EXPECT_EQ(Str(c.Command({"LINDEX", tag + ":l", "0"})), "e3");
  EXPECT_EQ(Str(c.Command({"LINDEX", tag + ":l", "-1"})), "tail");
  ReplyValue range = c.Command({"LRANGE", tag + ":l", "0", "4"});
  ASSERT_EQ(range.elements.size(), 5u);
  EXPECT_EQ(range.elements[4].str, "e7");
  // Set: m2 removed, TTL kept.
  EXPECT_EQ(c.Command({"SCARD", tag + ":s"}).integer, n - 1);
  EXPECT_EQ(c.Command({"SISMEMBER", tag + ":s", "m2"}).integer, 0);
  EXPECT_EQ(c.Command({"SISMEMBER", tag + ":s", "m7"}).integer, 1);
  int64_t ttl = c.Command({"TTL", tag + ":s"}).integer;
  EXPECT_GT(ttl, 99000);
  EXPECT_LE(ttl, 100000);
  // Sorted set: the two lowest popped, z10 moved by 0.5.
  EXPECT_EQ(c.Command({"ZCARD", tag + ":z"}).integer, n - 2);
  ReplyValue first = c.Command({"ZRANGE", tag + ":z", "0", "0", "WITHSCORES"});
  ASSERT_EQ(first.elements.size(), 2u);
  EXPECT_EQ(first.elements[0].str, "z2");
  EXPECT_EQ(first.elements[1].str, "4");
  EXPECT_EQ(Str(c.Command({"ZSCORE", tag + ":z", "z10"})), "20.5");
  EXPECT_EQ(c.Command({"ZRANK", tag + ":z", "z10"}).integer, 8);
}

class CollectionsDurability : public ::testing::TestWithParam<std::string> {};

TEST_P(CollectionsDurability, EveryTypeSurvivesKill9ExactlyAsAcknowledged) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    WriteAll(c, "small", kSmall);
    WriteAll(c, "big", kBig);
    server.Kill9();  // right after the last reply
  }
  ASSERT_TRUE(server.Restart());
  RespClient c(server.port());
  VerifyAll(c, "small", kSmall);
  VerifyAll(c, "big", kBig);
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, 8);
  // Deleting a big collection is immediate, and it stays deleted across another crash.
  EXPECT_EQ(c.Command({"DEL", "big:h", "big:z"}).integer, 2);
  server.Kill9();
  ASSERT_TRUE(server.Restart());
  RespClient c2(server.port());
  EXPECT_EQ(c2.Command({"EXISTS", "big:h", "big:z"}).integer, 0);
  EXPECT_EQ(c2.Command({"DBSIZE"}).integer, 6);
  VerifyAll(c2, "small", kSmall);
}

INSTANTIATE_TEST_SUITE_P(Durable, CollectionsDurability, ::testing::Values("session", "queue"));

}  // namespace
}  // namespace strata::testing

// MEMORY STATS | DOCTOR | MALLOC-STATS | PURGE against the real server: Redis 7.0's fields in
// Redis's order (checked against redis-server 7.0.15's reply), numbers that hang together, a
// db.N map per database that holds keys, in RESP2 and RESP3, and a reply that is exactly as
// long as it says (the next reply on the connection is intact).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

const std::vector<std::string> kFields = {"peak.allocated",
                                          "total.allocated",
                                          "startup.allocated",
                                          "replication.backlog",
                                          "clients.slaves",
                                          "clients.normal",
                                          "cluster.links",
                                          "aof.buffer",
                                          "lua.caches",
                                          "functions.caches",
                                          "db.0",
                                          "db.2",
                                          "overhead.total",
                                          "keys.count",
                                          "keys.bytes-per-key",
                                          "dataset.bytes",
                                          "dataset.percentage",
                                          "peak.percentage",
                                          "allocator.allocated",
                                          "allocator.active",
                                          "allocator.resident",
                                          "allocator-fragmentation.ratio",
                                          "allocator-fragmentation.bytes",
                                          "allocator-rss.ratio",
                                          "allocator-rss.bytes",
                                          "rss-overhead.ratio",
                                          "rss-overhead.bytes",
                                          "fragmentation",
                                          "fragmentation.bytes"};

TEST(MemoryStats, RedisFieldsAndSaneNumbers) {
  for (const char* profile : {"cache", "session"}) {
    SCOPED_TRACE(profile);
    ServerProcess server(WithProfile(profile));
    ASSERT_TRUE(server.Start());
    RespClient c(server.port());
    ASSERT_EQ(Str(c.Command({"SET", "a", "b"})), "OK");
    ASSERT_EQ(Str(c.Command({"SELECT", "2"})), "OK");
    ASSERT_EQ(Str(c.Command({"SET", "c", "d"})), "OK");
    std::vector<ReplyValue> replies = c.Pipeline({{"MEMORY", "STATS"}, {"PING"}});
    ASSERT_EQ(replies.size(), 2u);
    EXPECT_EQ(Str(replies[1]), "PONG");  // the stats reply ended where it said it would
    const ReplyValue& stats = replies[0];
    ASSERT_EQ(stats.elements.size(), 2 * kFields.size()) << stats.DebugString();
    std::map<std::string, const ReplyValue*> by_name;
    for (size_t i = 0; i < kFields.size(); ++i) {
      EXPECT_EQ(stats.elements[2 * i].str, kFields[i]);
      by_name[stats.elements[2 * i].str] = &stats.elements[2 * i + 1];
    }
    EXPECT_EQ(by_name["keys.count"]->integer, 2);
    EXPECT_GE(by_name["total.allocated"]->integer, by_name["startup.allocated"]->integer);
    EXPECT_GE(by_name["peak.allocated"]->integer, by_name["total.allocated"]->integer);
    EXPECT_EQ(by_name["db.0"]->elements.size(), 6u);
    EXPECT_EQ(by_name["db.0"]->elements[0].str, "overhead.hashtable.main");
    // RESP3: a map, with doubles.
    ASSERT_EQ(c.Command({"HELLO", "3"}).type, ReplyValue::Type::kMap);
    ReplyValue map = c.Command({"MEMORY", "STATS"});
    EXPECT_EQ(map.type, ReplyValue::Type::kMap);
    EXPECT_EQ(map.elements.size(), 2 * kFields.size());
    EXPECT_EQ(Str(c.Command({"PING"})), "PONG");
    EXPECT_THAT(Str(c.Command({"MEMORY", "DOCTOR"})), ::testing::HasSubstr("less than 5 MB"));
    EXPECT_EQ(Str(c.Command({"MEMORY", "MALLOC-STATS"})),
              "Stats not supported for the current allocator");
    EXPECT_EQ(Str(c.Command({"MEMORY", "PURGE"})), "OK");
    EXPECT_EQ(c.Command({"INFO", "memory"}).type, ReplyValue::Type::kVerbatim);
  }
}

}  // namespace
}  // namespace strata::testing

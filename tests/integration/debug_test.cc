// DEBUG when enable-debug-command allows it: SLEEP blocks the server for the time asked (the
// slow log records at least that long), SET-ACTIVE-EXPIRE stops and restarts active expiry,
// and the errors are Redis 7.0's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

TEST(Debug, SleepAndActiveExpire) {
  ServerProcess server(WithProfile(
      "session", {"--enable-debug-command", "local", "--slowlog-log-slower-than", "0"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  ASSERT_EQ(Str(c.Command({"SLOWLOG", "RESET"})), "OK");
  EXPECT_EQ(Str(c.Command({"DEBUG", "SLEEP", "0.2"})), "OK");
  ReplyValue log = c.Command({"SLOWLOG", "GET", "1"});
  ASSERT_EQ(log.elements.size(), 1u);
  EXPECT_EQ(log.elements[0].elements.at(3).elements.at(0).str, "DEBUG");
  EXPECT_GE(log.elements[0].elements.at(2).integer, 200000);   // microseconds
  EXPECT_EQ(Str(c.Command({"DEBUG", "SLEEP", "abc"})), "OK");  // as Redis: sleeps 0
  EXPECT_EQ(Str(c.Command({"DEBUG", "SLEEP"})),
            "ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP.");
  EXPECT_EQ(Str(c.Command({"DEBUG", "nosuch"})),
            "ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP.");
  EXPECT_EQ(c.Command({"CONFIG", "GET", "enable-debug-command"}).elements.at(1).str, "local");

  // Active expiry: how long it takes with it on, then three times that with it off.
  ASSERT_EQ(Str(c.Command({"SET", "control", "v", "PX", "50"})), "OK");
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(PollUntil([&] { return c.Command({"DBSIZE"}).integer == 0; }, milliseconds(10000)));
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(Str(c.Command({"DEBUG", "SET-ACTIVE-EXPIRE", "0"})), "OK");
  ASSERT_EQ(Str(c.Command({"SET", "k", "v", "PX", "50"})), "OK");
  std::this_thread::sleep_for(3 * took + milliseconds(200));  // a negative: nothing to poll
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, 1);
  ASSERT_EQ(Str(c.Command({"DEBUG", "SET-ACTIVE-EXPIRE", "1"})), "OK");
  EXPECT_TRUE(PollUntil([&] { return c.Command({"DBSIZE"}).integer == 0; }, milliseconds(10000)));
}

// The latency monitor records a spike DEBUG SLEEP makes, one sample per second, and LATENCY's
// subcommands report and forget it.
TEST(Debug, LatencyMonitorRecordsSpikes) {
  ServerProcess server(
      WithProfile("cache", {"--enable-debug-command", "yes", "--latency-monitor-threshold", "10"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_EQ(Str(c.Command({"DEBUG", "SLEEP", "0.05"})), "OK");
  ReplyValue latest = c.Command({"LATENCY", "LATEST"});
  ASSERT_EQ(latest.elements.size(), 1u) << latest.DebugString();
  ASSERT_EQ(latest.elements[0].elements.size(), 4u);
  EXPECT_EQ(latest.elements[0].elements[0].str, "command");
  EXPECT_GE(latest.elements[0].elements[2].integer, 50);  // latest, ms
  EXPECT_GE(latest.elements[0].elements[3].integer, 50);  // all-time high
  ReplyValue history = c.Command({"LATENCY", "HISTORY", "command"});
  ASSERT_EQ(history.elements.size(), 1u);
  EXPECT_EQ(history.elements[0].elements.at(1).integer, latest.elements[0].elements[2].integer);
  EXPECT_THAT(Str(c.Command({"LATENCY", "GRAPH", "command"})),
              ::testing::StartsWith("command - high "));
  EXPECT_THAT(Str(c.Command({"LATENCY", "DOCTOR"})), ::testing::HasSubstr("* command: "));
  EXPECT_EQ(c.Command({"LATENCY", "RESET", "command", "nosuch"}).integer, 1);
  EXPECT_TRUE(c.Command({"LATENCY", "LATEST"}).elements.empty());
  EXPECT_EQ(Str(c.Command({"LATENCY", "GRAPH", "command"})),
            "ERR No samples available for event 'command'");
  // HISTOGRAM: per command, its calls and cumulative counts by power-of-two microseconds.
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Str(c.Command({"SET", "k", "v"})), "OK");
  ReplyValue h = c.Command({"LATENCY", "HISTOGRAM", "set", "nosuch"});
  ASSERT_EQ(h.elements.size(), 2u) << h.DebugString();  // one command: name, details
  EXPECT_EQ(h.elements[0].str, "set");
  const ReplyValue& d = h.elements[1];
  ASSERT_EQ(d.elements.size(), 4u);
  EXPECT_EQ(d.elements[0].str, "calls");
  EXPECT_EQ(d.elements[1].integer, 5);
  const ReplyValue& buckets = d.elements[3];
  ASSERT_GE(buckets.elements.size(), 2u);
  for (size_t i = 0; i + 1 < buckets.elements.size(); i += 2) {
    EXPECT_EQ(buckets.elements[i].integer, int64_t{1} << (i / 2));
  }
  EXPECT_EQ(buckets.elements.back().integer, 5);  // the last bucket holds every call
}

}  // namespace
}  // namespace strata::testing

// Streams with consumer groups survive kill -9 exactly as acknowledged: entries, the stream's
// IDs and counters, each group's last-delivered ID and entries-read, and every pending entry
// with its owner and delivery count. Queue profile (appendfsync always); a small stream (held
// whole in memory) and a big one (only its header hot). The server is killed the moment the
// last reply has been read.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

std::string Id(int i) { return std::to_string(i) + "-1"; }

// Everything a restart must reproduce, as text. XPENDING's idle column is left out (it is the
// only value that changes by itself); delivery counts and owners are kept.
std::string Snapshot(RespClient& c) {
  std::string out;
  ReplyValue pending = c.Command({"XPENDING", "s", "g", "-", "+", "100000"});
  for (ReplyValue& p : pending.elements) {
    if (p.elements.size() == 4) p.elements.erase(p.elements.begin() + 2);
  }
  out += "pending: " + pending.DebugString() + "\n";
  out += "summary: " + c.Command({"XPENDING", "s", "g"}).DebugString() + "\n";
  out += "groups: " + c.Command({"XINFO", "GROUPS", "s"}).DebugString() + "\n";
  ReplyValue info = c.Command({"XINFO", "STREAM", "s"});
  out += "stream: " + info.DebugString() + "\n";
  out += "entries: " + c.Command({"XRANGE", "s", "-", "+"}).DebugString() + "\n";
  ReplyValue consumers = c.Command({"XINFO", "CONSUMERS", "s", "g"});
  for (ReplyValue& m : consumers.elements) {
    if (m.elements.size() == 6) m.elements.resize(4);  // drop idle
  }
  out += "consumers: " + consumers.DebugString() + "\n";
  return out;
}

class StreamDurability : public ::testing::TestWithParam<int> {};

TEST_P(StreamDurability, GroupsAndPendingEntriesSurviveKill9) {
  const int n = GetParam();
  ServerProcess server(WithProfile("queue"));
  ASSERT_TRUE(server.Start());
  std::string before;
  {
    RespClient c(server.port());
    std::vector<std::vector<std::string>> cmds;
    for (int i = 1; i <= n; ++i) {
      cmds.push_back({"XADD", "s", Id(i), "job", "payload-" + std::to_string(i)});
    }
    cmds.push_back({"XGROUP", "CREATE", "s", "g", "0"});
    cmds.push_back({"XGROUP", "CREATE", "s", "tail", "$"});
    cmds.push_back({"XREADGROUP", "GROUP", "g", "alice", "COUNT", "10", "STREAMS", "s", ">"});
    cmds.push_back({"XREADGROUP", "GROUP", "g", "bob", "COUNT", "5", "STREAMS", "s", ">"});
    cmds.push_back({"XACK", "s", "g", Id(1), Id(2), Id(3)});
    cmds.push_back({"XCLAIM", "s", "g", "bob", "0", Id(4), Id(5), "RETRYCOUNT", "5"});
    cmds.push_back({"XCLAIM", "s", "g", "carol", "0", Id(6), "JUSTID"});
    cmds.push_back({"XDEL", "s", Id(7)});
    cmds.push_back({"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"});
    cmds.push_back({"XAUTOCLAIM", "s", "g", "dave", "0", Id(12), "COUNT", "2"});
    cmds.push_back(
        {"XREADGROUP", "GROUP", "g", "erin", "NOACK", "COUNT", "1", "STREAMS", "s", ">"});
    std::vector<ReplyValue> replies = c.Pipeline(cmds);
    ASSERT_EQ(replies.size(), cmds.size());
    for (size_t i = 0; i < replies.size(); ++i) {
      ASSERT_FALSE(IsError(replies[i])) << i << ": " << replies[i].str;
    }
    before = Snapshot(c);
  }
  // What was acknowledged: 1-3 acked; 4 and 5 claimed by bob with RETRYCOUNT; 6 by carol
  // (JUSTID: count unchanged); 7 deleted but still pending for alice (a history read keeps
  // it, without bumping its count); 8-10 read again by alice; 12-13 auto-claimed by dave.
  EXPECT_NE(before.find("\"4-1\", \"bob\", :5"), std::string::npos) << before;
  EXPECT_NE(before.find("\"7-1\", \"alice\", :1"), std::string::npos) << before;
  EXPECT_NE(before.find("\"8-1\", \"alice\", :2"), std::string::npos) << before;
  EXPECT_NE(before.find("\"12-1\", \"dave\", :2"), std::string::npos) << before;
  EXPECT_NE(before.find("\"6-1\", \"carol\", :1"), std::string::npos) << before;
  server.Kill9();
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_EQ(Snapshot(c), before);
  // The next undelivered entry is the one after erin's (16-1), exactly once.
  ReplyValue next =
      c.Command({"XREADGROUP", "GROUP", "g", "frank", "COUNT", "1", "STREAMS", "s", ">"});
  ASSERT_EQ(next.elements.size(), 1u) << next.DebugString();
  EXPECT_EQ(Str(next.elements[0].elements[1].elements[0].elements[0]), Id(17));
  // ... and that delivery is durable too.
  server.Kill9();
  ASSERT_TRUE(server.Start());
  RespClient d(server.port());
  ReplyValue owner = d.Command({"XPENDING", "s", "g", Id(17), Id(17), "1"});
  ASSERT_EQ(owner.elements.size(), 1u) << owner.DebugString();
  EXPECT_EQ(Str(owner.elements[0].elements[1]), "frank");
  EXPECT_EQ(owner.elements[0].elements[3].integer, 1);
}

INSTANTIATE_TEST_SUITE_P(Sizes, StreamDurability, ::testing::Values(40, 2500),
                         [](const auto& info) { return info.param > 1000 ? "Big" : "Small"; });

}  // namespace
}  // namespace strata::testing

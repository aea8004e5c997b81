// MONITOR against the real server, line by line as redis-server 7.0.15 streamed the same
// sequence (timestamps and client ports masked): after each command ran, arguments quoted and
// escaped, credentials redacted, administrative and refused commands left out, EXEC after the
// commands it ran; a monitoring client may not touch the keyspace, RESET ends monitoring, and
// a client that disconnects leaves nothing behind.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

// "+1795710385.572422 [2 127.0.0.1:47162] ..." -> "[2 A] ..."; also checks the time's shape.
std::string Masked(const ReplyValue& v) {
  static const std::regex kHead(R"(^(\d+)\.(\d{6}) \[(\d+) 127\.0\.0\.1:\d+\](.*)$)");
  std::smatch m;
  if (v.type != ReplyValue::Type::kSimple || !std::regex_match(v.str, m, kHead)) {
    return "unexpected: " + v.DebugString();
  }
  const int64_t seconds = std::stoll(m[1]);
  if (seconds < UnixMillis() / 1000 - 60 || seconds > UnixMillis() / 1000) return "bad time";
  return "[" + m[3].str() + " A]" + m[4].str();
}

TEST(Monitor, StreamsCommandsAsRedisDoes) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient mon(server.port());
  ASSERT_EQ(Str(mon.Command({"SELECT", "3"})), "OK");
  ASSERT_EQ(Str(mon.Command({"MONITOR"})), "OK");
  RespClient c(server.port());
  std::vector<std::vector<std::string>> cmds = {
      {"SET", "k", std::string("a b\n\x01\"q\\\xff", 9)},
      {"SELECT", "2"},
      {"GET", "k"},
      {"AUTH", "pw"},
      {"CONFIG", "GET", "port"},  // administrative: not shown
      {"MULTI"},
      {"INCR", "n"},
      {"EXEC"},
      {"NOSUCH"},  // refused: not shown
      {"GET"},
      {"SLOWLOG", "LEN"},
      {"CLIENT", "SETNAME", "x"},
      {"HELLO", "2", "AUTH", "u", "p"},
      {"MULTI"},
      {"MONITOR"},
      {"EXEC"},
  };
  std::vector<ReplyValue> replies = c.Pipeline(cmds);
  ASSERT_EQ(replies.size(), cmds.size());
  ASSERT_EQ(replies.back().elements.size(), 1u);
  EXPECT_EQ(replies.back().elements[0].str, "ERR MONITOR isn't allowed for DENY BLOCKING client");
  const std::vector<std::string> want = {
      R"x([0 A] "SET" "k" "a b\n\x01\"q\\\xff")x",
      R"x([2 A] "SELECT" "2")x",
      R"x([2 A] "GET" "k")x",
      R"x([2 A] "AUTH" "(redacted)")x",
      R"x([2 A] "MULTI")x",
      R"x([2 A] "INCR" "n")x",
      R"x([2 A] "EXEC")x",
      R"x([2 A] "CLIENT" "SETNAME" "x")x",
      R"x([2 A] "HELLO" "2" "AUTH" "(redacted)" "(redacted)")x",
      R"x([2 A] "MULTI")x",
      R"x([2 A] "EXEC")x",
  };
  for (const std::string& line : want) {
    auto r = mon.ReadReply();
    ASSERT_TRUE(r.has_value()) << mon.last_error();
    EXPECT_EQ(Masked(*r), line);
  }
  // The monitoring client: its own commands are shown after their replies; the keyspace is
  // closed to it; it is flagged O.
  ASSERT_TRUE(mon.SendRaw(RespClient::Encode({"PING"}) + RespClient::Encode({"GET", "zz"})));
  auto pong = mon.ReadReply();
  ASSERT_TRUE(pong.has_value());
  EXPECT_EQ(Str(*pong), "PONG");
  auto own = mon.ReadReply();
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(Masked(*own), R"x([3 A] "PING")x");
  auto refused = mon.ReadReply();
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->str, "ERR Replica can't interact with the keyspace");
  EXPECT_THAT(Str(c.Command({"CLIENT", "LIST"})), ::testing::HasSubstr(" flags=O db=3 "));
  // RESET ends it: nothing more arrives (a PING after it answers at once, with no line before).
  EXPECT_EQ(Str(mon.Command({"RESET"})), "RESET");
  c.Command({"ECHO", "x"});
  EXPECT_EQ(Str(mon.Command({"PING"})), "PONG");
  EXPECT_TRUE(mon.Pending().empty());
}

TEST(Monitor, SeveralMonitorsAndADisconnect) {
  ServerProcess server(WithProfile("cache"));
  ASSERT_TRUE(server.Start());
  auto a = std::make_unique<RespClient>(server.port());
  RespClient b(server.port());
  ASSERT_EQ(Str(a->Command({"MONITOR"})), "OK");
  ASSERT_EQ(Str(b.Command({"MONITOR"})), "OK");
  a.reset();  // gone without a word
  RespClient c(server.port());
  EXPECT_EQ(Str(c.Command({"SET", "k", "v"})), "OK");
  auto line = b.ReadReply();
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(Masked(*line), R"x([0 A] "SET" "k" "v")x");
  ReplyValue list = c.Command({"CLIENT", "LIST"});
  EXPECT_EQ(std::count(list.str.begin(), list.str.end(), '\n'), 2) << list.str;  // b and c
}

// CLIENT LIST's flags are Redis's letters in Redis's order (O P x b e), N when none; NO-EVICT
// is kept and shown.
TEST(ClientFlags, ConcatenateInRedisOrder) {
  ServerProcess server(WithProfile("cache"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  auto flags = [&] {
    std::string info = Str(c.Command({"CLIENT", "INFO"}));
    size_t at = info.find(" flags=");
    return at == std::string::npos ? info : info.substr(at + 7, info.find(' ', at + 1) - at - 7);
  };
  EXPECT_EQ(flags(), "N");
  ASSERT_EQ(Str(c.Command({"CLIENT", "NO-EVICT", "on"})), "OK");
  EXPECT_EQ(flags(), "e");
  ASSERT_EQ(Str(c.Command({"MULTI"})), "OK");
  ASSERT_EQ(Str(c.Command({"CLIENT", "INFO"})), "QUEUED");
  ReplyValue exec = c.Command({"EXEC"});
  ASSERT_EQ(exec.elements.size(), 1u);
  // Inside EXEC the client is still in MULTI for CLIENT LIST, as in Redis: x, the number of
  // queued commands, and EXEC as its command.
  EXPECT_THAT(exec.elements[0].str, ::testing::HasSubstr(" flags=xe "));
  EXPECT_THAT(exec.elements[0].str, ::testing::HasSubstr(" multi=1 "));
  EXPECT_THAT(exec.elements[0].str, ::testing::HasSubstr(" cmd=exec "));
  ASSERT_EQ(Str(c.Command({"CLIENT", "NO-EVICT", "off"})), "OK");
  EXPECT_EQ(flags(), "N");
}

}  // namespace
}  // namespace strata::testing

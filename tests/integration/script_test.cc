// Scripts against the real server: one script is one step for other clients (WATCH, blocked
// clients) and one unit across kill -9, including keys the script builds itself. (Replies are
// compared with redis-server in tests/resp/scripting.txt.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

// Sets ten keys it names itself (none declared) to ARGV[1], and counts its runs.
constexpr char kTenKeys[] =
    "for i = 0, 9 do redis.call('SET', 'sc:' .. i, ARGV[1]) end "
    "return redis.call('INCR', 'sc:runs')";

class ScriptDurability : public ::testing::TestWithParam<std::string> {};

// After kill -9 every key holds the same round: the last acknowledged one, or the one after it
// if that script reached the log unacknowledged.
TEST_P(ScriptDurability, Kill9LeavesEveryScriptAllOrNothing) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  for (int attempt = 0; attempt < 3; ++attempt) {
    int acknowledged = -1;
    {
      RespClient c(server.port());
      for (int round = 0; round < 50; ++round) {
        const std::string value = std::to_string(attempt * 1000 + round);
        std::vector<std::vector<std::string>> pipeline(
            4, std::vector<std::string>{"EVAL", kTenKeys, "0", value});
        for (const ReplyValue& r : c.Pipeline(pipeline)) {
          ASSERT_EQ(r.type, ReplyValue::Type::kInteger) << Str(r);
        }
        acknowledged = attempt * 1000 + round;
      }
      ASSERT_TRUE(c.SendRaw(RespClient::Encode(
          {"EVAL", kTenKeys, "0", std::to_string(attempt * 1000 + 50)})));
      server.Kill9();
    }
    ASSERT_TRUE(server.Start());
    RespClient c(server.port());
    const std::string first = Str(c.Command({"GET", "sc:0"}));
    for (int k = 1; k < 10; ++k) {
      EXPECT_EQ(Str(c.Command({"GET", "sc:" + std::to_string(k)})), first)
          << "key " << k << " of a half-applied script (attempt " << attempt << ")";
    }
    const int round = std::stoi(first);
    EXPECT_TRUE(round == acknowledged || round == acknowledged + 1)
        << "round " << round << ", last acknowledged " << acknowledged;
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, ScriptDurability, ::testing::Values("session", "queue"));

class ScriptTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ScriptTest, AScriptsWriteAbortsAWatchersExec) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  RespClient a(server.port()), b(server.port());
  EXPECT_EQ(Str(a.Command({"WATCH", "sc:0"})), "OK");
  EXPECT_EQ(Str(b.Command({"EVAL", kTenKeys, "0", "x"})), ":1");
  EXPECT_EQ(Str(a.Command({"MULTI"})), "OK");
  EXPECT_EQ(Str(a.Command({"GET", "sc:0"})), "QUEUED");
  EXPECT_TRUE(a.Command({"EXEC"}).is_null_aggregate);
}

TEST_P(ScriptTest, ABlockedClientIsServedAfterTheScriptEnds) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  RespClient waiter(server.port()), c(server.port());
  ASSERT_TRUE(waiter.SendRaw(RespClient::Encode({"BLPOP", "jobs", "0"})));
  // The waiter is blocked once CLIENT LIST shows it in BLPOP.
  bool blocked = false;
  for (int i = 0; i < 20000 && !blocked; ++i) {
    blocked = Str(c.Command({"CLIENT", "LIST"})).find("cmd=blpop") != std::string::npos;
  }
  ASSERT_TRUE(blocked);
  // The script pushes two and pops one: the waiter must see the state after the script,
  // where only "second" is left.
  EXPECT_EQ(Str(c.Command({"EVAL",
                           "redis.call('RPUSH', KEYS[1], 'first', 'second') "
                           "return redis.call('LPOP', KEYS[1])",
                           "1", "jobs"})),
            "first");
  std::optional<ReplyValue> served = waiter.ReadReply();
  ASSERT_TRUE(served.has_value()) << waiter.last_error();
  ASSERT_EQ(served->elements.size(), 2u);
  EXPECT_EQ(Str(served->elements[1]), "second");
  EXPECT_EQ(Str(c.Command({"LLEN", "jobs"})), ":0");
}

TEST_P(ScriptTest, EvalShaInsideMultiRunsAtExec) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  const std::string sha = Str(c.Command({"SCRIPT", "LOAD", "return redis.call('INCR', KEYS[1])"}));
  EXPECT_EQ(Str(c.Command({"MULTI"})), "OK");
  EXPECT_EQ(Str(c.Command({"EVALSHA", sha, "1", "n"})), "QUEUED");
  EXPECT_EQ(Str(c.Command({"EVALSHA", sha, "1", "n"})), "QUEUED");
  ReplyValue exec = c.Command({"EXEC"});
  ASSERT_EQ(exec.elements.size(), 2u);
  EXPECT_EQ(Str(exec.elements[1]), ":2");
}

TEST_P(ScriptTest, InfoCountsCachedScriptsAndTheirMemory) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_EQ(InfoField(c, "memory", "number_of_cached_scripts"), "0");
  EXPECT_EQ(InfoField(c, "memory", "used_memory_scripts_eval"), "0");
  const std::string before = InfoField(c, "memory", "used_memory_lua");
  c.Command({"SCRIPT", "LOAD", "return 1"});
  c.Command({"EVAL", "return 2", "0"});
  c.Command({"EVAL", "return 2", "0"});  // the same script: still two
  EXPECT_EQ(InfoField(c, "memory", "number_of_cached_scripts"), "2");
  // Bodies and names: 8 + 40 bytes each.
  EXPECT_EQ(InfoField(c, "memory", "used_memory_scripts_eval"), "96");
  EXPECT_GT(std::stoull(InfoField(c, "memory", "used_memory_lua")), std::stoull(before));
  EXPECT_EQ(Str(c.Command({"SCRIPT", "FLUSH"})), "OK");
  EXPECT_EQ(InfoField(c, "memory", "number_of_cached_scripts"), "0");
}

// Over maxmemory (cache profile, noeviction), as redis-server 7.0.15 answers: a script without
// a shebang is refused command by command, one with a shebang as a whole unless its flags say
// it does not write or may run anyway.
TEST(ScriptMemory, OverMaxmemoryFlagsDecide) {
  ServerProcess server(WithProfile("cache", {"--maxmemory", "1", "--maxmemory-policy", "noeviction"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  const std::string oom = "OOM command not allowed when used memory > 'maxmemory'.";
  EXPECT_EQ(Str(c.Command({"EVAL", "#!lua\nreturn 1", "0"})), oom);
  EXPECT_EQ(Str(c.Command({"EVAL", "#!lua flags=no-writes\nreturn 1", "0"})), ":1");
  EXPECT_EQ(Str(c.Command({"EVAL", "#!lua flags=allow-oom\nreturn redis.call('SET', 'a', 'b')",
                           "0"})),
            "OK");
  EXPECT_EQ(Str(c.Command({"EVAL", "return redis.call('GET', 'a')", "0"})), "b");
  const ReplyValue refused = c.Command({"EVAL", "return redis.call('SET', 'c', 'd')", "0"});
  EXPECT_TRUE(IsError(refused));
  EXPECT_EQ(Str(refused).substr(0, oom.size()), oom);
}

INSTANTIATE_TEST_SUITE_P(Profiles, ScriptTest, ::testing::Values("cache", "session", "queue"));

}  // namespace
}  // namespace strata::testing

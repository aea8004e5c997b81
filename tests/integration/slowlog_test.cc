// SLOWLOG against the real server: what an entry holds (as redis-server 7.0.15 recorded the
// same sequence: ids, arguments as sent, credentials redacted, long arguments and argument
// lists cut, the client's address and name), which commands are recorded (EXEC's commands but
// not EXEC; nothing refused before it ran), and the two directives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

struct Entry {
  int64_t id;
  int64_t unix_seconds;
  int64_t micros;
  std::vector<std::string> args;
  std::string addr;
  std::string name;
};

std::vector<Entry> SlowlogGet(RespClient& c, const std::string& count = "-1") {
  std::vector<Entry> out;
  ReplyValue r = c.Command({"SLOWLOG", "GET", count});
  for (const ReplyValue& e : r.elements) {
    EXPECT_EQ(e.elements.size(), 6u) << e.DebugString();
    if (e.elements.size() != 6) continue;
    Entry x{e.elements[0].integer, e.elements[1].integer, e.elements[2].integer, {},
            e.elements[4].str,     e.elements[5].str};
    for (const ReplyValue& a : e.elements[3].elements) x.args.push_back(a.str);
    out.push_back(std::move(x));
  }
  return out;
}

TEST(Slowlog, RecordsWhatRedisRecords) {
  ServerProcess server(WithProfile("session", {"--slowlog-log-slower-than", "0"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  ASSERT_EQ(Str(c.Command({"SLOWLOG", "RESET"})), "OK");
  std::vector<std::string> rpush = {"RPUSH", "l"};
  for (int i = 0; i < 40; ++i) rpush.push_back(std::to_string(i));
  const int64_t before = UnixMillis() / 1000;
  std::vector<std::vector<std::string>> cmds = {
      {"CLIENT", "SETNAME", "worker-1"},
      {"SET", "k", "v"},
      {"MULTI"},
      {"INCR", "n"},
      {"EXEC"},
      {"AUTH", "secret"},
      {"HELLO", "2", "AUTH", "u", "p"},
      {"SET", "big", std::string(200, 'x')},
      rpush,
      {"get", "nokey"},
      {"NOSUCHCOMMAND"},
      {"GET"},
  };
  c.Pipeline(cmds);
  std::vector<Entry> log = SlowlogGet(c);
  // Newest first: the entries after SLOWLOG RESET (itself the first), EXEC and the two refused
  // commands left out.
  std::vector<std::vector<std::string>> want = {
      {"get", "nokey"},
      {"RPUSH", "l"},  // checked below
      {"SET", "big", std::string(128, 'x') + "... (72 more bytes)"},
      {"HELLO", "2", "AUTH", "(redacted)", "(redacted)"},
      {"AUTH", "(redacted)"},
      {"INCR", "n"},
      {"MULTI"},
      {"SET", "k", "v"},
      {"CLIENT", "SETNAME", "worker-1"},
      {"SLOWLOG", "RESET"},
  };
  ASSERT_EQ(log.size(), want.size());
  for (size_t i = 0; i < log.size(); ++i) {
    SCOPED_TRACE(i);
    if (i != 1) {
      EXPECT_EQ(log[i].args, want[i]);
    }
    // Ids count up by one, across SLOWLOG RESET (the harness's PINGs came before it).
    EXPECT_EQ(log[i].id, log.back().id + static_cast<int64_t>(log.size() - 1 - i));
    EXPECT_GE(log[i].unix_seconds, before);
    EXPECT_LE(log[i].unix_seconds, UnixMillis() / 1000);
    EXPECT_GE(log[i].micros, 0);
    EXPECT_THAT(log[i].addr, ::testing::StartsWith("127.0.0.1:"));
    // The name is the one the client has when the command ends (CLIENT SETNAME's own entry
    // has it), as in Redis.
    EXPECT_EQ(log[i].name, i + 1 < log.size() ? "worker-1" : "");
  }
  // 42 arguments: 31 kept and one that says how many more.
  ASSERT_EQ(log[1].args.size(), 32u);
  EXPECT_EQ(log[1].args[30], "28");
  EXPECT_EQ(log[1].args[31], "... (11 more arguments)");
  EXPECT_EQ(c.Command({"SLOWLOG", "LEN"}).integer, static_cast<int64_t>(want.size() + 1));
  // GET's count: the newest ones (a command is recorded once it has run, so not this GET).
  std::vector<Entry> two = SlowlogGet(c, "2");
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].args, (std::vector<std::string>{"SLOWLOG", "LEN"}));
  EXPECT_EQ(two[1].args, (std::vector<std::string>{"SLOWLOG", "GET", "-1"}));
}

TEST(Slowlog, DirectivesBoundAndSwitchItOff) {
  ServerProcess server(
      WithProfile("queue", {"--slowlog-log-slower-than", "0", "--slowlog-max-len", "3"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  for (int i = 0; i < 10; ++i) c.Command({"SET", "k" + std::to_string(i), "v"});
  std::vector<Entry> log = SlowlogGet(c);
  ASSERT_EQ(log.size(), 3u);  // the newest three
  EXPECT_EQ(log[0].args, (std::vector<std::string>{"SET", "k9", "v"}));
  EXPECT_EQ(log[1].args, (std::vector<std::string>{"SET", "k8", "v"}));
  EXPECT_EQ(log[0].id, log[1].id + 1);
  // Off: nothing more is recorded (the CONFIG SET that turns it off neither: the threshold is
  // read after the command ran, as in Redis), and what is there stays.
  ASSERT_EQ(Str(c.Command({"CONFIG", "SET", "slowlog-log-slower-than", "-1"})), "OK");
  for (int i = 0; i < 5; ++i) c.Command({"PING"});
  log = SlowlogGet(c);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].args, (std::vector<std::string>{"SLOWLOG", "GET", "-1"}));
  EXPECT_EQ(log[1].args, (std::vector<std::string>{"SET", "k9", "v"}));
  ASSERT_EQ(Str(c.Command({"SLOWLOG", "RESET"})), "OK");
  EXPECT_EQ(c.Command({"SLOWLOG", "LEN"}).integer, 0);
  // A threshold no command reaches records nothing either.
  ASSERT_EQ(Str(c.Command({"CONFIG", "SET", "slowlog-log-slower-than", "9223372036854775807"})),
            "OK");
  c.Command({"SET", "a", "b"});
  EXPECT_EQ(c.Command({"SLOWLOG", "LEN"}).integer, 0);
}

}  // namespace
}  // namespace strata::testing

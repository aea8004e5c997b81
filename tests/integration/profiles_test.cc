// The three profiles as a user meets them: each starts from its shipped conf file; a clean
// restart keeps the data of the durable profiles (session, queue) and loses the cache's;
// SHUTDOWN stops the server cleanly; INFO reports each profile's eviction policy.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

using ::testing::HasSubstr;

class ProfileTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ProfileTest, StartsFromItsConfFileAndAnswers) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  ASSERT_TRUE(c.connected()) << c.last_error();
  EXPECT_EQ(Str(c.Command({"PING"})), "PONG");
  EXPECT_EQ(Str(c.Command({"SET", "greeting", "hello"})), "OK");
  EXPECT_EQ(Str(c.Command({"GET", "greeting"})), "hello");
}

TEST_P(ProfileTest, ShutdownCommandExitsCleanly) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    ASSERT_EQ(Str(c.Command({"SET", "k", "v"})), "OK");
    // SHUTDOWN sends no reply on success: the connection just closes.
    ASSERT_TRUE(c.SendRaw(RespClient::Encode({"SHUTDOWN"})));
    EXPECT_TRUE(c.WaitForClose(milliseconds(10000))) << c.last_error();
  }
  std::optional<int> code = server.WaitForExit(milliseconds(30000));
  ASSERT_TRUE(code.has_value()) << "server still running 30 s after SHUTDOWN";
  EXPECT_EQ(*code, 0) << server.LogText();
}

TEST_P(ProfileTest, SigtermExitsWithCodeZero) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  EXPECT_EQ(server.Stop(), 0) << server.LogText();
}

INSTANTIATE_TEST_SUITE_P(AllProfiles, ProfileTest, ::testing::Values("cache", "session", "queue"),
                         [](const auto& info) { return std::string(info.param); });

// ---- Restart semantics ------------------------------------------------------------------------

// Writes a few keys of different shapes, so that a restart that keeps only some of them shows.
void WriteSample(RespClient& c) {
  ASSERT_EQ(Str(c.Command({"SET", "plain", "forever"})), "OK");
  ASSERT_EQ(Str(c.Command({"SET", "binary", std::string("a\0b\r\nc", 6)})), "OK");
  ASSERT_EQ(c.Command({"INCRBY", "counter", "41"}).integer, 41);
  ASSERT_EQ(Str(c.Command({"SET", "session", "data", "EX", "3600"})), "OK");
  ASSERT_EQ(Str(c.Command({"SELECT", "3"})), "OK");
  ASSERT_EQ(Str(c.Command({"SET", "in-db3", "x"})), "OK");
  ASSERT_EQ(Str(c.Command({"SELECT", "0"})), "OK");
}

class DurableProfileTest : public ::testing::TestWithParam<const char*> {};

TEST_P(DurableProfileTest, CleanRestartKeepsEveryKey) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    WriteSample(c);
  }
  ASSERT_TRUE(server.Restart());
  RespClient c(server.port());
  EXPECT_EQ(Str(c.Command({"GET", "plain"})), "forever");
  EXPECT_EQ(Str(c.Command({"GET", "binary"})), std::string("a\0b\r\nc", 6));
  EXPECT_EQ(c.Command({"INCR", "counter"}).integer, 42);
  EXPECT_EQ(Str(c.Command({"GET", "session"})), "data");
  int64_t ttl = c.Command({"TTL", "session"}).integer;
  EXPECT_GT(ttl, 3500);
  EXPECT_LE(ttl, 3600);
  EXPECT_EQ(c.Command({"TTL", "plain"}).integer, -1);
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, 4);
  EXPECT_EQ(Str(c.Command({"SELECT", "3"})), "OK");
  EXPECT_EQ(Str(c.Command({"GET", "in-db3"})), "x");
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, 1);
}

TEST_P(DurableProfileTest, DeletesSurviveARestart) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    ASSERT_EQ(Str(c.Command({"SET", "gone", "1"})), "OK");
    ASSERT_EQ(Str(c.Command({"SET", "kept", "2"})), "OK");
    ASSERT_EQ(c.Command({"DEL", "gone"}).integer, 1);
    ASSERT_EQ(Str(c.Command({"SET", "overwritten", "old"})), "OK");
    ASSERT_EQ(Str(c.Command({"SET", "overwritten", "new"})), "OK");
    ASSERT_EQ(Str(c.Command({"SET", "persisted", "v", "EX", "100"})), "OK");
    ASSERT_EQ(c.Command({"PERSIST", "persisted"}).integer, 1);
  }
  ASSERT_TRUE(server.Restart());
  RespClient c(server.port());
  EXPECT_TRUE(IsNil(c.Command({"GET", "gone"})));
  EXPECT_EQ(Str(c.Command({"GET", "kept"})), "2");
  EXPECT_EQ(Str(c.Command({"GET", "overwritten"})), "new");
  EXPECT_EQ(c.Command({"TTL", "persisted"}).integer, -1);
}

TEST_P(DurableProfileTest, FlushallSurvivesARestart) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    WriteSample(c);
    ASSERT_EQ(Str(c.Command({"FLUSHALL"})), "OK");
    ASSERT_EQ(Str(c.Command({"SET", "after-flush", "1"})), "OK");
  }
  ASSERT_TRUE(server.Restart());
  RespClient c(server.port());
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, 1);
  EXPECT_EQ(Str(c.Command({"GET", "after-flush"})), "1");
}

TEST_P(DurableProfileTest, InfoReportsNoEviction) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_EQ(InfoField(c, "memory", "maxmemory_policy"), "noeviction");
  ReplyValue cfg = c.Command({"CONFIG", "GET", "maxmemory-policy"});
  ASSERT_EQ(cfg.elements.size(), 2u) << cfg.DebugString();
  EXPECT_EQ(Str(cfg.elements[1]), "noeviction");
  // INFO persistence answers with its section; a server that serves at once is not loading.
  EXPECT_THAT(Str(c.Command({"INFO", "persistence"})), HasSubstr("# Persistence"));
  EXPECT_EQ(InfoField(c, "persistence", "loading"), "0");
}

INSTANTIATE_TEST_SUITE_P(Durable, DurableProfileTest, ::testing::Values("session", "queue"),
                         [](const auto& info) { return std::string(info.param); });

TEST(QueueProfile, DefaultsToAppendfsyncAlways) {
  ServerProcess server(WithProfile("queue"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  ReplyValue cfg = c.Command({"CONFIG", "GET", "appendfsync"});
  ASSERT_EQ(cfg.elements.size(), 2u) << cfg.DebugString();
  EXPECT_EQ(Str(cfg.elements[1]), "always");
}

TEST(SessionProfile, DefaultsToAppendfsyncEverysec) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  ReplyValue cfg = c.Command({"CONFIG", "GET", "appendfsync"});
  ASSERT_EQ(cfg.elements.size(), 2u) << cfg.DebugString();
  EXPECT_EQ(Str(cfg.elements[1]), "everysec");
}

TEST(CacheProfile, RestartLosesEverything) {
  ServerProcess server(WithProfile("cache"));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    WriteSample(c);
    ASSERT_EQ(c.Command({"DBSIZE"}).integer, 4);
  }
  ASSERT_TRUE(server.Restart());
  RespClient c(server.port());
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, 0);
  EXPECT_TRUE(IsNil(c.Command({"GET", "plain"})));
  EXPECT_EQ(Str(c.Command({"SELECT", "3"})), "OK");
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, 0);
}

TEST(CacheProfile, InfoReportsAllkeysLru) {
  ServerProcess server(WithProfile("cache"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_EQ(InfoField(c, "memory", "maxmemory_policy"), "allkeys-lru");
  ReplyValue cfg = c.Command({"CONFIG", "GET", "maxmemory-policy"});
  ASSERT_EQ(cfg.elements.size(), 2u) << cfg.DebugString();
  EXPECT_EQ(Str(cfg.elements[1]), "allkeys-lru");
  EXPECT_EQ(InfoField(c, "persistence", "loading"), "0");
}

TEST(CacheProfile, ExplicitPolicyOnTheCommandLineWins) {
  ServerProcess server(WithProfile("cache", {"--maxmemory-policy", "allkeys-lfu"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_EQ(InfoField(c, "memory", "maxmemory_policy"), "allkeys-lfu");
}

TEST(Profiles, InfoServerNamesARedis7Version) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  std::string version = InfoField(c, "server", "redis_version");
  EXPECT_THAT(version, ::testing::StartsWith("7.0.")) << "clients gate features on redis_version";
  EXPECT_EQ(InfoField(c, "server", "tcp_port"), std::to_string(server.port()));
}

TEST(Profiles, BadConfigDirectiveFailsToStartWithAMessage) {
  ServerOptions options = WithProfile("session", {"--port", "notanumber"});
  options.start_timeout = milliseconds(5000);
  ServerProcess server(options);
  EXPECT_FALSE(server.Start());
  EXPECT_FALSE(server.running());
  EXPECT_THAT(server.LogText(), HasSubstr("FATAL CONFIG FILE ERROR"));
}

}  // namespace
}  // namespace strata::testing

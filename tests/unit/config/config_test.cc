// Tests for the configuration module: what a user writes in redis.conf or on the command line,
// what CONFIG GET answers and what CONFIG SET accepts, with the messages a user would see.
#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "testing/temp_dir.h"

namespace strata::config {
namespace {

using ::strata::testing::TempDir;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

// Loads `text` as file `origin` and returns the Config; fails the test on a load error.
Config Load(std::string_view text, std::string_view origin = "test.conf") {
  Config c;
  Status s = c.LoadFromString(text, origin);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return c;
}

Config LoadFinal(std::string_view text) {
  Config c = Load(text);
  Status s = c.Finalize();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return c;
}

std::string LoadError(std::string_view text, std::string_view origin = "conf/x.conf") {
  Config c;
  Status s = c.LoadFromString(text, origin);
  EXPECT_FALSE(s.ok()) << "expected an error for: " << text;
  return s.message();
}

std::string GetOne(const Config& c, std::string_view name) {
  auto pairs = c.Get({name});
  EXPECT_EQ(pairs.size(), 1u) << name;
  return pairs.empty() ? "" : pairs[0].second;
}

std::string SetError(Config& c,
                     const std::vector<std::pair<std::string_view, std::string_view>>& pairs) {
  Status s = c.Set(pairs);
  EXPECT_FALSE(s.ok());
  return s.message();
}

// A temporary file holding `text`, in a directory of its own that goes when the test ends.
class TempFile {
 public:
  explicit TempFile(std::string_view text) : path_(dir_.path() + "/strata.conf") {
    std::ofstream(path_) << text;
  }
  const std::string& path() const { return path_; }

 private:
  TempDir dir_{"config"};  // initialized before path_, which is built from it
  std::string path_;
};

// ---- Parsing each directive ---------------------------------------------------------------

TEST(ConfigParseTest, DefaultsWithoutAnyFile) {
  Config c;
  ASSERT_TRUE(c.Finalize().ok());
  const ServerConfig& v = c.values();
  EXPECT_EQ(v.profile, Profile::kSession);
  EXPECT_EQ(v.port, 6379);
  EXPECT_THAT(v.bind, ElementsAre("127.0.0.1"));
  EXPECT_EQ(v.dir, ".");
  EXPECT_EQ(v.maxmemory, 0u);
  EXPECT_EQ(v.maxmemory_policy, EvictionPolicy::kNoEviction);
  EXPECT_EQ(v.appendfsync, FsyncPolicy::kEverySec);
  EXPECT_EQ(v.databases, 16);
  EXPECT_EQ(v.hz, 10);
  EXPECT_THAT(c.warnings(), IsEmpty());
}

TEST(ConfigParseTest, EveryDirective) {
  Config c = Load(R"(
profile queue
port 7000
bind 127.0.0.1 ::1 -::2
dir /tmp/strata
maxmemory 100mb
maxmemory-policy volatile-ttl
appendfsync no
databases 4
loglevel warning
logfile "/tmp/strata.log"
maxclients 50
timeout 30
tcp-keepalive 60
proto-max-bulk-len 2mb
client-query-buffer-limit 4mb
hz 100
save 900 1
save 60 1000
appendonly yes
daemonize no
supervised no
protected-mode yes
)");
  const ServerConfig& v = c.values();
  EXPECT_EQ(v.profile, Profile::kQueue);
  EXPECT_EQ(v.port, 7000);
  EXPECT_THAT(v.bind, ElementsAre("127.0.0.1", "::1", "-::2"));
  EXPECT_EQ(v.dir, "/tmp/strata");
  EXPECT_EQ(v.maxmemory, 100u * 1024 * 1024);
  EXPECT_EQ(v.maxmemory_policy, EvictionPolicy::kVolatileTtl);
  EXPECT_EQ(v.appendfsync, FsyncPolicy::kNo);
  EXPECT_EQ(v.databases, 4);
  EXPECT_EQ(v.loglevel, "warning");
  EXPECT_EQ(v.logfile, "/tmp/strata.log");
  EXPECT_EQ(v.maxclients, 50);
  EXPECT_EQ(v.timeout, 30);
  EXPECT_EQ(v.tcp_keepalive, 60);
  EXPECT_EQ(v.proto_max_bulk_len, 2 * 1024 * 1024);
  EXPECT_EQ(v.client_query_buffer_limit, 4 * 1024 * 1024);
  EXPECT_EQ(v.hz, 100);
  EXPECT_EQ(v.save, "900 1 60 1000");  // file lines accumulate, as in redis.conf
  EXPECT_TRUE(v.appendonly);
  EXPECT_TRUE(v.protected_mode);
  EXPECT_TRUE(c.IsExplicit("maxmemory-policy"));
  EXPECT_FALSE(c.IsExplicit("nonexistent"));
}

TEST(ConfigParseTest, NamesAndEnumValuesAreCaseInsensitive) {
  Config c = Load("PORT 7001\nMaxMemory-Policy ALLKEYS-LFU\nAppendFsync Always\nLogLevel DEBUG\n");
  EXPECT_EQ(c.values().port, 7001);
  EXPECT_EQ(c.values().maxmemory_policy, EvictionPolicy::kAllKeysLfu);
  EXPECT_EQ(c.values().appendfsync, FsyncPolicy::kAlways);
  EXPECT_EQ(c.values().loglevel, "debug");
}

TEST(ConfigParseTest, EveryEvictionPolicyName) {
  for (const char* name : {"noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
                           "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"}) {
    Config c = Load(std::string("profile cache\nmaxmemory-policy ") + name);
    EXPECT_EQ(EvictionPolicyName(c.values().maxmemory_policy), name);
  }
}

TEST(ConfigParseTest, MemoryUnits) {
  const std::vector<std::pair<std::string, uint64_t>> cases = {
      {"0", 0},
      {"12345", 12345},
      {"1k", 1000},
      {"1kb", 1024},
      {"1K", 1000},
      {"1KB", 1024},
      {"100mb", 100ull * 1024 * 1024},
      {"3m", 3000000},
      {"2gb", 2ull * 1024 * 1024 * 1024},
      {"2g", 2000000000},
      {"0100", 100},  // leading zeros are decimal, as Redis reads them
  };
  for (const auto& [text, bytes] : cases) {
    Config c = Load("maxmemory " + text);
    EXPECT_EQ(c.values().maxmemory, bytes) << text;
  }
}

TEST(ConfigParseTest, CommentsBlankLinesAndCrlf) {
  Config c =
      Load("# a comment\n\n   # indented comment\r\n\t\nport 7002\r\n   hz 20   \n# port 1\n");
  EXPECT_EQ(c.values().port, 7002);
  EXPECT_EQ(c.values().hz, 20);
}

TEST(ConfigParseTest, QuotedArguments) {
  Config c = Load("dir \"/tmp/with space\"\nlogfile ''\nsave \"\"\n");
  EXPECT_EQ(c.values().dir, "/tmp/with space");
  EXPECT_EQ(c.values().logfile, "");
  EXPECT_EQ(c.values().save, "");
}

TEST(ConfigParseTest, SaveEmptyStringClearsEarlierLines) {
  Config c = Load("save 900 1\nsave \"\"\nsave 60 5\n");
  EXPECT_EQ(c.values().save, "60 5");
}

TEST(ConfigParseTest, HzIsClampedLikeRedis) {
  EXPECT_EQ(Load("hz 0").values().hz, 1);
  EXPECT_EQ(Load("hz 1000").values().hz, 500);
}

TEST(ConfigParseTest, LaterLinesOverrideEarlierOnes) {
  EXPECT_EQ(Load("port 1\nport 2\n").values().port, 2);
}

// ---- Errors a user sees at startup --------------------------------------------------------

TEST(ConfigErrorTest, BadIntegerNamesFileLineAndDirective) {
  std::string msg = LoadError("# header\nbind 127.0.0.1\nport abc\n", "conf/x.conf");
  EXPECT_THAT(msg, AllOf(HasSubstr("FATAL CONFIG FILE ERROR"), HasSubstr("'conf/x.conf'"),
                         HasSubstr("at line 3"), HasSubstr(">>> 'port abc'"),
                         HasSubstr("argument couldn't be parsed into an integer")));
}

TEST(ConfigErrorTest, MessageLayoutMatchesRedis) {
  EXPECT_EQ(LoadError("port abc", "conf/x.conf"),
            "*** FATAL CONFIG FILE ERROR (Strata) ***\n"
            "Reading the configuration file 'conf/x.conf', at line 1\n"
            ">>> 'port abc'\n"
            "argument couldn't be parsed into an integer");
}

TEST(ConfigErrorTest, UnknownDirective) {
  std::string msg = LoadError("port 1\n\nfoo bar\n");
  EXPECT_THAT(msg,
              AllOf(HasSubstr("conf/x.conf"), HasSubstr("at line 3"), HasSubstr(">>> 'foo bar'"),
                    HasSubstr("Bad directive or wrong number of arguments")));
}

TEST(ConfigErrorTest, EachBadValueSaysWhy) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"port 70000", "argument must be between 0 and 65535 inclusive"},
      {"port -1", "argument must be between 0 and 65535 inclusive"},
      {"port", "wrong number of arguments"},
      {"port 1 2", "wrong number of arguments"},
      {"timeout +5", "argument couldn't be parsed into an integer"},
      {"timeout 1.5", "argument couldn't be parsed into an integer"},
      {"timeout -1", "argument must be between 0 and 2147483647 inclusive"},
      {"databases 0", "argument must be between 1 and 2147483647 inclusive"},
      {"maxclients 0", "argument must be between 1 and 4294967295 inclusive"},
      {"maxmemory abc", "argument must be a memory value"},
      {"maxmemory -1", "argument must be a memory value"},
      {"maxmemory 1tb", "argument must be a memory value"},
      {"proto-max-bulk-len 10",
       "argument must be between 1048576 and 9223372036854775807 "
       "inclusive"},
      {"client-query-buffer-limit 1kb",
       "argument must be between 1048576 and "
       "9223372036854775807 inclusive"},
      {"maxmemory-policy lru",
       "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, "
       "volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction"},
      {"appendfsync sometimes", "argument(s) must be one of the following: everysec, always, no"},
      {"loglevel loud",
       "argument(s) must be one of the following: debug, verbose, notice, warning"},
      {"profile durable", "argument(s) must be one of the following: cache, session, queue"},
      {"appendonly maybe", "argument must be 'yes' or 'no'"},
      {"protected-mode 1", "argument must be 'yes' or 'no'"},
      {"save 100", "Invalid save parameters"},
      {"save 0 1", "Invalid save parameters"},
      {"save 10 -1", "Invalid save parameters"},
      {"port \"6379", "Unbalanced quotes in configuration line"},
      {"bind", "wrong number of arguments"},
      {"supervised x", "argument(s) must be one of the following: upstart, systemd, auto, no"},
  };
  for (const auto& [line, reason] : cases) {
    std::string msg = LoadError(line);
    EXPECT_THAT(msg, HasSubstr("\n" + reason)) << line;
    EXPECT_THAT(msg, HasSubstr(">>> '" + line + "'")) << line;
  }
}

TEST(ConfigErrorTest, DaemonizeAndSupervisedAreRefusedWithAReason) {
  EXPECT_THAT(LoadError("daemonize yes"), HasSubstr("Strata does not daemonize"));
  EXPECT_THAT(LoadError("supervised systemd"), HasSubstr("use 'supervised no'"));
  EXPECT_TRUE(Load("daemonize no\nsupervised no\n").values().port == 6379);
}

// ---- Command line -------------------------------------------------------------------------

TEST(ConfigArgsTest, OverridesTheFile) {
  TempFile file("profile session\nport 6379\nbind 10.0.0.1\ndir /var/lib/strata\nmaxmemory 1gb\n");
  Config c;
  ASSERT_TRUE(c.LoadFromArgs({file.path(), "--port", "7777", "--bind", "127.0.0.1", "::1", "--dir",
                              "/tmp/x", "--maxmemory", "2mb"})
                  .ok());
  EXPECT_EQ(c.values().port, 7777);
  EXPECT_THAT(c.values().bind, ElementsAre("127.0.0.1", "::1"));
  EXPECT_EQ(c.values().dir, "/tmp/x");
  EXPECT_EQ(c.values().maxmemory, 2u * 1024 * 1024);
  EXPECT_EQ(c.values().profile, Profile::kSession);
  EXPECT_TRUE(std::filesystem::path(c.values().config_file).is_absolute());
  EXPECT_EQ(std::filesystem::path(c.values().config_file),
            std::filesystem::absolute(file.path()).lexically_normal());
}

TEST(ConfigArgsTest, WithoutAFile) {
  Config c;
  ASSERT_TRUE(c.LoadFromArgs({"--profile", "cache", "--save", "--hz", "50"}).ok());
  EXPECT_EQ(c.values().profile, Profile::kCache);
  EXPECT_EQ(c.values().save, "");  // a bare --save means no snapshots, as in redis-server
  EXPECT_EQ(c.values().hz, 50);
  EXPECT_EQ(c.values().config_file, "");
  ASSERT_TRUE(c.LoadFromArgs({}).ok());
}

TEST(ConfigArgsTest, BadValueNamesTheCommandLine) {
  Config c;
  Status s = c.LoadFromArgs({"--port", "7000", "--timeout", "soon"});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), AllOf(HasSubstr("the command line"), HasSubstr("at line 2"),
                                 HasSubstr(">>> 'timeout soon'"),
                                 HasSubstr("argument couldn't be parsed into an integer")));
}

TEST(ConfigArgsTest, UnknownDirectiveOnTheCommandLine) {
  Config c;
  Status s = c.LoadFromArgs({"--nope", "1"});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), AllOf(HasSubstr("command line"), HasSubstr("at line 1"),
                                 HasSubstr(">>> 'nope 1'"), HasSubstr("Bad directive")));
}

TEST(ConfigArgsTest, ErrorInsideTheFileNamesTheFile) {
  TempFile file("port 1\nmaxmemory lots\n");
  Config c;
  Status s = c.LoadFromArgs({file.path(), "--port", "2"});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), AllOf(HasSubstr(file.path()), HasSubstr("at line 2"),
                                 HasSubstr(">>> 'maxmemory lots'")));
}

TEST(ConfigArgsTest, MissingFileIsNamed) {
  Config c;
  Status s = c.LoadFromArgs({"/nonexistent/strata.conf", "--port", "1"});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.IsIOError());
  EXPECT_THAT(s.message(),
              AllOf(HasSubstr("/nonexistent/strata.conf"), HasSubstr("No such file or directory")));
}

TEST(ConfigArgsTest, DirectoryInsteadOfFileIsRefused) {
  Config c;
  Status s = c.LoadFromArgs({std::filesystem::temp_directory_path().string()});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr(std::filesystem::temp_directory_path().string()));
}

TEST(ConfigArgsTest, StrayArgumentAfterTheFileIsRefused) {
  TempFile file("port 1\n");
  Config c;
  Status s = c.LoadFromArgs({file.path(), "7000"});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), AllOf(HasSubstr("command line"), HasSubstr("'7000'")));
}

TEST(ConfigArgsTest, ValueWithoutDirectiveIsRefused) {
  Config c;
  Status s = c.LoadFromArgs({"--port", "1", "2"});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("wrong number of arguments"));
}

// ---- Profiles -----------------------------------------------------------------------------

TEST(ConfigProfileTest, CacheDefaults) {
  Config c = LoadFinal("profile cache\nmaxmemory 1mb\n");
  EXPECT_EQ(c.values().maxmemory_policy, EvictionPolicy::kAllKeysLru);
  EXPECT_EQ(GetOne(c, "appendonly"), "no");
  EXPECT_THAT(c.warnings(), IsEmpty());
}

TEST(ConfigProfileTest, SessionDefaults) {
  Config c = LoadFinal("profile session\n");
  EXPECT_EQ(c.values().maxmemory_policy, EvictionPolicy::kNoEviction);
  EXPECT_EQ(c.values().appendfsync, FsyncPolicy::kEverySec);
  EXPECT_EQ(GetOne(c, "appendonly"), "yes");
}

TEST(ConfigProfileTest, QueueDefaults) {
  Config c = LoadFinal("profile queue\n");
  EXPECT_EQ(c.values().maxmemory_policy, EvictionPolicy::kNoEviction);
  EXPECT_EQ(c.values().appendfsync, FsyncPolicy::kAlways);
  EXPECT_EQ(GetOne(c, "appendonly"), "yes");
}

TEST(ConfigProfileTest, ExplicitSettingsWin) {
  Config c = LoadFinal("profile queue\nappendfsync everysec\n");
  EXPECT_EQ(c.values().appendfsync, FsyncPolicy::kEverySec);
  Config cache = LoadFinal("profile cache\nmaxmemory 1mb\nmaxmemory-policy volatile-lru\n");
  EXPECT_EQ(cache.values().maxmemory_policy, EvictionPolicy::kVolatileLru);
}

TEST(ConfigProfileTest, ProfileFromTheCommandLineDecidesTheDefaults) {
  TempFile file("profile session\n");
  Config c;
  ASSERT_TRUE(c.LoadFromArgs({file.path(), "--profile", "queue"}).ok());
  ASSERT_TRUE(c.Finalize().ok());
  EXPECT_EQ(c.values().appendfsync, FsyncPolicy::kAlways);
}

TEST(ConfigProfileTest, DurableProfilesForceNoEvictionWithAWarning) {
  Config c = LoadFinal("profile session\nmaxmemory-policy allkeys-lru\n");
  EXPECT_EQ(c.values().maxmemory_policy, EvictionPolicy::kNoEviction);
  EXPECT_EQ(GetOne(c, "maxmemory-policy"), "noeviction");
  ASSERT_EQ(c.warnings().size(), 1u);
  EXPECT_THAT(c.warnings()[0], AllOf(HasSubstr("allkeys-lru"), HasSubstr("session")));
}

TEST(ConfigProfileTest, AppendonlyContradictingTheProfileIsReportedNotObeyed) {
  Config c = LoadFinal("profile session\nappendonly no\n");
  EXPECT_EQ(GetOne(c, "appendonly"), "yes");
  ASSERT_EQ(c.warnings().size(), 1u);
  EXPECT_THAT(c.warnings()[0], HasSubstr("appendonly no"));
  Config cache = LoadFinal("profile cache\nmaxmemory 1mb\nappendonly yes\n");
  EXPECT_EQ(GetOne(cache, "appendonly"), "no");
  EXPECT_EQ(cache.warnings().size(), 1u);
}

TEST(ConfigProfileTest, CacheWithoutMaxmemoryWarns) {
  Config c = LoadFinal("profile cache\n");
  ASSERT_EQ(c.warnings().size(), 1u);
  EXPECT_THAT(c.warnings()[0], HasSubstr("maxmemory 0"));
}

TEST(ConfigProfileTest, Names) {
  EXPECT_EQ(ProfileName(Profile::kCache), "cache");
  EXPECT_EQ(ProfileName(Profile::kSession), "session");
  EXPECT_EQ(ProfileName(Profile::kQueue), "queue");
  EXPECT_EQ(FsyncPolicyName(FsyncPolicy::kAlways), "always");
  EXPECT_EQ(FsyncPolicyName(FsyncPolicy::kEverySec), "everysec");
  EXPECT_EQ(FsyncPolicyName(FsyncPolicy::kNo), "no");
  EXPECT_EQ(EvictionPolicyName(EvictionPolicy::kVolatileTtl), "volatile-ttl");
}

// ---- CONFIG GET ---------------------------------------------------------------------------

TEST(ConfigGetTest, FormatsValuesAsRedis) {
  Config c = LoadFinal(
      "profile cache\nmaxmemory 100mb\nbind 127.0.0.1 ::1\nproto-max-bulk-len 1gb\n"
      "save 3600 1 300 100\n");
  EXPECT_EQ(GetOne(c, "maxmemory"), "104857600");
  EXPECT_EQ(GetOne(c, "maxmemory-policy"), "allkeys-lru");
  EXPECT_EQ(GetOne(c, "bind"), "127.0.0.1 ::1");
  EXPECT_EQ(GetOne(c, "proto-max-bulk-len"), "1073741824");
  EXPECT_EQ(GetOne(c, "client-query-buffer-limit"), "1073741824");
  EXPECT_EQ(GetOne(c, "profile"), "cache");
  EXPECT_EQ(GetOne(c, "appendfsync"), "everysec");
  EXPECT_EQ(GetOne(c, "save"), "3600 1 300 100");
  EXPECT_EQ(GetOne(c, "daemonize"), "no");
  EXPECT_EQ(GetOne(c, "supervised"), "no");
  EXPECT_EQ(GetOne(c, "protected-mode"), "no");
  EXPECT_EQ(GetOne(c, "port"), "6379");
  EXPECT_EQ(GetOne(c, "databases"), "16");
  EXPECT_EQ(GetOne(c, "logfile"), "");
  EXPECT_EQ(GetOne(c, "loglevel"), "notice");
}

TEST(ConfigGetTest, DefaultMaxmemoryIsZero) {
  Config c = LoadFinal("");
  EXPECT_EQ(GetOne(c, "maxmemory"), "0");
}

TEST(ConfigGetTest, GlobPatternsEachNameOnce) {
  Config c = LoadFinal("");
  auto pairs = c.Get({"maxmemory*", "max*", "maxmemory"});
  std::vector<std::string> names;
  for (const auto& p : pairs) names.push_back(p.first);
  EXPECT_THAT(names, ElementsAre("maxmemory", "maxmemory-policy", "maxclients"));
}

TEST(ConfigGetTest, GlobSyntaxAndCase) {
  Config c = LoadFinal("");
  EXPECT_THAT(c.Get({"?ort"}), ElementsAre(Pair("port", "6379")));
  EXPECT_THAT(c.Get({"[pb]in*"}), ElementsAre(Pair("bind", "127.0.0.1")));
  EXPECT_THAT(c.Get({"APPEND*"}),
              ElementsAre(Pair("appendonly", "yes"), Pair("appendfsync", "everysec")));
  EXPECT_THAT(c.Get({"nothing-like-this*"}), IsEmpty());
  EXPECT_THAT(c.Get({}), IsEmpty());
}

TEST(ConfigGetTest, ExactNameKeepsTheCallersSpelling) {
  Config c = LoadFinal("");
  EXPECT_THAT(c.Get({"MAXMEMORY"}), ElementsAre(Pair("MAXMEMORY", "0")));
}

TEST(ConfigGetTest, StarListsEveryDirective) {
  Config c = LoadFinal("");
  std::map<std::string, std::string> all;
  for (auto& [k, v] : c.Get({"*"})) EXPECT_TRUE(all.emplace(k, v).second) << "duplicate " << k;
  for (const char* name : {"port",
                           "bind",
                           "dir",
                           "profile",
                           "maxmemory",
                           "maxmemory-policy",
                           "appendfsync",
                           "databases",
                           "loglevel",
                           "logfile",
                           "maxclients",
                           "timeout",
                           "tcp-keepalive",
                           "proto-max-bulk-len",
                           "client-query-buffer-limit",
                           "hz",
                           "save",
                           "appendonly",
                           "daemonize",
                           "protected-mode",
                           "supervised"}) {
    EXPECT_TRUE(all.count(name)) << name;
  }
}

// ---- CONFIG SET ---------------------------------------------------------------------------

TEST(ConfigSetTest, MutableDirectives) {
  Config c = LoadFinal("profile cache\nmaxmemory 1mb\n");
  ASSERT_TRUE(c.Set({{"maxmemory", "10mb"},
                     {"maxmemory-policy", "ALLKEYS-RANDOM"},
                     {"appendfsync", "no"},
                     {"loglevel", "verbose"},
                     {"timeout", "5"},
                     {"tcp-keepalive", "10"},
                     {"maxclients", "100"},
                     {"proto-max-bulk-len", "1gb"},
                     {"client-query-buffer-limit", "2mb"},
                     {"hz", "1000"},
                     {"save", "100 1 50 2"},
                     {"protected-mode", "yes"}})
                  .ok());
  const ServerConfig& v = c.values();
  EXPECT_EQ(v.maxmemory, 10u * 1024 * 1024);
  EXPECT_EQ(v.maxmemory_policy, EvictionPolicy::kAllKeysRandom);
  EXPECT_EQ(v.appendfsync, FsyncPolicy::kNo);
  EXPECT_EQ(v.loglevel, "verbose");
  EXPECT_EQ(v.timeout, 5);
  EXPECT_EQ(v.tcp_keepalive, 10);
  EXPECT_EQ(v.maxclients, 100);
  EXPECT_EQ(v.proto_max_bulk_len, 1024 * 1024 * 1024);
  EXPECT_EQ(v.client_query_buffer_limit, 2 * 1024 * 1024);
  EXPECT_EQ(v.hz, 500);
  EXPECT_EQ(v.save, "100 1 50 2");  // CONFIG SET replaces, it does not append
  EXPECT_TRUE(v.protected_mode);
  EXPECT_EQ(GetOne(c, "maxmemory"), "10485760");
}

TEST(ConfigSetTest, SaveCanBeCleared) {
  Config c = LoadFinal("save 900 1\n");
  ASSERT_TRUE(c.Set({{"save", ""}}).ok());
  EXPECT_EQ(GetOne(c, "save"), "");
  EXPECT_EQ(SetError(c, {{"save", "  10   1  "}}),
            "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save "
            "parameters");
  EXPECT_EQ(SetError(c, {{"save", "100"}}),
            "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save "
            "parameters");
}

TEST(ConfigSetTest, UnknownOption) {
  Config c = LoadFinal("");
  EXPECT_EQ(SetError(c, {{"foo", "bar"}}),
            "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
}

TEST(ConfigSetTest, ImmutableDirectives) {
  Config c = LoadFinal("");
  for (const char* name : {"port", "bind", "dir", "databases", "profile", "logfile", "daemonize",
                           "supervised", "appendonly"}) {
    EXPECT_EQ(SetError(c, {{name, "1"}}),
              std::string("ERR CONFIG SET failed (possibly related to argument '") + name +
                  "') - can't set immutable config");
  }
}

TEST(ConfigSetTest, BadValuesUseRedisWording) {
  Config c = LoadFinal("");
  EXPECT_EQ(SetError(c, {{"maxmemory", "abc"}}),
            "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be "
            "a memory value");
  EXPECT_EQ(SetError(c, {{"timeout", "-1"}}),
            "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument must be "
            "between 0 and 2147483647 inclusive");
  EXPECT_EQ(SetError(c, {{"timeout", "007"}}),
            "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't "
            "be parsed into an integer");
  EXPECT_EQ(SetError(c, {{"appendfsync", "foo"}}),
            "ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) "
            "must be one of the following: everysec, always, no");
  EXPECT_EQ(SetError(c, {{"maxclients", "99999999999999"}}),
            "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be "
            "between 1 and 4294967295 inclusive");
  EXPECT_EQ(SetError(c, {{"protected-mode", "maybe"}}),
            "ERR CONFIG SET failed (possibly related to argument 'protected-mode') - argument "
            "must be 'yes' or 'no'");
}

TEST(ConfigSetTest, DuplicateParameterUsesTheCallersSpelling) {
  Config c = LoadFinal("");
  EXPECT_EQ(SetError(c, {{"maxmemory", "1"}, {"MaxMemory", "2"}}),
            "ERR CONFIG SET failed (possibly related to argument 'MaxMemory') - duplicate "
            "parameter");
}

TEST(ConfigSetTest, NamesAreCheckedBeforeValues) {
  Config c = LoadFinal("");
  EXPECT_EQ(SetError(c, {{"timeout", "abc"}, {"foo", "1"}}),
            "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
  EXPECT_THAT(SetError(c, {{"timeout", "abc"}, {"port", "1"}}), HasSubstr("'port'"));
}

TEST(ConfigSetTest, AllOrNothing) {
  Config c = LoadFinal("profile cache\nmaxmemory 1mb\n");
  int calls = 0;
  c.AddListener([&calls](std::string_view) { ++calls; });
  EXPECT_EQ(SetError(c, {{"maxmemory", "10mb"}, {"timeout", "x"}}),
            "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't "
            "be parsed into an integer");
  EXPECT_EQ(c.values().maxmemory, 1024u * 1024);
  EXPECT_EQ(c.values().timeout, 0);
  EXPECT_EQ(calls, 0);
}

TEST(ConfigSetTest, ListenersHearEachChangedName) {
  Config c = LoadFinal("profile cache\nmaxmemory 1mb\n");
  std::vector<std::string> first, second;
  c.AddListener([&first](std::string_view name) { first.emplace_back(name); });
  c.AddListener([&second](std::string_view name) { second.emplace_back(name); });
  ASSERT_TRUE(c.Set({{"MAXMEMORY", "2mb"}, {"hz", "10"}, {"loglevel", "debug"}}).ok());
  // hz was already 10: nothing to apply, so nobody is told.
  EXPECT_THAT(first, ElementsAre("maxmemory", "loglevel"));
  EXPECT_EQ(first, second);
}

TEST(ConfigSetTest, DurableProfilesKeepNoEviction) {
  Config c = LoadFinal("profile queue\n");
  std::vector<std::string> heard;
  c.AddListener([&heard](std::string_view name) { heard.emplace_back(name); });
  ASSERT_TRUE(c.Set({{"maxmemory-policy", "allkeys-lru"}}).ok());
  EXPECT_EQ(c.values().maxmemory_policy, EvictionPolicy::kNoEviction);
  EXPECT_EQ(GetOne(c, "maxmemory-policy"), "noeviction");
  EXPECT_THAT(heard, IsEmpty());
}

TEST(ConfigSetTest, AppendfsyncChangesInDurableProfiles) {
  Config c = LoadFinal("profile queue\n");
  std::vector<std::string> heard;
  c.AddListener([&heard](std::string_view name) { heard.emplace_back(name); });
  ASSERT_TRUE(c.Set({{"appendfsync", "everysec"}}).ok());
  EXPECT_EQ(c.values().appendfsync, FsyncPolicy::kEverySec);
  EXPECT_THAT(heard, ElementsAre("appendfsync"));
}

// ---- The shipped profile files ------------------------------------------------------------

// conf/ sits three levels above this file; CMake compiles it by absolute path.
std::string ConfDir() {
  return (std::filesystem::path(__FILE__).parent_path() / "../../../conf").lexically_normal();
}

class ShippedConfTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedConfTest, LoadsAndAcceptsTestOverrides) {
  const std::string path = ConfDir() + "/" + GetParam() + ".conf";
  Config c;
  Status s = c.LoadFromArgs({path, "--port", "23456", "--bind", "127.0.0.1", "--dir", "/tmp/t"});
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(c.Finalize().ok());
  EXPECT_EQ(ProfileName(c.values().profile), GetParam());
  EXPECT_EQ(c.values().port, 23456);
  EXPECT_EQ(c.values().dir, "/tmp/t");
  EXPECT_EQ(c.values().maxmemory, 256u * 1024 * 1024);
  EXPECT_THAT(c.warnings(), IsEmpty());
  if (GetParam() == "cache") {
    EXPECT_EQ(c.values().maxmemory_policy, EvictionPolicy::kAllKeysLru);
  } else {
    EXPECT_EQ(c.values().maxmemory_policy, EvictionPolicy::kNoEviction);
  }
  if (GetParam() == "session") {
    EXPECT_EQ(c.values().appendfsync, FsyncPolicy::kEverySec);
  }
  if (GetParam() == "queue") {
    EXPECT_EQ(c.values().appendfsync, FsyncPolicy::kAlways);
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, ShippedConfTest, ::testing::Values("cache", "session", "queue"));

}  // namespace
}  // namespace strata::config

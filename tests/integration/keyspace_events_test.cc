// Keyspace notifications that no command asks for, against the real server: a key that
// expires while it lives only on disk, keys evicted in the cache profile, and the classes
// switched by CONFIG SET at run time. (What each command publishes is compared with
// redis-server by tests/scripts/notify_diff.py over tests/notify/.)
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

// Reads one pmessage and returns [channel, payload]; fails the test on timeout.
std::vector<std::string> NextMessage(RespClient& c) {
  auto m = c.ReadReply();
  if (!m.has_value()) {
    ADD_FAILURE() << "no message: " << c.last_error();
    return {};
  }
  if (m->elements.size() != 4 || Str(m->elements[0]) != "pmessage") {
    ADD_FAILURE() << "not a pmessage: " << m->DebugString();
    return {};
  }
  return {Str(m->elements[2]), Str(m->elements[3])};
}

// Retention trims a stream in the background; subscribers hear it as the XTRIM it stands for.
TEST(KeyspaceEvents, RetentionTrimsAreAnnouncedAsXtrim) {
  ServerProcess server(WithProfile("queue", {"--notify-keyspace-events", "Et"}));
  ASSERT_TRUE(server.Start());
  RespClient watcher(server.port());
  ASSERT_EQ(watcher.Command({"PSUBSCRIBE", "__keyevent@0__:*"}).elements.size(), 3u);
  RespClient c(server.port());
  ASSERT_EQ(Str(c.Command({"XADD", "events", "1-1", "f", "old"})), "1-1");  // 1970
  ASSERT_EQ(Str(c.Command({"XADD", "events", "*", "f", "new"})).empty(), false);
  EXPECT_EQ(NextMessage(watcher), (std::vector<std::string>{"__keyevent@0__:xadd", "events"}));
  EXPECT_EQ(NextMessage(watcher), (std::vector<std::string>{"__keyevent@0__:xadd", "events"}));
  ASSERT_EQ(Str(c.Command({"XRETENTION", "events", "60000"})), "OK");
  // The next message can only come from the retention cycle.
  EXPECT_EQ(NextMessage(watcher), (std::vector<std::string>{"__keyevent@0__:xtrim", "events"}));
  EXPECT_EQ(c.Command({"XLEN", "events"}).integer, 1);
}

// A session store can react to a session ending without anyone reading it: after a restart
// the key is on disk only (nothing is loaded up front), and active expiry still announces it.
TEST(KeyspaceEvents, AKeyOnDiskOnlyAnnouncesItsExpiry) {
  ServerProcess server(WithProfile("session", {"--notify-keyspace-events", "Ex"}));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    ASSERT_EQ(Str(c.Command({"SET", "session:42", "alice", "PX", "1500"})), "OK");
    ASSERT_EQ(Str(c.Command({"SET", "session:keep", "bob"})), "OK");
  }
  ASSERT_TRUE(server.Restart());
  RespClient watcher(server.port(), milliseconds(20000));
  ReplyValue sub = watcher.Command({"PSUBSCRIBE", "__keyevent@0__:*"});
  ASSERT_EQ(sub.elements.size(), 3u);
  {
    RespClient c(server.port());
    ReplyValue tiers = c.Command({"INFO", "tiers"});
    EXPECT_NE(Str(tiers).find("hot_keys:0"), std::string::npos) << Str(tiers);
  }
  // Nobody touches the key: the next message can only come from active expiry.
  EXPECT_EQ(NextMessage(watcher),
            (std::vector<std::string>{"__keyevent@0__:expired", "session:42"}));
  RespClient c(server.port());
  EXPECT_EQ(c.Command({"EXISTS", "session:42"}).integer, 0);
  EXPECT_EQ(c.Command({"EXISTS", "session:keep"}).integer, 1);
}

TEST(KeyspaceEvents, TheCacheProfileAnnouncesEvictions) {
  ServerProcess server(WithProfile("cache", {"--maxmemory", "2mb", "--maxmemory-policy",
                                             "allkeys-lru", "--notify-keyspace-events", "Ee"}));
  ASSERT_TRUE(server.Start());
  RespClient watcher(server.port());
  ASSERT_EQ(watcher.Command({"PSUBSCRIBE", "__keyevent@*__:evicted"}).elements.size(), 3u);
  RespClient c(server.port());
  const std::string value(10000, 'v');
  for (int i = 0; i < 400; ++i) {
    ASSERT_EQ(Str(c.Command({"SET", "k" + std::to_string(i), value})), "OK");
  }
  std::string stats = Str(c.Command({"INFO", "stats"}));
  auto at = stats.find("evicted_keys:");
  ASSERT_NE(at, std::string::npos);
  const int evicted = std::stoi(stats.substr(at + 13));
  ASSERT_GT(evicted, 0);
  // One message per evicted key, each naming a key that is gone.
  std::set<std::string> gone;
  for (int i = 0; i < evicted; ++i) {
    std::vector<std::string> m = NextMessage(watcher);
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m[0], "__keyevent@0__:evicted");
    gone.insert(m[1]);
  }
  EXPECT_EQ(gone.size(), static_cast<size_t>(evicted));
  for (const std::string& k : gone) EXPECT_EQ(c.Command({"EXISTS", k}).integer, 0) << k;
}

// A lazily expired key announces "expired" before the read that found it gone announces
// "keymiss", as in Redis; classes can be switched off again at run time.
TEST(KeyspaceEvents, LazyExpiryAndKeyMissInOrderAndConfigurable) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  ASSERT_EQ(Str(c.Command({"CONFIG", "SET", "notify-keyspace-events", "KExm"})), "OK");
  EXPECT_EQ(Str(c.Command({"CONFIG", "GET", "notify-keyspace-events"}).elements[1]), "xKEm");
  RespClient watcher(server.port());
  ASSERT_EQ(watcher.Command({"PSUBSCRIBE", "__key*__:*"}).elements.size(), 3u);
  ASSERT_EQ(Str(c.Command({"SET", "t", "v", "PX", "1"})), "OK");
  // The key is read until it has expired; the first read that misses is the one announced.
  for (int i = 0; i < 2000 && c.Command({"GET", "t"}).type != ReplyValue::Type::kNull; ++i) {
  }
  std::vector<std::vector<std::string>> want = {
      {"__keyspace@0__:t", "expired"},
      {"__keyevent@0__:expired", "t"},
      {"__keyspace@0__:t", "keymiss"},
      {"__keyevent@0__:keymiss", "t"},
  };
  for (const auto& w : want) EXPECT_EQ(NextMessage(watcher), w);
  ASSERT_EQ(Str(c.Command({"CONFIG", "SET", "notify-keyspace-events", ""})), "OK");
  EXPECT_EQ(c.Command({"GET", "t"}).type, ReplyValue::Type::kNull);
  ASSERT_EQ(Str(c.Command({"CONFIG", "SET", "notify-keyspace-events", "Em"})), "OK");
  EXPECT_EQ(c.Command({"GET", "other"}).type, ReplyValue::Type::kNull);
  // The GET of "t" with notifications off published nothing: the next message is "other".
  EXPECT_EQ(NextMessage(watcher), (std::vector<std::string>{"__keyevent@0__:keymiss", "other"}));
}

}  // namespace
}  // namespace strata::testing

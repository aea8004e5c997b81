// The embeddable engine as a program linking Strata uses it: open, run, close, reopen.
#include "strata/store.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/temp_dir.h"

namespace strata {
namespace {

using ::strata::testing::TempDir;

class StoreTest : public ::testing::Test {
 protected:
  void Open(const std::string& profile = "session") {
    client_.reset();
    store_.reset();
    auto opened = Store::Open({"--profile", profile, "--dir", dir_.path()});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    client_ = store_->NewClient();
  }
  Reply Run(const std::vector<std::string_view>& args) { return store_->Run(*client_, args); }

  // Destroyed in reverse order: the client, then the store, then the directory it had open.
  TempDir dir_{"store"};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Store::Client> client_;
};

TEST_F(StoreTest, RepliesComeBackAsTypedValues) {
  Open();
  Reply ok = Run({"SET", "k", "v"});
  EXPECT_EQ(ok.type, Reply::Type::kSimpleString);
  EXPECT_EQ(ok.str, "OK");
  Reply v = Run({"GET", "k"});
  EXPECT_EQ(v.type, Reply::Type::kBulkString);
  EXPECT_EQ(v.str, "v");
  EXPECT_EQ(Run({"GET", "missing"}).type, Reply::Type::kNull);
  Reply n = Run({"INCR", "n"});
  EXPECT_EQ(n.type, Reply::Type::kInteger);
  EXPECT_EQ(n.integer, 1);
  Reply err = Run({"INCR", "k"});
  EXPECT_TRUE(err.IsError());
  EXPECT_EQ(err.str, "ERR value is not an integer or out of range");
  ASSERT_EQ(Run({"RPUSH", "l", "a", "b"}).integer, 2);
  Reply list = Run({"LRANGE", "l", "0", "-1"});
  ASSERT_EQ(list.type, Reply::Type::kArray);
  ASSERT_EQ(list.elements.size(), 2u);
  EXPECT_EQ(list.elements[1].str, "b");
  // The same store in RESP3: maps, doubles and booleans keep their types.
  ASSERT_EQ(Run({"HELLO", "3"}).type, Reply::Type::kMap);
  Run({"HSET", "h", "f", "1"});
  Reply map = Run({"HGETALL", "h"});
  ASSERT_EQ(map.type, Reply::Type::kMap);
  ASSERT_EQ(map.elements.size(), 2u);
  EXPECT_EQ(map.elements[0].str, "f");
  Run({"ZADD", "z", "1.5", "m"});
  Reply score = Run({"ZSCORE", "z", "m"});
  EXPECT_EQ(score.type, Reply::Type::kDouble);
  EXPECT_EQ(score.number, 1.5);
  // Raw RESP, as a server would send it.
  std::string raw;
  store_->Execute(*client_, {"GET", "k"}, &raw);
  EXPECT_EQ(raw, "$1\r\nv\r\n");
}

TEST_F(StoreTest, DataSurvivesCloseAndReopen) {
  Open();
  Run({"SET", "session:1", "alice"});
  Run({"PEXPIRE", "session:1", "3600000"});
  Run({"RPUSH", "jobs", "j1", "j2", "j3"});
  Run({"XADD", "events", "1-1", "type", "login"});
  Run({"XGROUP", "CREATE", "events", "workers", "0"});
  Run({"XREADGROUP", "GROUP", "workers", "w1", "COUNT", "1", "STREAMS", "events", ">"});
  Open();  // closes the first store, opens the same directory again
  EXPECT_EQ(Run({"GET", "session:1"}).str, "alice");
  const int64_t pttl = Run({"PTTL", "session:1"}).integer;
  EXPECT_GT(pttl, 3500000);
  EXPECT_LE(pttl, 3600000);
  EXPECT_EQ(Run({"LLEN", "jobs"}).integer, 3);
  Reply pending = Run({"XPENDING", "events", "workers"});
  ASSERT_EQ(pending.type, Reply::Type::kArray);
  EXPECT_EQ(pending.elements[0].integer, 1);
}

TEST_F(StoreTest, TheCacheProfileStartsEmpty) {
  Open("cache");
  Run({"SET", "k", "v"});
  Open("cache");
  EXPECT_EQ(Run({"GET", "k"}).type, Reply::Type::kNull);
}

// Nothing can arrive while a call runs, so a blocking command answers at once: with data if
// it has some, else as its timeout would.
TEST_F(StoreTest, BlockingCommandsNeverBlock) {
  Open();
  Reply empty = Run({"BLPOP", "q", "0"});
  EXPECT_EQ(empty.type, Reply::Type::kNull);
  std::string raw;
  store_->Execute(*client_, {"BLPOP", "q", "0"}, &raw);
  EXPECT_EQ(raw, "*-1\r\n");
  raw.clear();
  store_->Execute(*client_, {"BLMOVE", "q", "d", "LEFT", "RIGHT", "0"}, &raw);
  EXPECT_EQ(raw, "$-1\r\n");
  raw.clear();
  store_->Execute(*client_, {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}, &raw);
  EXPECT_EQ(raw, "*-1\r\n");
  EXPECT_EQ(Run({"BZPOPMIN", "z", "0"}).type, Reply::Type::kNull);
  Run({"RPUSH", "q", "job"});
  Reply served = Run({"BLPOP", "q", "0"});
  ASSERT_EQ(served.type, Reply::Type::kArray);
  EXPECT_EQ(served.elements[1].str, "job");
  // The client is not left waiting: its next command runs normally.
  EXPECT_EQ(Run({"PING"}).str, "PONG");
}

TEST_F(StoreTest, MessagesAreKeptUntilTaken) {
  Open();
  auto subscriber = store_->NewClient();
  Reply confirm = store_->Run(*subscriber, {"SUBSCRIBE", "news", "sport"});
  ASSERT_EQ(confirm.type, Reply::Type::kArray);
  EXPECT_EQ(confirm.elements[1].str, "news");
  EXPECT_EQ(Run({"PUBLISH", "news", "hello"}).integer, 1);
  std::vector<Reply> messages = store_->TakeMessages(*subscriber);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].elements[1].str, "sport");  // the second confirmation
  EXPECT_EQ(messages[1].elements[0].str, "message");
  EXPECT_EQ(messages[1].elements[2].str, "hello");
  EXPECT_TRUE(store_->TakeMessages(*subscriber).empty());
  subscriber.reset();  // a client that goes away is no longer a receiver
  EXPECT_EQ(Run({"PUBLISH", "news", "again"}).integer, 0);
}

TEST_F(StoreTest, ClientCommandsSeeTheStoresClients) {
  Open();
  auto other = store_->NewClient();
  Run({"CLIENT", "SETNAME", "first"});
  Reply list = Run({"CLIENT", "LIST"});
  ASSERT_EQ(list.type, Reply::Type::kBulkString);
  EXPECT_NE(list.str.find("name=first"), std::string::npos);
  EXPECT_NE(list.str.find("id=" + std::to_string(other->id())), std::string::npos);
  EXPECT_EQ(Run({"CLIENT", "KILL", "ID", std::to_string(other->id())}).integer, 1);
  Reply refused = store_->Run(*other, {"PING"});
  EXPECT_TRUE(refused.IsError());
  Reply shutdown = Run({"SHUTDOWN"});
  EXPECT_TRUE(shutdown.IsError());
  EXPECT_EQ(Run({"PING"}).str, "PONG");
}

TEST(ParseReplies, RejectsIncompleteAndMalformedInput) {
  EXPECT_FALSE(ParseReplies("$5\r\nab").ok());
  EXPECT_FALSE(ParseReplies("?\r\n").ok());
  auto two = ParseReplies(":1\r\n+OK\r\n");
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);
}

}  // namespace
}  // namespace strata

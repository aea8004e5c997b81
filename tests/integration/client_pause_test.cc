// CLIENT PAUSE and UNPAUSE against the real server, as redis-server 7.0.15 behaved for the
// same sequences: under WRITE only what may write waits (unread, in order, then runs; inside
// MULTI already when it is queued), reads and CLIENT UNPAUSE go on; under ALL every client's
// commands wait, the pausing client's CLIENT UNPAUSE included, until the timeout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

TEST(ClientPause, WriteHoldsBackWritesUntilUnpause) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient writer(server.port());
  RespClient reader(server.port());
  ASSERT_EQ(Str(reader.Command({"CLIENT", "PAUSE", "60000", "WRITE"})), "OK");
  // A write, then a read behind it on the same connection: both wait, in order.
  ASSERT_TRUE(
      writer.SendRaw(RespClient::Encode({"SET", "k", "v"}) + RespClient::Encode({"GET", "k"})));
  // Another client's reads go on, and show the write has not run.
  EXPECT_TRUE(IsNil(reader.Command({"GET", "k"})));
  // A transaction that only reads runs.
  ASSERT_EQ(Str(reader.Command({"MULTI"})), "OK");
  ASSERT_EQ(Str(reader.Command({"GET", "k"})), "QUEUED");
  ReplyValue exec = reader.Command({"EXEC"});
  ASSERT_EQ(exec.elements.size(), 1u);
  EXPECT_TRUE(IsNil(exec.elements[0]));
  // Inside MULTI a write waits already at queuing time, as in Redis (the pause is checked
  // before a command is queued).
  RespClient tx(server.port());
  ASSERT_EQ(Str(tx.Command({"MULTI"})), "OK");
  ASSERT_TRUE(tx.SendRaw(RespClient::Encode({"INCR", "n"}) + RespClient::Encode({"EXEC"})));
  EXPECT_EQ(reader.Command({"EXISTS", "n"}).integer, 0);
  EXPECT_TRUE(writer.Pending().empty());
  // UNPAUSE is not a write: it runs, and the held commands run in the order they came.
  ASSERT_EQ(Str(reader.Command({"CLIENT", "UNPAUSE"})), "OK");
  auto set = writer.ReadReply();
  ASSERT_TRUE(set.has_value()) << writer.last_error();
  EXPECT_EQ(Str(*set), "OK");
  auto get = writer.ReadReply();
  ASSERT_TRUE(get.has_value());
  EXPECT_EQ(Str(*get), "v");
  auto queued = tx.ReadReply();
  ASSERT_TRUE(queued.has_value());
  EXPECT_EQ(Str(*queued), "QUEUED");
  auto tx_reply = tx.ReadReply();
  ASSERT_TRUE(tx_reply.has_value());
  ASSERT_EQ(tx_reply->elements.size(), 1u);
  EXPECT_EQ(tx_reply->elements[0].integer, 1);
}

TEST(ClientPause, AllHoldsBackEveryoneUntilTheTimeout) {
  ServerProcess server(WithProfile("cache"));
  ASSERT_TRUE(server.Start());
  RespClient a(server.port());
  RespClient b(server.port(), milliseconds(150));
  ASSERT_EQ(Str(a.Command({"CLIENT", "PAUSE", "2000", "ALL"})), "OK");
  ASSERT_TRUE(b.SendRaw(RespClient::Encode({"PING"})));
  ASSERT_TRUE(a.SendRaw(RespClient::Encode({"CLIENT", "UNPAUSE"})));
  // Nothing answers while the pause lasts (a 2 s pause, looked at for 150 ms).
  EXPECT_FALSE(b.ReadReply().has_value());
  b.set_timeout(milliseconds(15000));
  auto pong = b.ReadReply();
  ASSERT_TRUE(pong.has_value()) << b.last_error();
  EXPECT_EQ(Str(*pong), "PONG");
  auto unpause = a.ReadReply();
  ASSERT_TRUE(unpause.has_value());
  EXPECT_EQ(Str(*unpause), "OK");
  EXPECT_EQ(Str(b.Command({"PING"})), "PONG");
}

// Active expiry waits while clients are paused (nothing deletes keys behind their backs), and
// goes on after. The control: the same key, unpaused, is removed by active expiry alone.
TEST(ClientPause, ActiveExpiryWaitsForThePause) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  ASSERT_EQ(Str(c.Command({"SET", "control", "v", "PX", "50"})), "OK");
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(PollUntil([&] { return c.Command({"DBSIZE"}).integer == 0; }, milliseconds(10000)));
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(Str(c.Command({"SET", "k", "v", "PX", "50"})), "OK");
  ASSERT_EQ(Str(c.Command({"CLIENT", "PAUSE", "60000", "WRITE"})), "OK");
  // Three times as long as active expiry needed without a pause (DBSIZE reads no key).
  std::this_thread::sleep_for(3 * took + milliseconds(200));
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, 1);
  // A read sees the key expired but leaves it: deleting it would be a write (as in Redis:
  // GET nil, EXISTS 0, TTL -2, and still one key).
  EXPECT_EQ(c.Command({"GET", "k"}).type, ReplyValue::Type::kNull);
  EXPECT_EQ(c.Command({"EXISTS", "k"}).integer, 0);
  EXPECT_EQ(c.Command({"TTL", "k"}).integer, -2);
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, 1);
  ASSERT_EQ(Str(c.Command({"CLIENT", "UNPAUSE"})), "OK");
  EXPECT_TRUE(PollUntil([&] { return c.Command({"DBSIZE"}).integer == 0; }, milliseconds(10000)));
}

}  // namespace
}  // namespace strata::testing

// CLIENT REPLY ON|OFF|SKIP: the commands still run (and their writes are committed), only
// their replies are dropped.
#include <gtest/gtest.h>

#include <string>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

class ClientReplyTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ClientReplyTest, OffAndSkipDropRepliesButNotTheWrites) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  std::string raw;
  for (const auto& cmd : std::vector<std::vector<std::string>>{{"CLIENT", "REPLY", "SKIP"},
                                                               {"SET", "skipped", "1"},
                                                               {"GET", "skipped"},  // answered
                                                               {"CLIENT", "REPLY", "OFF"},
                                                               {"SET", "silent", "2"},
                                                               {"INCR", "silent"},
                                                               {"GET", "silent"},
                                                               {"CLIENT", "REPLY", "ON"},
                                                               {"GET", "silent"}}) {
    raw += RespClient::Encode(cmd);
  }
  ASSERT_TRUE(c.SendRaw(raw));
  auto first = c.ReadReply();
  ASSERT_TRUE(first.has_value()) << c.last_error();
  EXPECT_EQ(Str(*first), "1");
  auto on = c.ReadReply();
  ASSERT_TRUE(on.has_value()) << c.last_error();
  EXPECT_EQ(Str(*on), "OK");
  auto last = c.ReadReply();
  ASSERT_TRUE(last.has_value()) << c.last_error();
  EXPECT_EQ(Str(*last), "3");
  EXPECT_TRUE(c.Pending().empty()) << "a reply was not dropped";
  EXPECT_TRUE(IsError(c.Command({"CLIENT", "REPLY", "MAYBE"})));
}

TEST_P(ClientReplyTest, OffAlsoDropsPubSubMessages) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  RespClient sub(server.port()), publisher(server.port());
  ASSERT_EQ(sub.Command({"HELLO", "3"}).type, ReplyValue::Type::kMap);
  ASSERT_EQ(sub.Command({"SUBSCRIBE", "ch"}).type, ReplyValue::Type::kPush);
  ASSERT_TRUE(sub.SendRaw(RespClient::Encode({"CLIENT", "REPLY", "OFF"})));
  // The publish that counts: once the OFF has been executed, nothing reaches the subscriber.
  EXPECT_TRUE(PollUntil(
      [&] {
        return InfoField(publisher, "clients", "connected_clients") == "2" &&
               Str(publisher.Command({"CLIENT", "LIST"})).find("cmd=client|reply") !=
                   std::string::npos;
      },
      std::chrono::seconds(10)));
  EXPECT_EQ(publisher.Command({"PUBLISH", "ch", "unseen"}).integer, 1);
  EXPECT_EQ(Str(sub.Command({"CLIENT", "REPLY", "ON"})), "OK");  // the first thing it reads
}

// A command that blocked under OFF is not answered when it is served, nor when it times out.
TEST_P(ClientReplyTest, OffAlsoDropsTheReplyOfABlockedCommand) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port()), pusher(server.port());
  ASSERT_TRUE(c.SendRaw(RespClient::Encode({"CLIENT", "REPLY", "OFF"}) +
                        RespClient::Encode({"BLPOP", "q", "0"}) +
                        RespClient::Encode({"BLPOP", "never", "0.05"})));
  EXPECT_TRUE(PollUntil([&] { return InfoField(pusher, "clients", "blocked_clients") == "1"; },
                        std::chrono::seconds(10)));
  EXPECT_EQ(pusher.Command({"RPUSH", "q", "job"}).integer, 1);
  // Served (the list is empty again), then the second BLPOP times out; only then ON.
  EXPECT_TRUE(PollUntil(
      [&] {
        return pusher.Command({"LLEN", "q"}).integer == 0;
      },
      std::chrono::seconds(10)));
  EXPECT_TRUE(PollUntil([&] { return InfoField(pusher, "clients", "blocked_clients") == "0"; },
                        std::chrono::seconds(10)));
  EXPECT_EQ(Str(c.Command({"CLIENT", "REPLY", "ON"})), "OK");  // the first thing it reads
}

INSTANTIATE_TEST_SUITE_P(Profiles, ClientReplyTest, ::testing::Values("cache", "queue"));

}  // namespace
}  // namespace strata::testing

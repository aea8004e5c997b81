// Pub/sub between connections against the real server: fan-out, patterns, RESP3 pushes on a
// connection that keeps running commands, order of pipelined messages, and a subscriber that
// disconnects. (One connection's replies are compared with redis-server in
// tests/resp/pubsub.txt.)
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

// Reads one message and checks it is [kind, (pattern,) channel, payload].
void ExpectMessage(RespClient& c, const std::vector<std::string>& expected) {
  auto m = c.ReadReply();
  ASSERT_TRUE(m.has_value()) << c.last_error();
  ASSERT_EQ(m->elements.size(), expected.size()) << m->DebugString();
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(Str(m->elements[i]), expected[i]);
}

TEST(PubSub, PublishReachesEverySubscriberOfTheChannelAndMatchingPatterns) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  constexpr int kSubscribers = 20;
  std::vector<std::unique_ptr<RespClient>> subs;
  for (int i = 0; i < kSubscribers; ++i) {
    subs.push_back(std::make_unique<RespClient>(server.port()));
    ReplyValue r = subs.back()->Command({"SUBSCRIBE", "news"});
    ASSERT_EQ(r.elements.size(), 3u);
    EXPECT_EQ(r.elements[2].integer, 1);
  }
  RespClient pattern(server.port());
  ReplyValue pr = pattern.Command({"PSUBSCRIBE", "ne?s"});
  ASSERT_EQ(pr.elements.size(), 3u);
  RespClient publisher(server.port());
  EXPECT_EQ(publisher.Command({"PUBLISH", "news", "hello"}).integer, kSubscribers + 1);
  EXPECT_EQ(publisher.Command({"PUBLISH", "other", "nobody"}).integer, 0);
  for (auto& s : subs) ExpectMessage(*s, {"message", "news", "hello"});
  ExpectMessage(pattern, {"pmessage", "ne?s", "news", "hello"});
  ReplyValue numsub = publisher.Command({"PUBSUB", "NUMSUB", "news"});
  ASSERT_EQ(numsub.elements.size(), 2u);
  EXPECT_EQ(numsub.elements[1].integer, kSubscribers);
  EXPECT_EQ(publisher.Command({"PUBSUB", "NUMPAT"}).integer, 1);
}

TEST(PubSub, ShardChannelsAreTheirOwnNamespace) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient shard(server.port()), plain(server.port()), publisher(server.port());
  ASSERT_EQ(shard.Command({"SSUBSCRIBE", "orders"}).elements.size(), 3u);
  ASSERT_EQ(plain.Command({"SUBSCRIBE", "orders"}).elements.size(), 3u);
  EXPECT_EQ(publisher.Command({"SPUBLISH", "orders", "o1"}).integer, 1);
  EXPECT_EQ(publisher.Command({"PUBLISH", "orders", "p1"}).integer, 1);
  ExpectMessage(shard, {"smessage", "orders", "o1"});
  ExpectMessage(plain, {"message", "orders", "p1"});
}

TEST(PubSub, PipelinedMessagesArriveCompleteAndInOrder) {
  ServerProcess server(WithProfile("queue"));
  ASSERT_TRUE(server.Start());
  RespClient sub(server.port());
  ASSERT_EQ(sub.Command({"SUBSCRIBE", "jobs"}).elements.size(), 3u);
  RespClient publisher(server.port());
  std::vector<std::vector<std::string>> cmds;
  for (int i = 0; i < 500; ++i) cmds.push_back({"PUBLISH", "jobs", "m" + std::to_string(i)});
  for (const ReplyValue& r : publisher.Pipeline(cmds)) ASSERT_EQ(r.integer, 1);
  for (int i = 0; i < 500; ++i) {
    ASSERT_NO_FATAL_FAILURE(ExpectMessage(sub, {"message", "jobs", "m" + std::to_string(i)}));
  }
}

TEST(PubSub, UnsubscribeStopsDeliveryAndADisconnectLeavesNoSubscriber) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient publisher(server.port());
  {
    RespClient gone(server.port());
    ASSERT_EQ(gone.Command({"SUBSCRIBE", "c"}).elements.size(), 3u);
    EXPECT_EQ(publisher.Command({"PUBLISH", "c", "x"}).integer, 1);
  }
  EXPECT_TRUE(PollUntil(
      [&] {
        return publisher.Command({"PUBLISH", "c", "x"}).integer == 0;
      },
      std::chrono::seconds(10)));
  RespClient sub(server.port());
  ASSERT_EQ(sub.Command({"SUBSCRIBE", "c"}).elements.size(), 3u);
  ReplyValue un = sub.Command({"UNSUBSCRIBE", "c"});
  ASSERT_EQ(un.elements.size(), 3u);
  EXPECT_EQ(un.elements[2].integer, 0);
  EXPECT_EQ(publisher.Command({"PUBLISH", "c", "late"}).integer, 0);
  // Out of subscriber mode, a normal command answers normally (no message in between).
  EXPECT_EQ(Str(sub.Command({"SET", "k", "v"})), "OK");
}

TEST(PubSub, Resp3ClientsGetPushesBetweenTheirReplies) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient sub(server.port());
  ReplyValue hello = sub.Command({"HELLO", "3"});
  ASSERT_EQ(hello.type, ReplyValue::Type::kMap);
  ReplyValue confirm = sub.Command({"SUBSCRIBE", "events"});
  EXPECT_EQ(confirm.type, ReplyValue::Type::kPush);
  EXPECT_EQ(Str(sub.Command({"SET", "k", "v"})), "OK");  // commands still run
  RespClient publisher(server.port());
  EXPECT_EQ(publisher.Command({"PUBLISH", "events", "e1"}).integer, 1);
  auto push = sub.ReadReply();
  ASSERT_TRUE(push.has_value()) << sub.last_error();
  EXPECT_EQ(push->type, ReplyValue::Type::kPush);
  ASSERT_EQ(push->elements.size(), 3u);
  EXPECT_EQ(Str(push->elements[2]), "e1");
  EXPECT_EQ(Str(sub.Command({"GET", "k"})), "v");
}

// A subscriber that never reads is cut off at client-output-buffer-limit's pubsub hard limit;
// the publisher is answered throughout, and a subscriber that reads keeps its subscription.
TEST(PubSub, ASlowSubscriberIsDisconnectedAndThePublisherGoesOn) {
  ServerProcess server(
      WithProfile("session", {"--client-output-buffer-limit", "pubsub 1mb 512kb 60"}));
  ASSERT_TRUE(server.Start());
  RespClient publisher(server.port());
  ReplyValue limits = publisher.Command({"CONFIG", "GET", "client-output-buffer-limit"});
  ASSERT_EQ(limits.elements.size(), 2u);
  EXPECT_EQ(Str(limits.elements[1]),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 60");
  RespClient slow(server.port());
  ASSERT_EQ(slow.Command({"SUBSCRIBE", "firehose"}).elements.size(), 3u);
  const std::string payload = MakeValue(64 * 1024, 1);
  int receivers_at_end = -1;
  for (int i = 0; i < 400; ++i) {  // 25 MB: far past the limit and the socket buffers
    ReplyValue r = publisher.Command({"PUBLISH", "firehose", payload});
    ASSERT_EQ(r.type, ReplyValue::Type::kInteger) << r.DebugString();
    receivers_at_end = static_cast<int>(r.integer);
  }
  EXPECT_EQ(receivers_at_end, 0) << "the slow subscriber was still subscribed";
  ReplyValue numsub = publisher.Command({"PUBSUB", "NUMSUB", "firehose"});
  ASSERT_EQ(numsub.elements.size(), 2u);
  EXPECT_EQ(numsub.elements[1].integer, 0);
  EXPECT_TRUE(slow.WaitForClose(std::chrono::seconds(10)));
  int64_t used = std::stoll(InfoField(publisher, "memory", "used_memory"));
  EXPECT_LT(used, 200ll << 20) << "used_memory after 25 MB to a stalled subscriber";

  // One that reads keeps up and stays.
  RespClient reader(server.port());
  ASSERT_EQ(reader.Command({"SUBSCRIBE", "firehose"}).elements.size(), 3u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(publisher.Command({"PUBLISH", "firehose", payload}).integer, 1);
    auto m = reader.ReadReply();
    ASSERT_TRUE(m.has_value()) << reader.last_error();
  }
}

}  // namespace
}  // namespace strata::testing

// The pub/sub registry with a recording host: who receives what, in which encoding, and that a
// forgotten session receives nothing.
#include "commands/pubsub.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "commands/context.h"

namespace strata::commands {
namespace {

class RecordingHost : public Host {
 public:
  std::map<uint64_t, std::vector<std::string>> delivered;
  void Deliver(uint64_t id, std::string_view bytes) override { delivered[id].emplace_back(bytes); }
  void ResumePaused() override {}
  const Session* FindSession(uint64_t) override { return nullptr; }
  std::vector<ClientInfo> Clients() override { return {}; }
  bool KillClient(uint64_t) override { return false; }
  void Shutdown() override {}
  size_t ConnectedClients() override { return 0; }
  size_t ClientBufferBytes() override { return 0; }
  uint16_t Port() override { return 0; }
  std::string ClientInfoLine(const Session&) override { return {}; }
  bool UnblockClient(uint64_t, bool) override { return false; }
  size_t BlockedClients() override { return 0; }
};

Session MakeSession(uint64_t id, int protocol) {
  Session s;
  s.id = id;
  s.protocol = protocol;
  return s;
}

TEST(PubSubRegistry, ChannelAndMatchingPatternsEachDeliverOnce) {
  PubSub ps;
  RecordingHost host;
  Session a = MakeSession(1, 2), b = MakeSession(2, 3);
  EXPECT_TRUE(ps.Subscribe(a, "news"));
  EXPECT_FALSE(ps.Subscribe(a, "news"));  // already
  EXPECT_TRUE(ps.PSubscribe(a, "n*"));
  EXPECT_TRUE(ps.Subscribe(b, "news"));
  EXPECT_EQ(a.subscriptions(), 2u);
  // a is reached twice (channel and pattern), as Redis counts it.
  EXPECT_EQ(ps.Publish(&host, "news", "hi"), 3u);
  ASSERT_EQ(host.delivered[1].size(), 2u);
  EXPECT_EQ(host.delivered[1][0], "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
  EXPECT_EQ(host.delivered[1][1], "*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
  ASSERT_EQ(host.delivered[2].size(), 1u);
  EXPECT_EQ(host.delivered[2][0], ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
  EXPECT_EQ(ps.Publish(&host, "other", "x"), 0u);
  EXPECT_EQ(ps.SPublish(&host, "news", "x"), 0u);  // shard channels are apart
}

TEST(PubSubRegistry, ForgetRemovesEverySubscriptionOfASession) {
  PubSub ps;
  RecordingHost host;
  Session a = MakeSession(1, 2), b = MakeSession(2, 2);
  ps.Subscribe(a, "c1");
  ps.Subscribe(a, "c2");
  ps.PSubscribe(a, "c*");
  ps.SSubscribe(a, "s1");
  ps.Subscribe(b, "c1");
  ps.Forget(a);
  EXPECT_FALSE(a.subscribed());
  EXPECT_EQ(ps.NumSub("c1"), 1u);
  EXPECT_EQ(ps.NumSub("c2"), 0u);
  EXPECT_EQ(ps.NumPat(), 0u);
  EXPECT_EQ(ps.NumSub("s1", /*shard=*/true), 0u);
  EXPECT_EQ(ps.Channels(""), std::vector<std::string>{"c1"});
  EXPECT_EQ(ps.Publish(&host, "c1", "m"), 1u);
  EXPECT_TRUE(host.delivered[1].empty());
}

}  // namespace
}  // namespace strata::commands

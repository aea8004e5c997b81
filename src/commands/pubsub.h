// The publish/subscribe registry: channels and glob patterns, each with the sessions
// subscribed to it, in subscription order.
//
// PUBLISH encodes a message once per protocol (a RESP2 array, a RESP3 push) and hands the same
// bytes to every subscriber's connection through Host::Deliver, so fan-out to thousands of
// subscribers costs one encoding. Pub/sub is fire-and-forget, as in Redis: a message reaches
// the clients subscribed at that moment and nothing is stored (streams are the durable way).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata::commands {

struct Session;
class Host;

class PubSub {
 public:
  // Each returns whether the subscription set changed.
  bool Subscribe(Session& s, std::string_view channel);
  bool Unsubscribe(Session& s, std::string_view channel);
  bool PSubscribe(Session& s, std::string_view pattern);
  bool PUnsubscribe(Session& s, std::string_view pattern);
  // Sharded channels (SSUBSCRIBE, SPUBLISH): a namespace of their own, without patterns.
  bool SSubscribe(Session& s, std::string_view channel);
  bool SUnsubscribe(Session& s, std::string_view channel);
  // Drops every subscription of `s` (disconnect, RESET).
  void Forget(Session& s);

  // Delivers `message` to the subscribers of `channel` and of every pattern matching it;
  // returns how many deliveries there were (a client matched twice counts twice, as in Redis).
  size_t Publish(Host* host, std::string_view channel, std::string_view message);
  // SPUBLISH: to the subscribers of a shard channel, as "smessage".
  size_t SPublish(Host* host, std::string_view channel, std::string_view message);

  // PUBSUB: channels with subscribers (matching `pattern`, "" = all), subscribers of one
  // channel, number of patterns subscribed.
  std::vector<std::string> Channels(std::string_view pattern, bool shard = false) const;
  size_t NumSub(std::string_view channel, bool shard = false) const;
  size_t NumPat() const { return patterns_.size(); }
  size_t ChannelCount() const { return channels_.size(); }
  size_t ShardChannelCount() const { return shard_channels_.size(); }

 private:
  using Index = std::unordered_map<std::string, std::vector<Session*>>;
  // Both keep the registry and the session's own list (`mine`) in step.
  static bool Add(Index& index, Session& s, std::vector<std::string>& mine, std::string_view name);
  static bool Remove(Index& index, Session& s, std::vector<std::string>& mine,
                     std::string_view name);

  Index channels_;
  Index patterns_;
  Index shard_channels_;
};

}  // namespace strata::commands

// SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH PUBSUB (pubsub.h).
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "commands/pubsub.h"

namespace strata::commands {
namespace {

// A (un)subscription confirmation: an array in RESP2, a push in RESP3.
void Confirm(CommandContext& ctx, std::string_view kind, const std::string* name,
             bool shard = false) {
  if (ctx.session.protocol == 3) {
    ctx.reply.PushHeader(3);
  } else {
    ctx.reply.ArrayHeader(3);
  }
  ctx.reply.Bulk(kind);
  if (name) {
    ctx.reply.Bulk(*name);
  } else {
    ctx.reply.Null();
  }
  size_t count = shard ? ctx.session.shard_channels.size() : ctx.session.subscriptions();
  ctx.reply.Integer(static_cast<int64_t>(count));
}

void Subscribe(CommandContext& ctx) {
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string channel(ctx.arg(i));
    ctx.server.pubsub.Subscribe(ctx.session, channel);
    Confirm(ctx, "subscribe", &channel);
  }
}

void PSubscribe(CommandContext& ctx) {
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string pattern(ctx.arg(i));
    ctx.server.pubsub.PSubscribe(ctx.session, pattern);
    Confirm(ctx, "psubscribe", &pattern);
  }
}

// UNSUBSCRIBE / PUNSUBSCRIBE: the named ones, or all; with none to drop, one confirmation
// with a null name.
void UnsubscribeFrom(CommandContext& ctx, bool patterns) {
  PubSub& ps = ctx.server.pubsub;
  std::string_view kind = patterns ? "punsubscribe" : "unsubscribe";
  std::vector<std::string> names;
  if (ctx.argc() > 1) {
    for (size_t i = 1; i < ctx.argc(); ++i) names.emplace_back(ctx.arg(i));
  } else {
    names = patterns ? ctx.session.patterns : ctx.session.channels;
    if (names.empty()) return Confirm(ctx, kind, nullptr);
  }
  for (const std::string& name : names) {
    if (patterns) {
      ps.PUnsubscribe(ctx.session, name);
    } else {
      ps.Unsubscribe(ctx.session, name);
    }
    Confirm(ctx, kind, &name);
  }
}

void SSubscribe(CommandContext& ctx) {
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string channel(ctx.arg(i));
    ctx.server.pubsub.SSubscribe(ctx.session, channel);
    Confirm(ctx, "ssubscribe", &channel, /*shard=*/true);
  }
}

void SUnsubscribe(CommandContext& ctx) {
  std::vector<std::string> names;
  if (ctx.argc() > 1) {
    for (size_t i = 1; i < ctx.argc(); ++i) names.emplace_back(ctx.arg(i));
  } else {
    names = ctx.session.shard_channels;
    if (names.empty()) return Confirm(ctx, "sunsubscribe", nullptr, /*shard=*/true);
  }
  for (const std::string& name : names) {
    ctx.server.pubsub.SUnsubscribe(ctx.session, name);
    Confirm(ctx, "sunsubscribe", &name, /*shard=*/true);
  }
}

void SPublish(CommandContext& ctx) {
  size_t n = ctx.server.pubsub.SPublish(ctx.server.host, ctx.arg(1), ctx.arg(2));
  ctx.reply.Integer(static_cast<int64_t>(n));
}

void Unsubscribe(CommandContext& ctx) { UnsubscribeFrom(ctx, false); }
void PUnsubscribe(CommandContext& ctx) { UnsubscribeFrom(ctx, true); }

void Publish(CommandContext& ctx) {
  size_t n = ctx.server.pubsub.Publish(ctx.server.host, ctx.arg(1), ctx.arg(2));
  ctx.reply.Integer(static_cast<int64_t>(n));
}

void ListChannels(CommandContext& ctx, bool shard) {
  if (ctx.argc() > 3) {
    return ctx.reply.Error(errors::SubcommandSyntax(ctx.arg(1), "PUBSUB"));
  }
  std::vector<std::string> names =
      ctx.server.pubsub.Channels(ctx.argc() == 3 ? ctx.arg(2) : std::string_view(), shard);
  ctx.reply.ArrayHeader(names.size());
  for (const std::string& n : names) ctx.reply.Bulk(n);
}

void PubSubChannels(CommandContext& ctx) { ListChannels(ctx, false); }
void PubSubShardChannels(CommandContext& ctx) { ListChannels(ctx, true); }

void CountSubscribers(CommandContext& ctx, bool shard) {
  // A flat array in RESP3 too, as Redis 7.0 answers.
  ctx.reply.ArrayHeader(2 * (ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.reply.Bulk(ctx.arg(i));
    ctx.reply.Integer(static_cast<int64_t>(ctx.server.pubsub.NumSub(ctx.arg(i), shard)));
  }
}

void PubSubNumSub(CommandContext& ctx) { CountSubscribers(ctx, false); }
void PubSubShardNumSub(CommandContext& ctx) { CountSubscribers(ctx, true); }

void PubSubNumPat(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.pubsub.NumPat()));
}

}  // namespace

void RegisterPubSubCommands(CommandTable& t) {
  constexpr uint32_t kSub = kPubSub | kNoScript | kLoading | kStale;
  t.Add({"subscribe",
         -2,
         kSub,
         kAclPubSub | kAclSlow,
         {},
         Subscribe,
         "pubsub",
         "2.0.0",
         "Listens for messages published to channels.",
         "O(N) where N is the number of channels to subscribe to."});
  t.Add({"unsubscribe",
         -1,
         kSub,
         kAclPubSub | kAclSlow,
         {},
         Unsubscribe,
         "pubsub",
         "2.0.0",
         "Stops listening to messages posted to channels.",
         "O(N) where N is the number of channels to unsubscribe."});
  t.Add({"psubscribe",
         -2,
         kSub,
         kAclPubSub | kAclSlow,
         {},
         PSubscribe,
         "pubsub",
         "2.0.0",
         "Listens for messages published to channels that match one or more patterns.",
         "O(N) where N is the number of patterns to subscribe to."});
  t.Add({"punsubscribe",
         -1,
         kSub,
         kAclPubSub | kAclSlow,
         {},
         PUnsubscribe,
         "pubsub",
         "2.0.0",
         "Stops listening to messages published to channels that match one or more patterns.",
         "O(N) where N is the number of patterns to unsubscribe."});
  t.Add({"publish",
         3,
         kPubSub | kLoading | kStale | kFast | kMayReplicate,
         kAclPubSub | kAclFast,
         {},
         Publish,
         "pubsub",
         "2.0.0",
         "Posts a message to a channel.",
         "O(N+M) where N is the number of clients subscribed to the receiving channel and M "
         "is the total number of subscribed patterns (by any client)."});
  t.Add({"ssubscribe",
         -2,
         kSub,
         kAclPubSub | kAclSlow,
         {1, -1, 1},
         SSubscribe,
         "pubsub",
         "7.0.0",
         "Listens for messages published to shard channels.",
         "O(N) where N is the number of shard channels to subscribe to."});
  t.Add({"sunsubscribe",
         -1,
         kSub,
         kAclPubSub | kAclSlow,
         {1, -1, 1},
         SUnsubscribe,
         "pubsub",
         "7.0.0",
         "Stops listening to messages posted to shard channels.",
         "O(N) where N is the number of shard channels to unsubscribe."});
  t.Add({"spublish",
         3,
         kPubSub | kLoading | kStale | kFast,
         kAclPubSub | kAclFast,
         {1, 1, 1},
         SPublish,
         "pubsub",
         "7.0.0",
         "Post a message to a shard channel",
         "O(N) where N is the number of clients subscribed to the receiving shard channel."});
  t.Add({"pubsub|shardchannels",
         -2,
         kPubSub | kLoading | kStale,
         kAclPubSub | kAclSlow,
         {},
         PubSubShardChannels,
         "pubsub",
         "7.0.0",
         "Returns the active shard channels.",
         "O(N) where N is the number of active shard channels, and assuming constant time "
         "pattern matching (relatively short shard channels)."});
  t.Add({"pubsub|shardnumsub",
         -2,
         kPubSub | kLoading | kStale,
         kAclPubSub | kAclSlow,
         {},
         PubSubShardNumSub,
         "pubsub",
         "7.0.0",
         "Returns the count of subscribers of shard channels.",
         "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard "
         "channels"});
  t.Add({"pubsub",
         -2,
         0,
         kAclSlow,
         {},
         nullptr,
         "pubsub",
         "2.8.0",
         "A container for Pub/Sub commands.",
         "Depends on subcommand."});
  t.Add({"pubsub|channels",
         -2,
         kPubSub | kLoading | kStale,
         kAclPubSub | kAclSlow,
         {},
         PubSubChannels,
         "pubsub",
         "2.8.0",
         "Returns the active channels.",
         "O(N) where N is the number of active channels, and assuming constant time pattern "
         "matching (relatively short channels and patterns)"});
  t.Add({"pubsub|numsub",
         -2,
         kPubSub | kLoading | kStale,
         kAclPubSub | kAclSlow,
         {},
         PubSubNumSub,
         "pubsub",
         "2.8.0",
         "Returns a count of subscribers to channels.",
         "O(N) for the NUMSUB subcommand, where N is the number of requested channels"});
  t.Add({"pubsub|numpat",
         2,
         kPubSub | kLoading | kStale,
         kAclPubSub | kAclSlow,
         {},
         PubSubNumPat,
         "pubsub",
         "2.8.0",
         "Returns a count of unique pattern subscriptions.",
         "O(1)"});
}

}  // namespace strata::commands

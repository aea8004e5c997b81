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
  t.Add({.name = "subscribe",
         .arity = -2,
         .flags = kSub,
         .acl = kAclPubSub | kAclSlow,
         .keys = {},
         .handler = Subscribe,
         .group = "pubsub",
         .since = "2.0.0",
         .summary = "Listens for messages published to channels.",
         .complexity = "O(N) where N is the number of channels to subscribe to."});
  t.Add({.name = "unsubscribe",
         .arity = -1,
         .flags = kSub,
         .acl = kAclPubSub | kAclSlow,
         .keys = {},
         .handler = Unsubscribe,
         .group = "pubsub",
         .since = "2.0.0",
         .summary = "Stops listening to messages posted to channels.",
         .complexity = "O(N) where N is the number of channels to unsubscribe."});
  t.Add({.name = "psubscribe",
         .arity = -2,
         .flags = kSub,
         .acl = kAclPubSub | kAclSlow,
         .keys = {},
         .handler = PSubscribe,
         .group = "pubsub",
         .since = "2.0.0",
         .summary = "Listens for messages published to channels that match one or more patterns.",
         .complexity = "O(N) where N is the number of patterns to subscribe to."});
  t.Add({.name = "punsubscribe",
         .arity = -1,
         .flags = kSub,
         .acl = kAclPubSub | kAclSlow,
         .keys = {},
         .handler = PUnsubscribe,
         .group = "pubsub",
         .since = "2.0.0",
         .summary =
             "Stops listening to messages published to channels that match one or more patterns.",
         .complexity = "O(N) where N is the number of patterns to unsubscribe."});
  t.Add({.name = "publish",
         .arity = 3,
         .flags = kPubSub | kLoading | kStale | kFast | kMayReplicate,
         .acl = kAclPubSub | kAclFast,
         .keys = {},
         .handler = Publish,
         .group = "pubsub",
         .since = "2.0.0",
         .summary = "Posts a message to a channel.",
         .complexity =
             "O(N+M) where N is the number of clients subscribed to the receiving channel and M "
             "is the total number of subscribed patterns (by any client)."});
  t.Add({.name = "ssubscribe",
         .arity = -2,
         .flags = kSub,
         .acl = kAclPubSub | kAclSlow,
         .keys = {1, -1, 1},
         .handler = SSubscribe,
         .group = "pubsub",
         .since = "7.0.0",
         .summary = "Listens for messages published to shard channels.",
         .complexity = "O(N) where N is the number of shard channels to subscribe to."});
  t.Add({.name = "sunsubscribe",
         .arity = -1,
         .flags = kSub,
         .acl = kAclPubSub | kAclSlow,
         .keys = {1, -1, 1},
         .handler = SUnsubscribe,
         .group = "pubsub",
         .since = "7.0.0",
         .summary = "Stops listening to messages posted to shard channels.",
         .complexity = "O(N) where N is the number of shard channels to unsubscribe."});
  t.Add({.name = "spublish",
         .arity = 3,
         .flags = kPubSub | kLoading | kStale | kFast,
         .acl = kAclPubSub | kAclFast,
         .keys = {1, 1, 1},
         .handler = SPublish,
         .group = "pubsub",
         .since = "7.0.0",
         .summary = "Post a message to a shard channel",
         .complexity =
             "O(N) where N is the number of clients subscribed to the receiving shard channel."});
  t.Add({.name = "pubsub|shardchannels",
         .arity = -2,
         .flags = kPubSub | kLoading | kStale,
         .acl = kAclPubSub | kAclSlow,
         .keys = {},
         .handler = PubSubShardChannels,
         .group = "pubsub",
         .since = "7.0.0",
         .summary = "Returns the active shard channels.",
         .complexity =
             "O(N) where N is the number of active shard channels, and assuming constant time "
             "pattern matching (relatively short shard channels)."});
  t.Add({.name = "pubsub|shardnumsub",
         .arity = -2,
         .flags = kPubSub | kLoading | kStale,
         .acl = kAclPubSub | kAclSlow,
         .keys = {},
         .handler = PubSubShardNumSub,
         .group = "pubsub",
         .since = "7.0.0",
         .summary = "Returns the count of subscribers of shard channels.",
         .complexity =
             "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard "
             "channels"});
  t.Add({.name = "pubsub",
         .arity = -2,
         .flags = 0,
         .acl = kAclSlow,
         .keys = {},
         .handler = nullptr,
         .group = "pubsub",
         .since = "2.8.0",
         .summary = "A container for Pub/Sub commands.",
         .complexity = "Depends on subcommand."});
  t.Add({.name = "pubsub|channels",
         .arity = -2,
         .flags = kPubSub | kLoading | kStale,
         .acl = kAclPubSub | kAclSlow,
         .keys = {},
         .handler = PubSubChannels,
         .group = "pubsub",
         .since = "2.8.0",
         .summary = "Returns the active channels.",
         .complexity =
             "O(N) where N is the number of active channels, and assuming constant time pattern "
             "matching (relatively short channels and patterns)"});
  t.Add({.name = "pubsub|numsub",
         .arity = -2,
         .flags = kPubSub | kLoading | kStale,
         .acl = kAclPubSub | kAclSlow,
         .keys = {},
         .handler = PubSubNumSub,
         .group = "pubsub",
         .since = "2.8.0",
         .summary = "Returns a count of subscribers to channels.",
         .complexity =
             "O(N) for the NUMSUB subcommand, where N is the number of requested channels"});
  t.Add({.name = "pubsub|numpat",
         .arity = 2,
         .flags = kPubSub | kLoading | kStale,
         .acl = kAclPubSub | kAclSlow,
         .keys = {},
         .handler = PubSubNumPat,
         .group = "pubsub",
         .since = "2.8.0",
         .summary = "Returns a count of unique pattern subscriptions.",
         .complexity = "O(1)"});
}

}  // namespace strata::commands

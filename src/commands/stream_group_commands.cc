// Consumer-group commands: XGROUP (CREATE SETID DESTROY CREATECONSUMER DELCONSUMER HELP),
// XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, and XINFO (STREAM GROUPS CONSUMERS HELP).
//
// Every change a command makes (group last-delivered ID and entries-read, consumers, pending
// entries in both indexes) is staged into the same batch as the rest of the command, so after
// a crash a command is either entirely there or not at all. Pending counts are always counted
// from the PEL, never kept as a separate counter.
#include <algorithm>

#include "commands/arg_parser.h"
#include "commands/blocking.h"
#include "commands/errors.h"
#include "commands/notify.h"
#include "commands/stream_internal.h"
#include "common/numbers.h"

namespace strata::commands::stream {
namespace {

using types::PendingEntry;
using types::Stream;
using types::StreamConsumer;
using types::StreamEntry;
using types::StreamGroup;
using types::StreamId;

std::string NoGroupText(std::string_view key, std::string_view group) {
  return "NOGROUP No such key '" + std::string(key) + "' or consumer group '" + std::string(group) +
         "'";
}

std::string NoGroupForKeyText(std::string_view group, std::string_view key) {
  return "NOGROUP No such consumer group '" + std::string(group) + "' for key name '" +
         std::string(key) + "'";
}

// The group `name` of an open stream, or nullopt after replying (missing: `missing_error`).
std::optional<StreamGroup> GroupOrReply(CommandContext& ctx, Stream& s, std::string_view name,
                                        const std::string& missing_error) {
  auto g = s.GetGroup(name);
  if (!g.ok()) {
    ReplyStatus(ctx, g.status());
    return std::nullopt;
  }
  if (!*g) {
    ctx.reply.Error(missing_error);
    return std::nullopt;
  }
  return std::move(**g);
}

// How many entries the group (or one consumer of it) has pending.
StatusOr<int64_t> CountPending(Stream& s, std::string_view group, const std::string* consumer) {
  int64_t n = 0;
  Status st = s.ScanPending(group, consumer, StreamId{}, StreamId::Max(), [&](const auto&) {
    ++n;
    return true;
  });
  if (!st.ok()) return st;
  return n;
}

// A delivery that created its consumer announces it, as Redis does.
void NotifyConsumerCreated(CommandContext& ctx, const Stream& s, const Stream::Delivery& d) {
  if (d.consumer_created) Notify(ctx, config::kNotifyStream, "xgroup-createconsumer", s.key());
}

// ---- XGROUP ---------------------------------------------------------------------------------

// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] / SETID key group id|$ [ENTRIESREAD n]
void XGroupCreateOrSetId(CommandContext& ctx, bool create) {
  bool mkstream = false;
  int64_t entries_read = -1;
  for (size_t i = 5; i < ctx.argc(); ++i) {
    if (create && EqualsIgnoreCase(ctx.arg(i), "MKSTREAM")) {
      mkstream = true;
    } else if (ctx.argc() - i > 1 && EqualsIgnoreCase(ctx.arg(i), "ENTRIESREAD")) {
      auto n = ParseInt64(ctx.arg(++i));
      if (!n) return ctx.reply.Error(errors::kNotInteger);
      if (*n < -1) return ctx.reply.Error("ERR value for ENTRIESREAD must be positive or -1");
      entries_read = *n;
    } else {
      return ctx.reply.Error(errors::SubcommandSyntax(ctx.arg(1), "XGROUP"));
    }
  }
  auto s = OpenOrReply(ctx, ctx.arg(2), /*read=*/false);
  if (!s) return;
  const std::string_view key = ctx.arg(2), name = ctx.arg(3);
  if (!s->exists() && !mkstream) {
    return ctx.reply.Error(
        "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want "
        "to use the MKSTREAM option to create an empty stream automatically.");
  }
  std::optional<StreamGroup> group;
  if (s->exists()) {
    auto g = s->GetGroup(name);
    if (!g.ok()) return ReplyStatus(ctx, g.status());
    group = std::move(*g);
  }
  if (!create && !group) return ctx.reply.Error(NoGroupForKeyText(name, key));
  if (create ? ctx.argc() > 8 : (ctx.argc() != 5 && ctx.argc() != 7)) {
    return ctx.reply.Error(errors::SubcommandSyntax(ctx.arg(1), "XGROUP"));
  }
  StreamId id;
  if (ctx.arg(4) == "$") {
    id = s->last_id();
  } else if (create ? !ParseIdOrReply(ctx, ctx.arg(4), 0, &id)
                    : !ParseRangeBoundOrReply(ctx, ctx.arg(4), true, &id)) {
    return;
  }
  if (create && group) return ctx.reply.Error("BUSYGROUP Consumer Group name already exists");
  if (!s->exists()) s->Create();
  s->PutGroup(StreamGroup{std::string(name), id, entries_read}, /*fresh=*/!group);
  s->FinishWrite();
  Notify(ctx, config::kNotifyStream, create ? "xgroup-create" : "xgroup-setid", key);
  ctx.reply.SimpleString("OK");
}

void XGroupCreate(CommandContext& ctx) { XGroupCreateOrSetId(ctx, true); }
void XGroupSetId(CommandContext& ctx) { XGroupCreateOrSetId(ctx, false); }

// The stream and group of DESTROY/CREATECONSUMER/DELCONSUMER (key at 2, group at 3); nullopt
// after replying. The group may be missing only when `need_group` is false.
std::optional<Stream> OpenForGroupOrReply(CommandContext& ctx, bool need_group,
                                          std::optional<StreamGroup>* group) {
  auto s = OpenOrReply(ctx, ctx.arg(2), /*read=*/false);
  if (!s) return std::nullopt;
  if (!s->exists()) {
    ctx.reply.Error(
        "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want "
        "to use the MKSTREAM option to create an empty stream automatically.");
    return std::nullopt;
  }
  auto g = s->GetGroup(ctx.arg(3));
  if (!g.ok()) {
    ReplyStatus(ctx, g.status());
    return std::nullopt;
  }
  if (!*g && need_group) {
    ctx.reply.Error(NoGroupForKeyText(ctx.arg(3), ctx.arg(2)));
    return std::nullopt;
  }
  *group = std::move(*g);
  return s;
}

void XGroupDestroy(CommandContext& ctx) {
  std::optional<StreamGroup> group;
  auto s = OpenForGroupOrReply(ctx, false, &group);
  if (!s) return;
  if (!group) return ctx.reply.Integer(0);
  Status st = s->DestroyGroup(ctx.arg(3));
  if (!st.ok()) return ReplyStatus(ctx, st);
  s->FinishWrite();
  Notify(ctx, config::kNotifyStream, "xgroup-destroy", ctx.arg(2));
  // Clients blocked in XREADGROUP on this group run again and learn it is gone.
  ctx.ks().SignalReady(ctx.session.db, ctx.arg(2));
  ctx.reply.Integer(1);
}

void XGroupCreateConsumer(CommandContext& ctx) {
  std::optional<StreamGroup> group;
  auto s = OpenForGroupOrReply(ctx, true, &group);
  if (!s) return;
  auto c = s->GetConsumer(ctx.arg(3), ctx.arg(4));
  if (!c.ok()) return ReplyStatus(ctx, c.status());
  if (*c) return ctx.reply.Integer(0);
  auto created =
      s->PutConsumer(ctx.arg(3), StreamConsumer{std::string(ctx.arg(4)), ctx.ks().now_ms()});
  if (!created.ok()) return ReplyStatus(ctx, created.status());
  Notify(ctx, config::kNotifyStream, "xgroup-createconsumer", s->key());
  s->FinishWrite();
  ctx.reply.Integer(1);
}

void XGroupDelConsumer(CommandContext& ctx) {
  std::optional<StreamGroup> group;
  auto s = OpenForGroupOrReply(ctx, true, &group);
  if (!s) return;
  auto c = s->GetConsumer(ctx.arg(3), ctx.arg(4));
  if (!c.ok()) return ReplyStatus(ctx, c.status());
  if (!*c) return ctx.reply.Integer(0);
  auto pending = s->DeleteConsumer(ctx.arg(3), ctx.arg(4));
  if (!pending.ok()) return ReplyStatus(ctx, pending.status());
  s->FinishWrite();
  Notify(ctx, config::kNotifyStream, "xgroup-delconsumer", ctx.arg(2));
  ctx.reply.Integer(*pending);
}

void XGroupHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CREATE <key> <groupname> <id|$> [option]",
      "    Create a new consumer group. Options are:",
      "    * MKSTREAM",
      "      Create the empty stream if it does not exist.",
      "    * ENTRIESREAD entries_read",
      "      Set the group's entries_read counter (internal use).",
      "CREATECONSUMER <key> <groupname> <consumer>",
      "    Create a new consumer in the specified group.",
      "DELCONSUMER <key> <groupname> <consumer>",
      "    Remove the specified consumer.",
      "DESTROY <key> <groupname>",
      "    Remove the specified group.",
      "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
      "    Set the current group ID and entries_read counter.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

// ---- XREADGROUP -----------------------------------------------------------------------------

// XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key ... id ...
void XReadGroup(CommandContext& ctx) {
  ReadArgs args;
  if (!ParseReadArgs(ctx, /*xreadgroup=*/true, &args)) return;
  std::optional<StreamWait> wait;
  wait.swap(ctx.session.stream_wait);
  const bool rerun = wait && IsWaitRerun(ctx, *wait);
  std::vector<Stream> streams;
  std::vector<StreamGroup> groups;
  for (size_t i = 0; i < args.nkeys; ++i) {
    const std::string_view key = ctx.arg(args.keys_at + i);
    auto s = OpenOrReply(ctx, key, /*read=*/true);
    if (!s) return;
    auto g = s->GetGroup(args.group);
    if (!g.ok()) return ReplyStatus(ctx, g.status());
    if (!*g) {
      if (rerun) {
        return ctx.reply.Error(
            "NOGROUP the consumer group this client was blocked on no longer "
            "exists");
      }
      return ctx.reply.Error("NOGROUP No such key '" + std::string(key) + "' or consumer group '" +
                             std::string(args.group) + "' in XREADGROUP with GROUP option");
    }
    std::string_view id = ctx.arg(args.keys_at + args.nkeys + i);
    if (id == "$") {
      return ctx.reply.Error(
          "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history "
          "of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ "
          "ID would just return an empty result set.");
    }
    StreamId parsed;
    if (id != ">" && !ParseIdOrReply(ctx, id, 0, &parsed)) return;
    streams.push_back(std::move(*s));
    groups.push_back(std::move(**g));
  }

  const int64_t now = ctx.ks().now_ms();
  struct Served {
    size_t key;
    Stream::Delivery delivery;
  };
  std::vector<Served> served;
  for (size_t i = 0; i < args.nkeys; ++i) {
    Stream& s = streams[i];
    std::string_view id_arg = ctx.arg(args.keys_at + args.nkeys + i);
    const bool history = id_arg != ">";
    auto delivery =
        history ? s.DeliverPending(groups[i], args.consumer, *types::ParseStreamId(id_arg, 0, true),
                                   static_cast<uint64_t>(args.count), now)
                : s.DeliverNew(&groups[i], args.consumer, static_cast<uint64_t>(args.count),
                               args.noack, now);
    if (!delivery.ok()) return ReplyStatus(ctx, delivery.status());
    NotifyConsumerCreated(ctx, s, *delivery);
    // A history read answers for every key; a read of new entries only for keys that had some.
    if (history || !delivery->entries.empty()) served.push_back(Served{i, std::move(*delivery)});
  }
  if (served.empty()) {
    if (!args.block) return ctx.reply.NullArray();
    return BlockRead(ctx, args, {});
  }
  const bool map = ctx.reply.protocol() >= 3;
  map ? ctx.reply.MapHeader(served.size()) : ctx.reply.ArrayHeader(served.size());
  for (const Served& r : served) {
    if (!map) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(ctx.arg(args.keys_at + r.key));
    const Stream::Delivery& d = r.delivery;
    ctx.reply.ArrayHeader(d.entries.size());
    for (size_t j = 0; j < d.entries.size(); ++j) {
      if (!d.deleted[j]) {
        ReplyEntry(ctx, d.entries[j]);
        continue;
      }
      ctx.reply.ArrayHeader(2);
      ReplyId(ctx, d.entries[j].id);
      ctx.reply.NullArray();
    }
  }
}

// ---- XACK -----------------------------------------------------------------------------------

// XACK key group id [id ...]
void XAck(CommandContext& ctx) {
  auto s = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!s) return;
  if (!s->exists()) return ctx.reply.Integer(0);
  auto group = s->GetGroup(ctx.arg(2));
  if (!group.ok()) return ReplyStatus(ctx, group.status());
  if (!*group) return ctx.reply.Integer(0);
  std::vector<StreamId> ids(ctx.argc() - 3);
  for (size_t i = 3; i < ctx.argc(); ++i) {
    if (!ParseIdOrReply(ctx, ctx.arg(i), 0, &ids[i - 3])) return;
  }
  int64_t acked = 0;
  for (const StreamId& id : ids) {
    // A staged removal is visible to the next lookup, so an ID named twice counts once.
    auto p = s->GetPending(ctx.arg(2), id);
    if (!p.ok()) return ReplyStatus(ctx, p.status());
    if (!*p) continue;
    s->DeletePending(ctx.arg(2), id, (*p)->consumer);
    ++acked;
  }
  s->FinishWrite();
  ctx.reply.Integer(acked);
}

// ---- XPENDING -------------------------------------------------------------------------------

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
void XPending(CommandContext& ctx) {
  if (ctx.argc() != 3 && (ctx.argc() < 6 || ctx.argc() > 9)) {
    return ctx.reply.Error(errors::kSyntax);
  }
  const bool summary = ctx.argc() == 3;
  int64_t min_idle = 0, count = 0;
  StreamId start, end;
  std::optional<std::string> consumer;
  if (!summary) {
    size_t at = 3;
    if (EqualsIgnoreCase(ctx.arg(3), "IDLE")) {
      auto n = ParseInt64(ctx.arg(4));
      if (!n) return ctx.reply.Error(errors::kNotInteger);
      min_idle = *n;
      if (ctx.argc() < 8) return ctx.reply.Error(errors::kSyntax);
      at += 2;
    }
    auto n = ParseInt64(ctx.arg(at + 2));
    if (!n) return ctx.reply.Error(errors::kNotInteger);
    count = std::max<int64_t>(*n, 0);
    if (!ParseRangeBoundOrReply(ctx, ctx.arg(at), true, &start)) return;
    if (!ParseRangeBoundOrReply(ctx, ctx.arg(at + 1), false, &end)) return;
    if (at + 3 < ctx.argc()) consumer = std::string(ctx.arg(at + 3));
  }
  auto s = OpenOrReply(ctx, ctx.arg(1), /*read=*/true);
  if (!s) return;
  if (!s->exists()) return ctx.reply.Error(NoGroupText(ctx.arg(1), ctx.arg(2)));
  auto group = GroupOrReply(ctx, *s, ctx.arg(2), NoGroupText(ctx.arg(1), ctx.arg(2)));
  if (!group) return;
  const int64_t now = ctx.ks().now_ms();
  if (summary) {
    int64_t total = 0;
    StreamId first, last;
    Status st = s->ScanPending(group->name, nullptr, StreamId{}, StreamId::Max(),
                               [&](const PendingEntry& p) {
                                 if (total++ == 0) first = p.id;
                                 last = p.id;
                                 return true;
                               });
    if (!st.ok()) return ReplyStatus(ctx, st);
    ctx.reply.ArrayHeader(4);
    ctx.reply.Integer(total);
    if (total == 0) {
      ctx.reply.Null();
      ctx.reply.Null();
      ctx.reply.NullArray();
      return;
    }
    ReplyId(ctx, first);
    ReplyId(ctx, last);
    auto consumers = s->Consumers(group->name);
    if (!consumers.ok()) return ReplyStatus(ctx, consumers.status());
    std::vector<std::pair<std::string, int64_t>> counts;
    for (const StreamConsumer& c : *consumers) {
      auto n = CountPending(*s, group->name, &c.name);
      if (!n.ok()) return ReplyStatus(ctx, n.status());
      if (*n > 0) counts.emplace_back(c.name, *n);
    }
    ctx.reply.ArrayHeader(counts.size());
    for (const auto& [name, n] : counts) {
      ctx.reply.ArrayHeader(2);
      ctx.reply.Bulk(name);
      ctx.reply.Bulk(std::to_string(n));
    }
    return;
  }
  if (consumer) {
    auto c = s->GetConsumer(group->name, *consumer);
    if (!c.ok()) return ReplyStatus(ctx, c.status());
    if (!*c) return ctx.reply.ArrayHeader(0);
  }
  std::vector<PendingEntry> out;
  if (count > 0) {
    Status st = s->ScanPending(group->name, consumer ? &*consumer : nullptr, start, end,
                               [&](const PendingEntry& p) {
                                 if (min_idle > 0 && now - p.delivery_ms < min_idle) return true;
                                 out.push_back(p);
                                 return static_cast<int64_t>(out.size()) < count;
                               });
    if (!st.ok()) return ReplyStatus(ctx, st);
  }
  ctx.reply.ArrayHeader(out.size());
  for (const PendingEntry& p : out) {
    ctx.reply.ArrayHeader(4);
    ReplyId(ctx, p.id);
    ctx.reply.Bulk(p.consumer);
    ctx.reply.Integer(now - p.delivery_ms);
    ctx.reply.Integer(static_cast<int64_t>(p.delivery_count));
  }
}

// ---- XCLAIM / XAUTOCLAIM --------------------------------------------------------------------

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms]
//        [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
void XClaim(CommandContext& ctx) {
  auto s = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!s) return;
  const std::string nogroup = NoGroupText(ctx.arg(1), ctx.arg(2));
  if (!s->exists()) return ctx.reply.Error(nogroup);
  auto group = GroupOrReply(ctx, *s, ctx.arg(2), nogroup);
  if (!group) return;
  auto min_idle = ParseInt64(ctx.arg(4));
  if (!min_idle) return ctx.reply.Error("ERR Invalid min-idle-time argument for XCLAIM");
  size_t j = 5;
  std::vector<StreamId> ids;
  for (; j < ctx.argc(); ++j) {
    auto id = types::ParseStreamId(ctx.arg(j), 0, /*strict=*/true);
    if (!id) break;  // perhaps the options
    ids.push_back(*id);
  }
  const int64_t now = ctx.ks().now_ms();
  int64_t delivery_ms = -1, retry = -1;
  bool force = false, justid = false, has_delivery = false;
  std::optional<StreamId> last_id;
  for (; j < ctx.argc(); ++j) {
    const bool more = j + 1 < ctx.argc();
    std::string_view opt = ctx.arg(j);
    if (EqualsIgnoreCase(opt, "FORCE")) {
      force = true;
    } else if (EqualsIgnoreCase(opt, "JUSTID")) {
      justid = true;
    } else if ((EqualsIgnoreCase(opt, "IDLE") || EqualsIgnoreCase(opt, "TIME")) && more) {
      const bool idle = EqualsIgnoreCase(opt, "IDLE");
      auto n = ParseInt64(ctx.arg(++j));
      if (!n) {
        return ctx.reply.Error(idle ? "ERR Invalid IDLE option argument for XCLAIM"
                                    : "ERR Invalid TIME option argument for XCLAIM");
      }
      delivery_ms = idle ? now - *n : *n;
      has_delivery = true;
    } else if (EqualsIgnoreCase(opt, "RETRYCOUNT") && more) {
      auto n = ParseInt64(ctx.arg(++j));
      if (!n) return ctx.reply.Error("ERR Invalid RETRYCOUNT option argument for XCLAIM");
      retry = *n;
    } else if (EqualsIgnoreCase(opt, "LASTID") && more) {
      StreamId id;
      if (!ParseIdOrReply(ctx, ctx.arg(++j), 0, &id)) return;
      last_id = id;
    } else {
      return ctx.reply.Error("ERR Unrecognized XCLAIM option '" + std::string(opt) + "'");
    }
  }
  // A bogus time (clients compute it from their own clock) means now, as in Redis.
  if (!has_delivery || delivery_ms < 0 || delivery_ms > now) delivery_ms = now;
  if (last_id && *last_id > group->last_id) {
    group->last_id = *last_id;
    s->PutGroup(*group);
  }
  Stream::ClaimOptions options;
  options.min_idle = *min_idle;
  options.delivery_ms = delivery_ms;
  options.retry = retry;
  options.force = force;
  options.justid = justid;
  auto claimed = s->Claim(*group, ctx.arg(3), ids, options, now);
  if (!claimed.ok()) return ReplyStatus(ctx, claimed.status());
  NotifyConsumerCreated(ctx, *s, *claimed);
  ctx.reply.ArrayHeader(claimed->entries.size());
  for (const StreamEntry& e : claimed->entries) justid ? ReplyId(ctx, e.id) : ReplyEntry(ctx, e);
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
void XAutoClaim(CommandContext& ctx) {
  auto s = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!s) return;
  const std::string nogroup = NoGroupText(ctx.arg(1), ctx.arg(2));
  if (!s->exists()) return ctx.reply.Error(nogroup);
  auto group = GroupOrReply(ctx, *s, ctx.arg(2), nogroup);
  if (!group) return;
  auto parsed_idle = ParseInt64(ctx.arg(4));
  if (!parsed_idle) return ctx.reply.Error("ERR Invalid min-idle-time argument for XAUTOCLAIM");
  const int64_t min_idle = std::max<int64_t>(*parsed_idle, 0);
  StreamId start;
  if (!ParseRangeBoundOrReply(ctx, ctx.arg(5), true, &start)) return;
  int64_t count = 100;
  bool justid = false;
  for (size_t j = 6; j < ctx.argc(); ++j) {
    if (EqualsIgnoreCase(ctx.arg(j), "COUNT") && j + 1 < ctx.argc()) {
      auto n = ParseInt64(ctx.arg(++j));
      // Redis bounds COUNT so that COUNT * 10 attempts cannot overflow.
      if (!n || *n < 1 || *n > INT64_MAX / 10) return ctx.reply.Error("ERR COUNT must be > 0");
      count = *n;
    } else if (EqualsIgnoreCase(ctx.arg(j), "JUSTID")) {
      justid = true;
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  auto result = s->AutoClaim(*group, ctx.arg(3), min_idle, start, count, justid, ctx.ks().now_ms());
  if (!result.ok()) return ReplyStatus(ctx, result.status());
  NotifyConsumerCreated(ctx, *s, result->claimed);
  ctx.reply.ArrayHeader(3);
  ReplyId(ctx, result->cursor);
  ctx.reply.ArrayHeader(result->claimed.entries.size());
  for (const StreamEntry& e : result->claimed.entries) {
    justid ? ReplyId(ctx, e.id) : ReplyEntry(ctx, e);
  }
  ctx.reply.ArrayHeader(result->deleted.size());
  for (const StreamId& id : result->deleted) ReplyId(ctx, id);
}

}  // namespace

void RegisterGroupCommands(CommandTable& table) {
  constexpr uint32_t kReadSlow = kAclRead | kAclStream | kAclSlow;
  constexpr uint32_t kWriteFast = kAclWrite | kAclStream | kAclFast;
  constexpr uint32_t kWriteSlow = kAclWrite | kAclStream | kAclSlow;
  // clang-format off
  table.Add({.name = "xgroup", .arity = -2, .flags = 0, .acl = kAclSlow, .keys = {},
             .handler = nullptr, .group = "stream", .since = "5.0.0",
             .summary = "A container for consumer groups commands",
             .complexity = "Depends on subcommand."});
  table.Add({.name = "xgroup|create", .arity = -5, .flags = kWrite | kDenyOom,
             .acl = kWriteSlow, .keys = {2, 2, 1}, .handler = XGroupCreate, .group = "stream",
             .since = "5.0.0", .summary = "Create a consumer group.", .complexity = "O(1)"});
  table.Add({.name = "xgroup|setid", .arity = -5, .flags = kWrite, .acl = kWriteSlow,
             .keys = {2, 2, 1}, .handler = XGroupSetId, .group = "stream", .since = "5.0.0",
             .summary = "Set a consumer group to an arbitrary last delivered ID value.",
             .complexity = "O(1)"});
  table.Add({.name = "xgroup|destroy", .arity = 4, .flags = kWrite, .acl = kWriteSlow,
             .keys = {2, 2, 1}, .handler = XGroupDestroy, .group = "stream", .since = "5.0.0",
             .summary = "Destroy a consumer group.",
             .complexity = "O(N) where N is the number of entries in the group's pending entries "
                           "list (PEL)."});
  table.Add({.name = "xgroup|createconsumer", .arity = 5, .flags = kWrite | kDenyOom,
             .acl = kWriteSlow, .keys = {2, 2, 1}, .handler = XGroupCreateConsumer,
             .group = "stream", .since = "6.2.0",
             .summary = "Create a consumer in a consumer group.", .complexity = "O(1)"});
  table.Add({.name = "xgroup|delconsumer", .arity = 5, .flags = kWrite, .acl = kWriteSlow,
             .keys = {2, 2, 1}, .handler = XGroupDelConsumer, .group = "stream",
             .since = "5.0.0", .summary = "Delete a consumer from a consumer group.",
             .complexity = "O(1)"});
  table.Add({.name = "xgroup|help", .arity = 2, .flags = kLoading | kStale,
             .acl = kAclStream | kAclSlow, .keys = {}, .handler = XGroupHelp, .group = "stream",
             .since = "5.0.0", .summary = "Show helpful text about the different subcommands",
             .complexity = "O(1)"});
  table.Add({.name = "xreadgroup", .arity = -7, .flags = kWrite | kBlocking | kMovableKeys,
             .acl = kWriteSlow | kAclBlocking, .keys = {1, -1, 1, "streams"},
             .handler = XReadGroup, .group = "stream", .since = "5.0.0",
             .summary = "Return new entries from a stream using a consumer group, or access the "
                        "history of the pending entries for a given consumer. Can block.",
             .complexity = "For each stream mentioned: O(M) with M being the number of elements "
                           "returned. If M is constant (e.g. always asking for the first 10 "
                           "elements with COUNT), you can consider it O(1). On the other side "
                           "when XREADGROUP blocks, XADD will pay the O(N) time in order to serve "
                           "the N clients blocked on the stream getting new data."});
  table.Add({.name = "xack", .arity = -4, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = XAck, .group = "stream", .since = "5.0.0",
             .summary = "Marks a pending message as correctly processed, effectively removing it "
                        "from the pending entries list of the consumer group. Return value of "
                        "the command is the number of messages successfully acknowledged, that "
                        "is, the IDs we were actually able to resolve in the PEL.",
             .complexity = "O(1) for each message ID processed."});
  table.Add({.name = "xpending", .arity = -3, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = XPending, .group = "stream", .since = "5.0.0",
             .summary = "Return information and entries from a stream consumer group pending "
                        "entries list, that are messages fetched but never acknowledged.",
             .complexity = "O(N) with N being the number of elements returned, so asking for a "
                           "small fixed number of entries per call is O(1). O(M), where M is the "
                           "total number of entries scanned when used with the IDLE filter. When "
                           "the command returns just the summary and the list of consumers is "
                           "small, it runs in O(1) time; otherwise, an additional O(N) time for "
                           "iterating every consumer."});
  table.Add({.name = "xclaim", .arity = -6, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = XClaim, .group = "stream", .since = "5.0.0",
             .summary = "Changes (or acquires) ownership of a message in a consumer group, as if "
                        "the message was delivered to the specified consumer.",
             .complexity = "O(log N) with N being the number of messages in the PEL of the "
                           "consumer group."});
  table.Add({.name = "xautoclaim", .arity = -6, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = XAutoClaim, .group = "stream", .since = "6.2.0",
             .summary = "Changes (or acquires) ownership of messages in a consumer group, as if "
                        "the messages were delivered to the specified consumer.",
             .complexity = "O(1) if COUNT is small."});
  // clang-format on
  RegisterInfoCommands(table);
}

}  // namespace strata::commands::stream

// XINFO STREAM [FULL [COUNT n]] | GROUPS | CONSUMERS | HELP: maps in RESP3, flat field/value
// arrays in RESP2, with Redis 7.0's fields in Redis 7.0's order.
//
// radix-tree-keys and radix-tree-nodes describe Redis's own memory layout: a radix tree of
// listpacks of up to 100 entries, keyed by each listpack's first ID. Strata reports what Redis
// would for the entries it has, cut into runs of 100 from the first: exact for streams that
// were only appended to and trimmed (what tools usually look at), close otherwise. Past
// kLayoutScanLimit entries it estimates instead of walking the stream.
#include "commands/arg_parser.h"
#include "commands/errors.h"
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

constexpr uint64_t kNodeEntries = 100;
constexpr uint64_t kLayoutScanLimit = 100000;

// The number of nodes of a Redis radix tree (rax) holding the sorted, distinct, equally long
// `keys[lo, hi)` below depth `depth`: a shared run of bytes is one compressed node, a byte
// where keys differ is one branching node, and every key ends in a leaf.
uint64_t RaxNodes(const std::vector<std::string>& keys, size_t lo, size_t hi, size_t depth) {
  const size_t len = keys[lo].size();
  if (depth == len) return 1;  // the leaf
  size_t common = len;
  for (size_t i = lo + 1; i < hi; ++i) {
    size_t j = depth;
    while (j < common && keys[i][j] == keys[lo][j]) ++j;
    common = j;
  }
  if (common > depth) return 1 + RaxNodes(keys, lo, hi, common);
  uint64_t n = 1;  // branching on keys[.][depth]
  for (size_t i = lo; i < hi;) {
    size_t j = i + 1;
    while (j < hi && keys[j][depth] == keys[i][depth]) ++j;
    n += RaxNodes(keys, i, j, depth + 1);
    i = j;
  }
  return n;
}

// radix-tree-keys and radix-tree-nodes (see the top of this file).
StatusOr<std::pair<uint64_t, uint64_t>> RadixTreeLayout(Stream& s) {
  const uint64_t length = s.length();
  if (length == 0) return std::make_pair(uint64_t{0}, uint64_t{1});
  if (length > kLayoutScanLimit) {
    const uint64_t keys = (length + kNodeEntries - 1) / kNodeEntries;
    return std::make_pair(keys, 2 * keys + 2);
  }
  // Without XDEL, the entries are the last `length` ever added, so each one's place in the
  // sequence of appends (which is what fills listpacks) is known; trimming leaves the first
  // listpack partly used.
  const uint64_t added = s.header().entries_added;
  const uint64_t skipped =
      s.max_deleted_id().IsZero() && added >= length ? (added - length) % kNodeEntries : 0;
  auto entries = s.Range(StreamId{}, StreamId::Max(), false, 0);
  if (!entries.ok()) return entries.status();
  std::vector<std::string> masters;
  for (size_t i = 0; i < entries->size(); ++i) {
    if (i == 0 || (i + skipped) % kNodeEntries == 0) {
      masters.push_back(types::StreamEntrySubKey((*entries)[i].id).substr(1));
    }
  }
  return std::make_pair(uint64_t{masters.size()}, RaxNodes(masters, 0, masters.size(), 0));
}

void Field(CommandContext& ctx, std::string_view name) { ctx.reply.Bulk(name); }

void MapOf(CommandContext& ctx, size_t pairs) {
  ctx.reply.protocol() >= 3 ? ctx.reply.MapHeader(pairs) : ctx.reply.ArrayHeader(2 * pairs);
}

StatusOr<int64_t> CountPending(Stream& s, std::string_view group, const std::string* consumer) {
  int64_t n = 0;
  Status st = s.ScanPending(group, consumer, StreamId{}, StreamId::Max(), [&](const auto&) {
    ++n;
    return true;
  });
  if (!st.ok()) return st;
  return n;
}

// The header fields XINFO STREAM starts with, in both forms.
void ReplyStreamHeader(CommandContext& ctx, Stream& s, std::pair<uint64_t, uint64_t> layout) {
  storage::CollectionHeader h = s.header();
  Field(ctx, "length");
  ctx.reply.Integer(static_cast<int64_t>(s.length()));
  Field(ctx, "radix-tree-keys");
  ctx.reply.Integer(static_cast<int64_t>(layout.first));
  Field(ctx, "radix-tree-nodes");
  ctx.reply.Integer(static_cast<int64_t>(layout.second));
  Field(ctx, "last-generated-id");
  ReplyId(ctx, s.last_id());
  Field(ctx, "max-deleted-entry-id");
  ReplyId(ctx, s.max_deleted_id());
  Field(ctx, "entries-added");
  ctx.reply.Integer(static_cast<int64_t>(h.entries_added));
  Field(ctx, "recorded-first-entry-id");
  ReplyId(ctx, s.first_id());
}

void ReplyMaybeNull(CommandContext& ctx, std::optional<int64_t> v) {
  v ? ctx.reply.Integer(*v) : ctx.reply.Null();
}

void ReplyEntriesRead(CommandContext& ctx, const StreamGroup& g) {
  ReplyMaybeNull(ctx, g.entries_read == -1 ? std::nullopt : std::optional<int64_t>(g.entries_read));
}

Status ReplyFull(CommandContext& ctx, Stream& s, int64_t count) {
  const uint64_t limit = static_cast<uint64_t>(count);  // 0 = everything
  auto entries = s.Range(StreamId{}, StreamId::Max(), false, limit);
  if (!entries.ok()) return entries.status();
  auto groups = s.Groups();
  if (!groups.ok()) return groups.status();
  auto layout = RadixTreeLayout(s);
  if (!layout.ok()) return layout.status();
  MapOf(ctx, 9);
  ReplyStreamHeader(ctx, s, *layout);
  Field(ctx, "entries");
  ReplyEntries(ctx, *entries);
  Field(ctx, "groups");
  ctx.reply.ArrayHeader(groups->size());
  for (const StreamGroup& g : *groups) {
    std::vector<PendingEntry> pel;
    int64_t pel_count = 0;
    Status st =
        s.ScanPending(g.name, nullptr, StreamId{}, StreamId::Max(), [&](const PendingEntry& p) {
          ++pel_count;
          if (limit == 0 || pel.size() < limit) pel.push_back(p);
          return true;
        });
    if (!st.ok()) return st;
    auto consumers = s.Consumers(g.name);
    if (!consumers.ok()) return consumers.status();
    MapOf(ctx, 7);
    Field(ctx, "name");
    ctx.reply.Bulk(g.name);
    Field(ctx, "last-delivered-id");
    ReplyId(ctx, g.last_id);
    Field(ctx, "entries-read");
    ReplyEntriesRead(ctx, g);
    Field(ctx, "lag");
    ReplyMaybeNull(ctx, s.Lag(g));
    Field(ctx, "pel-count");
    ctx.reply.Integer(pel_count);
    Field(ctx, "pending");
    ctx.reply.ArrayHeader(pel.size());
    for (const PendingEntry& p : pel) {
      ctx.reply.ArrayHeader(4);
      ReplyId(ctx, p.id);
      ctx.reply.Bulk(p.consumer);
      ctx.reply.Integer(p.delivery_ms);
      ctx.reply.Integer(static_cast<int64_t>(p.delivery_count));
    }
    Field(ctx, "consumers");
    ctx.reply.ArrayHeader(consumers->size());
    for (const StreamConsumer& c : *consumers) {
      std::vector<PendingEntry> own;
      int64_t own_count = 0;
      st = s.ScanPending(g.name, &c.name, StreamId{}, StreamId::Max(), [&](const PendingEntry& p) {
        ++own_count;
        if (limit == 0 || own.size() < limit) own.push_back(p);
        return true;
      });
      if (!st.ok()) return st;
      MapOf(ctx, 4);
      Field(ctx, "name");
      ctx.reply.Bulk(c.name);
      Field(ctx, "seen-time");
      ctx.reply.Integer(c.seen_ms);
      Field(ctx, "pel-count");
      ctx.reply.Integer(own_count);
      Field(ctx, "pending");
      ctx.reply.ArrayHeader(own.size());
      for (const PendingEntry& p : own) {
        ctx.reply.ArrayHeader(3);
        ReplyId(ctx, p.id);
        ctx.reply.Integer(p.delivery_ms);
        ctx.reply.Integer(static_cast<int64_t>(p.delivery_count));
      }
    }
  }
  return Status::OK();
}

// XINFO STREAM key [FULL [COUNT count]]
void XInfoStream(CommandContext& ctx) {
  // As Redis: the key first (missing, wrong type), then the options.
  auto s = OpenOrReply(ctx, ctx.arg(2), /*read=*/true);
  if (!s) return;
  if (!s->exists()) return ctx.reply.Error(errors::kNoSuchKey);
  bool full = false;
  int64_t count = 10;
  if (ctx.argc() > 3) {
    if (!EqualsIgnoreCase(ctx.arg(3), "FULL") || (ctx.argc() != 4 && ctx.argc() != 6) ||
        (ctx.argc() == 6 && !EqualsIgnoreCase(ctx.arg(4), "COUNT"))) {
      return ctx.reply.Error(errors::SubcommandSyntax(ctx.arg(1), "XINFO"));
    }
    full = true;
    if (ctx.argc() == 6) {
      auto n = ParseInt64(ctx.arg(5));
      if (!n) return ctx.reply.Error(errors::kNotInteger);
      count = *n < 0 ? 0 : *n;
    }
  }
  if (full) {
    Status st = ReplyFull(ctx, *s, count);
    if (!st.ok()) ReplyStatus(ctx, st);
    return;
  }
  auto groups = s->Groups();
  if (!groups.ok()) return ReplyStatus(ctx, groups.status());
  auto first = s->Range(StreamId{}, StreamId::Max(), false, 1);
  if (!first.ok()) return ReplyStatus(ctx, first.status());
  auto last = s->Range(StreamId{}, StreamId::Max(), true, 1);
  if (!last.ok()) return ReplyStatus(ctx, last.status());
  auto layout = RadixTreeLayout(*s);
  if (!layout.ok()) return ReplyStatus(ctx, layout.status());
  MapOf(ctx, 10);
  ReplyStreamHeader(ctx, *s, *layout);
  Field(ctx, "groups");
  ctx.reply.Integer(static_cast<int64_t>(groups->size()));
  Field(ctx, "first-entry");
  first->empty() ? ctx.reply.Null() : ReplyEntry(ctx, first->front());
  Field(ctx, "last-entry");
  last->empty() ? ctx.reply.Null() : ReplyEntry(ctx, last->front());
}

// XINFO GROUPS key
void XInfoGroups(CommandContext& ctx) {
  auto s = OpenOrReply(ctx, ctx.arg(2), /*read=*/true);
  if (!s) return;
  if (!s->exists()) return ctx.reply.Error(errors::kNoSuchKey);
  auto groups = s->Groups();
  if (!groups.ok()) return ReplyStatus(ctx, groups.status());
  ctx.reply.ArrayHeader(groups->size());
  for (const StreamGroup& g : *groups) {
    auto consumers = s->Consumers(g.name);
    if (!consumers.ok()) return ReplyStatus(ctx, consumers.status());
    auto pending = CountPending(*s, g.name, nullptr);
    if (!pending.ok()) return ReplyStatus(ctx, pending.status());
    MapOf(ctx, 6);
    Field(ctx, "name");
    ctx.reply.Bulk(g.name);
    Field(ctx, "consumers");
    ctx.reply.Integer(static_cast<int64_t>(consumers->size()));
    Field(ctx, "pending");
    ctx.reply.Integer(*pending);
    Field(ctx, "last-delivered-id");
    ReplyId(ctx, g.last_id);
    Field(ctx, "entries-read");
    ReplyEntriesRead(ctx, g);
    Field(ctx, "lag");
    ReplyMaybeNull(ctx, s->Lag(g));
  }
}

// XINFO CONSUMERS key group
void XInfoConsumers(CommandContext& ctx) {
  auto s = OpenOrReply(ctx, ctx.arg(2), /*read=*/true);
  if (!s) return;
  const std::string nogroup = "NOGROUP No such consumer group '" + std::string(ctx.arg(3)) +
                              "' for key name '" + std::string(ctx.arg(2)) + "'";
  if (!s->exists()) return ctx.reply.Error(errors::kNoSuchKey);
  auto group = s->GetGroup(ctx.arg(3));
  if (!group.ok()) return ReplyStatus(ctx, group.status());
  if (!*group) return ctx.reply.Error(nogroup);
  auto consumers = s->Consumers(ctx.arg(3));
  if (!consumers.ok()) return ReplyStatus(ctx, consumers.status());
  const int64_t now = ctx.ks().now_ms();
  ctx.reply.ArrayHeader(consumers->size());
  for (const StreamConsumer& c : *consumers) {
    auto pending = CountPending(*s, ctx.arg(3), &c.name);
    if (!pending.ok()) return ReplyStatus(ctx, pending.status());
    MapOf(ctx, 3);
    Field(ctx, "name");
    ctx.reply.Bulk(c.name);
    Field(ctx, "pending");
    ctx.reply.Integer(*pending);
    Field(ctx, "idle");
    ctx.reply.Integer(std::max<int64_t>(now - c.seen_ms, 0));
  }
}

void XInfoHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CONSUMERS <key> <groupname>",
      "    Show consumers of <groupname>.",
      "GROUPS <key>",
      "    Show the stream consumer groups.",
      "STREAM <key> [FULL [COUNT <count>]",
      "    Show information about the stream.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

void RegisterInfoCommands(CommandTable& table) {
  constexpr uint32_t kReadSlow = kAclRead | kAclStream | kAclSlow;
  // clang-format off
  table.Add({.name = "xinfo", .arity = -2, .flags = 0, .acl = kAclSlow, .keys = {},
             .handler = nullptr, .group = "stream", .since = "5.0.0",
             .summary = "A container for stream introspection commands",
             .complexity = "Depends on subcommand."});
  table.Add({.name = "xinfo|stream", .arity = -3, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {2, 2, 1}, .handler = XInfoStream, .group = "stream", .since = "5.0.0",
             .summary = "Get information about a stream", .complexity = "O(1)"});
  table.Add({.name = "xinfo|groups", .arity = 3, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {2, 2, 1}, .handler = XInfoGroups, .group = "stream", .since = "5.0.0",
             .summary = "List the consumer groups of a stream", .complexity = "O(1)"});
  table.Add({.name = "xinfo|consumers", .arity = 4, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {2, 2, 1}, .handler = XInfoConsumers, .group = "stream", .since = "5.0.0",
             .summary = "List the consumers in a consumer group", .complexity = "O(1)"});
  table.Add({.name = "xinfo|help", .arity = 2, .flags = kLoading | kStale,
             .acl = kAclStream | kAclSlow, .keys = {}, .handler = XInfoHelp, .group = "stream",
             .since = "5.0.0", .summary = "Show helpful text about the different subcommands",
             .complexity = "O(1)"});
  // clang-format on
}

}  // namespace strata::commands::stream

// Stream commands on entries: XADD XLEN XRANGE XREVRANGE XDEL XTRIM XSETID XREAD, and Strata's
// XRETENTION. Consumer groups live in stream_group_commands.cc.
//
// Each handler checks its arguments in Redis 7.0's order (a client only ever sees the first
// error) and replies byte for byte as Redis does, in RESP2 and RESP3.
//
// Blocking reads: XREAD/XREADGROUP that find nothing ask the server to park the client on
// their keys (BlockRequest); XADD marks the key ready and the server runs the waiting command
// again, first come first served. The re-run must read past the IDs the command saw when it
// blocked ('$' means "the last ID at that moment"), so the command leaves them in
// Session::stream_wait, and a run with the same arguments before the deadline uses them.
#include <limits>

#include "commands/arg_parser.h"
#include "commands/blocking.h"
#include "commands/errors.h"
#include "commands/notify.h"
#include "commands/stream_internal.h"
#include "common/numbers.h"

namespace strata::commands {
namespace stream {

using types::Stream;
using types::StreamEntry;
using types::StreamId;

std::optional<Stream> OpenOrReply(CommandContext& ctx, std::string_view key, bool read) {
  auto s = Stream::Open(ctx.ks(), ctx.session.db, key, /*for_write=*/!read);
  if (!s.ok()) {
    ReplyStatus(ctx, s.status());
    return std::nullopt;
  }
  return std::move(*s);
}

bool ParseIdOrReply(CommandContext& ctx, std::string_view arg, uint64_t missing_seq, StreamId* id) {
  auto parsed = types::ParseStreamId(arg, missing_seq, /*strict=*/true);
  if (!parsed) {
    ctx.reply.Error(types::kInvalidStreamIdText);
    return false;
  }
  *id = *parsed;
  return true;
}

bool ParseRangeBoundOrReply(CommandContext& ctx, std::string_view arg, bool start, StreamId* id) {
  const uint64_t missing_seq = start ? 0 : UINT64_MAX;
  const bool exclusive = arg.size() > 1 && arg[0] == '(';
  auto parsed = exclusive ? types::ParseStreamId(arg.substr(1), missing_seq, /*strict=*/true)
                          : types::ParseStreamId(arg, missing_seq, /*strict=*/false);
  if (!parsed) {
    ctx.reply.Error(types::kInvalidStreamIdText);
    return false;
  }
  *id = *parsed;
  if (exclusive && !(start ? id->Incr() : id->Decr())) {
    ctx.reply.Error(start ? "ERR invalid start ID for the interval"
                          : "ERR invalid end ID for the interval");
    return false;
  }
  return true;
}

void ReplyId(CommandContext& ctx, StreamId id) { ctx.reply.Bulk(id.ToString()); }

void ReplyEntry(CommandContext& ctx, const StreamEntry& entry) {
  ctx.reply.ArrayHeader(2);
  ReplyId(ctx, entry.id);
  ctx.reply.ArrayHeader(entry.fields.size());
  for (const std::string& f : entry.fields) ctx.reply.Bulk(f);
}

void ReplyEntries(CommandContext& ctx, const std::vector<StreamEntry>& entries) {
  ctx.reply.ArrayHeader(entries.size());
  for (const StreamEntry& e : entries) ReplyEntry(ctx, e);
}

bool ParseReadArgs(CommandContext& ctx, bool xreadgroup, ReadArgs* args) {
  size_t streams_at = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    const size_t more = ctx.argc() - i - 1;
    std::string_view opt = ctx.arg(i);
    if (EqualsIgnoreCase(opt, "BLOCK") && more > 0) {
      auto ms = ParseInt64(ctx.arg(++i));
      if (!ms) {
        ctx.reply.Error("ERR timeout is not an integer or out of range");
        return false;
      }
      if (*ms < 0) {
        ctx.reply.Error("ERR timeout is negative");
        return false;
      }
      args->block = true;
      if (*ms > 0) {
        const int64_t now = ctx.ks().now_ms();
        if (*ms > std::numeric_limits<int64_t>::max() - now) {
          ctx.reply.Error("ERR timeout is out of range");
          return false;
        }
        args->deadline_ms = now + *ms;
      }
    } else if (EqualsIgnoreCase(opt, "COUNT") && more > 0) {
      auto n = ParseInt64(ctx.arg(++i));
      if (!n) {
        ctx.reply.Error(errors::kNotInteger);
        return false;
      }
      args->count = *n < 0 ? 0 : *n;
    } else if (EqualsIgnoreCase(opt, "STREAMS") && more > 0) {
      streams_at = i + 1;
      if (more % 2 != 0) {
        ctx.reply.Error(
            "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
            "specified.");
        return false;
      }
      args->keys_at = streams_at;
      args->nkeys = more / 2;
      break;
    } else if (EqualsIgnoreCase(opt, "GROUP") && more >= 2) {
      if (!xreadgroup) {
        ctx.reply.Error(
            "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        return false;
      }
      args->has_group = true;
      args->group = ctx.arg(i + 1);
      args->consumer = ctx.arg(i + 2);
      i += 2;
    } else if (EqualsIgnoreCase(opt, "NOACK")) {
      if (!xreadgroup) {
        ctx.reply.Error(
            "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        return false;
      }
      args->noack = true;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return false;
    }
  }
  if (streams_at == 0) {
    ctx.reply.Error(errors::kSyntax);
    return false;
  }
  if (xreadgroup && !args->has_group) {
    ctx.reply.Error("ERR Missing GROUP option for XREADGROUP");
    return false;
  }
  return true;
}

bool IsWaitRerun(CommandContext& ctx, const StreamWait& wait) {
  if (wait.deadline_ms != 0 && ctx.ks().now_ms() >= wait.deadline_ms) return false;
  if (wait.args.size() != ctx.argc()) return false;
  for (size_t i = 0; i < ctx.argc(); ++i) {
    if (wait.args[i] != ctx.arg(i)) return false;
  }
  return true;
}

void BlockRead(CommandContext& ctx, const ReadArgs& args, std::vector<std::string> ids) {
  std::vector<std::string> keys;
  for (size_t i = 0; i < args.nkeys; ++i) keys.emplace_back(ctx.arg(args.keys_at + i));
  StreamWait wait;
  wait.args.assign(ctx.args.begin(), ctx.args.end());
  wait.ids = std::move(ids);
  wait.deadline_ms = args.deadline_ms;
  ctx.session.stream_wait = std::move(wait);
  RequestBlock(ctx, std::move(keys), args.deadline_ms, /*null_array_on_timeout=*/true,
               storage::ValueType::kStream);
}

}  // namespace stream

namespace {

using stream::OpenOrReply;
using stream::ParseIdOrReply;
using stream::ReplyEntries;
using stream::ReplyId;
using types::Stream;
using types::StreamId;
using types::StreamTrim;

// MAXLEN/MINID [=|~] threshold [LIMIT n], shared by XADD (from index 2, also NOMKSTREAM and
// the ID) and XTRIM. Returns the index of XADD's ID argument (or argc for XTRIM), or 0 after
// replying with an error.
size_t ParseTrimArgs(CommandContext& ctx, bool xadd, StreamTrim* trim, bool* nomkstream) {
  size_t i = 2;
  for (; i < ctx.argc(); ++i) {
    const size_t more = ctx.argc() - 1 - i;
    std::string_view opt = ctx.arg(i);
    if (xadd && opt == "*") break;
    const bool maxlen = EqualsIgnoreCase(opt, "MAXLEN");
    if ((maxlen || EqualsIgnoreCase(opt, "MINID")) && more > 0) {
      if (trim->kind != StreamTrim::kNone) {
        ctx.reply.Error(
            "ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        return 0;
      }
      trim->approx = false;
      std::string_view next = ctx.arg(i + 1);
      if (more >= 2 && (next == "~" || next == "=")) {
        trim->approx = next == "~";
        ++i;
      }
      if (maxlen) {
        auto n = ParseInt64(ctx.arg(i + 1));
        if (!n) {
          ctx.reply.Error(errors::kNotInteger);
          return 0;
        }
        if (*n < 0) {
          ctx.reply.Error("ERR The MAXLEN argument must be >= 0.");
          return 0;
        }
        trim->maxlen = *n;
        trim->kind = StreamTrim::kMaxLen;
      } else {
        if (!ParseIdOrReply(ctx, ctx.arg(i + 1), 0, &trim->minid)) return 0;
        trim->kind = StreamTrim::kMinId;
      }
      ++i;
    } else if (EqualsIgnoreCase(opt, "LIMIT") && more > 0) {
      auto n = ParseInt64(ctx.arg(i + 1));
      if (!n) {
        ctx.reply.Error(errors::kNotInteger);
        return 0;
      }
      if (*n < 0) {
        ctx.reply.Error("ERR The LIMIT argument must be >= 0.");
        return 0;
      }
      trim->limit = *n;
      ++i;
    } else if (xadd && EqualsIgnoreCase(opt, "NOMKSTREAM")) {
      *nomkstream = true;
    } else if (xadd) {
      break;  // the ID (checked by the caller)
    } else {
      ctx.reply.Error(errors::kSyntax);
      return 0;
    }
  }
  if (trim->limit != 0 && trim->kind == StreamTrim::kNone) {
    ctx.reply.Error(
        "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    return 0;
  }
  if (!xadd && trim->kind == StreamTrim::kNone) {
    ctx.reply.Error("ERR syntax error, XTRIM must be called with a trimming strategy");
    return 0;
  }
  if (trim->limit != 0 && !trim->approx) {
    ctx.reply.Error("ERR syntax error, LIMIT cannot be used without the special ~ option");
    return 0;
  }
  // Approximate trimming is bounded by default, as Redis's 100 * stream-node-max-entries.
  if (trim->approx && trim->limit == 0) trim->limit = 10000;
  return i;
}

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value ...
void XAdd(CommandContext& ctx) {
  StreamTrim trim;
  bool nomkstream = false;
  size_t id_at = ParseTrimArgs(ctx, /*xadd=*/true, &trim, &nomkstream);
  if (id_at == 0) return;
  types::StreamAddId add;
  if (id_at < ctx.argc() && ctx.arg(id_at) != "*") {
    bool seq_given = true;
    auto id = types::ParseStreamId(ctx.arg(id_at), 0, /*strict=*/true, &seq_given);
    if (!id) return ctx.reply.Error(types::kInvalidStreamIdText);
    add.kind = seq_given ? types::StreamAddId::kExplicit : types::StreamAddId::kMsAuto;
    add.id = *id;
  }
  const size_t fields_at = id_at + 1;
  if (fields_at >= ctx.argc() || (ctx.argc() - fields_at) % 2 != 0) {
    return ctx.reply.Error(errors::WrongArity("xadd"));
  }
  // Refused before the key is looked up, so a bad first XADD creates nothing.
  if (add.kind == types::StreamAddId::kExplicit && add.id.IsZero()) {
    return ctx.reply.Error("ERR The ID specified in XADD must be greater than 0-0");
  }
  auto s = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!s) return;
  if (!s->exists()) {
    if (nomkstream) return ctx.reply.Null();
    s->Create();
  }
  if (s->last_id() == StreamId::Max()) {
    return ctx.reply.Error(
        "ERR The stream has exhausted the last possible ID, unable to add more items");
  }
  auto id = s->Add(add, ctx.args.subspan(fields_at));
  if (!id.ok()) return ReplyStatus(ctx, id.status());
  Notify(ctx, config::kNotifyStream, "xadd", ctx.arg(1));
  if (trim.kind != StreamTrim::kNone) {
    auto trimmed = s->Trim(trim);
    if (!trimmed.ok()) return ReplyStatus(ctx, trimmed.status());
    if (*trimmed > 0) Notify(ctx, config::kNotifyStream, "xtrim", ctx.arg(1));
  }
  s->FinishWrite();
  ReplyId(ctx, *id);
}

void XLen(CommandContext& ctx) {
  auto s = OpenOrReply(ctx, ctx.arg(1), /*read=*/true);
  if (!s) return;
  ctx.reply.Integer(static_cast<int64_t>(s->length()));
}

// XRANGE key start end [COUNT n] / XREVRANGE key end start [COUNT n]
void RangeGeneric(CommandContext& ctx, bool reverse) {
  StreamId start, end;
  if (!stream::ParseRangeBoundOrReply(ctx, ctx.arg(reverse ? 3 : 2), true, &start)) return;
  if (!stream::ParseRangeBoundOrReply(ctx, ctx.arg(reverse ? 2 : 3), false, &end)) return;
  int64_t count = -1;
  for (size_t j = 4; j < ctx.argc(); ++j) {
    if (EqualsIgnoreCase(ctx.arg(j), "COUNT") && j + 1 < ctx.argc()) {
      auto n = ParseInt64(ctx.arg(++j));
      if (!n) return ctx.reply.Error(errors::kNotInteger);
      count = *n < 0 ? 0 : *n;
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  auto s = OpenOrReply(ctx, ctx.arg(1), /*read=*/true);
  if (!s) return;
  if (!s->exists()) return ctx.reply.ArrayHeader(0);
  if (count == 0) return ctx.reply.NullArray();
  auto entries = s->Range(start, end, reverse, count < 0 ? 0 : static_cast<uint64_t>(count));
  if (!entries.ok()) return ReplyStatus(ctx, entries.status());
  ReplyEntries(ctx, *entries);
}

void XRange(CommandContext& ctx) { RangeGeneric(ctx, false); }
void XRevRange(CommandContext& ctx) { RangeGeneric(ctx, true); }

// XDEL key id [id ...]
void XDel(CommandContext& ctx) {
  auto s = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!s) return;
  if (!s->exists()) return ctx.reply.Integer(0);
  std::vector<StreamId> ids(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (!ParseIdOrReply(ctx, ctx.arg(i), 0, &ids[i - 2])) return;
  }
  auto deleted = s->Delete(ids);
  if (!deleted.ok()) return ReplyStatus(ctx, deleted.status());
  if (*deleted > 0) Notify(ctx, config::kNotifyStream, "xdel", ctx.arg(1));
  ctx.reply.Integer(*deleted);
}

// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
void XTrim(CommandContext& ctx) {
  StreamTrim trim;
  bool unused = false;
  if (ParseTrimArgs(ctx, /*xadd=*/false, &trim, &unused) == 0) return;
  auto s = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!s) return;
  auto trimmed = s->Trim(trim);
  if (!trimmed.ok()) return ReplyStatus(ctx, trimmed.status());
  if (*trimmed > 0) Notify(ctx, config::kNotifyStream, "xtrim", ctx.arg(1));
  ctx.reply.Integer(*trimmed);
}

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
void XSetId(CommandContext& ctx) {
  StreamId id;
  if (!ParseIdOrReply(ctx, ctx.arg(2), 0, &id)) return;
  std::optional<uint64_t> entries_added;
  std::optional<StreamId> max_deleted;
  for (size_t i = 3; i < ctx.argc(); i += 2) {
    const bool more = i + 1 < ctx.argc();
    if (EqualsIgnoreCase(ctx.arg(i), "ENTRIESADDED") && more) {
      auto n = ParseInt64(ctx.arg(i + 1));
      if (!n) return ctx.reply.Error(errors::kNotInteger);
      if (*n < 0) return ctx.reply.Error("ERR entries_added must be positive");
      entries_added = static_cast<uint64_t>(*n);
    } else if (EqualsIgnoreCase(ctx.arg(i), "MAXDELETEDID") && more) {
      StreamId m;
      if (!ParseIdOrReply(ctx, ctx.arg(i + 1), 0, &m)) return;
      if (id < m) {
        return ctx.reply.Error(
            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
      }
      max_deleted = m;
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  auto s = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!s) return;
  if (!s->exists()) return ctx.reply.Error(errors::kNoSuchKey);
  if (s->length() > 0) {
    auto top = s->Range(StreamId{}, StreamId::Max(), /*reverse=*/true, 1);
    if (!top.ok()) return ReplyStatus(ctx, top.status());
    if (!top->empty() && id < top->front().id) {
      return ctx.reply.Error(
          "ERR The ID specified in XSETID is smaller than the target stream top item");
    }
    if (entries_added && s->length() > *entries_added) {
      return ctx.reply.Error(
          "ERR The entries_added specified in XSETID is smaller than the target stream length");
    }
  }
  s->SetLastId(id, entries_added, max_deleted);
  Notify(ctx, config::kNotifyStream, "xsetid", ctx.arg(1));
  ctx.reply.SimpleString("OK");
}

// XRETENTION key [milliseconds]: Strata's time-based retention of one stream. Without a value
// replies the stream's setting (-1: the server's stream-retention-ms); with one sets it (0:
// keep everything). Entries older than that are trimmed in the background.
void XRetention(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.reply.Error(errors::kSyntax);
  std::optional<int64_t> ms;
  if (ctx.argc() == 3) {
    ms = ParseInt64(ctx.arg(2));
    if (!ms) return ctx.reply.Error(errors::kNotInteger);
    if (*ms < -1) {
      return ctx.reply.Error(
          "ERR retention must be -1 (the server default), 0 (keep everything) or milliseconds");
    }
  }
  auto s = OpenOrReply(ctx, ctx.arg(1), /*read=*/!ms);
  if (!s) return;
  if (!s->exists()) return ctx.reply.Error(errors::kNoSuchKey);
  if (!ms) return ctx.reply.Integer(s->retention_ms());
  s->SetRetention(*ms);
  ctx.reply.SimpleString("OK");
}

// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
void XRead(CommandContext& ctx) {
  stream::ReadArgs args;
  if (!stream::ParseReadArgs(ctx, /*xreadgroup=*/false, &args)) return;
  std::optional<StreamWait> wait;
  wait.swap(ctx.session.stream_wait);
  const bool rerun = wait && stream::IsWaitRerun(ctx, *wait) && wait->ids.size() == args.nkeys;
  std::vector<Stream> streams;
  std::vector<StreamId> after(args.nkeys);
  for (size_t i = 0; i < args.nkeys; ++i) {
    auto s = OpenOrReply(ctx, ctx.arg(args.keys_at + i), /*read=*/true);
    if (!s) return;
    std::string_view id = ctx.arg(args.keys_at + args.nkeys + i);
    if (id == "$") {
      after[i] = s->last_id();
    } else if (id == ">") {
      return ctx.reply.Error(
          "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
          "<consumer> option.");
    } else if (!ParseIdOrReply(ctx, id, 0, &after[i])) {
      return;
    }
    streams.push_back(std::move(*s));
  }
  if (rerun) {
    // Past what the command saw when it blocked, not what '$' means now.
    for (size_t i = 0; i < args.nkeys; ++i) {
      after[i] = types::ParseStreamId(wait->ids[i], 0).value_or(after[i]);
    }
  }
  std::vector<std::pair<size_t, std::vector<types::StreamEntry>>> served;
  for (size_t i = 0; i < args.nkeys; ++i) {
    StreamId start = after[i];
    if (streams[i].length() == 0 || !start.Incr()) continue;
    auto entries = streams[i].Range(start, StreamId::Max(), false, args.count);
    if (!entries.ok()) return ReplyStatus(ctx, entries.status());
    if (!entries->empty()) served.emplace_back(i, std::move(*entries));
  }
  if (!served.empty()) {
    const bool map = ctx.reply.protocol() >= 3;
    map ? ctx.reply.MapHeader(served.size()) : ctx.reply.ArrayHeader(served.size());
    for (const auto& [i, entries] : served) {
      if (!map) ctx.reply.ArrayHeader(2);
      ctx.reply.Bulk(ctx.arg(args.keys_at + i));
      ReplyEntries(ctx, entries);
    }
    return;
  }
  if (!args.block) return ctx.reply.NullArray();
  std::vector<std::string> ids;
  for (const StreamId& id : after) ids.push_back(id.ToString());
  stream::BlockRead(ctx, args, std::move(ids));
}

}  // namespace

void RegisterStreamCommands(CommandTable& table) {
  constexpr uint32_t kReadFast = kAclRead | kAclStream | kAclFast;
  constexpr uint32_t kReadSlow = kAclRead | kAclStream | kAclSlow;
  constexpr uint32_t kWriteFast = kAclWrite | kAclStream | kAclFast;
  constexpr uint32_t kWriteSlow = kAclWrite | kAclStream | kAclSlow;
  // clang-format off
  table.Add({.name = "xadd", .arity = -5, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = XAdd, .group = "stream", .since = "5.0.0",
             .summary = "Appends a new entry to a stream",
             .complexity = "O(1) when adding a new entry, O(N) when trimming where N being the "
                           "number of entries evicted."});
  table.Add({.name = "xlen", .arity = 2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = XLen, .group = "stream", .since = "5.0.0",
             .summary = "Return the number of entries in a stream", .complexity = "O(1)"});
  table.Add({.name = "xrange", .arity = -4, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = XRange, .group = "stream", .since = "5.0.0",
             .summary = "Return a range of elements in a stream, with IDs matching the specified "
                        "IDs interval",
             .complexity = "O(N) with N being the number of elements being returned. If N is "
                           "constant (e.g. always asking for the first 10 elements with COUNT), "
                           "you can consider it O(1)."});
  table.Add({.name = "xrevrange", .arity = -4, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = XRevRange, .group = "stream", .since = "5.0.0",
             .summary = "Return a range of elements in a stream, with IDs matching the specified "
                        "IDs interval, in reverse order (from greater to smaller IDs) compared "
                        "to XRANGE",
             .complexity = "O(N) with N being the number of elements returned. If N is constant "
                           "(e.g. always asking for the first 10 elements with COUNT), you can "
                           "consider it O(1)."});
  table.Add({.name = "xdel", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = XDel, .group = "stream", .since = "5.0.0",
             .summary = "Removes the specified entries from the stream. Returns the number of "
                        "items actually deleted, that may be different from the number of IDs "
                        "passed in case certain IDs do not exist.",
             .complexity = "O(1) for each single item to delete in the stream, regardless of the "
                           "stream size."});
  table.Add({.name = "xtrim", .arity = -4, .flags = kWrite, .acl = kWriteSlow,
             .keys = {1, 1, 1}, .handler = XTrim, .group = "stream", .since = "5.0.0",
             .summary = "Trims the stream to (approximately if '~' is passed) a certain size",
             .complexity = "O(N), with N being the number of evicted entries. Constant times are "
                           "very small however, since entries are organized in macro nodes "
                           "containing multiple entries that can be released with a single "
                           "deallocation."});
  table.Add({.name = "xsetid", .arity = -3, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = {1, 1, 1}, .handler = XSetId, .group = "stream",
             .since = "5.0.0", .summary = "An internal command for replicating stream values",
             .complexity = "O(1)"});
  table.Add({.name = "xread", .arity = -4, .flags = kReadOnly | kBlocking | kMovableKeys,
             .acl = kReadSlow | kAclBlocking, .keys = {1, -1, 1, "streams"}, .handler = XRead,
             .group = "stream", .since = "5.0.0",
             .summary = "Return never seen elements in multiple streams, with IDs greater than "
                        "the ones reported by the caller for each stream. Can block.",
             .complexity = "For each stream mentioned: O(N) with N being the number of elements "
                           "being returned, it means that XREAD-ing with a fixed COUNT is O(1). "
                           "Note that when the BLOCK option is used, XADD will pay O(M) time in "
                           "order to serve the M clients blocked on the stream getting new data."});
  table.Add({.name = "xretention", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = XRetention, .group = "stream", .since = "7.0.0",
             .summary = "Strata: gets or sets a stream's time-based retention in milliseconds "
                        "(-1 = stream-retention-ms, 0 = keep everything)",
             .complexity = "O(1)"});
  // clang-format on
  stream::RegisterGroupCommands(table);
}

}  // namespace strata::commands

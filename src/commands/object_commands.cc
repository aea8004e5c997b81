// OBJECT ENCODING|FREQ|IDLETIME|REFCOUNT|HELP and MEMORY USAGE: introspection that clients
// and tools call. Strata stores values its own way, so ENCODING names the Redis 7.0 encoding
// a value of that shape would have (what tools such as RedisInsight display).
#include "commands/arg_parser.h"
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "common/numbers.h"
#include "storage/collection.h"
#include "types/set.h"

namespace strata::commands {
namespace {

using storage::HotEntry;
using storage::ValueType;

// Redis's default thresholds for the compact encodings.
constexpr uint64_t kListpackEntries = 128;  // hash-max-listpack-entries, zset-max-listpack-entries

std::string_view EncodingOf(storage::Keyspace& ks, const HotEntry* e) {
  switch (e->type) {
    case ValueType::kString: {
      if (e->value.size() <= 20 && ParseInt64(e->value)) return "int";
      return e->value.size() <= 44 ? "embstr" : "raw";
    }
    case ValueType::kList:
      return "quicklist";
    case ValueType::kHash:
      return ks.Header(e).size <= kListpackEntries ? "listpack" : "hashtable";
    case ValueType::kZSet:
      return ks.Header(e).size <= kListpackEntries ? "listpack" : "skiplist";
    case ValueType::kSet: {
      // A set held whole knows whether Redis would keep it as an intset; a big one never is.
      const auto* set = static_cast<const types::SetObject*>(e->object.get());
      return set != nullptr && set->intset() ? "intset" : "hashtable";
    }
    case ValueType::kStream:
      return "stream";
    default:
      return "raw";
  }
}

StatusOr<HotEntry*> Find(CommandContext& ctx, std::string_view key) {
  return ctx.ks().PeekNoTouch(ctx.session.db, key);
}

void ObjectEncoding(CommandContext& ctx) {
  auto e = Find(ctx, ctx.arg(2));
  if (!e.ok()) return ctx.reply.Error("ERR " + e.status().message());
  if (*e == nullptr) return ctx.reply.Null();
  ctx.reply.Bulk(EncodingOf(ctx.ks(), *e));
}

void ObjectFreq(CommandContext& ctx) {
  auto e = Find(ctx, ctx.arg(2));
  if (!e.ok()) return ctx.reply.Error("ERR " + e.status().message());
  if (*e == nullptr) return ctx.reply.Null();
  if (!ctx.ks().TracksFrequency()) {
    return ctx.reply.Error(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please "
        "note that when switching between policies at runtime LRU and LFU data will take some "
        "time to adjust.");
  }
  ctx.reply.Integer(ctx.ks().Frequency(*e));
}

void ObjectIdleTime(CommandContext& ctx) {
  auto e = Find(ctx, ctx.arg(2));
  if (!e.ok()) return ctx.reply.Error("ERR " + e.status().message());
  if (*e == nullptr) return ctx.reply.Null();
  if (ctx.ks().TracksFrequency()) {
    return ctx.reply.Error(
        "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
        "switching between policies at runtime LRU and LFU data will take some time to "
        "adjust.");
  }
  ctx.reply.Integer(ctx.ks().IdleSeconds(*e));
}

void ObjectRefCount(CommandContext& ctx) {
  auto e = Find(ctx, ctx.arg(2));
  if (!e.ok()) return ctx.reply.Error("ERR " + e.status().message());
  if (*e == nullptr) return ctx.reply.Null();
  // Redis shares the objects of small integers (0..9999) and reports them as immortal.
  if ((*e)->type == ValueType::kString) {
    auto v = ParseInt64((*e)->value);
    if (v && *v >= 0 && *v < 10000) return ctx.reply.Integer(2147483647);
  }
  ctx.reply.Integer(1);
}

void ObjectHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

void MemoryUsage(CommandContext& ctx) {
  ArgParser p(ctx.args, 3);
  if (p.HasMore()) {
    if (!p.Flag("SAMPLES") || p.remaining() != 1) return ctx.reply.Error(errors::kSyntax);
    p.Int();
    if (!p.ok()) return ctx.reply.Error(p.error());
  }
  auto e = Find(ctx, ctx.arg(2));
  if (!e.ok()) return ctx.reply.Error("ERR " + e.status().message());
  if (*e == nullptr) return ctx.reply.Null();
  // What the key costs in memory when hot: its entry, key, value or header, and the
  // collection held whole if it is.
  ctx.reply.Integer((*e)->charge);
}

}  // namespace

void RegisterObjectCommands(CommandTable& t) {
  constexpr uint32_t kRead = kAclKeyspace | kAclRead | kAclSlow;
  t.Add({.name = "object",
         .arity = -2,
         .flags = 0,
         .acl = kAclSlow,
         .keys = {},
         .handler = nullptr,
         .group = "generic",
         .since = "2.2.3",
         .summary = "A container for object introspection commands.",
         .complexity = "Depends on subcommand."});
  t.Add({.name = "object|encoding",
         .arity = 3,
         .flags = kReadOnly,
         .acl = kRead,
         .keys = {2, 2, 1},
         .handler = ObjectEncoding,
         .group = "generic",
         .since = "2.2.3",
         .summary = "Returns the internal encoding of a Redis object.",
         .complexity = "O(1)"});
  t.Add({.name = "object|freq",
         .arity = 3,
         .flags = kReadOnly,
         .acl = kRead,
         .keys = {2, 2, 1},
         .handler = ObjectFreq,
         .group = "generic",
         .since = "4.0.0",
         .summary = "Returns the logarithmic access frequency counter of a Redis object.",
         .complexity = "O(1)"});
  t.Add({.name = "object|idletime",
         .arity = 3,
         .flags = kReadOnly,
         .acl = kRead,
         .keys = {2, 2, 1},
         .handler = ObjectIdleTime,
         .group = "generic",
         .since = "2.2.3",
         .summary = "Returns the time since the last access to a Redis object.",
         .complexity = "O(1)"});
  t.Add({.name = "object|refcount",
         .arity = 3,
         .flags = kReadOnly,
         .acl = kRead,
         .keys = {2, 2, 1},
         .handler = ObjectRefCount,
         .group = "generic",
         .since = "2.2.3",
         .summary = "Returns the reference count of a value of a key.",
         .complexity = "O(1)"});
  t.Add({.name = "object|help",
         .arity = 2,
         .flags = kLoading | kStale,
         .acl = kAclKeyspace | kAclSlow,
         .keys = {},
         .handler = ObjectHelp,
         .group = "generic",
         .since = "6.2.0",
         .summary = "Returns helpful text about the different subcommands.",
         .complexity = "O(1)"});
  t.Add({.name = "memory",
         .arity = -2,
         .flags = 0,
         .acl = kAclSlow,
         .keys = {},
         .handler = nullptr,
         .group = "server",
         .since = "4.0.0",
         .summary = "A container for memory diagnostics commands.",
         .complexity = "Depends on subcommand."});
  t.Add({.name = "memory|usage",
         .arity = -3,
         .flags = kReadOnly,
         .acl = kAclRead | kAclSlow,
         .keys = {2, 2, 1},
         .handler = MemoryUsage,
         .group = "server",
         .since = "4.0.0",
         .summary = "Estimates the memory usage of a key.",
         .complexity = "O(N) where N is the number of samples."});
}

}  // namespace strata::commands

// Hash commands: HSET HSETNX HMSET HGET HMGET HGETALL HKEYS HVALS HDEL HLEN HEXISTS HSTRLEN
// HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN.
//
// Each handler checks in Redis 7.0's order, since a client sees only the first error: arity
// and argument syntax, then numbers, then the key's type, then the stored value. Reads open
// the hash with Lookup (keyspace hits/misses), writes with Peek.
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "commands/arg_parser.h"
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "commands/notify.h"
#include "commands/scan_args.h"
#include "common/glob.h"
#include "common/numbers.h"
#include "types/hash.h"

namespace strata::commands {
namespace {

using types::Hash;

// Opens the hash at argument 1; replies and returns nullopt on WRONGTYPE or an I/O error.
std::optional<Hash> OpenHash(CommandContext& ctx, bool for_write) {
  auto h = Hash::Open(ctx.ks(), ctx.session.db, ctx.arg(1), for_write);
  if (!h.ok()) {
    ReplyStatus(ctx, h.status());
    return std::nullopt;
  }
  return std::move(*h);
}

// --- Writes --------------------------------------------------------------------------------

// HSET key field value [field value ...] (replies with the number of new fields) and its
// deprecated twin HMSET (replies OK). An odd pair count is an arity error naming the command.
void SetGeneric(CommandContext& ctx, std::string_view name, bool reply_ok) {
  if (ctx.argc() % 2 == 1) return ctx.reply.Error(errors::WrongArity(name));
  auto h = OpenHash(ctx, /*for_write=*/true);
  if (!h) return;
  std::vector<Hash::Pair> pairs;
  pairs.reserve((ctx.argc() - 2) / 2);
  for (size_t i = 2; i < ctx.argc(); i += 2) pairs.emplace_back(ctx.arg(i), ctx.arg(i + 1));
  auto added = h->Set(pairs);
  if (!added.ok()) return ReplyStatus(ctx, added.status());
  Notify(ctx, config::kNotifyHash, "hset", ctx.arg(1));
  reply_ok ? ctx.reply.Ok() : ctx.reply.Integer(*added);
}

void HSet(CommandContext& ctx) { SetGeneric(ctx, "hset", false); }
void HMSet(CommandContext& ctx) { SetGeneric(ctx, "hmset", true); }

void HSetNx(CommandContext& ctx) {
  auto h = OpenHash(ctx, /*for_write=*/true);
  if (!h) return;
  auto added = h->Set({{ctx.arg(2), ctx.arg(3)}}, /*only_new=*/true);
  if (!added.ok()) return ReplyStatus(ctx, added.status());
  if (*added > 0) Notify(ctx, config::kNotifyHash, "hset", ctx.arg(1));
  ctx.reply.Integer(*added);
}

void HDel(CommandContext& ctx) {
  auto h = OpenHash(ctx, /*for_write=*/true);
  if (!h) return;
  std::vector<std::string_view> fields(ctx.args.begin() + 2, ctx.args.end());
  auto removed = h->Delete(fields);
  if (!removed.ok()) return ReplyStatus(ctx, removed.status());
  if (*removed > 0) NotifyChange(ctx, config::kNotifyHash, "hdel", ctx.arg(1));
  ctx.reply.Integer(*removed);
}

void HIncrBy(CommandContext& ctx) {
  auto delta = ParseInt64(ctx.arg(3));
  if (!delta) return ctx.reply.Error(errors::kNotInteger);
  auto h = OpenHash(ctx, /*for_write=*/true);
  if (!h) return;
  auto value = h->IncrBy(ctx.arg(2), *delta);
  if (!value.ok()) return ReplyStatus(ctx, value.status());
  Notify(ctx, config::kNotifyHash, "hincrby", ctx.arg(1));
  ctx.reply.Integer(*value);
}

void HIncrByFloat(CommandContext& ctx) {
  auto delta = ParseLongDouble(ctx.arg(3));
  if (!delta) return ctx.reply.Error(errors::kNotFloat);
  if (std::isnan(*delta) || std::isinf(*delta)) {
    return ctx.reply.Error("ERR value is NaN or Infinity");
  }
  auto h = OpenHash(ctx, /*for_write=*/true);
  if (!h) return;
  auto text = h->IncrByFloat(ctx.arg(2), *delta);
  if (!text.ok()) return ReplyStatus(ctx, text.status());
  Notify(ctx, config::kNotifyHash, "hincrbyfloat", ctx.arg(1));
  ctx.reply.Bulk(*text);
}

// --- Reads ---------------------------------------------------------------------------------

void HGet(CommandContext& ctx) {
  auto h = OpenHash(ctx, /*for_write=*/false);
  if (!h) return;
  auto value = h->Get(ctx.arg(2));
  if (!value.ok()) return ReplyStatus(ctx, value.status());
  if (!*value) return ctx.reply.Null();
  ctx.reply.Bulk(**value);
}

void HMGet(CommandContext& ctx) {
  auto h = OpenHash(ctx, /*for_write=*/false);
  if (!h) return;
  // Read everything first: an I/O error must be the whole reply, not half an array.
  std::vector<std::optional<std::string>> values;
  values.reserve(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    auto value = h->Get(ctx.arg(i));
    if (!value.ok()) return ReplyStatus(ctx, value.status());
    values.push_back(std::move(*value));
  }
  ctx.reply.ArrayHeader(values.size());
  for (const auto& v : values) v ? ctx.reply.Bulk(*v) : ctx.reply.Null();
}

void HLen(CommandContext& ctx) {
  auto h = OpenHash(ctx, /*for_write=*/false);
  if (!h) return;
  ctx.reply.Integer(static_cast<int64_t>(h->size()));
}

void HExists(CommandContext& ctx) {
  auto h = OpenHash(ctx, /*for_write=*/false);
  if (!h) return;
  auto value = h->Get(ctx.arg(2));
  if (!value.ok()) return ReplyStatus(ctx, value.status());
  ctx.reply.Integer(value->has_value() ? 1 : 0);
}

void HStrLen(CommandContext& ctx) {
  auto h = OpenHash(ctx, /*for_write=*/false);
  if (!h) return;
  auto value = h->Get(ctx.arg(2));
  if (!value.ok()) return ReplyStatus(ctx, value.status());
  ctx.reply.Integer(*value ? static_cast<int64_t>((*value)->size()) : 0);
}

// HGETALL (a map in RESP3), HKEYS and HVALS (arrays). The reply is built aside and sent only
// once the read succeeded, so an I/O error half-way cannot leave a truncated aggregate.
enum class Want { kFields, kValues, kBoth };

void GetAllGeneric(CommandContext& ctx, Want want) {
  auto h = OpenHash(ctx, /*for_write=*/false);
  if (!h) return;
  std::string body;
  protocol::ReplyBuilder out(&body, ctx.reply.protocol());
  size_t n = 0;
  Status s = h->ForEach([&](std::string_view field, std::string_view value) {
    if (want != Want::kValues) out.Bulk(field);
    if (want != Want::kFields) out.Bulk(value);
    ++n;
  });
  if (!s.ok()) return ReplyStatus(ctx, s);
  want == Want::kBoth ? ctx.reply.MapHeader(n) : ctx.reply.ArrayHeader(n);
  ctx.reply.Raw(body);
}

void HGetAll(CommandContext& ctx) { GetAllGeneric(ctx, Want::kBoth); }
void HKeys(CommandContext& ctx) { GetAllGeneric(ctx, Want::kFields); }
void HVals(CommandContext& ctx) { GetAllGeneric(ctx, Want::kValues); }

// HRANDFIELD key [count [WITHVALUES]]. Without a count: one field or null. With one: a
// positive count asks for distinct fields (at most all of them), a negative one for exactly
// |count| fields that may repeat. WITHVALUES pairs each field with its value: flat in RESP2,
// a [field, value] array per field in RESP3.
void HRandField(CommandContext& ctx) {
  if (ctx.argc() == 2) {
    auto h = OpenHash(ctx, /*for_write=*/false);
    if (!h) return;
    auto picked = h->Random(1, /*distinct=*/true);
    if (!picked.ok()) return ReplyStatus(ctx, picked.status());
    if (picked->empty()) return ctx.reply.Null();
    return ctx.reply.Bulk(picked->front().first);
  }
  // Redis reads the count as a long in [-LONG_MAX, LONG_MAX].
  auto count = ParseInt64(ctx.arg(2));
  if (!count) return ctx.reply.Error(errors::kNotInteger);
  if (*count == std::numeric_limits<int64_t>::min()) {
    return ctx.reply.Error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
  }
  bool with_values = false;
  if (ctx.argc() > 4 || (ctx.argc() == 4 && !EqualsIgnoreCase(ctx.arg(3), "WITHVALUES"))) {
    return ctx.reply.Error(errors::kSyntax);
  }
  if (ctx.argc() == 4) {
    with_values = true;
    // The reply would have 2 * |count| elements: Redis refuses counts where that overflows.
    constexpr int64_t kHalf = std::numeric_limits<int64_t>::max() / 2;
    if (*count < -kHalf || *count > kHalf) return ctx.reply.Error("ERR value is out of range");
  }
  auto h = OpenHash(ctx, /*for_write=*/false);
  if (!h) return;
  const bool distinct = *count >= 0;
  const uint64_t n = distinct ? static_cast<uint64_t>(*count) : static_cast<uint64_t>(-*count);
  auto picked = h->Random(n, distinct);
  if (!picked.ok()) return ReplyStatus(ctx, picked.status());
  const bool nested = with_values && ctx.reply.protocol() >= 3;
  ctx.reply.ArrayHeader(with_values && !nested ? 2 * picked->size() : picked->size());
  for (const auto& [field, value] : *picked) {
    if (nested) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(field);
    if (with_values) ctx.reply.Bulk(value);
  }
}

// HSCAN key cursor [MATCH pattern] [COUNT count]. Redis validates the cursor, then the key's
// existence and type, and only then the options (a missing key answers "0" and an empty page
// whatever follows). COUNT bounds the fields examined; MATCH filters what they returned.
void HScan(CommandContext& ctx) {
  auto cursor = ParseScanCursor(ctx.arg(2));
  if (!cursor) return ctx.reply.Error("ERR invalid cursor");
  auto h = OpenHash(ctx, /*for_write=*/false);
  if (!h) return;
  if (!h->exists()) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("0");
    return ctx.reply.ArrayHeader(0);
  }
  ScanOptions options;
  if (!ParseScanOptions(ctx, 3, &options)) return;
  auto page = h->Scan(*cursor, static_cast<size_t>(options.count));
  if (!page.ok()) return ReplyStatus(ctx, page.status());
  size_t kept = 0;
  for (const auto& [field, value] : page->items) {
    if (options.Matches(field)) ++kept;
  }
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(page->next_cursor));
  ctx.reply.ArrayHeader(2 * kept);
  for (const auto& [field, value] : page->items) {
    if (!options.Matches(field)) continue;
    ctx.reply.Bulk(field);
    ctx.reply.Bulk(value);
  }
}

}  // namespace

void RegisterHashCommands(CommandTable& table) {
  constexpr uint32_t kReadFast = kAclRead | kAclHash | kAclFast;
  constexpr uint32_t kReadSlow = kAclRead | kAclHash | kAclSlow;
  constexpr uint32_t kWriteFast = kAclWrite | kAclHash | kAclFast;
  constexpr KeySpec kKey = {1, 1, 1};
  constexpr std::string_view kWholeHash = "O(N) where N is the size of the hash.";

  // One entry per command, as COMMAND INFO and COMMAND DOCS report it in Redis 7.0.
  // clang-format off
  table.Add({.name = "hset", .arity = -4, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
             .keys = kKey, .handler = HSet, .group = "hash", .since = "2.0.0",
             .summary = "Set the string value of a hash field",
             .complexity = "O(1) for each field/value pair added, so O(N) to add N field/value "
                           "pairs when the command is called with multiple field/value pairs."});
  table.Add({.name = "hsetnx", .arity = 4, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = kKey, .handler = HSetNx, .group = "hash",
             .since = "2.0.0",
             .summary = "Set the value of a hash field, only if the field does not exist",
             .complexity = "O(1)"});
  table.Add({.name = "hmset", .arity = -4, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = kKey, .handler = HMSet, .group = "hash",
             .since = "2.0.0", .summary = "Set multiple hash fields to multiple values",
             .complexity = "O(N) where N is the number of fields being set."});
  table.Add({.name = "hget", .arity = 3, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = kKey, .handler = HGet, .group = "hash", .since = "2.0.0",
             .summary = "Get the value of a hash field", .complexity = "O(1)"});
  table.Add({.name = "hmget", .arity = -3, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = kKey, .handler = HMGet, .group = "hash", .since = "2.0.0",
             .summary = "Get the values of all the given hash fields",
             .complexity = "O(N) where N is the number of fields being requested."});
  table.Add({.name = "hgetall", .arity = 2, .flags = kReadOnly, .acl = kReadSlow,
             .keys = kKey, .handler = HGetAll, .group = "hash", .since = "2.0.0",
             .summary = "Get all the fields and values in a hash", .complexity = kWholeHash});
  table.Add({.name = "hkeys", .arity = 2, .flags = kReadOnly, .acl = kReadSlow,
             .keys = kKey, .handler = HKeys, .group = "hash", .since = "2.0.0",
             .summary = "Get all the fields in a hash", .complexity = kWholeHash});
  table.Add({.name = "hvals", .arity = 2, .flags = kReadOnly, .acl = kReadSlow,
             .keys = kKey, .handler = HVals, .group = "hash", .since = "2.0.0",
             .summary = "Get all the values in a hash", .complexity = kWholeHash});
  table.Add({.name = "hdel", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = kKey, .handler = HDel, .group = "hash", .since = "2.0.0",
             .summary = "Delete one or more hash fields",
             .complexity = "O(N) where N is the number of fields to be removed."});
  table.Add({.name = "hlen", .arity = 2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = kKey, .handler = HLen, .group = "hash", .since = "2.0.0",
             .summary = "Get the number of fields in a hash", .complexity = "O(1)"});
  table.Add({.name = "hexists", .arity = 3, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = kKey, .handler = HExists, .group = "hash", .since = "2.0.0",
             .summary = "Determine if a hash field exists", .complexity = "O(1)"});
  table.Add({.name = "hstrlen", .arity = 3, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = kKey, .handler = HStrLen, .group = "hash", .since = "3.2.0",
             .summary = "Get the length of the value of a hash field", .complexity = "O(1)"});
  table.Add({.name = "hincrby", .arity = 4, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = kKey, .handler = HIncrBy, .group = "hash",
             .since = "2.0.0",
             .summary = "Increment the integer value of a hash field by the given number",
             .complexity = "O(1)"});
  table.Add({.name = "hincrbyfloat", .arity = 4, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = kKey, .handler = HIncrByFloat, .group = "hash",
             .since = "2.6.0",
             .summary = "Increment the float value of a hash field by the given amount",
             .complexity = "O(1)"});
  table.Add({.name = "hrandfield", .arity = -2, .flags = kReadOnly, .acl = kReadSlow,
             .keys = kKey, .handler = HRandField, .group = "hash", .since = "6.2.0",
             .summary = "Get one or multiple random fields from a hash",
             .complexity = "O(N) where N is the number of fields returned"});
  table.Add({.name = "hscan", .arity = -3, .flags = kReadOnly, .acl = kReadSlow,
             .keys = kKey, .handler = HScan, .group = "hash", .since = "2.8.0",
             .summary = "Incrementally iterate hash fields and associated values",
             .complexity = "O(1) for every call. O(N) for a complete iteration, including "
                           "enough command calls for the cursor to return back to 0. N is the "
                           "number of elements inside the collection.."});
  // clang-format on
}

}  // namespace strata::commands

// List commands (non-blocking): LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET
// LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH LMPOP.
//
// Each handler checks in Redis 7.0's order, since a client sees only the first error: some
// parse their numbers before looking the key up (LRANGE, LTRIM, LREM, LPOP's count), others
// look the key up first (LINDEX, LSET). Reads use Lookup (keyspace hits/misses), writes Peek.
// The blocking variants are built on types::List by the blocking-commands layer.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/arg_parser.h"
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "commands/list_internal.h"
#include "commands/notify.h"
#include "common/numbers.h"
#include "types/list.h"

namespace strata::commands {
namespace {

using types::List;
using End = types::List::End;

constexpr std::string_view kNotPositive = "ERR value is out of range, must be positive";
constexpr std::string_view kRankZero =
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
    "negative to start from the end of the list";
constexpr std::string_view kCountNegative = "ERR COUNT can't be negative";
constexpr std::string_view kMaxLenNegative = "ERR MAXLEN can't be negative";
constexpr std::string_view kNumKeys = "ERR numkeys should be greater than 0";
constexpr std::string_view kCountPositive = "ERR count should be greater than 0";

// Opens `key` as a list; replies and returns nullopt on WRONGTYPE or an I/O error.
std::optional<List> OpenList(CommandContext& ctx, std::string_view key, bool for_write) {
  auto list = List::Open(ctx.ks(), ctx.session.db, key, for_write);
  if (!list.ok()) {
    ReplyStatus(ctx, list.status());
    return std::nullopt;
  }
  return std::move(*list);
}

std::optional<End> ParseEnd(std::string_view arg) {
  if (EqualsIgnoreCase(arg, "LEFT")) return End::kHead;
  if (EqualsIgnoreCase(arg, "RIGHT")) return End::kTail;
  return std::nullopt;
}

// Redis's getPositiveLongFromObjectOrReply: a non-negative int64, else `error`.
std::optional<int64_t> NonNegative(std::string_view arg) {
  auto v = ParseInt64(arg);
  if (!v || *v < 0) return std::nullopt;
  return v;
}

void ReplyElements(CommandContext& ctx, const std::vector<std::string>& items) {
  ctx.reply.ArrayHeader(items.size());
  for (const std::string& v : items) ctx.reply.Bulk(v);
}

// ---- Push / pop ---------------------------------------------------------------------------

void PushGeneric(CommandContext& ctx, End end, bool only_existing) {
  auto list = OpenList(ctx, ctx.arg(1), /*for_write=*/true);
  if (!list) return;
  if (only_existing && !list->exists()) return ctx.reply.Integer(0);
  std::vector<std::string_view> values(ctx.args.begin() + 2, ctx.args.end());
  auto len = list->Push(end, values);
  if (!len.ok()) return ReplyStatus(ctx, len.status());
  Notify(ctx, config::kNotifyList, end == End::kHead ? "lpush" : "rpush", ctx.arg(1));
  ctx.reply.Integer(static_cast<int64_t>(*len));
}

void LPush(CommandContext& ctx) { PushGeneric(ctx, End::kHead, false); }
void RPush(CommandContext& ctx) { PushGeneric(ctx, End::kTail, false); }
void LPushX(CommandContext& ctx) { PushGeneric(ctx, End::kHead, true); }
void RPushX(CommandContext& ctx) { PushGeneric(ctx, End::kTail, true); }

// LPOP/RPOP key [count]: without a count one bulk (or null); with one an array, a null array
// when the key is missing, and an empty array for a count of 0.
void PopGeneric(CommandContext& ctx, End end) {
  if (ctx.argc() > 3)
    return ctx.reply.Error(errors::WrongArity(end == End::kHead ? "lpop" : "rpop"));
  std::optional<int64_t> count;
  if (ctx.argc() == 3) {
    count = NonNegative(ctx.arg(2));
    if (!count) return ctx.reply.Error(kNotPositive);
  }
  auto list = OpenList(ctx, ctx.arg(1), /*for_write=*/true);
  if (!list) return;
  if (!list->exists()) return count ? ctx.reply.NullArray() : ctx.reply.Null();
  auto popped = list->Pop(end, count ? static_cast<uint64_t>(*count) : 1);
  if (!popped.ok()) return ReplyStatus(ctx, popped.status());
  if (!popped->empty()) {
    NotifyChange(ctx, config::kNotifyList, end == End::kHead ? "lpop" : "rpop", ctx.arg(1));
  }
  if (count) return ReplyElements(ctx, *popped);
  ctx.reply.Bulk(popped->front());
}

void LPop(CommandContext& ctx) { PopGeneric(ctx, End::kHead); }
void RPop(CommandContext& ctx) { PopGeneric(ctx, End::kTail); }

void LLen(CommandContext& ctx) {
  auto list = OpenList(ctx, ctx.arg(1), /*for_write=*/false);
  if (!list) return;
  ctx.reply.Integer(static_cast<int64_t>(list->size()));
}

// ---- Reads by index -------------------------------------------------------------------------

void LRange(CommandContext& ctx) {
  auto start = ParseInt64(ctx.arg(2));
  auto stop = ParseInt64(ctx.arg(3));
  if (!start || !stop) return ctx.reply.Error(errors::kNotInteger);
  auto list = OpenList(ctx, ctx.arg(1), /*for_write=*/false);
  if (!list) return;
  Status s = list->Range(
      *start, *stop, [&](size_t n) { ctx.reply.ArrayHeader(n); },
      [&](std::string_view v) { ctx.reply.Bulk(v); });
  if (!s.ok()) ReplyStatus(ctx, s);
}

void LIndex(CommandContext& ctx) {
  auto list = OpenList(ctx, ctx.arg(1), /*for_write=*/false);
  if (!list) return;
  if (!list->exists()) return ctx.reply.Null();
  auto index = ParseInt64(ctx.arg(2));
  if (!index) return ctx.reply.Error(errors::kNotInteger);
  auto v = list->Index(*index);
  if (!v.ok()) return ReplyStatus(ctx, v.status());
  if (!v->has_value()) return ctx.reply.Null();
  ctx.reply.Bulk(**v);
}

void LSet(CommandContext& ctx) {
  auto list = OpenList(ctx, ctx.arg(1), /*for_write=*/true);
  if (!list) return;
  if (!list->exists()) return ctx.reply.Error(errors::kNoSuchKey);
  auto index = ParseInt64(ctx.arg(2));
  if (!index) return ctx.reply.Error(errors::kNotInteger);
  Status s = list->Set(*index, ctx.arg(3));
  if (!s.ok()) return ReplyStatus(ctx, s);
  Notify(ctx, config::kNotifyList, "lset", ctx.arg(1));
  ctx.reply.Ok();
}

// ---- Edits in the middle --------------------------------------------------------------------

void LInsert(CommandContext& ctx) {
  bool after;
  if (EqualsIgnoreCase(ctx.arg(2), "AFTER")) {
    after = true;
  } else if (EqualsIgnoreCase(ctx.arg(2), "BEFORE")) {
    after = false;
  } else {
    return ctx.reply.Error(errors::kSyntax);
  }
  auto list = OpenList(ctx, ctx.arg(1), /*for_write=*/true);
  if (!list) return;
  auto result = list->Insert(after, ctx.arg(3), ctx.arg(4));
  if (!result.ok()) return ReplyStatus(ctx, result.status());
  if (*result > 0) Notify(ctx, config::kNotifyList, "linsert", ctx.arg(1));
  ctx.reply.Integer(*result);
}

void LRem(CommandContext& ctx) {
  auto count = ParseInt64(ctx.arg(2));
  if (!count) return ctx.reply.Error(errors::kNotInteger);
  auto list = OpenList(ctx, ctx.arg(1), /*for_write=*/true);
  if (!list) return;
  auto removed = list->Remove(*count, ctx.arg(3));
  if (!removed.ok()) return ReplyStatus(ctx, removed.status());
  if (*removed > 0) NotifyChange(ctx, config::kNotifyList, "lrem", ctx.arg(1));
  ctx.reply.Integer(*removed);
}

void LTrim(CommandContext& ctx) {
  auto start = ParseInt64(ctx.arg(2));
  auto stop = ParseInt64(ctx.arg(3));
  if (!start || !stop) return ctx.reply.Error(errors::kNotInteger);
  auto list = OpenList(ctx, ctx.arg(1), /*for_write=*/true);
  if (!list) return;
  const bool existed = list->exists();
  Status s = list->Trim(*start, *stop);
  if (!s.ok()) return ReplyStatus(ctx, s);
  if (existed) NotifyChange(ctx, config::kNotifyList, "ltrim", ctx.arg(1));
  ctx.reply.Ok();
}

// LPOS key element [RANK rank] [COUNT num] [MAXLEN len]. Options are checked as they are
// read, so the first bad one decides the error; a repeated option takes the last value.
void LPos(CommandContext& ctx) {
  int64_t rank = 1;
  std::optional<uint64_t> count;
  uint64_t maxlen = 0;
  ArgParser p(ctx.args, 3);
  while (p.HasMore()) {
    const bool has_value = p.remaining() >= 2;
    if (has_value && p.Flag("RANK")) {
      auto v = ParseInt64(p.Next());
      if (!v) return ctx.reply.Error(errors::kNotInteger);
      if (*v == 0) return ctx.reply.Error(kRankZero);
      rank = *v;
    } else if (has_value && p.Flag("COUNT")) {
      auto v = NonNegative(p.Next());
      if (!v) return ctx.reply.Error(kCountNegative);
      count = static_cast<uint64_t>(*v);
    } else if (has_value && p.Flag("MAXLEN")) {
      auto v = NonNegative(p.Next());
      if (!v) return ctx.reply.Error(kMaxLenNegative);
      maxlen = static_cast<uint64_t>(*v);
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  auto list = OpenList(ctx, ctx.arg(1), /*for_write=*/false);
  if (!list) return;
  auto found = list->Positions(ctx.arg(2), rank, count.value_or(1), maxlen);
  if (!found.ok()) return ReplyStatus(ctx, found.status());
  if (count) {
    ctx.reply.ArrayHeader(found->size());
    for (int64_t pos : *found) ctx.reply.Integer(pos);
    return;
  }
  if (found->empty()) return ctx.reply.Null();
  ctx.reply.Integer(found->front());
}

// ---- Moves between lists --------------------------------------------------------------------

void MoveGeneric(CommandContext& ctx, End from, End to) {
  auto moved = List::Move(ctx.ks(), ctx.session.db, ctx.arg(1), ctx.arg(2), from, to);
  if (!moved.ok()) return ReplyStatus(ctx, moved.status());
  if (!moved->has_value()) return ctx.reply.Null();
  NotifyListMove(ctx, ctx.arg(1), ctx.arg(2), from, to);
  ctx.reply.Bulk(**moved);
}

void LMove(CommandContext& ctx) {
  auto from = ParseEnd(ctx.arg(3));
  auto to = ParseEnd(ctx.arg(4));
  if (!from || !to) return ctx.reply.Error(errors::kSyntax);
  MoveGeneric(ctx, *from, *to);
}

void RPopLPush(CommandContext& ctx) { MoveGeneric(ctx, End::kTail, End::kHead); }

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list
// and replies [key, [elements]], or a null array when every key is missing. A key of another
// type before that list is an error; one after it is not looked at.
void LMPop(CommandContext& ctx) {
  if (!ListMPop(ctx, 1, nullptr)) ctx.reply.NullArray();
}

}  // namespace

void NotifyListMove(CommandContext& ctx, std::string_view src, std::string_view dst,
                    types::List::End from, types::List::End to) {
  using End = types::List::End;
  Notify(ctx, config::kNotifyList, to == End::kHead ? "lpush" : "rpush", dst);
  NotifyChange(ctx, config::kNotifyList, from == End::kHead ? "lpop" : "rpop", src);
}

bool ListMPop(CommandContext& ctx, size_t numkeys_at, std::vector<std::string>* empty_keys) {
  auto numkeys = ParseInt64(ctx.arg(numkeys_at));
  if (!numkeys || *numkeys < 1) {
    ctx.reply.Error(kNumKeys);
    return true;
  }
  if (static_cast<uint64_t>(*numkeys) >= ctx.argc() - numkeys_at - 1) {
    ctx.reply.Error(errors::kSyntax);
    return true;
  }
  const size_t first = numkeys_at + 1;
  const size_t where = first + static_cast<size_t>(*numkeys);
  auto end = ParseEnd(ctx.arg(where));
  if (!end) {
    ctx.reply.Error(errors::kSyntax);
    return true;
  }
  std::optional<int64_t> count;
  ArgParser p(ctx.args, where + 1);
  while (p.HasMore()) {
    if (!count && p.remaining() >= 2 && p.Flag("COUNT")) {
      auto v = ParseInt64(p.Next());
      if (!v || *v < 1) {
        ctx.reply.Error(kCountPositive);
        return true;
      }
      count = *v;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return true;
    }
  }
  for (size_t i = first; i < where; ++i) {
    auto list = OpenList(ctx, ctx.arg(i), /*for_write=*/true);
    if (!list) return true;
    if (!list->exists()) {
      if (empty_keys) empty_keys->emplace_back(ctx.arg(i));
      continue;
    }
    auto popped = list->Pop(*end, static_cast<uint64_t>(count.value_or(1)));
    if (!popped.ok()) {
      ReplyStatus(ctx, popped.status());
      return true;
    }
    NotifyChange(ctx, config::kNotifyList, *end == End::kHead ? "lpop" : "rpop", ctx.arg(i));
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(ctx.arg(i));
    ReplyElements(ctx, *popped);
    return true;
  }
  return false;
}

void RegisterListCommands(CommandTable& table) {
  constexpr uint32_t kReadFast = kAclRead | kAclList | kAclFast;
  constexpr uint32_t kReadSlow = kAclRead | kAclList | kAclSlow;
  constexpr uint32_t kWriteFast = kAclWrite | kAclList | kAclFast;
  constexpr uint32_t kWriteSlow = kAclWrite | kAclList | kAclSlow;
  constexpr std::string_view kPushComplexity =
      "O(1) for each element added, so O(N) to add N elements when the command is called with "
      "multiple arguments.";
  constexpr std::string_view kPopComplexity = "O(N) where N is the number of elements returned";

  // clang-format off
  table.Add({.name = "lpush", .arity = -3, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = {1, 1, 1}, .handler = LPush, .group = "list",
             .since = "1.0.0", .summary = "Prepend one or multiple elements to a list",
             .complexity = kPushComplexity});
  table.Add({.name = "rpush", .arity = -3, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = {1, 1, 1}, .handler = RPush, .group = "list",
             .since = "1.0.0", .summary = "Append one or multiple elements to a list",
             .complexity = kPushComplexity});
  table.Add({.name = "lpushx", .arity = -3, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = {1, 1, 1}, .handler = LPushX, .group = "list",
             .since = "2.2.0", .summary = "Prepend an element to a list, only if the list exists",
             .complexity = kPushComplexity});
  table.Add({.name = "rpushx", .arity = -3, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = {1, 1, 1}, .handler = RPushX, .group = "list",
             .since = "2.2.0", .summary = "Append an element to a list, only if the list exists",
             .complexity = kPushComplexity});
  table.Add({.name = "lpop", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = LPop, .group = "list", .since = "1.0.0",
             .summary = "Remove and get the first elements in a list",
             .complexity = kPopComplexity});
  table.Add({.name = "rpop", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = RPop, .group = "list", .since = "1.0.0",
             .summary = "Remove and get the last elements in a list",
             .complexity = kPopComplexity});
  table.Add({.name = "llen", .arity = 2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = LLen, .group = "list", .since = "1.0.0",
             .summary = "Get the length of a list", .complexity = "O(1)"});
  table.Add({.name = "lrange", .arity = 4, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = LRange, .group = "list", .since = "1.0.0",
             .summary = "Get a range of elements from a list",
             .complexity =
                 "O(S+N) where S is the distance of start offset from HEAD for small lists, from "
                 "nearest end (HEAD or TAIL) for large lists; and N is the number of elements in "
                 "the specified range."});
  table.Add({.name = "lindex", .arity = 3, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = LIndex, .group = "list", .since = "1.0.0",
             .summary = "Get an element from a list by its index",
             .complexity = "O(N) where N is the number of elements to traverse to get to the "
                           "element at index. This makes asking for the first or the last element "
                           "of the list O(1)."});
  table.Add({.name = "lset", .arity = 4, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, 1, 1}, .handler = LSet, .group = "list", .since = "1.0.0",
             .summary = "Set the value of an element in a list by its index",
             .complexity = "O(N) where N is the length of the list. Setting either the first or "
                           "the last element of the list is O(1)."});
  table.Add({.name = "linsert", .arity = 5, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, 1, 1}, .handler = LInsert, .group = "list", .since = "2.2.0",
             .summary = "Insert an element before or after another element in a list",
             .complexity =
                 "O(N) where N is the number of elements to traverse before seeing the value "
                 "pivot. This means that inserting somewhere on the left end on the list (head) "
                 "can be considered O(1) and inserting somewhere on the right end (tail) is "
                 "O(N)."});
  table.Add({.name = "lrem", .arity = 4, .flags = kWrite, .acl = kWriteSlow, .keys = {1, 1, 1},
             .handler = LRem, .group = "list", .since = "1.0.0",
             .summary = "Remove elements from a list",
             .complexity = "O(N+M) where N is the length of the list and M is the number of "
                           "elements removed."});
  table.Add({.name = "ltrim", .arity = 4, .flags = kWrite, .acl = kWriteSlow, .keys = {1, 1, 1},
             .handler = LTrim, .group = "list", .since = "1.0.0",
             .summary = "Trim a list to the specified range",
             .complexity =
                 "O(N) where N is the number of elements to be removed by the operation."});
  table.Add({.name = "lpos", .arity = -3, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = LPos, .group = "list", .since = "6.0.6",
             .summary = "Return the index of matching elements on a list",
             .complexity =
                 "O(N) where N is the number of elements in the list, for the average case. When "
                 "searching for elements near the head or the tail of the list, or when the "
                 "MAXLEN option is provided, the command may run in constant time."});
  table.Add({.name = "lmove", .arity = 5, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, 2, 1}, .handler = LMove, .group = "list", .since = "6.2.0",
             .summary = "Pop an element from a list, push it to another list and return it",
             .complexity = "O(1)"});
  table.Add({.name = "rpoplpush", .arity = 3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, 2, 1}, .handler = RPopLPush, .group = "list", .since = "1.2.0",
             .summary =
                 "Remove the last element in a list, prepend it to another list and return it",
             .complexity = "O(1)"});
  // The keys follow numkeys, so the legacy triple is 0 0 0, as Redis reports it.
  table.Add({.name = "lmpop", .arity = -4, .flags = kWrite | kMovableKeys, .acl = kWriteSlow,
             .keys = {.numkeys = 1}, .handler = LMPop, .group = "list", .since = "7.0.0",
             .summary = "Pop elements from a list",
             .complexity = "O(N+M) where N is the number of provided keys and M is the number of "
                           "elements returned."});
  // clang-format on
}

}  // namespace strata::commands

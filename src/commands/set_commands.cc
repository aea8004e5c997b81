// Set commands: SADD SREM SISMEMBER SMISMEMBER SMEMBERS SCARD SPOP SRANDMEMBER SMOVE SINTER
// SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN.
//
// Each handler checks in Redis 7.0's order, since a client sees only the first error: arity
// and argument syntax, then numbers, then the keys' types (every key of a multi-key command,
// even after a missing one). Reads open sets with Lookup (keyspace hits/misses); writes, and
// the sources of the *STORE commands, with Peek, as Redis's lookupKeyWrite.
//
// Reply order. Where Redis 7.0's order is deterministic (a set it would hold as an intset, a
// result it builds as one) the reply lists members in the same numeric order; elsewhere the
// order is unspecified in both. In RESP3, SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count
// reply with a set; SRANDMEMBER with a count replies with an array, as Redis does.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "commands/arg_parser.h"
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "commands/notify.h"
#include "commands/scan_args.h"
#include "common/glob.h"
#include "common/numbers.h"
#include "types/set.h"

namespace strata::commands {
namespace {

using types::SetHandle;

constexpr std::string_view kNotPositive = "ERR value is out of range, must be positive";

// Opens the set at argument `i`; replies and returns nullopt on WRONGTYPE or an I/O error.
std::optional<SetHandle> OpenSet(CommandContext& ctx, size_t i, bool for_write) {
  auto s = SetHandle::Open(ctx.ks(), ctx.session.db, ctx.arg(i), for_write);
  if (!s.ok()) {
    ReplyStatus(ctx, s.status());
    return std::nullopt;
  }
  return std::move(*s);
}

// Opens the sets at arguments [first, end), in order; replies and returns nullopt at the
// first WRONGTYPE or I/O error. A missing key is an empty handle.
std::optional<std::vector<SetHandle>> OpenSets(CommandContext& ctx, size_t first, size_t end,
                                               bool for_write) {
  std::vector<SetHandle> sets;
  sets.reserve(end - first);
  for (size_t i = first; i < end; ++i) {
    auto s = OpenSet(ctx, i, for_write);
    if (!s) return std::nullopt;
    sets.push_back(std::move(*s));
  }
  return sets;
}

void ReplyMembers(CommandContext& ctx, const std::vector<std::string>& members, bool as_set) {
  as_set ? ctx.reply.SetHeader(members.size()) : ctx.reply.ArrayHeader(members.size());
  for (const std::string& m : members) ctx.reply.Bulk(m);
}

// --- Set algebra ---------------------------------------------------------------------------

// The intersection, in Redis's order: that of the smallest set (the first of the smallest, as
// Redis sorts by size with a stable sort), numeric for an intset. Stops after `limit` members
// when limit > 0 (SINTERCARD).
StatusOr<std::vector<std::string>> Intersect(std::vector<SetHandle>& sets, size_t limit = 0) {
  std::vector<std::string> out;
  for (const SetHandle& s : sets) {
    if (!s.exists()) return out;
  }
  std::vector<size_t> order(sets.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return sets[a].size() < sets[b].size(); });
  auto candidates = sets[order[0]].Members();
  if (!candidates.ok()) return candidates.status();
  for (std::string& m : *candidates) {
    bool everywhere = true;
    for (size_t k = 1; k < order.size() && everywhere; ++k) {
      auto present = sets[order[k]].Contains(m);
      if (!present.ok()) return present.status();
      everywhere = *present;
    }
    if (!everywhere) continue;
    out.push_back(std::move(m));
    if (limit > 0 && out.size() >= limit) break;
  }
  return out;
}

// The union, in Redis's order: numeric when the result fits an intset, else unspecified.
StatusOr<std::vector<std::string>> Union(std::vector<SetHandle>& sets) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (SetHandle& s : sets) {
    auto members = s.Members();
    if (!members.ok()) return members.status();
    for (std::string& m : *members) {
      if (seen.insert(m).second) out.push_back(std::move(m));
    }
  }
  if (types::IntsetEligible(out)) types::SortNumerically(&out);
  return out;
}

// The members of the first set in none of the others, in Redis's order. Redis picks one of
// two algorithms by estimated work; the second starts from a copy of the whole first set, so
// its result is numeric only when that first set fits an intset. The result is the same.
StatusOr<std::vector<std::string>> Difference(std::vector<SetHandle>& sets) {
  std::vector<std::string> out;
  if (!sets[0].exists()) return out;
  uint64_t per_set_work = 0, total_work = 0;
  for (const SetHandle& s : sets) {
    if (!s.exists()) continue;
    per_set_work += sets[0].size();
    total_work += s.size();
  }
  const bool builds_from_first = per_set_work / 2 > total_work;
  auto first = sets[0].Members();
  if (!first.ok()) return first.status();
  const bool first_fits_intset = builds_from_first && types::IntsetEligible(*first);
  for (std::string& m : *first) {
    bool elsewhere = false;
    for (size_t k = 1; k < sets.size() && !elsewhere; ++k) {
      auto present = sets[k].Contains(m);
      if (!present.ok()) return present.status();
      elsewhere = *present;
    }
    if (!elsewhere) out.push_back(std::move(m));
  }
  if (builds_from_first ? first_fits_intset : types::IntsetEligible(out)) {
    types::SortNumerically(&out);
  }
  return out;
}

enum class SetOp { kInter, kUnion, kDiff };

StatusOr<std::vector<std::string>> Compute(SetOp op, std::vector<SetHandle>& sets) {
  switch (op) {
    case SetOp::kInter:
      return Intersect(sets);
    case SetOp::kUnion:
      return Union(sets);
    case SetOp::kDiff:
      return Difference(sets);
  }
  return std::vector<std::string>();
}

// SINTER / SUNION / SDIFF key [key ...] (and SMEMBERS key, Redis's SINTER of one key).
void ReadOp(CommandContext& ctx, SetOp op) {
  auto sets = OpenSets(ctx, 1, ctx.argc(), /*for_write=*/false);
  if (!sets) return;
  auto result = Compute(op, *sets);
  if (!result.ok()) return ReplyStatus(ctx, result.status());
  ReplyMembers(ctx, *result, /*as_set=*/true);
}

// SINTERSTORE / SUNIONSTORE / SDIFFSTORE destination key [key ...]: the destination is
// replaced whatever it held, loses any TTL, and is deleted when the result is empty.
void StoreOp(CommandContext& ctx, SetOp op) {
  auto sets = OpenSets(ctx, 2, ctx.argc(), /*for_write=*/true);
  if (!sets) return;
  auto result = Compute(op, *sets);
  if (!result.ok()) return ReplyStatus(ctx, result.status());
  sets->clear();  // the destination may be one of the sources: its entry is replaced below
  const bool existed = ExistsForNotify(ctx, ctx.arg(1));
  auto size = SetHandle::Store(ctx.ks(), ctx.session.db, ctx.arg(1), *result);
  if (!size.ok()) return ReplyStatus(ctx, size.status());
  NotifyStore(ctx, config::kNotifySet,
              op == SetOp::kInter   ? "sinterstore"
              : op == SetOp::kUnion ? "sunionstore"
                                    : "sdiffstore",
              ctx.arg(1), existed, static_cast<uint64_t>(*size));
  ctx.reply.Integer(*size);
}

void SInter(CommandContext& ctx) { ReadOp(ctx, SetOp::kInter); }
void SUnion(CommandContext& ctx) { ReadOp(ctx, SetOp::kUnion); }
void SDiff(CommandContext& ctx) { ReadOp(ctx, SetOp::kDiff); }
void SInterStore(CommandContext& ctx) { StoreOp(ctx, SetOp::kInter); }
void SUnionStore(CommandContext& ctx) { StoreOp(ctx, SetOp::kUnion); }
void SDiffStore(CommandContext& ctx) { StoreOp(ctx, SetOp::kDiff); }

// SINTERCARD numkeys key [key ...] [LIMIT limit]. LIMIT 0 means no limit; a repeated LIMIT
// takes the last value.
void SInterCard(CommandContext& ctx) {
  auto numkeys = ParseInt64(ctx.arg(1));
  if (!numkeys || *numkeys <= 0) return ctx.reply.Error("ERR numkeys should be greater than 0");
  if (static_cast<uint64_t>(*numkeys) > ctx.argc() - 2) {
    return ctx.reply.Error("ERR Number of keys can't be greater than number of args");
  }
  const size_t end = 2 + static_cast<size_t>(*numkeys);
  int64_t limit = 0;
  for (size_t i = end; i < ctx.argc(); ++i) {
    if (EqualsIgnoreCase(ctx.arg(i), "LIMIT") && i + 1 < ctx.argc()) {
      auto v = ParseInt64(ctx.arg(++i));
      if (!v || *v < 0) return ctx.reply.Error("ERR LIMIT can't be negative");
      limit = *v;
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  auto sets = OpenSets(ctx, 2, end, /*for_write=*/false);
  if (!sets) return;
  auto result = Intersect(*sets, static_cast<size_t>(limit));
  if (!result.ok()) return ReplyStatus(ctx, result.status());
  ctx.reply.Integer(static_cast<int64_t>(result->size()));
}

// --- Single-set commands -------------------------------------------------------------------

void SAdd(CommandContext& ctx) {
  auto s = OpenSet(ctx, 1, /*for_write=*/true);
  if (!s) return;
  std::vector<std::string_view> members(ctx.args.begin() + 2, ctx.args.end());
  auto added = s->Add(members);
  if (!added.ok()) return ReplyStatus(ctx, added.status());
  if (*added > 0) Notify(ctx, config::kNotifySet, "sadd", ctx.arg(1));
  ctx.reply.Integer(*added);
}

void SRem(CommandContext& ctx) {
  auto s = OpenSet(ctx, 1, /*for_write=*/true);
  if (!s) return;
  std::vector<std::string_view> members(ctx.args.begin() + 2, ctx.args.end());
  auto removed = s->Remove(members);
  if (!removed.ok()) return ReplyStatus(ctx, removed.status());
  if (*removed > 0) NotifyChange(ctx, config::kNotifySet, "srem", ctx.arg(1));
  ctx.reply.Integer(*removed);
}

void SIsMember(CommandContext& ctx) {
  auto s = OpenSet(ctx, 1, /*for_write=*/false);
  if (!s) return;
  auto present = s->Contains(ctx.arg(2));
  if (!present.ok()) return ReplyStatus(ctx, present.status());
  ctx.reply.Integer(*present ? 1 : 0);
}

void SMIsMember(CommandContext& ctx) {
  auto s = OpenSet(ctx, 1, /*for_write=*/false);
  if (!s) return;
  std::vector<int64_t> answers;
  answers.reserve(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    auto present = s->Contains(ctx.arg(i));
    if (!present.ok()) return ReplyStatus(ctx, present.status());
    answers.push_back(*present ? 1 : 0);
  }
  ctx.reply.ArrayHeader(answers.size());
  for (int64_t a : answers) ctx.reply.Integer(a);
}

void SMembers(CommandContext& ctx) { ReadOp(ctx, SetOp::kInter); }

void SCard(CommandContext& ctx) {
  auto s = OpenSet(ctx, 1, /*for_write=*/false);
  if (!s) return;
  ctx.reply.Integer(static_cast<int64_t>(s->size()));
}

// SPOP key [count]. The count is validated before the key's type.
void SPop(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.reply.Error(errors::kSyntax);
  std::optional<uint64_t> count;
  if (ctx.argc() == 3) {
    auto v = ParseInt64(ctx.arg(2));
    if (!v || *v < 0) return ctx.reply.Error(kNotPositive);
    count = static_cast<uint64_t>(*v);
  }
  auto s = OpenSet(ctx, 1, /*for_write=*/true);
  if (!s) return;
  auto popped = s->Pop(count.value_or(1));
  if (!popped.ok()) return ReplyStatus(ctx, popped.status());
  if (!popped->empty()) NotifyChange(ctx, config::kNotifySet, "spop", ctx.arg(1));
  if (count) return ReplyMembers(ctx, *popped, /*as_set=*/true);
  if (popped->empty()) return ctx.reply.Null();
  ctx.reply.Bulk(popped->front());
}

// SRANDMEMBER key [count]. A negative count allows repeats and returns exactly -count
// members; the count is validated before the key's type.
void SRandMember(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.reply.Error(errors::kSyntax);
  std::optional<int64_t> count;
  if (ctx.argc() == 3) {
    count = ParseInt64(ctx.arg(2));
    if (!count) return ctx.reply.Error(errors::kNotInteger);
    if (*count == std::numeric_limits<int64_t>::min()) {
      return ctx.reply.Error(
          "ERR value is out of range, value must between -9223372036854775807 and "
          "9223372036854775807");
    }
  }
  auto s = OpenSet(ctx, 1, /*for_write=*/false);
  if (!s) return;
  if (!count) {
    auto picked = s->Random(1, /*distinct=*/true);
    if (!picked.ok()) return ReplyStatus(ctx, picked.status());
    if (picked->empty()) return ctx.reply.Null();
    return ctx.reply.Bulk(picked->front());
  }
  const bool distinct = *count >= 0;
  const uint64_t n = static_cast<uint64_t>(distinct ? *count : -*count);
  auto picked = s->Random(n, distinct);
  if (!picked.ok()) return ReplyStatus(ctx, picked.status());
  ReplyMembers(ctx, *picked, /*as_set=*/false);
}

// SMOVE source destination member. A missing source answers 0 before the destination's type
// is checked; a source equal to the destination only reports membership.
void SMove(CommandContext& ctx) {
  auto src = OpenSet(ctx, 1, /*for_write=*/true);
  if (!src) return;
  auto dst_opened = SetHandle::Open(ctx.ks(), ctx.session.db, ctx.arg(2), /*for_write=*/true);
  if (!src->exists()) return ctx.reply.Integer(0);
  if (!dst_opened.ok()) return ReplyStatus(ctx, dst_opened.status());
  std::string_view member = ctx.arg(3);
  if (ctx.arg(1) == ctx.arg(2)) {
    auto present = src->Contains(member);
    if (!present.ok()) return ReplyStatus(ctx, present.status());
    return ctx.reply.Integer(*present ? 1 : 0);
  }
  auto removed = src->Remove({member});
  if (!removed.ok()) return ReplyStatus(ctx, removed.status());
  if (*removed == 0) return ctx.reply.Integer(0);
  NotifyChange(ctx, config::kNotifySet, "srem", ctx.arg(1));
  auto added = dst_opened->Add({member});
  if (!added.ok()) return ReplyStatus(ctx, added.status());
  if (*added > 0) Notify(ctx, config::kNotifySet, "sadd", ctx.arg(2));
  ctx.reply.Integer(1);
}

// SSCAN key cursor [MATCH pattern] [COUNT count]. Redis validates the cursor, then the key's
// existence and type, and only then the options (a missing key answers "0" and an empty page
// whatever follows). COUNT bounds the members examined; MATCH filters what they returned.
void SScan(CommandContext& ctx) {
  auto cursor = ParseScanCursor(ctx.arg(2));
  if (!cursor) return ctx.reply.Error("ERR invalid cursor");
  auto s = OpenSet(ctx, 1, /*for_write=*/false);
  if (!s) return;
  if (!s->exists()) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("0");
    return ctx.reply.ArrayHeader(0);
  }
  ScanOptions options;
  if (!ParseScanOptions(ctx, 3, &options)) return;
  auto page = s->Scan(*cursor, static_cast<size_t>(options.count));
  if (!page.ok()) return ReplyStatus(ctx, page.status());
  std::erase_if(page->members, [&](const std::string& m) { return !options.Matches(m); });
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(page->next_cursor));
  ReplyMembers(ctx, page->members, /*as_set=*/false);
}

}  // namespace

void RegisterSetCommands(CommandTable& table) {
  constexpr uint32_t kReadFast = kAclRead | kAclSet | kAclFast;
  constexpr uint32_t kReadSlow = kAclRead | kAclSet | kAclSlow;
  constexpr uint32_t kWriteFast = kAclWrite | kAclSet | kAclFast;
  constexpr uint32_t kWriteSlow = kAclWrite | kAclSet | kAclSlow;
  constexpr std::string_view kInterComplexity =
      "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of "
      "sets.";
  constexpr std::string_view kTotalComplexity =
      "O(N) where N is the total number of elements in all given sets.";

  // One entry per command, as COMMAND INFO and COMMAND DOCS report it.
  // clang-format off
  table.Add({.name = "sadd", .arity = -3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = SAdd, .group = "set", .since = "1.0.0",
             .summary = "Add one or more members to a set",
             .complexity = "O(1) for each element added, so O(N) to add N elements when the "
                           "command is called with multiple arguments."});
  table.Add({.name = "srem", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = SRem, .group = "set", .since = "1.0.0",
             .summary = "Remove one or more members from a set",
             .complexity = "O(N) where N is the number of members to be removed."});
  table.Add({.name = "sismember", .arity = 3, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = SIsMember, .group = "set", .since = "1.0.0",
             .summary = "Determine if a given value is a member of a set",
             .complexity = "O(1)"});
  table.Add({.name = "smismember", .arity = -3, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = SMIsMember, .group = "set", .since = "6.2.0",
             .summary = "Returns the membership associated with the given elements for a set",
             .complexity = "O(N) where N is the number of elements being checked for "
                           "membership"});
  table.Add({.name = "smembers", .arity = 2, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = SMembers, .group = "set", .since = "1.0.0",
             .summary = "Get all the members in a set",
             .complexity = "O(N) where N is the set cardinality."});
  table.Add({.name = "scard", .arity = 2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = SCard, .group = "set", .since = "1.0.0",
             .summary = "Get the number of members in a set", .complexity = "O(1)"});
  table.Add({.name = "spop", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = SPop, .group = "set", .since = "1.0.0",
             .summary = "Remove and return one or multiple random members from a set",
             .complexity = "Without the count argument O(1), otherwise O(N) where N is the "
                           "value of the passed count."});
  table.Add({.name = "srandmember", .arity = -2, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = SRandMember, .group = "set", .since = "1.0.0",
             .summary = "Get one or multiple random members from a set",
             .complexity = "Without the count argument O(1), otherwise O(N) where N is the "
                           "absolute value of the passed count."});
  table.Add({.name = "smove", .arity = 4, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 2, 1}, .handler = SMove, .group = "set", .since = "1.0.0",
             .summary = "Move a member from one set to another", .complexity = "O(1)"});
  table.Add({.name = "sinter", .arity = -2, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, -1, 1}, .handler = SInter, .group = "set", .since = "1.0.0",
             .summary = "Intersect multiple sets", .complexity = kInterComplexity});
  // The keys follow numkeys (Redis's movablekeys/keynum spec); the table's legacy triple is
  // 0 0 0, as Redis reports it.
  table.Add({.name = "sintercard", .arity = -3, .flags = kReadOnly | kMovableKeys,
             .acl = kReadSlow, .keys = {.numkeys = 1}, .handler = SInterCard, .group = "set",
             .since = "7.0.0",
             .summary = "Intersect multiple sets and return the cardinality of the result",
             .complexity = kInterComplexity});
  table.Add({.name = "sinterstore", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, -1, 1}, .handler = SInterStore, .group = "set", .since = "1.0.0",
             .summary = "Intersect multiple sets and store the resulting set in a key",
             .complexity = kInterComplexity});
  table.Add({.name = "sunion", .arity = -2, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, -1, 1}, .handler = SUnion, .group = "set", .since = "1.0.0",
             .summary = "Add multiple sets", .complexity = kTotalComplexity});
  table.Add({.name = "sunionstore", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, -1, 1}, .handler = SUnionStore, .group = "set", .since = "1.0.0",
             .summary = "Add multiple sets and store the resulting set in a key",
             .complexity = kTotalComplexity});
  table.Add({.name = "sdiff", .arity = -2, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, -1, 1}, .handler = SDiff, .group = "set", .since = "1.0.0",
             .summary = "Subtract multiple sets", .complexity = kTotalComplexity});
  table.Add({.name = "sdiffstore", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, -1, 1}, .handler = SDiffStore, .group = "set", .since = "1.0.0",
             .summary = "Subtract multiple sets and store the resulting set in a key",
             .complexity = kTotalComplexity});
  table.Add({.name = "sscan", .arity = -3, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = SScan, .group = "set", .since = "2.8.0",
             .summary = "Incrementally iterate Set elements",
             .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                           "command calls for the cursor to return back to 0. N is the number of "
                           "elements inside the collection.."});
  // clang-format on
}

}  // namespace strata::commands

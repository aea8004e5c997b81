// Sorted-set commands on single keys: ZADD ZINCRBY ZREM ZSCORE ZMSCORE ZCARD ZCOUNT ZLEXCOUNT
// ZRANK ZREVRANK ZPOPMIN ZPOPMAX ZMPOP ZRANDMEMBER ZSCAN. Ranges, range removal and the
// multi-key algebra live in zset_range_commands.cc.
//
// Each handler validates in Redis 7.0's order (options, then numbers, then the key's type),
// since a client only ever sees the first error. Scores are replied as RESP3 doubles, which
// RESP2 degrades to %.17g bulk strings ("inf"/"-inf"), exactly as Redis's addReplyDouble.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "commands/arg_parser.h"
#include "commands/errors.h"
#include "commands/notify.h"
#include "commands/scan_args.h"
#include "commands/zset_internal.h"
#include "common/glob.h"
#include "common/numbers.h"

namespace strata::commands {
namespace zset {

using types::ScoredMember;
using types::ZSet;

std::optional<ZSet> OpenOrReply(CommandContext& ctx, std::string_view key, bool read) {
  auto z = ZSet::Open(ctx.ks(), ctx.session.db, key, /*for_write=*/!read);
  if (!z.ok()) {
    ReplyStatus(ctx, z.status());
    return std::nullopt;
  }
  return std::move(*z);
}

void ReplyMembers(CommandContext& ctx, const std::vector<ScoredMember>& items, bool withscores) {
  const bool pairs = withscores && ctx.reply.protocol() >= 3;
  ctx.reply.ArrayHeader(withscores && !pairs ? 2 * items.size() : items.size());
  for (const ScoredMember& m : items) {
    if (pairs) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(m.member);
    if (withscores) ctx.reply.Double(m.score);
  }
}

}  // namespace zset

namespace {

using types::ScoredMember;
using types::ZSet;
using zset::OpenOrReply;
using zset::ReplyMembers;

std::mt19937_64& Rng() {
  static std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

// ZADD and ZINCRBY (which Redis runs as ZADD ... INCR, options included).
void ZAddGeneric(CommandContext& ctx, bool zincrby) {
  types::ZAddFlags flags;
  flags.incr = zincrby;
  bool ch = false;
  size_t idx = 2;
  for (; idx < ctx.argc(); ++idx) {
    std::string_view opt = ctx.arg(idx);
    if (EqualsIgnoreCase(opt, "NX")) {
      flags.nx = true;
    } else if (EqualsIgnoreCase(opt, "XX")) {
      flags.xx = true;
    } else if (EqualsIgnoreCase(opt, "CH")) {
      ch = true;
    } else if (EqualsIgnoreCase(opt, "INCR")) {
      flags.incr = true;
    } else if (EqualsIgnoreCase(opt, "GT")) {
      flags.gt = true;
    } else if (EqualsIgnoreCase(opt, "LT")) {
      flags.lt = true;
    } else {
      break;
    }
  }
  const size_t elements = ctx.argc() - idx;
  if (elements == 0 || elements % 2 != 0) return ctx.reply.Error(errors::kSyntax);
  if (flags.nx && flags.xx) {
    return ctx.reply.Error("ERR XX and NX options at the same time are not compatible");
  }
  if ((flags.gt && flags.nx) || (flags.lt && flags.nx) || (flags.gt && flags.lt)) {
    return ctx.reply.Error("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (flags.incr && elements > 2) {
    return ctx.reply.Error("ERR INCR option supports a single increment-element pair");
  }
  std::vector<std::pair<double, std::string_view>> items;
  items.reserve(elements / 2);
  for (size_t i = idx; i < ctx.argc(); i += 2) {
    auto score = ParseDouble(ctx.arg(i));
    if (!score) return ctx.reply.Error(errors::kNotFloat);
    items.emplace_back(*score, ctx.arg(i + 1));
  }
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!z) return;
  auto result = z->Add(items, flags);
  if (!result.ok()) return ReplyStatus(ctx, result.status());
  if (result->added + result->updated > 0) {
    Notify(ctx, config::kNotifyZSet, flags.incr ? "zincr" : "zadd", ctx.arg(1));
  }
  if (flags.incr) {
    if (result->processed == 0) return ctx.reply.Null();
    return ctx.reply.Double(result->last_score);
  }
  ctx.reply.Integer(ch ? result->added + result->updated : result->added);
}

void ZAdd(CommandContext& ctx) { ZAddGeneric(ctx, false); }
void ZIncrBy(CommandContext& ctx) { ZAddGeneric(ctx, true); }

void ZRem(CommandContext& ctx) {
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!z) return;
  std::vector<std::string_view> members(ctx.args.begin() + 2, ctx.args.end());
  auto removed = z->Remove(members);
  if (!removed.ok()) return ReplyStatus(ctx, removed.status());
  if (*removed > 0) NotifyChange(ctx, config::kNotifyZSet, "zrem", ctx.arg(1));
  ctx.reply.Integer(*removed);
}

void ZScore(CommandContext& ctx) {
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/true);
  if (!z) return;
  auto score = z->Score(ctx.arg(2));
  if (!score.ok()) return ReplyStatus(ctx, score.status());
  if (!*score) return ctx.reply.Null();
  ctx.reply.Double(**score);
}

void ZMScore(CommandContext& ctx) {
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/true);
  if (!z) return;
  std::vector<std::optional<double>> scores;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    auto score = z->Score(ctx.arg(i));
    if (!score.ok()) return ReplyStatus(ctx, score.status());
    scores.push_back(*score);
  }
  ctx.reply.ArrayHeader(scores.size());
  for (const auto& s : scores) s ? ctx.reply.Double(*s) : ctx.reply.Null();
}

void ZCard(CommandContext& ctx) {
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/true);
  if (!z) return;
  ctx.reply.Integer(static_cast<int64_t>(z->size()));
}

void ZCount(CommandContext& ctx) {
  auto range = zset::ParseScoreRange(ctx.arg(2), ctx.arg(3));
  if (!range) return ctx.reply.Error(zset::kNotFloatRange);
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/true);
  if (!z) return;
  auto n = z->CountByScore(*range);
  if (!n.ok()) return ReplyStatus(ctx, n.status());
  ctx.reply.Integer(*n);
}

void ZLexCount(CommandContext& ctx) {
  auto range = zset::ParseLexRange(ctx.arg(2), ctx.arg(3));
  if (!range) return ctx.reply.Error(zset::kNotLexRange);
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/true);
  if (!z) return;
  auto n = z->CountByLex(*range);
  if (!n.ok()) return ReplyStatus(ctx, n.status());
  ctx.reply.Integer(*n);
}

void RankGeneric(CommandContext& ctx, bool reverse) {
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/true);
  if (!z) return;
  auto rank = z->Rank(ctx.arg(2), reverse);
  if (!rank.ok()) return ReplyStatus(ctx, rank.status());
  if (!*rank) return ctx.reply.Null();
  ctx.reply.Integer(**rank);
}

void ZRank(CommandContext& ctx) { RankGeneric(ctx, false); }
void ZRevRank(CommandContext& ctx) { RankGeneric(ctx, true); }

// --- Popping ---------------------------------------------------------------------------------

// ZPOPMIN/ZPOPMAX key [count]. Without a count the reply is one flat [member, score]; with one,
// RESP3 nests each pair (RESP2 stays flat).
void PopGeneric(CommandContext& ctx, bool max) {
  if (ctx.argc() > 3) return ctx.reply.Error(errors::kSyntax);
  uint64_t count = 1;
  const bool has_count = ctx.argc() == 3;
  if (has_count) {
    auto v = ParseInt64(ctx.arg(2));
    if (!v || *v < 0) return ctx.reply.Error("ERR value is out of range, must be positive");
    if (*v == 0) return ctx.reply.ArrayHeader(0);
    count = static_cast<uint64_t>(*v);
  }
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!z) return;
  if (!z->exists()) return ctx.reply.ArrayHeader(0);
  auto popped = max ? z->PopMax(count) : z->PopMin(count);
  if (!popped.ok()) return ReplyStatus(ctx, popped.status());
  if (!popped->empty()) {
    NotifyChange(ctx, config::kNotifyZSet, max ? "zpopmax" : "zpopmin", ctx.arg(1));
  }
  if (has_count) return ReplyMembers(ctx, *popped, /*withscores=*/true);
  ctx.reply.ArrayHeader(2 * popped->size());
  for (const ScoredMember& m : *popped) {
    ctx.reply.Bulk(m.member);
    ctx.reply.Double(m.score);
  }
}

void ZPopMin(CommandContext& ctx) { PopGeneric(ctx, false); }
void ZPopMax(CommandContext& ctx) { PopGeneric(ctx, true); }

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: pops from the first non-empty key and
// replies [key, [[member, score], ...]], or a null array when every key is empty.
void ZMPop(CommandContext& ctx) {
  if (!zset::MPop(ctx, 1, nullptr)) ctx.reply.NullArray();
}

// --- ZRANDMEMBER -----------------------------------------------------------------------------

void ZRandMember(CommandContext& ctx) {
  if (ctx.argc() < 3) {
    auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/true);
    if (!z) return;
    auto m = z->RandomMember(Rng()());
    if (!m.ok()) return ReplyStatus(ctx, m.status());
    if (!*m) return ctx.reply.Null();
    return ctx.reply.Bulk((*m)->member);
  }
  auto l = ParseInt64(ctx.arg(2));
  if (!l) return ctx.reply.Error(errors::kNotInteger);
  if (*l == std::numeric_limits<int64_t>::min()) {
    return ctx.reply.Error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
  }
  bool withscores = false;
  if (ctx.argc() > 4 || (ctx.argc() == 4 && !EqualsIgnoreCase(ctx.arg(3), "WITHSCORES"))) {
    return ctx.reply.Error(errors::kSyntax);
  }
  if (ctx.argc() == 4) {
    withscores = true;
    constexpr int64_t kHalf = std::numeric_limits<int64_t>::max() / 2;
    if (*l < -kHalf || *l > kHalf) return ctx.reply.Error("ERR value is out of range");
  }
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/true);
  if (!z) return;
  if (!z->exists() || *l == 0) return ctx.reply.ArrayHeader(0);
  const uint64_t n = z->size();
  std::vector<ScoredMember> picked;
  // With repetition, or a few distinct members of many: one random pick each (O(log n) in
  // memory, a seek on disk), as Redis costs O(count), not a copy of the whole set.
  auto pick_one = [&]() -> Status {
    auto m = z->RandomMember(Rng()());
    if (!m.ok()) return m.status();
    if (*m) picked.push_back(std::move(**m));
    return Status::OK();
  };
  if (*l < 0) {
    const uint64_t count = static_cast<uint64_t>(-*l);
    picked.reserve(static_cast<size_t>(std::min<uint64_t>(count, 1 << 16)));
    for (uint64_t i = 0; i < count; ++i) {
      Status s = pick_one();
      if (!s.ok()) return ReplyStatus(ctx, s);
    }
    return ReplyMembers(ctx, picked, withscores);
  }
  if (static_cast<uint64_t>(*l) * 3 <= n) {
    std::unordered_set<std::string> seen;
    // Each draw is new with probability over 2/3; on disk a draw can favour members after
    // wide gaps in hash order, so the number of tries is bounded and the set read if needed.
    for (uint64_t tries = 0; picked.size() < static_cast<size_t>(*l) && tries < 64 * n; ++tries) {
      Status s = pick_one();
      if (!s.ok()) return ReplyStatus(ctx, s);
      if (!picked.empty() && !seen.insert(picked.back().member).second) picked.pop_back();
    }
    if (picked.size() == static_cast<size_t>(*l)) return ReplyMembers(ctx, picked, withscores);
    picked.clear();
  }
  std::vector<ScoredMember> all;
  all.reserve(n);
  Status s = z->ForEach([&](std::string_view m, double score) {
    all.push_back({std::string(m), score});
  });
  if (!s.ok()) return ReplyStatus(ctx, s);
  if (static_cast<uint64_t>(*l) >= all.size()) {
    picked = std::move(all);
  } else {
    // Distinct: a partial shuffle, the first `count` positions drawn without replacement.
    const size_t count = static_cast<size_t>(*l);
    for (size_t i = 0; i < count; ++i) {
      std::uniform_int_distribution<size_t> pick(i, all.size() - 1);
      std::swap(all[i], all[pick(Rng())]);
    }
    all.resize(count);
    picked = std::move(all);
  }
  ReplyMembers(ctx, picked, withscores);
}

// --- ZSCAN -----------------------------------------------------------------------------------

void ZScan(CommandContext& ctx) {
  auto cursor = ParseScanCursor(ctx.arg(2));
  if (!cursor) return ctx.reply.Error("ERR invalid cursor");
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/true);
  if (!z) return;
  if (!z->exists()) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("0");
    return ctx.reply.ArrayHeader(0);
  }
  ScanOptions options;
  if (!ParseScanOptions(ctx, 3, &options)) return;
  auto page = z->Scan(*cursor, static_cast<size_t>(options.count));
  if (!page.ok()) return ReplyStatus(ctx, page.status());
  std::vector<const ScoredMember*> kept;
  for (const ScoredMember& m : page->items) {
    if (options.Matches(m.member)) kept.push_back(&m);
  }
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(page->next_cursor));
  ctx.reply.ArrayHeader(2 * kept.size());
  for (const ScoredMember* m : kept) {
    ctx.reply.Bulk(m->member);
    ctx.reply.Bulk(FormatDouble(m->score));  // a string even in RESP3, as Redis's SCAN family
  }
}

}  // namespace

namespace zset {

bool MPop(CommandContext& ctx, size_t numkeys_at, std::vector<std::string>* empty_keys) {
  auto numkeys = ParseInt64(ctx.arg(numkeys_at));
  if (!numkeys || *numkeys < 1) {
    ctx.reply.Error("ERR numkeys should be greater than 0");
    return true;
  }
  if (*numkeys >= static_cast<int64_t>(ctx.argc() - numkeys_at - 1)) {
    ctx.reply.Error(errors::kSyntax);
    return true;
  }
  const size_t first = numkeys_at + 1;
  const size_t where = first + static_cast<size_t>(*numkeys);
  bool max;
  if (EqualsIgnoreCase(ctx.arg(where), "MIN")) {
    max = false;
  } else if (EqualsIgnoreCase(ctx.arg(where), "MAX")) {
    max = true;
  } else {
    ctx.reply.Error(errors::kSyntax);
    return true;
  }
  int64_t count = -1;
  for (size_t j = where + 1; j < ctx.argc(); ++j) {
    if (count == -1 && EqualsIgnoreCase(ctx.arg(j), "COUNT") && j + 1 < ctx.argc()) {
      auto v = ParseInt64(ctx.arg(++j));
      if (!v || *v < 1) {
        ctx.reply.Error("ERR count should be greater than 0");
        return true;
      }
      count = *v;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return true;
    }
  }
  if (count == -1) count = 1;
  for (size_t i = first; i < where; ++i) {
    auto z = OpenOrReply(ctx, ctx.arg(i), /*read=*/false);
    if (!z) return true;
    if (!z->exists()) {
      if (empty_keys) empty_keys->emplace_back(ctx.arg(i));
      continue;
    }
    auto popped =
        max ? z->PopMax(static_cast<uint64_t>(count)) : z->PopMin(static_cast<uint64_t>(count));
    if (!popped.ok()) {
      ReplyStatus(ctx, popped.status());
      return true;
    }
    NotifyChange(ctx, config::kNotifyZSet, max ? "zpopmax" : "zpopmin", ctx.arg(i));
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(ctx.arg(i));
    ctx.reply.ArrayHeader(popped->size());
    for (const ScoredMember& m : *popped) {
      ctx.reply.ArrayHeader(2);
      ctx.reply.Bulk(m.member);
      ctx.reply.Double(m.score);
    }
    return true;
  }
  return false;
}

}  // namespace zset

void RegisterZSetCommands(CommandTable& table) {
  constexpr uint32_t kReadFast = kAclRead | kAclSortedSet | kAclFast;
  constexpr uint32_t kReadSlow = kAclRead | kAclSortedSet | kAclSlow;
  constexpr uint32_t kWriteFast = kAclWrite | kAclSortedSet | kAclFast;
  constexpr uint32_t kWriteSlow = kAclWrite | kAclSortedSet | kAclSlow;
  constexpr std::string_view kPopComplexity =
      "O(log(N)*M) with N being the number of elements in the sorted set, and M being the "
      "number of elements popped.";

  // clang-format off
  table.Add({.name = "zadd", .arity = -4, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = ZAdd, .group = "sorted-set", .since = "1.2.0",
             .summary = "Add one or more members to a sorted set, or update its score if it "
                        "already exists",
             .complexity = "O(log(N)) for each item added, where N is the number of elements in "
                           "the sorted set."});
  table.Add({.name = "zincrby", .arity = 4, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = ZIncrBy, .group = "sorted-set", .since = "1.2.0",
             .summary = "Increment the score of a member in a sorted set",
             .complexity = "O(log(N)) where N is the number of elements in the sorted set."});
  table.Add({.name = "zrem", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = ZRem, .group = "sorted-set", .since = "1.2.0",
             .summary = "Remove one or more members from a sorted set",
             .complexity = "O(M*log(N)) with N being the number of elements in the sorted set "
                           "and M the number of elements to be removed."});
  table.Add({.name = "zscore", .arity = 3, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = ZScore, .group = "sorted-set", .since = "1.2.0",
             .summary = "Get the score associated with the given member in a sorted set",
             .complexity = "O(1)"});
  table.Add({.name = "zmscore", .arity = -3, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = ZMScore, .group = "sorted-set", .since = "6.2.0",
             .summary = "Get the score associated with the given members in a sorted set",
             .complexity = "O(N) where N is the number of members being requested."});
  table.Add({.name = "zcard", .arity = 2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = ZCard, .group = "sorted-set", .since = "1.2.0",
             .summary = "Get the number of members in a sorted set", .complexity = "O(1)"});
  table.Add({.name = "zcount", .arity = 4, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = ZCount, .group = "sorted-set", .since = "2.0.0",
             .summary = "Count the members in a sorted set with scores within the given values",
             .complexity = "O(log(N)) with N being the number of elements in the sorted set."});
  table.Add({.name = "zlexcount", .arity = 4, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = ZLexCount, .group = "sorted-set", .since = "2.8.9",
             .summary = "Count the number of members in a sorted set between a given "
                        "lexicographical range",
             .complexity = "O(log(N)) with N being the number of elements in the sorted set."});
  table.Add({.name = "zrank", .arity = 3, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = ZRank, .group = "sorted-set", .since = "2.0.0",
             .summary = "Determine the index of a member in a sorted set",
             .complexity = "O(log(N))"});
  table.Add({.name = "zrevrank", .arity = 3, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = ZRevRank, .group = "sorted-set", .since = "2.0.0",
             .summary = "Determine the index of a member in a sorted set, with scores ordered "
                        "from high to low",
             .complexity = "O(log(N))"});
  table.Add({.name = "zpopmin", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = ZPopMin, .group = "sorted-set", .since = "5.0.0",
             .summary = "Remove and return members with the lowest scores in a sorted set",
             .complexity = kPopComplexity});
  table.Add({.name = "zpopmax", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = ZPopMax, .group = "sorted-set", .since = "5.0.0",
             .summary = "Remove and return members with the highest scores in a sorted set",
             .complexity = kPopComplexity});
  table.Add({.name = "zmpop", .arity = -4, .flags = kWrite | kMovableKeys, .acl = kWriteSlow,
             .keys = {.numkeys = 1}, .handler = ZMPop, .group = "sorted-set", .since = "7.0.0",
             .summary = "Remove and return members with scores in a sorted set",
             .complexity = "O(K) + O(M*log(N)) where K is the number of provided keys, N being "
                           "the number of elements in the sorted set, and M being the number of "
                           "elements popped."});
  table.Add({.name = "zrandmember", .arity = -2, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = ZRandMember, .group = "sorted-set", .since = "6.2.0",
             .summary = "Get one or multiple random elements from a sorted set",
             .complexity = "O(N) where N is the number of elements returned"});
  table.Add({.name = "zscan", .arity = -3, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = ZScan, .group = "sorted-set", .since = "2.8.0",
             .summary = "Incrementally iterate sorted sets elements and associated scores",
             .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                           "command calls for the cursor to return back to 0. N is the number "
                           "of elements inside the collection.."});
  // clang-format on
  zset::RegisterRangeCommands(table);
}

}  // namespace strata::commands

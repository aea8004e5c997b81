// Sorted-set ranges and algebra: ZRANGE (BYSCORE BYLEX REV LIMIT WITHSCORES) ZRANGESTORE
// ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX ZREMRANGEBYRANK
// ZREMRANGEBYSCORE ZREMRANGEBYLEX ZUNION ZINTER ZDIFF ZUNIONSTORE ZINTERSTORE ZDIFFSTORE
// ZINTERCARD.
//
// All the ZRANGE variants are one parser (Redis's zrangeGenericCommand): the legacy commands
// fix the range type and direction, so the options that would change them are syntax errors.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands/arg_parser.h"
#include "commands/errors.h"
#include "commands/notify.h"
#include "commands/zset_internal.h"
#include "common/numbers.h"
#include "types/set.h"
#include "types/type_errors.h"

namespace strata::commands {
namespace zset {

namespace {

// One side of a score range, as Redis's zslParseRange reads it: strtod on the whole text
// (so leading spaces, hex and "" are accepted as strtod accepts them), NaN refused.
bool ParseScoreItem(std::string_view text, double* value, bool* exclusive) {
  *exclusive = !text.empty() && text.front() == '(';
  if (*exclusive) text.remove_prefix(1);
  std::string buf(text);
  char* end = nullptr;
  *value = std::strtod(buf.c_str(), &end);
  return *end == '\0' && !std::isnan(*value);
}

bool ParseLexItem(std::string_view text, types::LexBound* out) {
  if (text.empty()) return false;
  switch (text.front()) {
    case '+':
    case '-':
      if (text.size() != 1) return false;
      out->kind = text.front() == '+' ? types::LexBound::kPlusInf : types::LexBound::kMinusInf;
      out->exclusive = true;
      return true;
    case '(':
    case '[':
      out->kind = types::LexBound::kValue;
      out->exclusive = text.front() == '(';
      out->value.assign(text.substr(1));
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<types::ScoreRange> ParseScoreRange(std::string_view min, std::string_view max) {
  types::ScoreRange r;
  if (!ParseScoreItem(min, &r.min, &r.min_exclusive) ||
      !ParseScoreItem(max, &r.max, &r.max_exclusive)) {
    return std::nullopt;
  }
  return r;
}

std::optional<types::LexRange> ParseLexRange(std::string_view min, std::string_view max) {
  types::LexRange r;
  if (!ParseLexItem(min, &r.min) || !ParseLexItem(max, &r.max)) return std::nullopt;
  return r;
}

}  // namespace zset

namespace {

using types::ScoredMember;
using types::ZSet;
using zset::OpenOrReply;
using zset::ReplyMembers;

// --- ZRANGE family ---------------------------------------------------------------------------

enum class RangeType { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

// `src` is the index of the source key; min and max follow it. `store`: ZRANGESTORE, whose
// destination is argument 1.
void RangeGeneric(CommandContext& ctx, size_t src, bool store, RangeType type, Direction dir) {
  bool withscores = false;
  int64_t offset = 0;
  int64_t limit = -1;
  for (size_t j = src + 3; j < ctx.argc(); ++j) {
    const size_t left = ctx.argc() - j - 1;
    std::string_view opt = ctx.arg(j);
    if (!store && EqualsIgnoreCase(opt, "WITHSCORES")) {
      withscores = true;
    } else if (EqualsIgnoreCase(opt, "LIMIT") && left >= 2) {
      auto o = ParseInt64(ctx.arg(j + 1));
      auto l = ParseInt64(ctx.arg(j + 2));
      if (!o || !l) return ctx.reply.Error(errors::kNotInteger);
      offset = *o;
      limit = *l;
      j += 2;
    } else if (dir == Direction::kAuto && EqualsIgnoreCase(opt, "REV")) {
      dir = Direction::kReverse;
    } else if (type == RangeType::kAuto && EqualsIgnoreCase(opt, "BYLEX")) {
      type = RangeType::kLex;
    } else if (type == RangeType::kAuto && EqualsIgnoreCase(opt, "BYSCORE")) {
      type = RangeType::kScore;
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  if (dir == Direction::kAuto) dir = Direction::kForward;
  if (type == RangeType::kAuto) type = RangeType::kRank;
  const bool reverse = dir == Direction::kReverse;
  if (limit != -1 && type == RangeType::kRank) {
    return ctx.reply.Error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  }
  if (withscores && type == RangeType::kLex) {
    return ctx.reply.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  }
  // Reversed score and lex ranges are given as max, min.
  std::string_view min_arg = ctx.arg(src + 1), max_arg = ctx.arg(src + 2);
  if (reverse && type != RangeType::kRank) std::swap(min_arg, max_arg);

  std::optional<types::ScoreRange> score_range;
  std::optional<types::LexRange> lex_range;
  int64_t start = 0, stop = 0;
  if (type == RangeType::kRank) {
    auto a = ParseInt64(min_arg);
    auto b = ParseInt64(max_arg);
    if (!a || !b) return ctx.reply.Error(errors::kNotInteger);
    start = *a;
    stop = *b;
  } else if (type == RangeType::kScore) {
    score_range = zset::ParseScoreRange(min_arg, max_arg);
    if (!score_range) return ctx.reply.Error(zset::kNotFloatRange);
  } else {
    lex_range = zset::ParseLexRange(min_arg, max_arg);
    if (!lex_range) return ctx.reply.Error(zset::kNotLexRange);
  }

  auto z = OpenOrReply(ctx, ctx.arg(src), /*read=*/true);
  if (!z) return;
  StatusOr<std::vector<ScoredMember>> items = std::vector<ScoredMember>();
  if (z->exists()) {
    switch (type) {
      case RangeType::kScore:
        items = z->RangeByScore(*score_range, reverse, offset, limit);
        break;
      case RangeType::kLex:
        items = z->RangeByLex(*lex_range, reverse, offset, limit);
        break;
      default:
        items = z->RangeByRank(start, stop, reverse);
        break;
    }
  }
  if (!items.ok()) return ReplyStatus(ctx, items.status());
  if (store) {
    const bool existed = ExistsForNotify(ctx, ctx.arg(1));
    Status s = ZSet::Store(ctx.ks(), ctx.session.db, ctx.arg(1), *items);
    if (!s.ok()) return ReplyStatus(ctx, s);
    NotifyStore(ctx, config::kNotifyZSet, "zrangestore", ctx.arg(1), existed, items->size());
    return ctx.reply.Integer(static_cast<int64_t>(items->size()));
  }
  ReplyMembers(ctx, *items, withscores);
}

void ZRange(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeType::kAuto, Direction::kAuto);
}
void ZRangeStore(CommandContext& ctx) {
  RangeGeneric(ctx, 2, true, RangeType::kAuto, Direction::kAuto);
}
void ZRevRange(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeType::kRank, Direction::kReverse);
}
void ZRangeByScore(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeType::kScore, Direction::kForward);
}
void ZRevRangeByScore(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeType::kScore, Direction::kReverse);
}
void ZRangeByLex(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeType::kLex, Direction::kForward);
}
void ZRevRangeByLex(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeType::kLex, Direction::kReverse);
}

// --- ZREMRANGEBY* ----------------------------------------------------------------------------

void ZRemRangeByRank(CommandContext& ctx) {
  auto start = ParseInt64(ctx.arg(2));
  auto stop = ParseInt64(ctx.arg(3));
  if (!start || !stop) return ctx.reply.Error(errors::kNotInteger);
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!z) return;
  auto n = z->RemoveRangeByRank(*start, *stop);
  if (!n.ok()) return ReplyStatus(ctx, n.status());
  if (*n > 0) NotifyChange(ctx, config::kNotifyZSet, "zremrangebyrank", ctx.arg(1));
  ctx.reply.Integer(*n);
}

void ZRemRangeByScore(CommandContext& ctx) {
  auto range = zset::ParseScoreRange(ctx.arg(2), ctx.arg(3));
  if (!range) return ctx.reply.Error(zset::kNotFloatRange);
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!z) return;
  auto n = z->RemoveRangeByScore(*range);
  if (!n.ok()) return ReplyStatus(ctx, n.status());
  if (*n > 0) NotifyChange(ctx, config::kNotifyZSet, "zremrangebyscore", ctx.arg(1));
  ctx.reply.Integer(*n);
}

void ZRemRangeByLex(CommandContext& ctx) {
  auto range = zset::ParseLexRange(ctx.arg(2), ctx.arg(3));
  if (!range) return ctx.reply.Error(zset::kNotLexRange);
  auto z = OpenOrReply(ctx, ctx.arg(1), /*read=*/false);
  if (!z) return;
  auto n = z->RemoveRangeByLex(*range);
  if (!n.ok()) return ReplyStatus(ctx, n.status());
  if (*n > 0) NotifyChange(ctx, config::kNotifyZSet, "zremrangebylex", ctx.arg(1));
  ctx.reply.Integer(*n);
}

// --- ZUNION / ZINTER / ZDIFF (+STORE) and ZINTERCARD ------------------------------------------

enum class SetOp { kUnion, kInter, kDiff };
enum class Aggregate { kSum, kMin, kMax };

using MemberScores = std::unordered_map<std::string, double>;

// Redis's zunionInterAggregate: a sum that comes out NaN (inf + -inf) counts as 0.
void AggregateInto(double* target, double value, Aggregate aggregate) {
  switch (aggregate) {
    case Aggregate::kSum:
      *target += value;
      if (std::isnan(*target)) *target = 0;
      break;
    case Aggregate::kMin:
      *target = value < *target ? value : *target;
      break;
    case Aggregate::kMax:
      *target = value > *target ? value : *target;
      break;
  }
}

// An input: a sorted set (an empty handle for a missing key), or a plain set whose members
// all count with score 1, as in Redis.
struct Source {
  std::optional<ZSet> zset;
  std::optional<types::SetHandle> set;
  MemberScores members;
  double weight = 1;
};

// `dst`: ZUNIONSTORE & co (destination at argument 1). `name` is the command's name for the
// "at least 1 input key" error. Sources are read whole: the result is built in memory anyway.
void SetOpGeneric(CommandContext& ctx, size_t numkeys_idx, bool dst, SetOp op,
                  bool cardinality_only, std::string_view name) {
  auto numkeys = ParseInt64(ctx.arg(numkeys_idx));
  if (!numkeys) return ctx.reply.Error(errors::kNotInteger);
  if (*numkeys < 1) {
    return ctx.reply.Error("ERR at least 1 input key is needed for '" + std::string(name) +
                           "' command");
  }
  if (*numkeys > static_cast<int64_t>(ctx.argc() - numkeys_idx - 1)) {
    return ctx.reply.Error(errors::kSyntax);
  }
  const size_t setnum = static_cast<size_t>(*numkeys);
  // Types are checked before the options, as in Redis.
  std::vector<Source> src(setnum);
  for (size_t i = 0; i < setnum; ++i) {
    std::string_view key = ctx.arg(numkeys_idx + 1 + i);
    auto found = ctx.ks().Peek(ctx.session.db, key);
    if (!found.ok()) return ReplyStatus(ctx, found.status());
    if (*found != nullptr && (*found)->type == storage::ValueType::kSet) {
      auto set = types::SetHandle::Open(ctx.ks(), ctx.session.db, key, /*for_write=*/dst);
      if (!set.ok()) return ReplyStatus(ctx, set.status());
      src[i].set = std::move(*set);
      continue;
    }
    auto z = OpenOrReply(ctx, key, /*read=*/!dst);
    if (!z) return;
    src[i].zset = std::move(*z);
  }
  Aggregate aggregate = Aggregate::kSum;
  bool withscores = false;
  int64_t card_limit = 0;
  const bool algebra = op != SetOp::kDiff && !cardinality_only;
  for (size_t j = numkeys_idx + 1 + setnum; j < ctx.argc();) {
    const size_t remaining = ctx.argc() - j;
    std::string_view opt = ctx.arg(j);
    if (algebra && remaining >= setnum + 1 && EqualsIgnoreCase(opt, "WEIGHTS")) {
      ++j;
      for (size_t i = 0; i < setnum; ++i, ++j) {
        auto w = ParseDouble(ctx.arg(j));
        if (!w) return ctx.reply.Error("ERR weight value is not a float");
        src[i].weight = *w;
      }
    } else if (algebra && remaining >= 2 && EqualsIgnoreCase(opt, "AGGREGATE")) {
      std::string_view how = ctx.arg(j + 1);
      if (EqualsIgnoreCase(how, "SUM")) {
        aggregate = Aggregate::kSum;
      } else if (EqualsIgnoreCase(how, "MIN")) {
        aggregate = Aggregate::kMin;
      } else if (EqualsIgnoreCase(how, "MAX")) {
        aggregate = Aggregate::kMax;
      } else {
        return ctx.reply.Error(errors::kSyntax);
      }
      j += 2;
    } else if (!dst && !cardinality_only && EqualsIgnoreCase(opt, "WITHSCORES")) {
      withscores = true;
      ++j;
    } else if (cardinality_only && remaining >= 2 && EqualsIgnoreCase(opt, "LIMIT")) {
      auto l = ParseInt64(ctx.arg(j + 1));
      if (!l || *l < 0) return ctx.reply.Error("ERR LIMIT can't be negative");
      card_limit = *l;
      j += 2;
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  for (Source& s : src) {
    if (s.set) {
      auto members = s.set->Members();
      if (!members.ok()) return ReplyStatus(ctx, members.status());
      for (std::string& m : *members) s.members.emplace(std::move(m), 1.0);
      continue;
    }
    Status st = s.zset->ForEach(
        [&](std::string_view m, double score) { s.members.emplace(std::string(m), score); });
    if (!st.ok()) return ReplyStatus(ctx, st);
  }

  MemberScores result;
  if (op == SetOp::kDiff) {
    for (const auto& [member, score] : src[0].members) {
      bool elsewhere = false;
      for (size_t i = 1; i < setnum && !elsewhere; ++i) {
        elsewhere = src[i].members.count(member) != 0;
      }
      if (!elsewhere) result.emplace(member, score);
    }
  } else {
    // Smallest first, as Redis: it bounds an intersection's work, and fixes the order in which
    // a union sums (which can matter to the last bit of a float).
    std::stable_sort(src.begin(), src.end(), [](const Source& a, const Source& b) {
      return a.members.size() < b.members.size();
    });
    if (op == SetOp::kInter) {
      for (const auto& [member, first] : src[0].members) {
        double score = src[0].weight * first;
        if (std::isnan(score)) score = 0;
        bool everywhere = true;
        for (size_t i = 1; i < setnum && everywhere; ++i) {
          auto it = src[i].members.find(member);
          everywhere = it != src[i].members.end();
          if (everywhere) AggregateInto(&score, it->second * src[i].weight, aggregate);
        }
        if (!everywhere) continue;
        result.emplace(member, score);
        if (cardinality_only && card_limit > 0 &&
            static_cast<int64_t>(result.size()) >= card_limit) {
          break;
        }
      }
    } else {
      for (const Source& s : src) {
        for (const auto& [member, raw] : s.members) {
          double score = s.weight * raw;
          if (std::isnan(score)) score = 0;
          auto [it, inserted] = result.try_emplace(member, score);
          if (!inserted) AggregateInto(&it->second, score, aggregate);
        }
      }
    }
  }
  if (cardinality_only) return ctx.reply.Integer(static_cast<int64_t>(result.size()));

  std::vector<ScoredMember> sorted;
  sorted.reserve(result.size());
  for (auto& [member, score] : result) sorted.push_back({member, score == 0 ? 0.0 : score});
  std::sort(sorted.begin(), sorted.end(), [](const ScoredMember& a, const ScoredMember& b) {
    return a.score < b.score || (a.score == b.score && a.member < b.member);
  });
  if (dst) {
    // The sources were read whole above, so the destination may be one of them.
    src.clear();
    const bool existed = ExistsForNotify(ctx, ctx.arg(1));
    Status st = ZSet::Store(ctx.ks(), ctx.session.db, ctx.arg(1), sorted);
    if (!st.ok()) return ReplyStatus(ctx, st);
    NotifyStore(ctx, config::kNotifyZSet, name, ctx.arg(1), existed, sorted.size());
    return ctx.reply.Integer(static_cast<int64_t>(sorted.size()));
  }
  ReplyMembers(ctx, sorted, withscores);
}

void ZUnion(CommandContext& ctx) { SetOpGeneric(ctx, 1, false, SetOp::kUnion, false, "zunion"); }
void ZInter(CommandContext& ctx) { SetOpGeneric(ctx, 1, false, SetOp::kInter, false, "zinter"); }
void ZDiff(CommandContext& ctx) { SetOpGeneric(ctx, 1, false, SetOp::kDiff, false, "zdiff"); }
void ZUnionStore(CommandContext& ctx) {
  SetOpGeneric(ctx, 2, true, SetOp::kUnion, false, "zunionstore");
}
void ZInterStore(CommandContext& ctx) {
  SetOpGeneric(ctx, 2, true, SetOp::kInter, false, "zinterstore");
}
void ZDiffStore(CommandContext& ctx) {
  SetOpGeneric(ctx, 2, true, SetOp::kDiff, false, "zdiffstore");
}
void ZInterCard(CommandContext& ctx) {
  SetOpGeneric(ctx, 1, false, SetOp::kInter, true, "zintercard");
}

}  // namespace

namespace zset {

void RegisterRangeCommands(CommandTable& table) {
  constexpr uint32_t kReadSlow = kAclRead | kAclSortedSet | kAclSlow;
  constexpr uint32_t kWriteSlow = kAclWrite | kAclSortedSet | kAclSlow;
  constexpr std::string_view kRangeComplexity =
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
      "elements returned.";
  constexpr std::string_view kLimitComplexity =
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
      "elements being returned. If M is constant (e.g. always asking for the first 10 elements "
      "with LIMIT), you can consider it O(log(N)).";
  constexpr std::string_view kRemoveComplexity =
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
      "elements removed by the operation.";
  constexpr std::string_view kInterComplexity =
      "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the "
      "number of input sorted sets and M being the number of elements in the resulting sorted "
      "set.";
  constexpr std::string_view kDiffComplexity =
      "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N "
      "is the size of the first set, and K is the size of the result set.";

  // clang-format off
  table.Add({.name = "zrange", .arity = -4, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = ZRange, .group = "sorted-set", .since = "1.2.0",
             .summary = "Return a range of members in a sorted set",
             .complexity = kRangeComplexity});
  table.Add({.name = "zrangestore", .arity = -5, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, 2, 1}, .handler = ZRangeStore, .group = "sorted-set", .since = "6.2.0",
             .summary = "Store a range of members from sorted set into another key",
             .complexity = "O(log(N)+M) with N being the number of elements in the sorted set "
                           "and M the number of elements stored into the destination key."});
  table.Add({.name = "zrevrange", .arity = -4, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = ZRevRange, .group = "sorted-set", .since = "1.2.0",
             .summary = "Return a range of members in a sorted set, by index, with scores "
                        "ordered from high to low",
             .complexity = kRangeComplexity});
  table.Add({.name = "zrangebyscore", .arity = -4, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = ZRangeByScore, .group = "sorted-set",
             .since = "1.0.5", .summary = "Return a range of members in a sorted set, by score",
             .complexity = kLimitComplexity});
  table.Add({.name = "zrevrangebyscore", .arity = -4, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = ZRevRangeByScore, .group = "sorted-set",
             .since = "2.2.0",
             .summary = "Return a range of members in a sorted set, by score, with scores "
                        "ordered from high to low",
             .complexity = kLimitComplexity});
  table.Add({.name = "zrangebylex", .arity = -4, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = ZRangeByLex, .group = "sorted-set", .since = "2.8.9",
             .summary = "Return a range of members in a sorted set, by lexicographical range",
             .complexity = kLimitComplexity});
  table.Add({.name = "zrevrangebylex", .arity = -4, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = ZRevRangeByLex, .group = "sorted-set",
             .since = "2.8.9",
             .summary = "Return a range of members in a sorted set, by lexicographical range, "
                        "ordered from higher to lower strings.",
             .complexity = kLimitComplexity});
  table.Add({.name = "zremrangebyrank", .arity = 4, .flags = kWrite, .acl = kWriteSlow,
             .keys = {1, 1, 1}, .handler = ZRemRangeByRank, .group = "sorted-set",
             .since = "2.0.0",
             .summary = "Remove all members in a sorted set within the given indexes",
             .complexity = kRemoveComplexity});
  table.Add({.name = "zremrangebyscore", .arity = 4, .flags = kWrite, .acl = kWriteSlow,
             .keys = {1, 1, 1}, .handler = ZRemRangeByScore, .group = "sorted-set",
             .since = "1.2.0",
             .summary = "Remove all members in a sorted set within the given scores",
             .complexity = kRemoveComplexity});
  table.Add({.name = "zremrangebylex", .arity = 4, .flags = kWrite, .acl = kWriteSlow,
             .keys = {1, 1, 1}, .handler = ZRemRangeByLex, .group = "sorted-set",
             .since = "2.8.9",
             .summary = "Remove all members in a sorted set between the given lexicographical "
                        "range",
             .complexity = kRemoveComplexity});
  table.Add({.name = "zunion", .arity = -3, .flags = kReadOnly | kMovableKeys, .acl = kReadSlow,
             .keys = {.numkeys = 1}, .handler = ZUnion, .group = "sorted-set", .since = "6.2.0",
             .summary = "Add multiple sorted sets",
             .complexity = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input "
                           "sorted sets, and M being the number of elements in the resulting "
                           "sorted set."});
  table.Add({.name = "zinter", .arity = -3, .flags = kReadOnly | kMovableKeys, .acl = kReadSlow,
             .keys = {.numkeys = 1}, .handler = ZInter, .group = "sorted-set", .since = "6.2.0",
             .summary = "Intersect multiple sorted sets", .complexity = kInterComplexity});
  table.Add({.name = "zdiff", .arity = -3, .flags = kReadOnly | kMovableKeys, .acl = kReadSlow,
             .keys = {.numkeys = 1}, .handler = ZDiff, .group = "sorted-set", .since = "6.2.0",
             .summary = "Subtract multiple sorted sets", .complexity = kDiffComplexity});
  table.Add({.name = "zunionstore", .arity = -4, .flags = kWrite | kDenyOom | kMovableKeys,
             .acl = kWriteSlow, .keys = {.first = 1, .last = 1, .step = 1, .numkeys = 2}, .handler = ZUnionStore,
             .group = "sorted-set", .since = "2.0.0",
             .summary = "Add multiple sorted sets and store the resulting sorted set in a new key",
             .complexity = "O(N)+O(M log(M)) with N being the sum of the sizes of the input "
                           "sorted sets, and M being the number of elements in the resulting "
                           "sorted set."});
  table.Add({.name = "zinterstore", .arity = -4, .flags = kWrite | kDenyOom | kMovableKeys,
             .acl = kWriteSlow, .keys = {.first = 1, .last = 1, .step = 1, .numkeys = 2}, .handler = ZInterStore,
             .group = "sorted-set", .since = "2.0.0",
             .summary = "Intersect multiple sorted sets and store the resulting sorted set in a "
                        "new key",
             .complexity = kInterComplexity});
  table.Add({.name = "zdiffstore", .arity = -4, .flags = kWrite | kDenyOom | kMovableKeys,
             .acl = kWriteSlow, .keys = {.first = 1, .last = 1, .step = 1, .numkeys = 2}, .handler = ZDiffStore,
             .group = "sorted-set", .since = "6.2.0",
             .summary = "Subtract multiple sorted sets and store the resulting sorted set in a "
                        "new key",
             .complexity = kDiffComplexity});
  table.Add({.name = "zintercard", .arity = -3, .flags = kReadOnly | kMovableKeys,
             .acl = kReadSlow, .keys = {.numkeys = 1}, .handler = ZInterCard, .group = "sorted-set",
             .since = "7.0.0",
             .summary = "Intersect multiple sorted sets and return the cardinality of the result",
             .complexity = "O(N*K) worst case with N being the smallest input sorted set, K being "
                           "the number of input sorted sets."});
  // clang-format on
}

}  // namespace zset
}  // namespace strata::commands

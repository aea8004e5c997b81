// SORT and SORT_RO: sort the elements of a list, set or sorted set, optionally by the values of
// other keys, and either reply with them (or values looked up through GET patterns) or store
// them as a list.
//
//   SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]
//            [STORE destination]
//
// Behaviour follows Redis 7.0 in the details clients can see:
//  - Options are parsed left to right; the first bad one ends parsing with its error (LIMIT's
//    numbers: "not an integer", anything else: syntax error), before the key's type is checked.
//  - A BY pattern without '*' means "do not sort": a list or sorted set keeps its own order
//    (sorted sets in score order), reversed by DESC, with LIMIT taken straight from that order.
//    A set has no order of its own, so with STORE it is sorted ALPHA instead (as Redis does, to
//    keep replicas identical).
//  - Numeric sorting reads each weight with strtod (leading spaces, hex and "inf" are accepted,
//    the empty string is 0); anything else fails the whole command with "One or more scores
//    can't be converted into double". A weight that is missing is 0. Equal scores are ordered
//    by the elements' bytes, so the numeric order is total.
//  - ALPHA compares bytes. Redis uses strcoll() when replying and a binary comparison when
//    storing; under the C/C.UTF-8 locale Redis runs in, strcoll is strcmp, which stops at a NUL
//    byte, and that is what the reply path does here too. With BY, a missing weight sorts
//    first and equal weights keep an unspecified (here: the input) order, as in Redis.
//  - Patterns: "#" is the element itself; otherwise the first '*' is replaced by the element
//    and "key->field" (when something follows "->") reads a hash field. A key of the wrong type,
//    a missing key or field, or a pattern without '*' gives nil (STORE writes "").
//  - STORE replaces the destination whatever it holds (its TTL goes too) with a list, deletes
//    it when the result is empty, and replies with the number of stored elements.
//
// Key lookups (the sorted key and every pattern key) use Lookup, as Redis's lookupKeyRead, so
// they count keyspace hits and misses; the handles are then opened with Peek so nothing is
// counted twice.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "commands/arg_parser.h"
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "commands/notify.h"
#include "common/numbers.h"
#include "types/hash.h"
#include "types/list.h"
#include "types/set.h"
#include "types/zset.h"

namespace strata::commands {
namespace {

using storage::HotEntry;
using storage::ValueType;

constexpr std::string_view kBadScore = "ERR One or more scores can't be converted into double";

// The part of `s` a C string function would see: up to the first NUL byte. Redis scans its
// patterns with strchr/strstr, so a NUL hides whatever follows it from those scans.
std::string_view CPrefix(std::string_view s) {
  size_t nul = s.find('\0');
  return nul == std::string_view::npos ? s : s.substr(0, nul);
}

// A GET or BY pattern, split once: "prefix*postfix" or "prefix*postfix->field".
class Pattern {
 public:
  explicit Pattern(std::string_view text) : text_(text) {
    std::string_view c = CPrefix(text);
    if (c == "#") {
      self_ = true;
      return;
    }
    star_ = c.find('*');
    if (star_ == std::string_view::npos) return;
    size_t arrow = c.find("->", star_ + 1);
    size_t postfix_end = text.size();
    if (arrow != std::string_view::npos && arrow + 2 < c.size()) {
      field_ = text.substr(arrow + 2);
      postfix_end = arrow;
    }
    postfix_ = text.substr(star_ + 1, postfix_end - star_ - 1);
  }

  // BY without '*' does not sort.
  bool has_star() const { return star_ != std::string_view::npos; }

  // The value the pattern names for `element`, or nullopt.
  StatusOr<std::optional<std::string>> Resolve(CommandContext& ctx,
                                               std::string_view element) const {
    if (self_) return std::optional<std::string>(std::string(element));
    if (!has_star()) return std::optional<std::string>();
    std::string key;
    key.reserve(star_ + element.size() + postfix_.size());
    key.append(text_.substr(0, star_)).append(element).append(postfix_);
    auto found = ctx.ks().Lookup(ctx.session.db, key);
    if (!found.ok()) return found.status();
    HotEntry* e = *found;
    if (e == nullptr) return std::optional<std::string>();
    if (!field_) {
      if (e->type != ValueType::kString) return std::optional<std::string>();
      return std::optional<std::string>(e->value);
    }
    if (e->type != ValueType::kHash) return std::optional<std::string>();
    auto hash = types::Hash::Open(ctx.ks(), ctx.session.db, key, /*for_write=*/true);
    if (!hash.ok()) return hash.status();
    return hash->Get(*field_);
  }

 private:
  std::string_view text_;
  bool self_ = false;
  size_t star_ = std::string_view::npos;
  std::string_view postfix_;
  std::optional<std::string_view> field_;
};

struct Options {
  bool desc = false;
  bool alpha = false;
  int64_t offset = 0;
  int64_t count = -1;
  std::optional<std::string_view> by;
  bool dont_sort = false;
  std::vector<Pattern> gets;
  std::optional<std::string_view> store;
};

// Parses argv[2..]; replies and returns false on the first error.
bool ParseOptions(CommandContext& ctx, bool read_only, Options* o) {
  for (size_t j = 2; j < ctx.argc(); ++j) {
    const size_t left = ctx.argc() - j - 1;
    std::string_view a = ctx.arg(j);
    if (EqualsIgnoreCase(a, "asc")) {
      o->desc = false;
    } else if (EqualsIgnoreCase(a, "desc")) {
      o->desc = true;
    } else if (EqualsIgnoreCase(a, "alpha")) {
      o->alpha = true;
    } else if (EqualsIgnoreCase(a, "limit") && left >= 2) {
      auto offset = ParseInt64(ctx.arg(j + 1));
      auto count = ParseInt64(ctx.arg(j + 2));
      if (!offset || !count) {
        ctx.reply.Error(errors::kNotInteger);
        return false;
      }
      o->offset = *offset;
      o->count = *count;
      j += 2;
    } else if (!read_only && EqualsIgnoreCase(a, "store") && left >= 1) {
      o->store = ctx.arg(++j);
    } else if (EqualsIgnoreCase(a, "by") && left >= 1) {
      o->by = ctx.arg(++j);
      // As in Redis, a later BY with '*' does not undo an earlier one without.
      if (!Pattern(*o->by).has_star()) o->dont_sort = true;
    } else if (EqualsIgnoreCase(a, "get") && left >= 1) {
      o->gets.emplace_back(ctx.arg(++j));
    } else {
      ctx.reply.Error(errors::kSyntax);
      return false;
    }
  }
  return true;
}

// A weight as Redis's SORT reads it: strtod over the whole C string, finite or infinite, not
// NaN, not out of range.
std::optional<double> ParseWeight(std::string_view s) {
  std::string copy(s);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(copy.c_str(), &end);
  if (*end != '\0' || errno == ERANGE || std::isnan(v)) return std::nullopt;
  return v;
}

struct Item {
  explicit Item(std::string e) : element(std::move(e)) {}
  std::string element;
  double score = 0;
  std::optional<std::string> weight;  // ALPHA with BY: the looked-up value
};

// strcmp's order (what strcoll is in the C locale): bytes up to the first NUL.
int CCompare(const std::string& a, const std::string& b) {
  return std::strcmp(a.c_str(), b.c_str());
}

int BinaryCompare(const std::string& a, const std::string& b) { return a.compare(b); }

// Redis's comparison of two items, before DESC.
int Compare(const Item& a, const Item& b, const Options& o) {
  if (!o.alpha) {
    if (a.score > b.score) return 1;
    if (a.score < b.score) return -1;
    return BinaryCompare(a.element, b.element);
  }
  const bool binary = o.store.has_value();
  if (o.by) {
    if (!a.weight || !b.weight) {
      if (!a.weight && !b.weight) return 0;
      return a.weight ? 1 : -1;
    }
    return binary ? BinaryCompare(*a.weight, *b.weight) : CCompare(*a.weight, *b.weight);
  }
  return binary ? BinaryCompare(a.element, b.element) : CCompare(a.element, b.element);
}

// The elements of the key to sort. With `dont_sort` a list or sorted set yields only the
// positions [start, end] of its own order (reversed when `desc`); the caller rebases them.
Status LoadElements(CommandContext& ctx, HotEntry* e, const Options& o, int64_t start, int64_t end,
                    std::vector<Item>* out) {
  storage::Keyspace& ks = ctx.ks();
  const int db = ctx.session.db;
  std::string_view key = ctx.arg(1);
  auto add = [out](std::string_view element) { out->push_back(Item(std::string(element))); };
  switch (e->type) {
    case ValueType::kList: {
      auto list = types::List::Open(ks, db, key, /*for_write=*/true);
      if (!list.ok()) return list.status();
      if (!o.dont_sort) return list->ForEach(add);
      if (end < start) return Status::OK();
      const int64_t len = static_cast<int64_t>(list->size());
      const int64_t from = o.desc ? len - 1 - end : start;
      const int64_t to = o.desc ? len - 1 - start : end;
      Status s = list->Range(
          from, to, [](size_t) {}, add);
      if (s.ok() && o.desc) std::reverse(out->begin(), out->end());
      return s;
    }
    case ValueType::kSet: {
      auto set = types::SetHandle::Open(ks, db, key, /*for_write=*/true);
      if (!set.ok()) return set.status();
      auto members = set->Members();
      if (!members.ok()) return members.status();
      out->reserve(members->size());
      for (std::string& m : *members) out->push_back(Item(std::move(m)));
      return Status::OK();
    }
    case ValueType::kZSet: {
      auto zset = types::ZSet::Open(ks, db, key, /*for_write=*/true);
      if (!zset.ok()) return zset.status();
      if (!o.dont_sort) {
        return zset->ForEach([&](std::string_view member, double) { add(member); });
      }
      if (end < start) return Status::OK();
      auto range = zset->RangeByRank(start, end, o.desc);
      if (!range.ok()) return range.status();
      out->reserve(range->size());
      for (types::ScoredMember& m : *range) out->push_back(Item(std::move(m.member)));
      return Status::OK();
    }
    default:
      return Status::OK();
  }
}

// Replaces `key` with a list of `values` (any previous type and TTL go), or deletes it.
Status StoreList(CommandContext& ctx, std::string_view key,
                 const std::vector<std::string>& values) {
  auto found = ctx.ks().Peek(ctx.session.db, key);
  if (!found.ok()) return found.status();
  if (*found != nullptr) ctx.ks().Delete(*found);
  if (values.empty()) return Status::OK();
  auto list = types::List::Open(ctx.ks(), ctx.session.db, key, /*for_write=*/true);
  if (!list.ok()) return list.status();
  std::vector<std::string_view> views(values.begin(), values.end());
  auto pushed = list->PushBack(views);
  return pushed.ok() ? Status::OK() : pushed.status();
}

void SortGeneric(CommandContext& ctx, bool read_only) {
  Options o;
  if (!ParseOptions(ctx, read_only, &o)) return;

  auto found = ctx.ks().Lookup(ctx.session.db, ctx.arg(1));
  if (!found.ok()) return ReplyStatus(ctx, found.status());
  HotEntry* e = *found;
  if (e != nullptr && e->type != ValueType::kList && e->type != ValueType::kSet &&
      e->type != ValueType::kZSet) {
    return ctx.reply.Error(errors::kWrongType);
  }
  // A set has no order of its own: one that is stored is sorted by its bytes instead.
  if (o.dont_sort && e != nullptr && e->type == ValueType::kSet && o.store) {
    o.dont_sort = false;
    o.alpha = true;
    o.by.reset();
  }

  // LIMIT, clamped to the collection as Redis clamps it; [start, end] may be empty.
  const int64_t len = e ? static_cast<int64_t>(ctx.ks().Header(e).size) : 0;
  int64_t start = std::min(std::max<int64_t>(o.offset, 0), len);
  const int64_t count = std::min(std::max<int64_t>(o.count, -1), len);
  int64_t end = count < 0 ? len : start + count - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;

  std::vector<Item> items;
  if (e != nullptr) {
    // A list or sorted set left in its own order loads just [start, end].
    const bool ranged = o.dont_sort && e->type != ValueType::kSet;
    Status s = LoadElements(ctx, e, o, start, end, &items);
    if (!s.ok()) return ReplyStatus(ctx, s);
    e = nullptr;  // the destination of STORE may be this key
    if (ranged && end >= start) {
      end -= start;
      start = 0;
    }
  }

  if (!o.dont_sort) {
    std::optional<Pattern> by;
    if (o.by) by.emplace(*o.by);
    bool bad_score = false;
    for (Item& item : items) {
      std::optional<std::string> weight;
      if (by) {
        auto v = by->Resolve(ctx, item.element);
        if (!v.ok()) return ReplyStatus(ctx, v.status());
        if (!*v) continue;
        weight = std::move(**v);
      }
      if (o.alpha) {
        if (by) item.weight = std::move(weight);
        continue;
      }
      auto score = ParseWeight(by ? *weight : item.element);
      if (score) {
        item.score = *score;
      } else {
        bad_score = true;
      }
    }
    if (bad_score) return ctx.reply.Error(kBadScore);
    std::stable_sort(items.begin(), items.end(), [&](const Item& a, const Item& b) {
      int cmp = Compare(a, b, o);
      return o.desc ? cmp > 0 : cmp < 0;
    });
  }

  const size_t rows = end >= start ? static_cast<size_t>(end - start + 1) : 0;
  // Each row: the element, or one value per GET pattern.
  std::vector<std::optional<std::string>> out;
  out.reserve(o.gets.empty() ? rows : rows * o.gets.size());
  for (size_t r = 0; r < rows; ++r) {
    Item& item = items[static_cast<size_t>(start) + r];
    if (o.gets.empty()) {
      out.emplace_back(std::move(item.element));
      continue;
    }
    for (const Pattern& get : o.gets) {
      auto v = get.Resolve(ctx, item.element);
      if (!v.ok()) return ReplyStatus(ctx, v.status());
      out.push_back(std::move(*v));
    }
  }

  if (!o.store) {
    ctx.reply.ArrayHeader(out.size());
    for (const auto& v : out) v ? ctx.reply.Bulk(*v) : ctx.reply.Null();
    return;
  }
  std::vector<std::string> values;
  values.reserve(out.size());
  for (auto& v : out) values.push_back(v ? std::move(*v) : std::string());
  const bool existed = ExistsForNotify(ctx, *o.store);
  Status s = StoreList(ctx, *o.store, values);
  if (!s.ok()) return ReplyStatus(ctx, s);
  NotifyStore(ctx, config::kNotifyList, "sortstore", *o.store, existed, values.size());
  ctx.reply.Integer(static_cast<int64_t>(values.size()));
}

void Sort(CommandContext& ctx) { SortGeneric(ctx, /*read_only=*/false); }
void SortRo(CommandContext& ctx) { SortGeneric(ctx, /*read_only=*/true); }

}  // namespace

void RegisterSortCommands(CommandTable& table) {
  constexpr uint32_t kCollections = kAclSet | kAclSortedSet | kAclList | kAclSlow | kAclDangerous;
  constexpr std::string_view kComplexity =
      "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the "
      "number of returned elements. When the elements are not sorted, complexity is O(N).";
  // Redis reports the sorted key as (1, 1, 1) and marks the command movablekeys for STORE.
  table.Add({.name = "sort",
             .arity = -2,
             .flags = kWrite | kDenyOom | kMovableKeys,
             .acl = kAclWrite | kCollections,
             .keys = {.first = 1, .last = 1, .step = 1, .key_after = "store"},
             .handler = Sort,
             .group = "generic",
             .since = "1.0.0",
             .summary = "Sort the elements in a list, set or sorted set",
             .complexity = kComplexity});
  table.Add(
      {.name = "sort_ro",
       .arity = -2,
       .flags = kReadOnly | kMovableKeys,
       .acl = kAclRead | kCollections,
       .keys = {1, 1, 1},
       .handler = SortRo,
       .group = "generic",
       .since = "7.0.0",
       .summary = "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
       .complexity = kComplexity});
}

}  // namespace strata::commands

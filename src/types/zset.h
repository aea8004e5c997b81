// Sorted sets: members with a double score, ordered by (score, member bytes).
//
// On disk a sorted set has one or two sub-keys per member:
//   kData:  hash64(member) BE | member   -> encoded score (score_codec.h)
//   kScore: encoded score | member       -> empty
// kData answers "what is this member's score" with one point read and orders ZSCAN cursors by
// the member's stable hash (as HSCAN); kScore is the ZRANGE order, so a range with LIMIT reads
// only the sub-keys it returns (plus the ones it skips).
//
// A sorted set of at most Keyspace::kHotCollectionLimit members is held whole in memory once
// read (ZSetObject, whose order is a ScoreOrder); a bigger one keeps only its header hot and
// every command walks or point-reads sub-keys. Writes always go to kData, so the memory copy
// can be dropped at any time; past 2 * kHotCollectionLimit a durable set drops it.
// kScore is kept only by a set that may not be held whole (the header's score_index): a
// smaller one is always loaded from kData, and keeping its order on disk too would triple the
// writes of a ZADD that changes a score (a put and a delete for the order). The index is
// written in full when a set first grows past the limit, and kept from then on. In the cache
// profile there are no sub-keys and the object is the only copy.
//
// Invariants: header.size == number of members; for every member m with score s, kData holds
// (m -> s), and when header.score_index, kScore holds exactly one key (s, m) and nothing else;
// the object, when present, holds the same pairs in both its indexes. A set without
// score_index has its object whenever it is open. Scores are never NaN; -0.0 is stored as 0.0.
//
// A ZSet is a handle for the duration of one command (it holds a HotEntry pointer).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/string_index.h"
#include "storage/keyspace.h"
#include "types/score_order.h"

namespace strata::types {

// A member and its score, as commands reply them.
struct ScoredMember {
  std::string member;
  double score = 0;
  bool operator==(const ScoredMember&) const = default;
};

// The whole sorted set in memory: members indexed by name (StringIndex) and ordered by
// (score, member) (ScoreOrder, whose elements view the members' names).
class ZSetObject : public storage::HotObject {
 public:
  using Ordered = ScoreOrder;
  struct Member {
    std::string name;
    double score;
  };
  // Where a member is, or would be inserted: its node (nullptr if absent) and its name's hash.
  // Valid until the object changes.
  struct Lookup {
    Member* node;
    uint64_t hash;
  };

  ZSetObject() = default;
  ZSetObject(const ZSetObject& other);
  ZSetObject& operator=(const ZSetObject&) = delete;
  ~ZSetObject() override;

  size_t Bytes() const override { return bytes_ + ordered_.node_bytes(); }
  std::unique_ptr<storage::HotObject> Clone() const override;
  size_t size() const { return index_.size(); }
  const Ordered& ordered() const { return ordered_; }
  Lookup Find(std::string_view member) const;
  std::optional<double> Score(std::string_view member) const;
  // Sets the member's score; returns true if the member is new.
  bool Set(std::string_view member, double score) { return Set(Find(member), member, score); }
  // The same, at a Lookup of `member` taken since the last change (ZADD looks up once).
  bool Set(const Lookup& at, std::string_view member, double score);
  bool Erase(std::string_view member);
  // Calls fn(name, score) for every member, in an unspecified order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    index_.ForEach([&](const Member* m) { fn(std::string_view(m->name), m->score); });
  }

 private:
  static std::string_view NameOf(const Member& m) { return m.name; }

  StringIndex<Member, &ZSetObject::NameOf> index_;  // owns its members (freed by ~ZSetObject)
  Ordered ordered_;
  size_t bytes_ = 0;
};

// ZRANGEBYSCORE's interval; '(' makes a side exclusive.
struct ScoreRange {
  double min = 0;
  double max = 0;
  bool min_exclusive = false;
  bool max_exclusive = false;
  bool AboveMin(double s) const { return min_exclusive ? s > min : s >= min; }
  bool BelowMax(double s) const { return max_exclusive ? s < max : s <= max; }
  bool Empty() const { return min > max || (min == max && (min_exclusive || max_exclusive)); }
};

// ZRANGEBYLEX's interval: "-" and "+" are below and above every member.
struct LexBound {
  enum Kind { kMinusInf, kPlusInf, kValue };
  Kind kind = kValue;
  std::string value;
  bool exclusive = false;
};

struct LexRange {
  LexBound min;
  LexBound max;
  bool AboveMin(std::string_view m) const;
  bool BelowMax(std::string_view m) const;
  bool Empty() const;
};

// ZADD's options.
struct ZAddFlags {
  bool nx = false;
  bool xx = false;
  bool gt = false;
  bool lt = false;
  bool incr = false;
};

struct ZAddResult {
  int64_t added = 0;
  int64_t updated = 0;    // existing members whose score changed
  int64_t processed = 0;  // members not skipped by NX/XX/GT/LT
  double last_score = 0;  // the score of the last processed member (ZINCRBY's reply)
};

// Text of the error an INCR that would produce NaN returns.
inline constexpr std::string_view kNanScoreText = "ERR resulting score is not a number (NaN)";

class ZSet {
 public:
  // The sorted set at `key`, or an empty handle if the key does not exist; WrongType() if the
  // key holds another type. `for_write` skips the keyspace hit/miss statistics (as Redis).
  static StatusOr<ZSet> Open(storage::Keyspace& ks, int db, std::string_view key,
                             bool for_write = false);
  // Replaces whatever is at `key` (any type) with a sorted set of `members` (distinct), or
  // deletes the key when `members` is empty (ZUNIONSTORE and friends, ZRANGESTORE).
  static Status Store(storage::Keyspace& ks, int db, std::string_view key,
                      const std::vector<ScoredMember>& members);

  bool exists() const { return entry_ != nullptr; }
  uint64_t size() const;

  StatusOr<std::optional<double>> Score(std::string_view member);
  // ZADD/ZINCRBY semantics for each (score, member) in order; creates the set if needed
  // (unless XX). An INCR whose result is NaN returns InvalidArgument(kNanScoreText).
  StatusOr<ZAddResult> Add(const std::vector<std::pair<double, std::string_view>>& items,
                           ZAddFlags flags);
  // Removes members; deletes the key when the set becomes empty. Returns how many existed.
  StatusOr<int64_t> Remove(const std::vector<std::string_view>& members);
  // 0-based rank in ascending order (descending if `reverse`), or nullopt if not a member.
  StatusOr<std::optional<int64_t>> Rank(std::string_view member, bool reverse);

  // Ranges in ZRANGE's order (descending when `reverse`). Rank indexes follow Redis: negative
  // counts from the end, out-of-range ends are clamped. `offset`/`limit` are LIMIT's (a
  // negative limit means no limit, a negative offset gives nothing).
  StatusOr<std::vector<ScoredMember>> RangeByRank(int64_t start, int64_t stop, bool reverse);
  StatusOr<std::vector<ScoredMember>> RangeByScore(const ScoreRange& range, bool reverse,
                                                   int64_t offset = 0, int64_t limit = -1);
  StatusOr<std::vector<ScoredMember>> RangeByLex(const LexRange& range, bool reverse,
                                                 int64_t offset = 0, int64_t limit = -1);
  StatusOr<int64_t> CountByScore(const ScoreRange& range);
  StatusOr<int64_t> CountByLex(const LexRange& range);

  // ZREMRANGEBY*: remove what the corresponding range returns; return how many.
  StatusOr<int64_t> RemoveRangeByRank(int64_t start, int64_t stop);
  StatusOr<int64_t> RemoveRangeByScore(const ScoreRange& range);
  StatusOr<int64_t> RemoveRangeByLex(const LexRange& range);

  // Removes and returns up to `count` members with the lowest (PopMin) or highest (PopMax)
  // scores, in that order. Deletes the key when it becomes empty.
  StatusOr<std::vector<ScoredMember>> PopMin(uint64_t count) { return Pop(count, false); }
  StatusOr<std::vector<ScoredMember>> PopMax(uint64_t count) { return Pop(count, true); }

  // Every member, in no particular order.
  Status ForEach(const std::function<void(std::string_view member, double score)>& fn);
  // One member chosen by `random` (any 64-bit value); nullopt when the set is empty.
  StatusOr<std::optional<ScoredMember>> RandomMember(uint64_t random);

  // ZSCAN: members whose stable hash is >= cursor, about `count` of them. A small set held
  // whole returns everything in score order with cursor 0, as Redis does for its small
  // encoding.
  struct ScanPage {
    uint64_t next_cursor = 0;
    std::vector<ScoredMember> items;
  };
  StatusOr<ScanPage> Scan(uint64_t cursor, size_t count);

 private:
  class Walker;

  ZSet(storage::Keyspace& ks, int db, std::string key, storage::HotEntry* e)
      : ks_(&ks), db_(db), key_(std::move(key)), entry_(e) {}
  ZSetObject* object() const { return static_cast<ZSetObject*>(entry_->object.get()); }
  Status LoadIfSmall();
  // Walkers positioned at the first element (in the walk's direction) that may be in range.
  StatusOr<Walker> WalkFromEdge(bool reverse);
  StatusOr<Walker> WalkFromScore(const ScoreRange& range, bool reverse);
  StatusOr<Walker> WalkFromLex(const LexRange& range, bool reverse);
  // Writes `member` with `score`, replacing its entry at `old` if it had one; `indexed`: the
  // set keeps kScore (its header's score_index). `at`: the memory copy's lookup of `member`,
  // when the caller has one.
  void WriteMember(std::string_view member, double score, std::optional<double> old, bool indexed,
                   const ZSetObject::Lookup* at = nullptr);
  // Whether a set of `size` members must keep kScore: only one that may not be held whole.
  static bool NeedsScoreIndex(const storage::Keyspace& ks, uint64_t size);
  // Writes kScore for every member of a set that had none; sets header->score_index.
  Status BuildScoreIndex(storage::CollectionHeader* header);
  // Removes members known to be present with these scores; updates the header.
  void RemoveKnown(const std::vector<ScoredMember>& members);
  StatusOr<std::vector<ScoredMember>> Pop(uint64_t count, bool max);
  void FinishWrite(storage::CollectionHeader header);

  storage::Keyspace* ks_;
  int db_;
  std::string key_;
  storage::HotEntry* entry_;
};

// The kData sub-key of a member: its stable hash, big-endian, then the member itself.
std::string ZSetMemberSubKey(std::string_view member);
// The kScore sub-key: encoded score, then the member.
std::string ZSetScoreSubKey(double score, std::string_view member);

}  // namespace strata::types

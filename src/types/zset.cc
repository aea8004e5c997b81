#include "types/zset.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "common/coding.h"
#include "common/hash.h"
#include "types/hashed_scan.h"
#include "types/score_codec.h"
#include "types/type_errors.h"

namespace strata::types {
namespace {

using storage::Keyspace;
using storage::ValueType;
using SubCf = Keyspace::SubCf;

// What a member costs beyond its bytes: its allocation (the name's string header, the score
// and malloc's header) and about 1.5 index slots. The order's nodes are counted as they are
// (ScoreOrder::node_bytes).
constexpr size_t kMemberOverhead = 16 + sizeof(std::string) + sizeof(double) + 24;

size_t MemberBytes(std::string_view member) { return kMemberOverhead + member.size(); }

// A set held whole with at most this many members answers ZSCAN with one page (Redis's
// zset-max-listpack-entries: its small encoding).
constexpr size_t kOnePageScan = 128;

std::string OrderedKey(uint64_t ordered) {
  std::string s;
  PutFixed64BE(&s, ordered);
  return s;
}

// -1, 0, 1 as a lex bound compares to another; "-" and "+" are below and above every value.
int CompareBounds(const LexBound& a, const LexBound& b) {
  auto rank = [](const LexBound& x) {
    return x.kind == LexBound::kMinusInf ? 0 : x.kind == LexBound::kValue ? 1 : 2;
  };
  int ra = rank(a), rb = rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra != 1) return 0;
  int c = a.value.compare(b.value);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace

std::string ZSetMemberSubKey(std::string_view member) {
  std::string sub;
  sub.reserve(8 + member.size());
  PutFixed64BE(&sub, KeyHash64(member));
  sub.append(member);
  return sub;
}

std::string ZSetScoreSubKey(double score, std::string_view member) {
  std::string sub;
  sub.reserve(kEncodedScoreSize + member.size());
  PutEncodedScore(&sub, score);
  sub.append(member);
  return sub;
}

// ---- LexRange -------------------------------------------------------------------------------

bool LexRange::AboveMin(std::string_view m) const {
  switch (min.kind) {
    case LexBound::kMinusInf:
      return true;
    case LexBound::kPlusInf:
      return false;
    case LexBound::kValue:
      return min.exclusive ? m > min.value : m >= min.value;
  }
  return false;
}

bool LexRange::BelowMax(std::string_view m) const {
  switch (max.kind) {
    case LexBound::kMinusInf:
      return false;
    case LexBound::kPlusInf:
      return true;
    case LexBound::kValue:
      return max.exclusive ? m < max.value : m <= max.value;
  }
  return false;
}

bool LexRange::Empty() const {
  int c = CompareBounds(min, max);
  // Two equal infinities are exclusive by definition, as in Redis.
  return c > 0 || (c == 0 && (min.exclusive || max.exclusive || min.kind != LexBound::kValue));
}

// ---- ZSetObject -----------------------------------------------------------------------------

ZSetObject::ZSetObject(const ZSetObject& other) : storage::HotObject(other) {
  index_.Reserve(other.size());
  other.ForEach([&](std::string_view member, double score) { Set(member, score); });
}

ZSetObject::~ZSetObject() {
  index_.ForEach([](Member* m) { delete m; });
}

std::unique_ptr<storage::HotObject> ZSetObject::Clone() const {
  return std::make_unique<ZSetObject>(*this);
}

ZSetObject::Lookup ZSetObject::Find(std::string_view member) const {
  const uint64_t hash = index_.Hash(member);
  return Lookup{index_.Find(member, hash), hash};
}

std::optional<double> ZSetObject::Score(std::string_view member) const {
  const Member* m = index_.Find(member);
  if (m == nullptr) return std::nullopt;
  return m->score;
}

bool ZSetObject::Set(const Lookup& at, std::string_view member, double score) {
  if (score == 0) score = 0.0;  // no -0.0, as on disk
  if (Member* m = at.node) {
    if (m->score == score) return false;
    ordered_.erase(ZOrder::Element(m->score, m->name));
    m->score = score;
    ordered_.insert({score, m->name});
    return false;
  }
  auto owned = std::make_unique<Member>(Member{std::string(member), score});
  index_.Insert(owned.get(), at.hash);
  ordered_.insert({score, owned->name});
  owned.release();  // the index owns it now
  bytes_ += MemberBytes(member);
  return true;
}

bool ZSetObject::Erase(std::string_view member) {
  std::unique_ptr<Member> m(index_.Erase(member));
  if (m == nullptr) return false;
  ordered_.erase(ZOrder::Element(m->score, m->name));
  bytes_ -= MemberBytes(member);
  return true;
}

// ---- Walker ---------------------------------------------------------------------------------

// Walks elements in ZRANGE order (or its reverse) over either the memory copy or kScore.
class ZSet::Walker {
 public:
  using Iter = ZSetObject::Ordered::const_iterator;

  Walker() = default;  // walks nothing
  Walker(const ZSetObject::Ordered* set, Iter it, bool reverse)
      : set_(set), it_(it), reverse_(reverse) {}
  Walker(std::unique_ptr<Keyspace::SubIterator> it, bool reverse)
      : disk_(std::move(it)), reverse_(reverse) {}

  bool Valid() const {
    if (set_) return it_ != set_->end();
    return disk_ && disk_->Valid() && disk_->sub().size() >= kEncodedScoreSize;
  }
  void Advance() {
    if (set_) {
      if (!reverse_) {
        ++it_;
      } else if (it_ == set_->begin()) {
        it_ = set_->end();
      } else {
        --it_;
      }
      return;
    }
    reverse_ ? disk_->Prev() : disk_->Next();
  }
  std::string_view member() const {
    if (set_) return it_->second;
    return disk_->sub().substr(kEncodedScoreSize);
  }
  double score() const { return set_ ? it_->first : DecodeScore(disk_->sub().data()); }
  Status status() const { return disk_ ? disk_->status() : Status::OK(); }

 private:
  const ZSetObject::Ordered* set_ = nullptr;
  Iter it_;
  std::unique_ptr<Keyspace::SubIterator> disk_;
  bool reverse_ = false;
};

namespace {

// Positions a kScore iterator on the last sub-key below `target` (or invalid if none).
void SeekBefore(Keyspace::SubIterator& it, std::string_view target) {
  it.Seek(target);
  if (it.Valid()) {
    it.Prev();
  } else {
    it.SeekToLast();
  }
}

// The element before `pos` in a set, or end() if `pos` is the first.
ZSetObject::Ordered::const_iterator Before(const ZSetObject::Ordered& set,
                                           ZSetObject::Ordered::const_iterator pos) {
  return pos == set.begin() ? set.end() : std::prev(pos);
}

// Collects up to `limit` (negative: all) elements after skipping `offset`, while `in_range`.
template <typename InRange>
Status Collect(auto& walker, int64_t offset, int64_t limit, InRange in_range,
               std::vector<ScoredMember>* out) {
  for (; offset > 0 && walker.Valid(); --offset) walker.Advance();
  for (; limit != 0 && walker.Valid(); walker.Advance()) {
    if (!in_range(walker)) break;
    out->push_back({std::string(walker.member()), walker.score()});
    if (limit > 0) --limit;
  }
  return walker.status();
}

}  // namespace

// ---- ZSet -----------------------------------------------------------------------------------

StatusOr<ZSet> ZSet::Open(Keyspace& ks, int db, std::string_view key, bool for_write) {
  auto found = FindTyped(ks, db, key, for_write, ValueType::kZSet);
  if (!found.ok()) return found.status();
  storage::HotEntry* e = *found;
  ZSet z(ks, db, std::string(key), e);
  if (e != nullptr) {
    Status s = z.LoadIfSmall();
    if (!s.ok()) return s;
  }
  return z;
}

Status ZSet::Store(Keyspace& ks, int db, std::string_view key,
                   const std::vector<ScoredMember>& members) {
  if (members.empty()) {
    auto found = ks.Peek(db, key);
    if (!found.ok()) return found.status();
    if (*found != nullptr) ks.Delete(*found);
    return Status::OK();
  }
  storage::HotEntry* e = ks.CreateCollection(db, key, ValueType::kZSet);
  const bool keep_object = !ks.durable() || members.size() <= 2 * ks.hot_collection_limit();
  const bool indexed = NeedsScoreIndex(ks, members.size());
  auto obj = keep_object ? std::make_unique<ZSetObject>() : nullptr;
  for (const ScoredMember& m : members) {
    if (obj) obj->Set(m.member, m.score);
    ks.PutSub(e, SubCf::kData, ZSetMemberSubKey(m.member), EncodeScore(m.score), true);
    if (indexed) ks.PutSub(e, SubCf::kScore, ZSetScoreSubKey(m.score, m.member), "", true);
  }
  e->object = std::move(obj);
  ks.ObjectChanged(e);
  storage::CollectionHeader header = ks.Header(e);
  header.size = members.size();
  header.score_index = indexed;
  ks.SetHeader(e, header);
  return Status::OK();
}

uint64_t ZSet::size() const { return entry_ ? ks_->Header(entry_).size : 0; }

Status ZSet::LoadIfSmall() {
  if (entry_->object || !ks_->durable()) return Status::OK();
  // A set without kScore has no order on disk: it is always loaded (it is big only when the
  // limit was lowered since; its next write gives it the index).
  const storage::CollectionHeader header = ks_->Header(entry_);
  if (header.size > ks_->hot_collection_limit() && header.score_index) return Status::OK();
  auto it = ks_->NewSubIterator(entry_, SubCf::kData);
  if (!it.ok()) return it.status();
  auto obj = std::make_unique<ZSetObject>();
  for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
    std::string_view sub = (*it)->sub();
    std::string_view value = (*it)->value();
    if (sub.size() < 8 || value.size() != kEncodedScoreSize) continue;
    obj->Set(sub.substr(8), DecodeScore(value.data()));
  }
  Status s = (*it)->status();
  if (!s.ok()) return s;
  entry_->object = std::move(obj);
  ks_->ObjectChanged(entry_);
  return Status::OK();
}

StatusOr<std::optional<double>> ZSet::Score(std::string_view member) {
  if (!entry_) return std::optional<double>();
  if (ZSetObject* obj = object()) return obj->Score(member);
  std::string value;
  Status s = ks_->GetSub(entry_, SubCf::kData, ZSetMemberSubKey(member), &value);
  if (s.IsNotFound()) return std::optional<double>();
  if (!s.ok()) return s;
  if (value.size() != kEncodedScoreSize) return Status::Corruption("bad zset score");
  return std::optional<double>(DecodeScore(value.data()));
}

void ZSet::WriteMember(std::string_view member, double score, std::optional<double> old,
                       bool indexed, const ZSetObject::Lookup* at) {
  if (ZSetObject* obj = object()) at ? obj->Set(*at, member, score) : obj->Set(member, score);
  ks_->PutSub(entry_, SubCf::kData, ZSetMemberSubKey(member), EncodeScore(score),
              /*fresh=*/!old);
  if (!indexed) return;
  if (old) ks_->DeleteSub(entry_, SubCf::kScore, ZSetScoreSubKey(*old, member));
  // The old score's index entry is gone (deleted just above): the new one is always new.
  ks_->PutSub(entry_, SubCf::kScore, ZSetScoreSubKey(score, member), "", /*fresh=*/true);
}

bool ZSet::NeedsScoreIndex(const storage::Keyspace& ks, uint64_t size) {
  return ks.durable() && size > ks.hot_collection_limit();
}

Status ZSet::BuildScoreIndex(storage::CollectionHeader* header) {
  Status s = LoadIfSmall();  // an unindexed set is held whole; this only guards that
  if (!s.ok()) return s;
  ZSetObject* obj = object();
  if (obj == nullptr) return Status::Corruption("a sorted set without kScore is not in memory");
  for (const auto& [score, member] : obj->ordered()) {
    ks_->PutSub(entry_, SubCf::kScore, ZSetScoreSubKey(score, member), "", /*fresh=*/true);
  }
  header->score_index = true;
  return Status::OK();
}

void ZSet::FinishWrite(storage::CollectionHeader header) {
  if (!header.score_index && NeedsScoreIndex(*ks_, header.size)) {
    // On failure the set stays unindexed, and so it stays held whole (below).
    (void)BuildScoreIndex(&header);
  }
  // Past the limit a durable set stops being held whole: commands then touch sub-keys (so
  // only a set with kScore can be let go).
  if (ks_->durable() && header.score_index && header.size > 2 * ks_->hot_collection_limit()) {
    // A failed write-out leaves the store refusing writes (MISCONF); nothing to add here.
    (void)ks_->DropObject(entry_);
  }
  ks_->ObjectChanged(entry_);
  ks_->SetHeader(entry_, header);  // deletes the key when it becomes empty
  if (header.size == 0) entry_ = nullptr;
}

StatusOr<ZAddResult> ZSet::Add(const std::vector<std::pair<double, std::string_view>>& items,
                               ZAddFlags flags) {
  ZAddResult result;
  if (!entry_) {
    if (flags.xx) return result;
    entry_ = ks_->CreateCollection(db_, key_, ValueType::kZSet);
    entry_->object = std::make_unique<ZSetObject>();
  }
  storage::CollectionHeader header = ks_->Header(entry_);
  if (header.size == 0) header.score_index = false;  // a new set: FinishWrite decides
  Status error;
  for (const auto& [score, member] : items) {
    // Held whole: one lookup of the member serves both the read and the write.
    std::optional<ZSetObject::Lookup> at;
    if (ZSetObject* obj = object()) at = obj->Find(member);
    auto current = at ? StatusOr<std::optional<double>>(
                            at->node ? std::optional<double>(at->node->score) : std::nullopt)
                      : Score(member);
    if (!current.ok()) {
      error = current.status();
      break;
    }
    if (*current) {
      const double old = **current;
      if (flags.nx) continue;
      double next = flags.incr ? old + score : score;
      if (std::isnan(next)) {
        error = Status::InvalidArgument(kNanScoreText);
        break;
      }
      if ((flags.lt && next >= old) || (flags.gt && next <= old)) continue;
      ++result.processed;
      result.last_score = next;
      if (next != old) {
        WriteMember(member, next, old, header.score_index, at ? &*at : nullptr);
        ++result.updated;
      }
    } else if (!flags.xx) {
      WriteMember(member, score, std::nullopt, header.score_index, at ? &*at : nullptr);
      ++header.size;
      ++result.added;
      ++result.processed;
      result.last_score = score;
    }
  }
  FinishWrite(header);
  if (!error.ok()) return error;
  return result;
}

void ZSet::RemoveKnown(const std::vector<ScoredMember>& members) {
  if (members.empty()) return;
  storage::CollectionHeader header = ks_->Header(entry_);
  for (const ScoredMember& m : members) {
    if (ZSetObject* obj = object()) obj->Erase(m.member);
    ks_->DeleteSub(entry_, SubCf::kData, ZSetMemberSubKey(m.member));
    if (header.score_index) {
      ks_->DeleteSub(entry_, SubCf::kScore, ZSetScoreSubKey(m.score, m.member));
    }
    --header.size;
  }
  FinishWrite(header);
}

StatusOr<int64_t> ZSet::Remove(const std::vector<std::string_view>& members) {
  if (!entry_) return int64_t{0};
  std::vector<ScoredMember> found;
  for (std::string_view member : members) {
    auto score = Score(member);
    if (!score.ok()) return score.status();
    if (!*score) continue;
    // A member named twice is removed once.
    bool seen = false;
    for (const ScoredMember& f : found) seen = seen || f.member == member;
    if (seen) continue;
    found.push_back({std::string(member), **score});
  }
  RemoveKnown(found);
  return static_cast<int64_t>(found.size());
}

StatusOr<std::optional<int64_t>> ZSet::Rank(std::string_view member, bool reverse) {
  auto score = Score(member);
  if (!score.ok()) return score.status();
  if (!*score) return std::optional<int64_t>();
  int64_t rank = 0;
  if (ZSetObject* obj = object()) {
    const auto& set = obj->ordered();
    rank = static_cast<int64_t>(set.rank(set.find(ZOrder::Element(**score, member))));
  } else {
    auto it = ks_->NewSubIterator(entry_, SubCf::kScore);
    if (!it.ok()) return it.status();
    const std::string target = ZSetScoreSubKey(**score, member);
    for ((*it)->SeekToFirst(); (*it)->Valid() && (*it)->sub() != target; (*it)->Next()) ++rank;
    Status s = (*it)->status();
    if (!s.ok()) return s;
  }
  if (reverse) rank = static_cast<int64_t>(size()) - 1 - rank;
  return std::optional<int64_t>(rank);
}

StatusOr<ZSet::Walker> ZSet::WalkFromEdge(bool reverse) {
  if (!entry_) return Walker();
  if (ZSetObject* obj = object()) {
    const auto& set = obj->ordered();
    return Walker(&set, reverse ? Before(set, set.end()) : set.begin(), reverse);
  }
  auto it = ks_->NewSubIterator(entry_, SubCf::kScore);
  if (!it.ok()) return it.status();
  reverse ? (*it)->SeekToLast() : (*it)->SeekToFirst();
  return Walker(std::move(*it), reverse);
}

StatusOr<ZSet::Walker> ZSet::WalkFromScore(const ScoreRange& range, bool reverse) {
  if (!entry_ || range.Empty()) return Walker();
  if (ZSetObject* obj = object()) {
    const auto& set = obj->ordered();
    if (!reverse) {
      return Walker(&set, set.lower_bound(ScoreBound{range.min, range.min_exclusive}), false);
    }
    auto past = set.lower_bound(ScoreBound{range.max, !range.max_exclusive});
    return Walker(&set, Before(set, past), true);
  }
  auto it = ks_->NewSubIterator(entry_, SubCf::kScore);
  if (!it.ok()) return it.status();
  Keyspace::SubIterator& i = **it;
  if (!reverse) {
    uint64_t from = ScoreToOrdered(range.min) + (range.min_exclusive ? 1 : 0);
    i.Seek(OrderedKey(from));
  } else {
    uint64_t past = ScoreToOrdered(range.max) + (range.max_exclusive ? 0 : 1);
    SeekBefore(i, OrderedKey(past));
  }
  return Walker(std::move(*it), reverse);
}

StatusOr<ZSet::Walker> ZSet::WalkFromLex(const LexRange& range, bool reverse) {
  // Lex ranges assume every member has the same score (as Redis documents); the walk starts
  // among the members that share the first (or, in reverse, the last) score.
  if (!entry_ || range.Empty()) return Walker();
  const LexBound& start = reverse ? range.max : range.min;
  const LexBound::Kind open_end = reverse ? LexBound::kPlusInf : LexBound::kMinusInf;
  if (start.kind != LexBound::kValue && start.kind != open_end) return Walker();
  if (ZSetObject* obj = object()) {
    const auto& set = obj->ordered();
    if (set.empty()) return Walker();
    if (!reverse) {
      if (start.kind == open_end) return Walker(&set, set.begin(), false);
      ZOrder::Element probe(set.begin()->first, start.value);
      auto pos = start.exclusive ? set.upper_bound(probe) : set.lower_bound(probe);
      return Walker(&set, pos, false);
    }
    if (start.kind == open_end) return Walker(&set, Before(set, set.end()), true);
    ZOrder::Element probe(std::prev(set.end())->first, start.value);
    auto past = start.exclusive ? set.lower_bound(probe) : set.upper_bound(probe);
    return Walker(&set, Before(set, past), true);
  }
  auto it = ks_->NewSubIterator(entry_, SubCf::kScore);
  if (!it.ok()) return it.status();
  Keyspace::SubIterator& i = **it;
  reverse ? i.SeekToLast() : i.SeekToFirst();
  if (!i.Valid() || start.kind == open_end || i.sub().size() < kEncodedScoreSize) {
    return Walker(std::move(*it), reverse);
  }
  std::string target(i.sub().substr(0, kEncodedScoreSize));
  target.append(start.value);
  i.Seek(target);
  const bool exact = i.Valid() && i.sub() == target;
  if (!reverse) {
    if (exact && start.exclusive) i.Next();
  } else if (!exact || start.exclusive) {
    i.Valid() ? i.Prev() : i.SeekToLast();
  }
  return Walker(std::move(*it), reverse);
}

StatusOr<std::vector<ScoredMember>> ZSet::RangeByRank(int64_t start, int64_t stop, bool reverse) {
  std::vector<ScoredMember> out;
  const int64_t n = static_cast<int64_t>(size());
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  if (start < 0) start = 0;
  if (start > stop || start >= n) return out;
  if (stop >= n) stop = n - 1;
  const int64_t count = stop - start + 1;
  out.reserve(static_cast<size_t>(count));
  if (ZSetObject* obj = object()) {  // the order knows ranks: start right there
    const auto& set = obj->ordered();
    Walker walker(&set, set.at(static_cast<size_t>(reverse ? n - 1 - start : start)), reverse);
    Status s = Collect(
        walker, 0, count, [](const Walker&) { return true; }, &out);
    if (!s.ok()) return s;
    return out;
  }
  // Walk from whichever end is nearer: ranks cost a step each on disk.
  const bool from_far_end = start > n - 1 - stop;
  auto walker = WalkFromEdge(from_far_end ? !reverse : reverse);
  if (!walker.ok()) return walker.status();
  Status s = Collect(
      *walker, from_far_end ? n - 1 - stop : start, count, [](const Walker&) { return true; },
      &out);
  if (!s.ok()) return s;
  if (from_far_end) std::reverse(out.begin(), out.end());
  return out;
}

StatusOr<std::vector<ScoredMember>> ZSet::RangeByScore(const ScoreRange& range, bool reverse,
                                                       int64_t offset, int64_t limit) {
  std::vector<ScoredMember> out;
  if (offset < 0) return out;
  auto walker = WalkFromScore(range, reverse);
  if (!walker.ok()) return walker.status();
  Status s = Collect(
      *walker, offset, limit,
      [&](const Walker& w) {
        return reverse ? range.AboveMin(w.score()) : range.BelowMax(w.score());
      },
      &out);
  if (!s.ok()) return s;
  return out;
}

StatusOr<std::vector<ScoredMember>> ZSet::RangeByLex(const LexRange& range, bool reverse,
                                                     int64_t offset, int64_t limit) {
  std::vector<ScoredMember> out;
  if (offset < 0) return out;
  auto walker = WalkFromLex(range, reverse);
  if (!walker.ok()) return walker.status();
  Status s = Collect(
      *walker, offset, limit,
      [&](const Walker& w) {
        return reverse ? range.AboveMin(w.member()) : range.BelowMax(w.member());
      },
      &out);
  if (!s.ok()) return s;
  return out;
}

StatusOr<int64_t> ZSet::CountByScore(const ScoreRange& range) {
  if (ZSetObject* obj = entry_ ? object() : nullptr; obj && !range.Empty()) {  // two ranks
    const auto& set = obj->ordered();
    auto from = set.lower_bound(ScoreBound{range.min, range.min_exclusive});
    auto past = set.lower_bound(ScoreBound{range.max, !range.max_exclusive});
    return std::max<int64_t>(
        0, static_cast<int64_t>(set.rank(past)) - static_cast<int64_t>(set.rank(from)));
  }
  auto walker = WalkFromScore(range, false);
  if (!walker.ok()) return walker.status();
  int64_t n = 0;
  for (; walker->Valid() && range.BelowMax(walker->score()); walker->Advance()) ++n;
  Status s = walker->status();
  if (!s.ok()) return s;
  return n;
}

StatusOr<int64_t> ZSet::CountByLex(const LexRange& range) {
  auto walker = WalkFromLex(range, false);
  if (!walker.ok()) return walker.status();
  int64_t n = 0;
  for (; walker->Valid() && range.BelowMax(walker->member()); walker->Advance()) ++n;
  Status s = walker->status();
  if (!s.ok()) return s;
  return n;
}

StatusOr<int64_t> ZSet::RemoveRangeByRank(int64_t start, int64_t stop) {
  auto items = RangeByRank(start, stop, false);
  if (!items.ok()) return items.status();
  RemoveKnown(*items);
  return static_cast<int64_t>(items->size());
}

StatusOr<int64_t> ZSet::RemoveRangeByScore(const ScoreRange& range) {
  auto items = RangeByScore(range, false);
  if (!items.ok()) return items.status();
  RemoveKnown(*items);
  return static_cast<int64_t>(items->size());
}

StatusOr<int64_t> ZSet::RemoveRangeByLex(const LexRange& range) {
  auto items = RangeByLex(range, false);
  if (!items.ok()) return items.status();
  RemoveKnown(*items);
  return static_cast<int64_t>(items->size());
}

StatusOr<std::vector<ScoredMember>> ZSet::Pop(uint64_t count, bool max) {
  if (!entry_ || count == 0) return std::vector<ScoredMember>();
  const uint64_t n = size();
  if (count > n) count = n;
  auto items = RangeByRank(0, static_cast<int64_t>(count) - 1, max);
  if (!items.ok()) return items.status();
  RemoveKnown(*items);
  return items;
}

Status ZSet::ForEach(const std::function<void(std::string_view member, double score)>& fn) {
  if (!entry_) return Status::OK();
  if (ZSetObject* obj = object()) {
    obj->ForEach(fn);
    return Status::OK();
  }
  auto it = ks_->NewSubIterator(entry_, SubCf::kData);
  if (!it.ok()) return it.status();
  for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
    std::string_view sub = (*it)->sub();
    std::string_view value = (*it)->value();
    if (sub.size() >= 8 && value.size() == kEncodedScoreSize) {
      fn(sub.substr(8), DecodeScore(value.data()));
    }
  }
  return (*it)->status();
}

StatusOr<std::optional<ScoredMember>> ZSet::RandomMember(uint64_t random) {
  if (!entry_ || size() == 0) return std::optional<ScoredMember>();
  if (ZSetObject* obj = object()) {
    // By rank in the order: O(log n), where walking the member map was O(n).
    const auto& order = obj->ordered();
    if (order.empty()) return std::optional<ScoredMember>();
    auto it = order.at(random % order.size());
    return std::optional<ScoredMember>(ScoredMember{std::string(it->second), it->first});
  }
  // A random point in the hash order: members after wide gaps are a little more likely.
  auto it = ks_->NewSubIterator(entry_, SubCf::kData);
  if (!it.ok()) return it.status();
  (*it)->Seek(OrderedKey(random));
  if (!(*it)->Valid()) (*it)->SeekToFirst();
  if (!(*it)->Valid()) {
    Status s = (*it)->status();
    if (!s.ok()) return s;
    return std::optional<ScoredMember>();
  }
  std::string_view sub = (*it)->sub();
  std::string_view value = (*it)->value();
  if (sub.size() < 8 || value.size() != kEncodedScoreSize) {
    return Status::Corruption("bad zset sub-key");
  }
  return std::optional<ScoredMember>(
      ScoredMember{std::string(sub.substr(8)), DecodeScore(value.data())});
}

StatusOr<ZSet::ScanPage> ZSet::Scan(uint64_t cursor, size_t count) {
  ScanPage page;
  if (!entry_) return page;
  count = std::max<size_t>(count, 1);
  if (ZSetObject* obj = object()) {
    const ZSetObject::Ordered& ordered = obj->ordered();
    if (obj->size() <= kOnePageScan) {
      // Small: one page in score order, as Redis does for its small (listpack) encoding.
      for (const auto& [score, member] : ordered)
        page.items.push_back({std::string(member), score});
      return page;
    }
    // Bigger: the same pages, in the same hash order, as the on-disk path. O(n) per page.
    std::vector<std::pair<uint64_t, size_t>> candidates;
    std::vector<const ZOrder::Element*> elements;
    for (const ZOrder::Element& e : ordered) {
      const uint64_t h = KeyHash64(e.second);
      if (h < cursor) continue;
      candidates.emplace_back(h, elements.size());
      elements.push_back(&e);
    }
    page.next_cursor = PickPageByHash(&candidates, count);
    for (const auto& [h, i] : candidates) {
      page.items.push_back({std::string(elements[i]->second), elements[i]->first});
    }
    return page;
  }
  auto next = ScanHashedSubKeys(
      *ks_, entry_, cursor, count, [&](std::string_view member, std::string_view value) {
        if (value.size() != kEncodedScoreSize) return false;
        page.items.push_back({std::string(member), DecodeScore(value.data())});
        return true;
      });
  if (!next.ok()) return next.status();
  page.next_cursor = *next;
  return page;
}

}  // namespace strata::types

#include "types/set.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <unordered_set>

#include "common/coding.h"
#include "common/hash.h"
#include "common/numbers.h"
#include "types/hashed_scan.h"
#include "types/type_errors.h"

namespace strata::types {
namespace {

using storage::Keyspace;
using storage::ValueType;

// What a member costs in memory beyond its bytes: the allocation (string header, position,
// malloc's header), the order vector's pointer and about 1.5 index slots.
constexpr size_t kMemberOverhead = 16 + sizeof(std::string) + sizeof(size_t) + sizeof(void*) + 24;

// A set held whole with at most this many members answers SSCAN with one page.
constexpr size_t kOnePageScan = 128;

size_t MemberBytes(std::string_view member) { return kMemberOverhead + member.size(); }

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

// Uniform in [0, n). REQUIRES: n > 0.
uint64_t RandomBelow(uint64_t n) {
  return std::uniform_int_distribution<uint64_t>(0, n - 1)(Rng());
}

// `count` distinct indexes below n, uniformly. REQUIRES: count < n.
std::vector<size_t> DistinctIndexes(size_t n, size_t count) {
  std::vector<size_t> out;
  if (count * 3 > n) {
    // Many of them: a partial Fisher-Yates shuffle of every index.
    std::vector<size_t> all(n);
    std::iota(all.begin(), all.end(), size_t{0});
    for (size_t i = 0; i < count; ++i) std::swap(all[i], all[i + RandomBelow(n - i)]);
    all.resize(count);
    return all;
  }
  // Few of them: draw until enough distinct ones (at most a third collide on average).
  std::unordered_set<size_t> seen;
  while (out.size() < count) {
    size_t i = RandomBelow(n);
    if (seen.insert(i).second) out.push_back(i);
  }
  return out;
}

std::string_view MemberOf(std::string_view sub) { return sub.substr(8); }

}  // namespace

std::string SetMemberSubKey(std::string_view member) {
  std::string sub;
  sub.reserve(8 + member.size());
  PutFixed64BE(&sub, KeyHash64(member));
  sub.append(member);
  return sub;
}

bool IntsetEligible(const std::vector<std::string>& members) {
  if (members.size() > kIntsetMaxEntries) return false;
  return std::all_of(members.begin(), members.end(),
                     [](const std::string& m) { return ParseInt64(m).has_value(); });
}

void SortNumerically(std::vector<std::string>* members) {
  std::vector<std::pair<int64_t, size_t>> keyed;
  keyed.reserve(members->size());
  for (size_t i = 0; i < members->size(); ++i) {
    keyed.emplace_back(ParseInt64((*members)[i]).value_or(0), i);
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::string> sorted;
  sorted.reserve(members->size());
  for (const auto& [v, i] : keyed) sorted.push_back(std::move((*members)[i]));
  *members = std::move(sorted);
}

// ---- SetObject ----------------------------------------------------------------------------

SetObject::SetObject(const SetObject& other) {
  index_.Reserve(other.size());
  order_.reserve(other.size());
  for (const auto& node : other.order_) Insert(node->value);
  intset_ = other.intset_;
}

std::unique_ptr<storage::HotObject> SetObject::Clone() const {
  return std::make_unique<SetObject>(*this);
}

bool SetObject::Contains(std::string_view member) const { return index_.Find(member) != nullptr; }

bool SetObject::Insert(std::string_view member) {
  const uint64_t hash = index_.Hash(member);
  if (index_.Find(member, hash) != nullptr) return false;
  auto owned = std::make_unique<Node>(Node{std::string(member), order_.size()});
  index_.Insert(owned.get(), hash);
  order_.push_back(std::move(owned));
  bytes_ += MemberBytes(member);
  if (intset_ && (order_.size() > kIntsetMaxEntries || !ParseInt64(member))) intset_ = false;
  return true;
}

bool SetObject::Erase(std::string_view member) {
  Node* node = index_.Erase(member);
  if (node == nullptr) return false;
  bytes_ -= MemberBytes(node->value);
  const size_t pos = node->pos;
  order_[pos] = std::move(order_.back());  // frees node
  order_[pos]->pos = pos;
  order_.pop_back();
  return true;
}

std::vector<std::string_view> SetObject::Members() const {
  std::vector<std::string_view> out;
  out.reserve(order_.size());
  if (!intset_) {
    for (const auto& n : order_) out.emplace_back(n->value);
    return out;
  }
  std::vector<std::pair<int64_t, const Node*>> keyed;
  keyed.reserve(order_.size());
  for (const auto& n : order_) keyed.emplace_back(ParseInt64(n->value).value_or(0), n.get());
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [v, n] : keyed) out.emplace_back(n->value);
  return out;
}

// ---- SetHandle ----------------------------------------------------------------------------

StatusOr<SetHandle> SetHandle::Open(Keyspace& ks, int db, std::string_view key, bool for_write) {
  auto found = FindTyped(ks, db, key, for_write, ValueType::kSet);
  if (!found.ok()) return found.status();
  storage::HotEntry* e = *found;
  SetHandle s(ks, db, std::string(key), e);
  if (e != nullptr) {
    Status st = s.LoadIfSmall();
    if (!st.ok()) return st;
  }
  return s;
}

uint64_t SetHandle::size() const { return entry_ ? ks_->Header(entry_).size : 0; }

bool SetHandle::intset() const {
  const SetObject* obj = object();
  return obj != nullptr && obj->intset();
}

Status SetHandle::LoadIfSmall() {
  if (entry_->object || !ks_->durable() || size() > ks_->hot_collection_limit()) {
    return Status::OK();
  }
  auto it = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
  if (!it.ok()) return it.status();
  auto obj = std::make_unique<SetObject>();
  for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
    std::string_view sub = (*it)->sub();
    if (sub.size() >= 8) obj->Insert(MemberOf(sub));
  }
  Status s = (*it)->status();
  if (!s.ok()) return s;
  entry_->object = std::move(obj);
  ks_->ObjectChanged(entry_);
  return Status::OK();
}

StatusOr<bool> SetHandle::Contains(std::string_view member) {
  if (!entry_) return false;
  if (SetObject* obj = object()) return obj->Contains(member);
  std::string value;
  Status s = ks_->GetSub(entry_, Keyspace::SubCf::kData, SetMemberSubKey(member), &value);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return s;
  return true;
}

StatusOr<int64_t> SetHandle::Add(const std::vector<std::string_view>& members) {
  if (!entry_) {
    entry_ = ks_->CreateCollection(db_, key_, ValueType::kSet);
    entry_->object = std::make_unique<SetObject>();
  }
  storage::CollectionHeader header = ks_->Header(entry_);
  int64_t added = 0;
  for (std::string_view member : members) {
    bool is_new;
    if (SetObject* obj = object()) {
      is_new = obj->Insert(member);
    } else {
      // GetSub sees this command's earlier PutSub, so a repeated member counts once.
      auto present = Contains(member);
      if (!present.ok()) return present.status();
      is_new = !*present;
    }
    if (!is_new) continue;
    ks_->PutSub(entry_, Keyspace::SubCf::kData, SetMemberSubKey(member), "", /*fresh=*/true);
    ++added;
    ++header.size;
  }
  if (added == 0) return added;
  // Past the limit a durable set stops being held whole: commands then touch single members.
  if (ks_->durable() && header.size > 2 * ks_->hot_collection_limit()) {
    Status dropped = ks_->DropObject(entry_);
    if (!dropped.ok()) return dropped;
  }
  ks_->ObjectChanged(entry_);
  ks_->SetHeader(entry_, header);
  return added;
}

StatusOr<int64_t> SetHandle::Remove(const std::vector<std::string_view>& members) {
  if (!entry_) return int64_t{0};
  storage::CollectionHeader header = ks_->Header(entry_);
  int64_t removed = 0;
  for (std::string_view member : members) {
    bool existed;
    if (SetObject* obj = object()) {
      existed = obj->Erase(member);
    } else {
      auto present = Contains(member);
      if (!present.ok()) return present.status();
      existed = *present;
    }
    if (!existed) continue;
    ks_->DeleteSub(entry_, Keyspace::SubCf::kData, SetMemberSubKey(member));
    ++removed;
    --header.size;
  }
  if (removed == 0) return removed;
  ks_->ObjectChanged(entry_);
  ks_->SetHeader(entry_, header);  // deletes the key when it becomes empty
  if (header.size == 0) entry_ = nullptr;
  return removed;
}

void SetHandle::RemoveKnown(const std::vector<std::string>& members) {
  storage::CollectionHeader header = ks_->Header(entry_);
  for (const std::string& member : members) {
    if (SetObject* obj = object()) obj->Erase(member);
    ks_->DeleteSub(entry_, Keyspace::SubCf::kData, SetMemberSubKey(member));
    --header.size;
  }
  ks_->ObjectChanged(entry_);
  ks_->SetHeader(entry_, header);
  if (header.size == 0) entry_ = nullptr;
}

StatusOr<std::vector<std::string>> SetHandle::Members() {
  std::vector<std::string> out;
  if (!entry_) return out;
  if (SetObject* obj = object()) {
    for (std::string_view m : obj->Members()) out.emplace_back(m);
    return out;
  }
  auto it = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
  if (!it.ok()) return it.status();
  out.reserve(size());
  for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
    std::string_view sub = (*it)->sub();
    if (sub.size() >= 8) out.emplace_back(MemberOf(sub));
  }
  Status s = (*it)->status();
  if (!s.ok()) return s;
  return out;
}

// On disk a random member is the first one at or after a random 64-bit hash position
// (wrapping to the first member). The distribution is by hash, not perfectly uniform: a member
// after a wide gap in hash space is picked more often. Redis's own pick from a hash table
// (random bucket, then a random entry of its chain) is not exactly uniform either.
StatusOr<std::vector<std::string>> SetHandle::RandomRepeatedFromDisk(uint64_t count) {
  std::vector<std::string> out;
  auto opened = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
  if (!opened.ok()) return opened.status();
  Keyspace::SubIterator& it = **opened;
  std::string pos;
  while (out.size() < count) {
    pos.clear();
    PutFixed64BE(&pos, Rng()());
    it.Seek(pos);
    if (!it.Valid()) it.SeekToFirst();
    if (!it.Valid()) break;  // only if the set is empty on disk, which the header rules out
    out.emplace_back(MemberOf(it.sub()));
  }
  Status s = it.status();
  if (!s.ok()) return s;
  return out;
}

StatusOr<std::vector<std::string>> SetHandle::RandomDistinctFromDisk(uint64_t count) {
  const uint64_t n = size();
  if (count * 3 > n) {
    // Many of them: read everything once and pick uniformly.
    auto all = Members();
    if (!all.ok()) return all.status();
    std::vector<std::string> out;
    for (size_t i : DistinctIndexes(all->size(), std::min<size_t>(count, all->size()))) {
      out.push_back(std::move((*all)[i]));
    }
    return out;
  }
  std::vector<std::string> out;
  std::unordered_set<std::string> chosen;
  auto opened = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
  if (!opened.ok()) return opened.status();
  Keyspace::SubIterator& it = **opened;
  std::string pos;
  while (out.size() < count) {
    // Random hash positions (see RandomRepeatedFromDisk). After a few collisions with members
    // already chosen, walk forward to the next free one: count < n/3, so one exists.
    bool found = false;
    for (int attempt = 0; attempt < 8 && !found; ++attempt) {
      pos.clear();
      PutFixed64BE(&pos, Rng()());
      it.Seek(pos);
      if (!it.Valid()) it.SeekToFirst();
      if (!it.Valid())
        return it.status().ok() ? Status::Corruption("set shorter than its size") : it.status();
      found = !chosen.contains(std::string(MemberOf(it.sub())));
    }
    for (uint64_t steps = 0; !found && steps <= n; ++steps) {
      it.Next();
      if (!it.Valid()) it.SeekToFirst();
      if (!it.Valid()) break;
      found = !chosen.contains(std::string(MemberOf(it.sub())));
    }
    if (!found) break;
    std::string member(MemberOf(it.sub()));
    chosen.insert(member);
    out.push_back(std::move(member));
  }
  Status s = it.status();
  if (!s.ok()) return s;
  return out;
}

StatusOr<std::vector<std::string>> SetHandle::Random(uint64_t count, bool distinct) {
  std::vector<std::string> out;
  if (!entry_ || count == 0) return out;
  const uint64_t n = size();
  if (distinct && count >= n) return Members();
  SetObject* obj = object();
  if (obj == nullptr) {
    return distinct ? RandomDistinctFromDisk(count) : RandomRepeatedFromDisk(count);
  }
  if (distinct) {
    for (size_t i : DistinctIndexes(obj->size(), count)) out.emplace_back(obj->At(i));
    return out;
  }
  // No reserve(count): a client may ask for a huge count; the vector grows as it fills.
  for (uint64_t i = 0; i < count; ++i) out.emplace_back(obj->At(RandomBelow(obj->size())));
  return out;
}

StatusOr<std::vector<std::string>> SetHandle::Pop(uint64_t count) {
  std::vector<std::string> out;
  if (!entry_ || count == 0) return out;
  if (count >= size()) {
    // Everything, in the order Redis gives for a whole-set pop (it replies with a union of the
    // one set, built as an intset while that is possible).
    auto all = Members();
    if (!all.ok()) return all.status();
    if (IntsetEligible(*all)) SortNumerically(&*all);
    storage::CollectionHeader header = ks_->Header(entry_);
    header.size = 0;
    ks_->SetHeader(entry_, header);  // deletes the key; its sub-keys go with the version
    entry_ = nullptr;
    return all;
  }
  auto picked = Random(count, /*distinct=*/true);
  if (!picked.ok()) return picked.status();
  RemoveKnown(*picked);
  return picked;
}

StatusOr<SetHandle::ScanPage> SetHandle::Scan(uint64_t cursor, size_t count) {
  ScanPage page;
  if (!entry_) return page;
  count = std::max<size_t>(count, 1);
  if (SetObject* obj = object()) {
    const size_t n = obj->size();
    if (obj->intset() || n <= kOnePageScan) {
      // Small: one page with everything, as Redis does for its intset encoding.
      for (std::string_view m : obj->Members()) page.members.emplace_back(m);
      return page;
    }
    // Bigger: the same pages, in the same hash order, as the on-disk path. O(n) per page.
    std::vector<std::pair<uint64_t, size_t>> candidates;
    for (size_t i = 0; i < n; ++i) {
      uint64_t h = KeyHash64(obj->At(i));
      if (h >= cursor) candidates.emplace_back(h, i);
    }
    page.next_cursor = PickPageByHash(&candidates, count);
    for (const auto& [h, i] : candidates) page.members.emplace_back(obj->At(i));
    return page;
  }
  auto next = ScanHashedSubKeys(*ks_, entry_, cursor, count,
                                [&](std::string_view member, std::string_view) {
                                  page.members.emplace_back(member);
                                  return true;
                                });
  if (!next.ok()) return next.status();
  page.next_cursor = *next;
  return page;
}

StatusOr<int64_t> SetHandle::Store(Keyspace& ks, int db, std::string_view key,
                                   const std::vector<std::string>& members) {
  if (members.empty()) {
    auto found = ks.Peek(db, key);
    if (!found.ok()) return found.status();
    if (*found != nullptr) ks.Delete(*found);
    return int64_t{0};
  }
  storage::HotEntry* e = ks.CreateCollection(db, key, ValueType::kSet);
  auto obj = std::make_unique<SetObject>();
  for (const std::string& m : members) {
    if (obj->Insert(m)) ks.PutSub(e, Keyspace::SubCf::kData, SetMemberSubKey(m), "", true);
  }
  storage::CollectionHeader header = ks.Header(e);
  header.size = obj->size();
  if (!ks.durable() || header.size <= 2 * ks.hot_collection_limit()) {
    e->object = std::move(obj);
  }
  ks.ObjectChanged(e);
  ks.SetHeader(e, header);
  return static_cast<int64_t>(header.size);
}

}  // namespace strata::types

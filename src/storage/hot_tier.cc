#include "storage/hot_tier.h"

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>

namespace strata::storage {
namespace {

constexpr unsigned kMinBits = 4;
constexpr int kLfuLogFactor = 10;
constexpr uint32_t kLfuDecayMinutes = 1;
constexpr int kVictimSamples = 16;

size_t StringHeapBytes(const std::string& s) {
  // Short strings live inside the object (SSO); only a heap buffer costs extra.
  if (s.capacity() <= 15) return 0;
  return malloc_usable_size(const_cast<char*>(s.data()));
}

}  // namespace

HotEntry* HotEntry::Create(std::string_view key) {
  void* mem = ::operator new(sizeof(HotEntry) + key.size());
  auto* e = new (mem) HotEntry();
  e->key_len = static_cast<uint32_t>(key.size());
  if (!key.empty()) std::memcpy(reinterpret_cast<char*>(e + 1), key.data(), key.size());
  return e;
}

void HotEntry::Destroy(HotEntry* e) {
  e->~HotEntry();
  ::operator delete(e);
}

KeyTable::KeyTable() : buckets_(size_t{1} << kMinBits, nullptr), bits_(kMinBits) {}

HotEntry* KeyTable::Find(uint64_t hash, std::string_view key) const {
  for (HotEntry* e = buckets_[BucketOf(hash)]; e != nullptr; e = e->chain) {
    if (e->hash == hash && e->key() == key) return e;
  }
  return nullptr;
}

void KeyTable::Insert(HotEntry* e) {
  if (size_ + 1 > buckets_.size()) Resize(bits_ + 1);
  size_t b = BucketOf(e->hash);
  e->chain = buckets_[b];
  buckets_[b] = e;
  ++size_;
}

void KeyTable::Remove(HotEntry* e) {
  HotEntry** p = &buckets_[BucketOf(e->hash)];
  while (*p != e) p = &(*p)->chain;
  *p = e->chain;
  e->chain = nullptr;
  --size_;
  if (bits_ > kMinBits && size_ < buckets_.size() / 8) Resize(bits_ - 1);
}

// A full rehash: O(n) at once. Growth doubles the table, so the cost is amortised O(1) per
// insert, but one insert pays for the whole move (the table is not rehashed incrementally).
void KeyTable::Resize(unsigned bits) {
  std::vector<HotEntry*> old;
  old.swap(buckets_);
  buckets_.assign(size_t{1} << bits, nullptr);
  bits_ = bits;
  for (HotEntry* head : old) {
    for (HotEntry* e = head; e != nullptr;) {
      HotEntry* next = e->chain;
      size_t b = BucketOf(e->hash);
      e->chain = buckets_[b];
      buckets_[b] = e;
      e = next;
    }
  }
}

HotEntry* KeyTable::Random(std::mt19937_64& rng) const {
  if (size_ == 0) return nullptr;
  // Probe random buckets; a sparse table falls back to a linear walk from a random start.
  for (int i = 0; i < 64; ++i) {
    HotEntry* e = buckets_[rng() & (buckets_.size() - 1)];
    if (e != nullptr) {
      size_t len = 0;
      for (HotEntry* x = e; x; x = x->chain) ++len;
      size_t pick = rng() % len;
      while (pick--) e = e->chain;
      return e;
    }
  }
  size_t start = rng() & (buckets_.size() - 1);
  for (size_t i = 0; i < buckets_.size(); ++i) {
    HotEntry* e = buckets_[(start + i) & (buckets_.size() - 1)];
    if (e) return e;
  }
  return nullptr;
}

HotTier::HotTier(size_t databases) : tables_(databases) {}

HotTier::~HotTier() {
  for (auto& t : tables_) t.ForEach([](HotEntry* e) { HotEntry::Destroy(e); });
}

HotEntry* HotTier::Insert(DbIndex db, uint64_t hash, std::string_view key) {
  HotEntry* e = HotEntry::Create(key);
  e->hash = hash;
  e->db = db;
  tables_[db].Insert(e);
  LinkFront(e);
  ++entries_;
  Recharge(e);
  return e;
}

void HotTier::Erase(HotEntry* e) {
  tables_[e->db].Remove(e);
  Unlink(e);
  entry_bytes_ -= e->charge;
  --entries_;
  HotEntry::Destroy(e);
}

void HotTier::Clear(DbIndex db) {
  std::vector<HotEntry*> all;
  all.reserve(tables_[db].size());
  tables_[db].ForEach([&](HotEntry* e) { all.push_back(e); });
  for (HotEntry* e : all) Erase(e);
}

void HotTier::ClearUnpinned(DbIndex db) {
  std::vector<HotEntry*> unpinned;
  tables_[db].ForEach([&](HotEntry* e) {
    if (e->pins == 0) unpinned.push_back(e);
  });
  for (HotEntry* e : unpinned) Erase(e);
}

void HotTier::Recharge(HotEntry* e) {
  entry_bytes_ -= e->charge;
  size_t bytes = malloc_usable_size(e) + StringHeapBytes(e->value);
  if (e->object) bytes += e->object->Bytes() + e->object->DeferredBytes();
  e->charge = static_cast<uint32_t>(std::min<size_t>(bytes, UINT32_MAX));
  entry_bytes_ += e->charge;
}

uint8_t HotTier::DecayedCounter(HotEntry* e, int64_t now_ms) const {
  uint32_t minute = static_cast<uint32_t>(now_ms / 60000);
  uint32_t periods = (minute - e->access_clock) / kLfuDecayMinutes;
  if (periods == 0) return e->lfu_counter;
  return periods >= e->lfu_counter ? 0 : static_cast<uint8_t>(e->lfu_counter - periods);
}

void HotTier::Touch(HotEntry* e, int64_t now_ms) {
  if (lru_head_ != e) {
    Unlink(e);
    LinkFront(e);
  }
  if (!track_lfu_) {
    e->access_clock = static_cast<uint32_t>(now_ms / 1000);
    return;
  }
  // Logarithmic counter: the higher it is, the less likely an access increments it.
  uint8_t c = DecayedCounter(e, now_ms);
  e->access_clock = static_cast<uint32_t>(now_ms / 60000);
  if (c < 255) {
    double base = c > 5 ? c - 5 : 0;
    double p = 1.0 / (base * kLfuLogFactor + 1);
    if (std::uniform_real_distribution<double>(0, 1)(rng_) < p) ++c;
  }
  e->lfu_counter = c;
}

bool HotTier::Better(config::EvictionPolicy policy, HotEntry* a, HotEntry* b,
                     int64_t now_ms) const {
  using P = config::EvictionPolicy;
  switch (policy) {
    case P::kVolatileTtl:
      return a->expire_ms < b->expire_ms;
    case P::kAllKeysLfu:
    case P::kVolatileLfu:
      return DecayedCounter(a, now_ms) < DecayedCounter(b, now_ms);
    default:
      return false;  // random and LRU fallbacks: the first candidate is as good as any
  }
}

HotEntry* HotTier::PickVictim(config::EvictionPolicy policy, int64_t now_ms) {
  using P = config::EvictionPolicy;
  switch (policy) {
    case P::kNoEviction:
      return nullptr;
    case P::kAllKeysLru:
    case P::kVolatileLru: {
      // Exact LRU: walk from the least recent end, skipping pinned entries (and, for
      // volatile-lru, entries without a TTL). The walk is bounded; past the bound the
      // volatile policy falls back to sampling.
      int budget = 4096;
      for (HotEntry* e = lru_tail_; e != nullptr && budget-- > 0; e = e->lru_prev) {
        if (e->pins) continue;
        if (policy == P::kVolatileLru && e->expire_ms == 0) continue;
        return e;
      }
      if (policy == P::kAllKeysLru) return nullptr;
      [[fallthrough]];
    }
    default:
      break;
  }
  // Sampling policies: look at a few random entries across databases and keep the best.
  HotEntry* best = nullptr;
  bool volatile_only = policy == P::kVolatileLfu || policy == P::kVolatileRandom ||
                       policy == P::kVolatileTtl || policy == P::kVolatileLru;
  std::vector<size_t> nonempty;
  for (size_t i = 0; i < tables_.size(); ++i) {
    if (tables_[i].size()) nonempty.push_back(i);
  }
  if (nonempty.empty()) return nullptr;
  for (int i = 0; i < kVictimSamples * 4 && (best == nullptr || i < kVictimSamples); ++i) {
    const KeyTable& t = tables_[nonempty[rng_() % nonempty.size()]];
    HotEntry* e = t.Random(rng_);
    if (e == nullptr || e->pins) continue;
    if (volatile_only && e->expire_ms == 0) continue;
    if (best == nullptr || Better(policy, e, best, now_ms)) best = e;
    if (policy == P::kAllKeysRandom || policy == P::kVolatileRandom) return best;
  }
  if (best == nullptr && volatile_only) {
    // Keys with a TTL are rare enough that sampling missed them: walk the recency list from
    // the cold end and take the best of the first few. O(n) when there are none at all.
    int found = 0;
    for (HotEntry* e = lru_tail_; e != nullptr && found < kVictimSamples; e = e->lru_prev) {
      if (e->pins || e->expire_ms == 0) continue;
      ++found;
      if (best == nullptr || Better(policy, e, best, now_ms)) best = e;
    }
  }
  return best;
}

size_t HotTier::bytes() const {
  size_t b = entry_bytes_;
  for (const auto& t : tables_) b += t.bucket_bytes();
  return b;
}

void HotTier::LinkFront(HotEntry* e) {
  e->lru_prev = nullptr;
  e->lru_next = lru_head_;
  if (lru_head_) lru_head_->lru_prev = e;
  lru_head_ = e;
  if (lru_tail_ == nullptr) lru_tail_ = e;
}

void HotTier::Unlink(HotEntry* e) {
  if (e->lru_prev)
    e->lru_prev->lru_next = e->lru_next;
  else
    lru_head_ = e->lru_next;
  if (e->lru_next)
    e->lru_next->lru_prev = e->lru_prev;
  else
    lru_tail_ = e->lru_prev;
  e->lru_prev = e->lru_next = nullptr;
}

}  // namespace strata::storage

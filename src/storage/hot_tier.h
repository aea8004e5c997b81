// The hot tier: decoded values in memory, one hash table per physical database, one global
// recency list, and an exact byte count of what they hold.
//
// Invariants:
//  - Every entry is in exactly one table bucket (by the top bits of its key hash) and in the
//    recency list; `bytes()` is the sum of every entry's `charge` plus the bucket arrays.
//  - An entry's charge is what the allocator really handed out for it (malloc_usable_size of
//    the entry and of any heap buffer its strings own), recomputed whenever its value changes
//    through Recharge().
//  - Pinned entries (pins > 0) carry a staged or deferred write that is not yet in RocksDB;
//    they are never chosen for eviction, so a read can never fall through to a stale copy on
//    disk.
//  - Entries of type kNone are tombstones for staged deletes (always pinned).
//
// Thread-compatible: owned by the execution thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "config/policies.h"
#include "storage/collection.h"
#include "storage/key_format.h"

namespace strata::storage {

// One key in memory. The key bytes are stored right after the struct, in the same allocation,
// so a lookup that compares keys touches one cache line fewer than with a separate string.
struct HotEntry {
  HotEntry* chain = nullptr;  // next entry in the same bucket
  HotEntry* lru_prev = nullptr;
  HotEntry* lru_next = nullptr;
  uint64_t hash = 0;  // MemoryHash of the key: per process, never stored
  int64_t expire_ms = 0;  // absolute deadline, 0 = none
  uint32_t charge = 0;
  // Under LFU policies: the minute the counter last decayed. Otherwise: the second of the
  // last access (OBJECT IDLETIME). One field, as only one of the two is tracked at a time.
  uint32_t access_clock = 0;
  uint32_t key_len = 0;
  DbIndex db = 0;
  ValueType type = ValueType::kString;
  uint8_t lfu_counter = 5;     // logarithmic access counter (new keys start above zero)
  uint8_t pins = 0;            // batches (open or in flight) holding a change to this entry
  uint8_t meta_dirty : 1 = 0;  // its meta value is written when the open batch is submitted
  // Durable profiles, what RocksDB holds for this key as of the last write through: a string
  // with this entry's expiry, or nothing. Either lets a new string value stay in the redo log
  // until the next checkpoint (keyspace.h, deferred writes).
  uint8_t disk_string : 1 = 0;
  uint8_t disk_absent : 1 = 0;
  uint8_t deferred : 1 = 0;  // its latest value is in the redo log but not yet in RocksDB
  // A collection held whole with sub-key changes not yet in RocksDB (HotObject::deferred); the
  // entry is then in the keyspace's deferred list, pinned, until a checkpoint takes them.
  uint8_t subs_deferred : 1 = 0;
  uint32_t staged_ticket = 0;  // low bits of the open batch's ticket, while pinned
  // Strings: the value. Collections: the encoded CollectionHeader (collection.h).
  std::string value;
  // Collections held whole in memory; null when only the header is hot (big collections,
  // or not loaded yet): then commands read and write the sub-keys they touch in RocksDB.
  std::unique_ptr<HotObject> object;

  std::string_view key() const { return {reinterpret_cast<const char*>(this + 1), key_len}; }

  static HotEntry* Create(std::string_view key);
  static void Destroy(HotEntry* e);

 private:
  HotEntry() = default;
};

// A chained hash table whose bucket index is the top bits of the key's MemoryHash, so buckets
// are ordered by hash: a SCAN cursor of the cache profile is the first hash not yet visited,
// valid across resizes (not across restarts, as in Redis; nothing survives one there anyway).
class KeyTable {
 public:
  KeyTable();
  HotEntry* Find(uint64_t hash, std::string_view key) const;
  void Insert(HotEntry* e);  // REQUIRES: no entry with the same key
  void Remove(HotEntry* e);  // REQUIRES: e is in this table
  size_t size() const { return size_; }
  size_t bucket_bytes() const { return buckets_.capacity() * sizeof(HotEntry*); }
  // Visits entries with hash >= cursor, bucket by bucket, until at least `count` entries were
  // visited; returns the next cursor (0 when the whole table was covered).
  template <typename Fn>
  uint64_t Scan(uint64_t cursor, size_t count, Fn&& fn) const;
  // An entry from a random non-empty bucket, or nullptr if empty.
  HotEntry* Random(std::mt19937_64& rng) const;
  // Calls fn on every entry; fn may not modify the table.
  template <typename Fn>
  void ForEach(Fn&& fn) const;

 private:
  size_t BucketOf(uint64_t hash) const { return bits_ == 0 ? 0 : hash >> (64 - bits_); }
  void Resize(unsigned bits);
  std::vector<HotEntry*> buckets_;
  unsigned bits_ = 0;
  size_t size_ = 0;
};

class HotTier {
 public:
  explicit HotTier(size_t databases);
  ~HotTier();
  HotTier(const HotTier&) = delete;
  HotTier& operator=(const HotTier&) = delete;

  HotEntry* Find(DbIndex db, uint64_t hash, std::string_view key) const {
    return tables_[db].Find(hash, key);
  }
  // Creates an entry (value empty, type string) and makes it most recent.
  HotEntry* Insert(DbIndex db, uint64_t hash, std::string_view key);
  // Unlinks and frees an entry.
  void Erase(HotEntry* e);
  // Frees every entry of one database.
  void Clear(DbIndex db);
  void ClearUnpinned(DbIndex db);  // keeps pinned entries (their changes are not in RocksDB)
  // Must be called after an entry's key or value changed size.
  void Recharge(HotEntry* e);
  // Marks an access: most recent for LRU, and the logarithmic counter for LFU.
  void Touch(HotEntry* e, int64_t now_ms);
  // The logarithmic access counter costs a random draw per access; keep it only when an LFU
  // policy will read it.
  void set_track_lfu(bool on) { track_lfu_ = on; }
  bool track_lfu() const { return track_lfu_; }
  // OBJECT FREQ: the counter after decay.
  uint8_t Frequency(HotEntry* e, int64_t now_ms) const { return DecayedCounter(e, now_ms); }
  void Pin(HotEntry* e) { ++e->pins; }
  void Unpin(HotEntry* e) { --e->pins; }

  // Chooses the entry that `policy` would evict next, skipping pinned ones; nullptr if none
  // qualifies (for volatile-* policies: no key with a TTL).
  HotEntry* PickVictim(config::EvictionPolicy policy, int64_t now_ms);

  size_t bytes() const;
  size_t entries() const { return entries_; }
  size_t databases() const { return tables_.size(); }
  KeyTable& table(DbIndex db) { return tables_[db]; }
  const KeyTable& table(DbIndex db) const { return tables_[db]; }
  std::mt19937_64& rng() { return rng_; }

 private:
  void LinkFront(HotEntry* e);
  void Unlink(HotEntry* e);
  uint8_t DecayedCounter(HotEntry* e, int64_t now_ms) const;
  // Whether `a` is a better victim than `b` under `policy`.
  bool Better(config::EvictionPolicy policy, HotEntry* a, HotEntry* b, int64_t now_ms) const;

  std::vector<KeyTable> tables_;
  HotEntry* lru_head_ = nullptr;  // most recently used
  HotEntry* lru_tail_ = nullptr;  // least recently used
  size_t entry_bytes_ = 0;
  size_t entries_ = 0;
  std::mt19937_64 rng_{0x5eed};
  bool track_lfu_ = false;
};

template <typename Fn>
uint64_t KeyTable::Scan(uint64_t cursor, size_t count, Fn&& fn) const {
  if (size_ == 0) return 0;
  size_t visited = 0;
  size_t b = BucketOf(cursor);
  for (; b < buckets_.size(); ++b) {
    for (HotEntry* e = buckets_[b]; e != nullptr; e = e->chain) {
      if (e->hash < cursor) continue;  // seen before the table shrank
      fn(e);
      ++visited;
    }
    if (visited >= count) {
      ++b;
      break;
    }
  }
  if (b >= buckets_.size()) return 0;
  return static_cast<uint64_t>(b) << (64 - bits_);
}

template <typename Fn>
void KeyTable::ForEach(Fn&& fn) const {
  for (HotEntry* head : buckets_) {
    for (HotEntry* e = head; e != nullptr;) {
      HotEntry* next = e->chain;
      fn(e);
      e = next;
    }
  }
}

}  // namespace strata::storage

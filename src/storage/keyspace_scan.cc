// Keyspace: the readers that walk RocksDB instead of looking keys up (SCAN, KEYS, RANDOMKEY)
// and active expiry.
#include <algorithm>
#include <unordered_set>

#include "common/glob.h"
#include "common/hash.h"
#include "storage/keyspace.h"
#include "storage/keyspace_internal.h"

namespace strata::storage {

StatusOr<ScanResult> Keyspace::Scan(int db, uint64_t cursor, size_t count, std::string_view pattern,
                                    std::optional<ValueType> type, bool barrier) {
  ScanResult result;
  DbIndex p = Physical(db);
  bool match_all = pattern == "*";
  auto consider = [&](std::string_view key, ValueType t, int64_t expire_ms) {
    if (IsExpired(expire_ms)) return;
    if (type && *type != t) return;
    if (!match_all && !GlobMatch(pattern, key)) return;
    result.keys.emplace_back(key);
  };
  if (!durable()) {
    result.next_cursor = hot_.table(p).Scan(
        cursor, count, [&](HotEntry* e) { consider(e->key(), e->type, e->expire_ms); });
    return result;
  }
  // Inside a transaction nothing may be committed: RocksDB is merged with the entries it may
  // lack instead. Otherwise a barrier commits and writes deferred values through first.
  std::vector<Unsettled> unsettled;
  if (in_transaction_) {
    unsettled = UnsettledEntries(p);
  } else if (barrier) {
    Status s = CommitThrough();
    if (!s.ok()) return s;
  }
  auto next = ScanMeta(p, cursor, count, std::move(unsettled), consider);
  if (!next.ok()) return next.status();
  result.next_cursor = *next;
  return result;
}

std::vector<Keyspace::Unsettled> Keyspace::UnsettledEntries(DbIndex p) const {
  std::vector<Unsettled> out;
  auto add = [&](HotEntry* e) {
    if (e->db == p) out.push_back(Unsettled{KeyHash64(e->key()), e});
  };
  for (HotEntry* e : staged_) add(e);
  for (HotEntry* e : in_flight_) add(e);
  checkpointer_.ForEachEntry(add);
  std::sort(out.begin(), out.end(), [](const Unsettled& a, const Unsettled& b) {
    return a.disk_hash != b.disk_hash ? a.disk_hash < b.disk_hash : a.entry < b.entry;
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Unsettled& a, const Unsettled& b) { return a.entry == b.entry; }),
            out.end());
  return out;
}

StatusOr<uint64_t> Keyspace::ScanMeta(
    DbIndex p, uint64_t cursor, size_t count, std::vector<Unsettled> unsettled,
    const std::function<void(std::string_view, ValueType, int64_t)>& consider) {
  // RocksDB lacks (or holds an older copy of) only keys whose entries are pinned; for those
  // the hot entry is the truth, so RocksDB's copies are skipped and the entries walked in
  // hash order beside RocksDB's keys.
  std::erase_if(unsettled, [&](const Unsettled& u) { return u.disk_hash < cursor; });
  std::unordered_set<const HotEntry*> unsettled_set;
  for (const Unsettled& u : unsettled) unsettled_set.insert(u.entry);
  auto it = warm_->NewIterator(WarmTier::kMeta);
  const std::string end = PrefixEnd(p);
  std::optional<DecodedMetaKey> mk;
  std::string_view raw_value;
  auto advance = [&](bool first) {
    mk.reset();
    if (FlushPending(p)) return;  // RocksDB's copy of this database is being deleted
    for (first ? it->Seek(EncodeMetaKey(p, cursor, "")) : it->Next(); it->Valid(); it->Next()) {
      std::string_view k(it->key().data(), it->key().size());
      if (k >= end) return;
      mk = DecodeMetaKey(k);
      if (!mk) continue;
      raw_value = std::string_view(it->value().data(), it->value().size());
      return;
    }
  };
  advance(true);
  size_t examined = 0, next = 0;
  uint64_t last_hash = 0;
  while (mk || next < unsettled.size()) {
    const bool from_disk =
        mk && (next == unsettled.size() || mk->hash <= unsettled[next].disk_hash);
    const uint64_t hash = from_disk ? mk->hash : unsettled[next].disk_hash;
    // Stop only between two hashes, so a cursor never splits keys that share one.
    if (examined >= count && hash != last_hash) return hash;
    ++examined;
    last_hash = hash;
    if (from_disk) {
      const bool superseded = !unsettled_set.empty() &&
                              unsettled_set.contains(hot_.Find(p, MemoryHash(mk->key), mk->key));
      auto mv = DecodeMetaValue(raw_value);
      if (!superseded && mv) consider(mk->key, mv->type, mv->expire_ms);
      advance(false);
    } else {
      const HotEntry* e = unsettled[next++].entry;
      if (e->type != ValueType::kNone) consider(e->key(), e->type, e->expire_ms);
    }
  }
  if (!it->status().ok()) return Status::IOError(it->status().ToString());
  return uint64_t{0};
}

StatusOr<std::vector<std::string>> Keyspace::Keys(int db, std::string_view pattern) {
  std::vector<std::string> keys;
  uint64_t cursor = 0;
  do {
    auto r = Scan(db, cursor, 1024, pattern, std::nullopt);
    if (!r.ok()) return r.status();
    for (auto& k : r->keys) keys.push_back(std::move(k));
    cursor = r->next_cursor;
  } while (cursor != 0);
  return keys;
}

StatusOr<std::optional<std::string>> Keyspace::RandomKey(int db) {
  DbIndex p = Physical(db);
  if (!durable()) {
    for (int i = 0; i < 100; ++i) {
      HotEntry* e = hot_.table(p).Random(hot_.rng());
      if (e == nullptr) return std::optional<std::string>();
      if (IsExpired(e->expire_ms)) {
        DeleteInternal(e, true);
        continue;
      }
      return std::optional<std::string>(e->key());
    }
    return std::optional<std::string>();
  }
  // In a transaction nothing is committed: keys only the hot tier has (pinned ones) are picked
  // in proportion to their share of the database, and RocksDB's picks are checked against the
  // hot tier, which has the latest word on a key it holds.
  std::vector<Unsettled> unsettled;
  if (in_transaction_) {
    unsettled = UnsettledEntries(p);
    std::erase_if(unsettled, [&](const Unsettled& u) {
      return u.entry->type == ValueType::kNone || IsExpired(u.entry->expire_ms);
    });
  } else {
    Status s = CommitThrough();
    if (!s.ok()) return s;
  }
  const uint64_t keys = std::max<uint64_t>(catalog_.counts(p).keys, 1);
  auto it = warm_->NewIterator(WarmTier::kMeta);
  std::string end = PrefixEnd(p);
  for (int i = 0; i < 100; ++i) {
    if (!unsettled.empty() && (FlushPending(p) || hot_.rng()() % keys < unsettled.size())) {
      return std::optional<std::string>(
          std::string(unsettled[hot_.rng()() % unsettled.size()].entry->key()));
    }
    if (FlushPending(p)) return std::optional<std::string>();
    it->Seek(EncodeMetaKey(p, hot_.rng()(), ""));
    if (!it->Valid() || it->key().compare(end) >= 0) it->Seek(MetaKeyPrefix(p));
    if (!it->Valid() || it->key().compare(end) >= 0) return std::optional<std::string>();
    auto mk = DecodeMetaKey(std::string_view(it->key().data(), it->key().size()));
    auto mv = DecodeMetaValue(std::string_view(it->value().data(), it->value().size()));
    if (!mk || !mv) continue;
    if (IsExpired(mv->expire_ms)) continue;  // active expiry removes it
    if (in_transaction_) {
      const HotEntry* hot = hot_.Find(p, MemoryHash(mk->key), mk->key);
      if (hot != nullptr && (hot->type == ValueType::kNone || IsExpired(hot->expire_ms))) {
        continue;  // deleted or expired by a change RocksDB does not have yet
      }
    }
    return std::optional<std::string>(std::string(mk->key));
  }
  return std::optional<std::string>();
}

StatusOr<size_t> Keyspace::ActiveExpireCycle(size_t max_keys) {
  size_t removed = 0;
  if (!durable()) {
    // Sweep the tables with a cursor; each call looks at a slice of them.
    for (size_t tries = 0; tries < hot_.databases() && removed < max_keys; ++tries) {
      size_t p = cache_expire_db_ % hot_.databases();
      std::vector<HotEntry*> expired;
      cache_expire_cursor_ = hot_.table(static_cast<DbIndex>(p))
                                 .Scan(cache_expire_cursor_, max_keys * 4, [&](HotEntry* e) {
                                   if (IsExpired(e->expire_ms)) expired.push_back(e);
                                 });
      for (HotEntry* e : expired) DeleteInternal(e, true);
      removed += expired.size();
      if (cache_expire_cursor_ != 0) break;  // this database is not done yet
      ++cache_expire_db_;
    }
    return removed;
  }
  // Index entries whose delete is staged but not yet written are still in RocksDB: skip them
  // without counting, but bound how many are looked at.
  size_t examined = 0;
  const size_t max_examined = max_keys * 10;
  auto it = warm_->NewIterator(WarmTier::kExpire);
  for (DbIndex p : catalog_.physical()) {
    if (catalog_.counts(p).expires == 0 || FlushPending(p)) continue;
    std::string end = PrefixEnd(p);
    for (it->Seek(MetaKeyPrefix(p)); it->Valid() && removed < max_keys && examined < max_examined;
         it->Next()) {
      std::string_view k(it->key().data(), it->key().size());
      if (k >= end) break;
      auto ek = DecodeExpireKey(k);
      if (!ek || !IsExpired(ek->when_ms)) break;
      ++examined;
      const uint64_t mh = MemoryHash(ek->key);
      HotEntry* hot = hot_.Find(p, mh, ek->key);
      if (hot != nullptr && hot->type == ValueType::kNone) continue;  // delete already staged
      auto found = Find(p, mh, ek->key, false);
      if (!found.ok()) return found.status();
      HotEntry* e = *found;
      if (e == nullptr) {
        // Find() deleted it as expired (its index entry with it), or it was already gone and
        // only the index entry is left.
        if (hot_.Find(p, mh, ek->key) == nullptr) {
          batch_.Delete(warm_->cf(WarmTier::kExpire), it->key());
        }
        ++removed;
      } else if (e->expire_ms != ek->when_ms) {
        batch_.Delete(warm_->cf(WarmTier::kExpire), it->key());  // stale index entry
      }
    }
  }
  return removed;
}

}  // namespace strata::storage

#include "storage/db_catalog.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "common/coding.h"
#include "format.pb.h"
#include "storage/warm_tier.h"

namespace strata::storage {

namespace {

constexpr char kDbMapKey[] = "strata:dbmap";
constexpr char kCountsKeyPrefix[] = "strata:count:";

std::string CountsKey(DbIndex p) {
  std::string k = kCountsKeyPrefix;
  PutFixed16BE(&k, p);
  return k;
}

// keys, expires, and the deadline sum's bits: 24 bytes.
std::string EncodeCounts(const DbCatalog::Counts& c) {
  std::string v;
  PutFixed64BE(&v, c.keys);
  PutFixed64BE(&v, c.expires);
  uint64_t bits;
  std::memcpy(&bits, &c.deadline_sum, sizeof(bits));
  PutFixed64BE(&v, bits);
  return v;
}

bool DecodeCounts(const std::string& raw, DbCatalog::Counts* c) {
  if (raw.size() != 24) return false;
  c->keys = DecodeFixed64BE(raw.data());
  c->expires = DecodeFixed64BE(raw.data() + 8);
  uint64_t bits = DecodeFixed64BE(raw.data() + 16);
  std::memcpy(&c->deadline_sum, &bits, sizeof(bits));
  return true;
}

}  // namespace

void DbCatalog::Reset(size_t n) {
  map_.resize(n);
  for (size_t i = 0; i < n; ++i) map_[i] = static_cast<DbIndex>(i);
  counts_.assign(n, Counts());
  dirty_.assign(n, false);
  flushed_ticket_.assign(n, 0);
}

Status DbCatalog::Load(WarmTier& warm) {
  const size_t n = map_.size();
  std::string raw;
  Status s = warm.Get(WarmTier::kDefault, kDbMapKey, &raw);
  if (s.ok()) {
    proto::DatabaseMap map;
    if (!map.ParseFromString(raw)) return Status::Corruption("unreadable database map");
    if (static_cast<size_t>(map.physical_size()) > n) {
      return Status::InvalidArgument("the data directory was created with " +
                                     std::to_string(map.physical_size()) +
                                     " databases; set 'databases' to at least that");
    }
    for (int i = 0; i < map.physical_size(); ++i) map_[i] = static_cast<DbIndex>(map.physical(i));
  } else if (!s.IsNotFound()) {
    return s;
  }
  for (size_t p = 0; p < n; ++p) {
    s = warm.Get(WarmTier::kDefault, CountsKey(static_cast<DbIndex>(p)), &raw);
    if (s.ok()) {
      // (A record of another size is ignored, as an unknown one: the counts start at 0.)
      DecodeCounts(raw, &counts_[p]);
    } else if (!s.IsNotFound()) {
      return s;
    }
  }
  return Status::OK();
}

int DbCatalog::Logical(DbIndex p) const {
  auto it = std::find(map_.begin(), map_.end(), p);
  return static_cast<int>(it - map_.begin());
}

void DbCatalog::Swap(int a, int b) {
  std::swap(map_[static_cast<size_t>(a)], map_[static_cast<size_t>(b)]);
}

void DbCatalog::StageMap(WarmTier& warm, rocksdb::WriteBatch* batch) const {
  proto::DatabaseMap map;
  for (DbIndex p : map_) map.add_physical(p);
  batch->Put(warm.cf(WarmTier::kDefault), kDbMapKey, map.SerializeAsString());
}

void DbCatalog::ExpireChanged(DbIndex p, int64_t old_expire_ms, int64_t new_expire_ms) {
  Counts& c = counts_[p];
  if (old_expire_ms != 0) {
    --c.expires;
    c.deadline_sum -= static_cast<double>(old_expire_ms);
  }
  if (new_expire_ms != 0) {
    ++c.expires;
    c.deadline_sum += static_cast<double>(new_expire_ms);
  }
  dirty_[p] = true;
}

void DbCatalog::Flushed(DbIndex p, uint64_t ticket) {
  counts_[p] = Counts();
  flushed_ticket_[p] = ticket;
  dirty_[p] = true;
}

bool DbCatalog::AnyCountsDirty() const {
  return std::find(dirty_.begin(), dirty_.end(), true) != dirty_.end();
}

void DbCatalog::StageDirtyCounts(WarmTier* warm, rocksdb::WriteBatch* batch) {
  for (size_t p = 0; p < dirty_.size(); ++p) {
    if (!dirty_[p]) continue;
    dirty_[p] = false;
    if (warm != nullptr) {
      batch->Put(warm->cf(WarmTier::kDefault), CountsKey(static_cast<DbIndex>(p)),
                 EncodeCounts(counts_[p]));
    }
  }
}

}  // namespace strata::storage

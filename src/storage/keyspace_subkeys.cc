// Keyspace: collections' headers and sub-keys: the read overlay of changes not yet in
// RocksDB, deferred sub-key changes, iterators, and copies.
#include <spdlog/spdlog.h>

#include "common/hash.h"
#include "storage/keyspace.h"
#include "storage/keyspace_internal.h"

namespace strata::storage {

// ---- Collections ----------------------------------------------------------------------

uint64_t Keyspace::NextVersion() {
  if (durable() && next_version_ >= version_limit_) {
    // Reserve a range in the same batch as the collection that uses the first of it, so a
    // version is never handed out twice, even across a crash.
    version_limit_ = next_version_ + kVersionReservation;
    std::string v;
    PutFixed64BE(&v, version_limit_);
    batch_.Put(warm_->cf(WarmTier::kDefault), kVersionKey, v);
  }
  return next_version_++;
}

HotEntry* Keyspace::CreateCollection(int db, std::string_view key, ValueType type) {
  DbIndex p = Physical(db);
  uint64_t h = MemoryHash(key);
  auto found = Find(p, h, key, false);
  const bool replaces = found.ok() && *found != nullptr;
  if (replaces) DeleteInternal(*found, false);
  HotEntry* e = hot_.Find(p, h, key);  // a tombstone to reuse, if any
  if (e == nullptr) e = hot_.Insert(p, h, key);
  if (!replaces) ReportKeyEvent(KeyEvent::kNew, p, key);
  catalog_.KeyAdded(p);
  e->disk_string = 0;
  e->disk_absent = 0;
  e->type = type;
  e->expire_ms = 0;
  e->object.reset();
  CollectionHeader header;
  header.version = NextVersion();
  EncodeCollectionHeader(type, header, &e->value);
  hot_.Recharge(e);
  hot_.Touch(e, now_ms_);
  StageMeta(e);
  Changed(e);
  SignalReady(db, key);
  return e;
}

CollectionHeader Keyspace::Header(const HotEntry* e) const {
  return DecodeCollectionHeader(e->type, e->value).value_or(CollectionHeader());
}

void Keyspace::SetHeader(HotEntry* e, const CollectionHeader& h) {
  Changed(e);
  if (h.size == 0) {
    DeleteInternal(e, false);
    return;
  }
  EncodeCollectionHeader(e->type, h, &e->value);
  hot_.Recharge(e);
  StageMeta(e);
}

Status Keyspace::GetSub(HotEntry* e, SubCf cf, std::string_view sub, std::string* value) {
  if (!durable()) return Status::NotFound();
  Status written = WriteOutIfHeldWhole(e);
  if (!written.ok()) return written;
  std::string key = EncodeSubKey(e->db, e->key(), Header(e).version, sub);
  switch (overlay_.Get(static_cast<uint8_t>(cf), key, value)) {
    case SubKeyOverlay::Found::kValue:
      return Status::OK();
    case SubKeyOverlay::Found::kDeleted:
      return Status::NotFound();
    case SubKeyOverlay::Found::kNothing:
      break;
  }
  ++stats_.warm_reads;
  return warm_->Get(CfOf(cf), key, value);
}

void Keyspace::StageAppliedSub(SubCf cf, std::string_view key, size_t prefix_len,
                               const std::string_view* value) {
  if (value) {
    batch_.Put(warm_->cf(CfOf(cf)), key, *value);
  } else {
    batch_.Delete(warm_->cf(CfOf(cf)), key);
  }
  overlay_.Record(static_cast<uint8_t>(cf), key, prefix_len, value, next_ticket_);
}

void Keyspace::StageSub(HotEntry* e, SubCf cf, std::string_view sub, const std::string_view* value,
                        bool fresh) {
  std::string key = EncodeSubKey(e->db, e->key(), Header(e).version, sub);
  if (DefersSubs(e)) {
    if (value != nullptr) overlay_.WidenHints(static_cast<uint8_t>(cf), key, key.size() - sub.size());
    DeferSub(e, cf, key, value, fresh);
    return;
  }
  // (A collection held whole defers its changes, above; so every applied change is one a
  // reader of RocksDB must see through the overlay.)
  StageAppliedSub(cf, key, key.size() - sub.size(), value);
  Stage(e);
}

void Keyspace::DeferSub(HotEntry* e, SubCf cf, std::string_view key, const std::string_view* value,
                        bool fresh) {
  const WarmTier::Cf which = CfOf(cf);
  SubKeyChanges& changes = e->object->deferred;
  const size_t before = changes.bytes();
  if (value) {
    deferred_batch_.Put(warm_->cf(which), key, *value);
    changes.Put(static_cast<uint8_t>(which), key, *value, fresh);
  } else {
    deferred_batch_.Delete(warm_->cf(which), key);
    changes.Delete(static_cast<uint8_t>(which), key);
  }
  checkpointer_.DeferChange(e, changes.bytes() - before);
  Stage(e);
  // A churning queue's pushes and pops cancel out here, long before a checkpoint.
  if (changes.count() >= changes.coalesce_at()) {
    const size_t uncoalesced = changes.bytes();
    changes.Coalesce();
    checkpointer_.Coalesced(uncoalesced - changes.bytes());
    hot_.Recharge(e);
  }
}

// Neither commits: a command that drops or reads through a collection's memory copy may be
// half-way through a transaction, whose writes must reach the log as one record.
Status Keyspace::DropObject(HotEntry* e) {
  // After the memory copy goes, RocksDB and the overlay are all there is.
  if (durable() && e->object && e->pins != 0) WriteOutDeferredSubs(e);
  e->object.reset();
  hot_.Recharge(e);
  return Status::OK();
}

Status Keyspace::WriteOutIfHeldWhole(HotEntry* e) {
  // Changes to a collection held whole are not in the overlay; a reader that goes to RocksDB
  // anyway must first have them staged there.
  if (durable() && e->object && e->pins != 0) WriteOutDeferredSubs(e);
  return Status::OK();
}

void Keyspace::PutSub(HotEntry* e, SubCf cf, std::string_view sub, std::string_view value,
                      bool fresh) {
  Changed(e);
  CheckValueSize(e, value.size());
  if (durable()) StageSub(e, cf, sub, &value, fresh);
}

void Keyspace::DeleteSub(HotEntry* e, SubCf cf, std::string_view sub) {
  Changed(e);
  if (durable()) StageSub(e, cf, sub, nullptr, false);
}

StatusOr<std::unique_ptr<Keyspace::SubIterator>> Keyspace::NewSubIterator(HotEntry* e, SubCf cf) {
  if (!durable()) return Status::NotFound("no warm tier");
  Status written = WriteOutIfHeldWhole(e);
  if (!written.ok()) return written;
  uint64_t version = Header(e).version;
  std::string prefix = EncodeSubKeyPrefix(e->db, e->key(), version);
  // The prefix ends with the 8-byte version, so its successor is the version plus one.
  std::string upper = EncodeSubKeyPrefix(e->db, e->key(), version + 1);
  const auto tag = static_cast<uint8_t>(cf);
  // Only a pinned entry has changes that are not written yet.
  std::vector<SubIterator::Pending> pending;
  if (e->pins != 0) pending = overlay_.Range(tag, prefix, upper);
  std::shared_ptr<SeekHints> hints = overlay_.HintsFor(tag, prefix);
  auto base = warm_->NewBoundedIterator(CfOf(cf), prefix, upper);
  return std::make_unique<SubIterator>(std::move(prefix), std::move(base), std::move(pending),
                                       hints);
}

StatusOr<HotEntry*> Keyspace::CopyEntry(HotEntry* src, int dst_db, std::string_view dst_key) {
  if (src->type == ValueType::kString) {
    return PutString(dst_db, dst_key, src->value, src->expire_ms);
  }
  // Everything needed from src, taken before CreateCollection may touch the table. The
  // iterators see src's unwritten changes and are snapshots, so creating dst cannot disturb them.
  std::unique_ptr<SubIterator> src_items[2];
  if (durable()) {
    for (SubCf cf : {SubCf::kData, SubCf::kScore}) {
      auto it = NewSubIterator(src, cf);
      if (!it.ok()) return it.status();
      src_items[cf == SubCf::kData ? 0 : 1] = std::move(*it);
    }
  }
  const CollectionHeader src_header = Header(src);
  const ValueType type = src->type;
  const int64_t expire_ms = src->expire_ms;
  std::unique_ptr<HotObject> clone = src->object ? src->object->Clone() : nullptr;

  HotEntry* dst = CreateCollection(dst_db, dst_key, type);
  CollectionHeader header = src_header;
  header.version = Header(dst).version;
  if (durable()) {
    const std::string dst_prefix = EncodeSubKeyPrefix(dst->db, dst->key(), header.version);
    for (SubCf cf : {SubCf::kData, SubCf::kScore}) {
      SubIterator* it = src_items[cf == SubCf::kData ? 0 : 1].get();
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        std::string key = dst_prefix;
        key.append(it->sub());
        batch_.Put(warm_->cf(CfOf(cf)), key,
                   rocksdb::Slice(it->value().data(), it->value().size()));
      }
      Status s = it->status();
      if (!s.ok()) return s;
    }
  }
  dst->object = std::move(clone);
  SetHeader(dst, header);
  if (expire_ms != 0) SetExpire(dst, expire_ms);
  return dst;
}

}  // namespace strata::storage

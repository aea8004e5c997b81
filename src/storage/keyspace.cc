#include "storage/keyspace.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/coding.h"
#include "common/hash.h"
#include "storage/keyspace_internal.h"
#include "storage/redo_log.h"

namespace strata::storage {
namespace {

// Brings RocksDB up to date from the redo log files left by the last run (all of them: a
// clean stop leaves none), makes that a checkpoint, and starts the next log file.
StatusOr<std::unique_ptr<RedoLog>> RecoverRedo(WarmTier* warm, const std::string& dir) {
  auto numbers = RedoLog::List(dir);
  if (!numbers.ok()) return numbers.status();
  uint64_t records = 0, dropped = 0;
  std::vector<RedoSegment> segments;
  Status s = RedoLog::Replay(
      dir, *numbers,
      [&](std::string_view payload) -> Status {
        if (!DecodeRedoPayload(payload, &segments)) {
          return Status::Corruption("undecodable record");
        }
        for (const RedoSegment& seg : segments) {
          for (std::string_view rep : {seg.applied, seg.deferred}) {
            if (rep.empty()) continue;
            rocksdb::WriteBatch batch{std::string(rep)};
            auto written = warm->Write(&batch);
            if (!written.ok()) return written.status();
          }
        }
        ++records;
        return Status::OK();
      },
      &dropped);
  if (!s.ok()) return s;
  if (dropped != 0) {
    spdlog::warn("redo log: dropped a torn last record ({} bytes): it was never acknowledged",
                 dropped);
  }
  uint64_t next = numbers->empty() ? 1 : numbers->back() + 1;
  if (!numbers->empty()) {
    spdlog::info("redo log: replayed {} records from {} files", records, numbers->size());
    s = warm->Flush();
    if (!s.ok()) return s;
    s = RedoLog::DeleteUpTo(dir, numbers->back());
    if (!s.ok()) return s;
  }
  return RedoLog::Create(dir, next);
}

uint64_t HeapInUse() {
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

}  // namespace
Keyspace::Keyspace(const KeyspaceOptions& options)
    : options_(options),
      clock_(options.clock ? options.clock : SystemClock::Default()),
      hot_(options.databases) {
  hot_.set_track_lfu(options.policy == config::EvictionPolicy::kAllKeysLfu ||
                     options.policy == config::EvictionPolicy::kVolatileLfu);
  hot_collection_limit_ = HotCollectionLimitFor(options.maxmemory);
}

Keyspace::~Keyspace() {
  if (pipeline_) {  // not set when Open failed half-way
    // A clean stop leaves RocksDB complete and no redo log to replay.
    Status s = CheckpointInOneBatch();
    if (!s.ok()) spdlog::error("final commit failed: {}", s.ToString());
    std::string redo_dir = RedoDir(options_.path);
    pipeline_.reset();  // joins the writer, after a last log sync
    if (s.ok()) s = warm_->Flush();
    if (s.ok()) s = RedoLog::DeleteUpTo(redo_dir, UINT64_MAX);
    if (!s.ok()) spdlog::warn("the redo log stays for the next start: {}", s.ToString());
  }
}

StatusOr<std::unique_ptr<Keyspace>> Keyspace::Open(const KeyspaceOptions& options) {
  if (options.databases == 0 || options.databases > 10000) {
    return Status::InvalidArgument("databases must be between 1 and 10000");
  }
  std::unique_ptr<Keyspace> ks(new Keyspace(options));
  ks->baseline_bytes_ = HeapInUse();
  ks->now_ms_ = ks->clock_->NowMs();
  if (options.profile != config::Profile::kCache) {
    WarmTierOptions wo;
    wo.path = options.path;
    wo.memory_budget = options.maxmemory;
    wo.databases = options.databases;
    wo.version = options.version;
    auto warm = WarmTier::Open(wo);
    if (!warm.ok()) return warm.status();
    ks->warm_ = std::move(*warm);
    auto log = RecoverRedo(ks->warm_.get(), RedoDir(options.path));
    if (!log.ok()) return Status::Corruption("redo log: " + log.status().ToString());
    ks->pipeline_ = std::make_unique<CommitPipeline>(ks->warm_.get(), std::move(*log),
                                                     options.fsync, options.on_written);
    ks->checkpointer_.NoteStartTime(ks->now_ms_);
  }
  Status s = ks->LoadState();
  if (s.ok() && ks->durable()) s = ks->UpgradeFormat();
  if (!s.ok()) return s;
  return ks;
}

Status Keyspace::UpgradeFormat() {
  auto version = warm_->ReadFormatVersion();
  if (!version.ok()) return version.status();
  if (*version == WarmTier::kFormatVersion) return Status::OK();
  if (!options_.upgrade_from_format_1) {
    return Status::InvalidArgument("'" + options_.path + "' uses Strata data format " +
                                   std::to_string(*version) +
                                   ", which this build cannot upgrade: refusing to use it");
  }
  spdlog::info("upgrading '{}' from data format {} to {}", options_.path, *version,
               WarmTier::kFormatVersion);
  // Nothing may commit part-way: the records and the format record go in one batch.
  SetInTransaction(true);
  Status s = options_.upgrade_from_format_1(*this);
  SetInTransaction(false);
  if (!s.ok()) return Status::Corruption("upgrading from format 1: " + s.ToString());
  warm_->StageFormatVersion(&batch_, WarmTier::kFormatVersion);
  s = Commit();
  if (s.ok())
    spdlog::info("'{}' is now in data format {}", options_.path, WarmTier::kFormatVersion);
  return s;
}

void Keyspace::SetCommandTime(int64_t now_ms) {
  now_ms_ = now_ms;
  if (reset_hot_) {
    reset_hot_ = false;
    for (size_t p = 0; p < hot_.databases(); ++p) hot_.ClearUnpinned(static_cast<DbIndex>(p));
  }
}

Status Keyspace::LoadState() {
  catalog_.Reset(options_.databases);
  if (!durable()) return Status::OK();
  Status s = catalog_.Load(*warm_);
  if (!s.ok()) return s;
  std::string raw;
  s = warm_->Get(WarmTier::kDefault, kVersionKey, &raw);
  if (s.ok() && raw.size() == 8) {
    next_version_ = version_limit_ = DecodeFixed64BE(raw.data());
  } else if (!s.ok() && !s.IsNotFound()) {
    return s;
  }
  return Status::OK();
}

HotEntry* Keyspace::LoadFromWarm(DbIndex db, uint64_t hash, std::string_view key, Status* status) {
  if (FlushPending(db)) return nullptr;
  std::string raw;
  ++stats_.warm_reads;
  Status s = warm_->Get(WarmTier::kMeta, EncodeMetaKey(db, KeyHash64(key), key), &raw);
  if (s.IsNotFound()) return nullptr;
  if (!s.ok()) {
    *status = s;
    return nullptr;
  }
  auto meta = DecodeMetaValue(raw);
  if (!meta) {
    *status = Status::Corruption("undecodable metadata for a key");
    return nullptr;
  }
  ++stats_.warm_hits;
  HotEntry* e = hot_.Insert(db, hash, key);
  // Its last access before it was evicted or the server restarted is not known: count from now.
  e->access_clock = static_cast<uint32_t>(hot_.track_lfu() ? now_ms_ / 60000 : now_ms_ / 1000);
  e->type = meta->type;
  e->expire_ms = meta->expire_ms;
  e->disk_string = meta->type == ValueType::kString;
  e->value.assign(meta->payload);
  hot_.Recharge(e);
  return e;
}

StatusOr<HotEntry*> Keyspace::Find(DbIndex p, std::string_view key, bool count_stats, bool touch) {
  return Find(p, MemoryHash(key), key, count_stats, touch);
}

StatusOr<HotEntry*> Keyspace::Find(DbIndex p, uint64_t h, std::string_view key, bool count_stats,
                                   bool touch) {
  HotEntry* e = hot_.Find(p, h, key);
  if (e != nullptr) {
    if (e->type == ValueType::kNone)
      e = nullptr;  // a staged delete
    else if (count_stats)
      ++stats_.hot_hits;
  } else if (durable()) {
    Status s;
    e = LoadFromWarm(p, h, key, &s);
    if (!s.ok()) return s;
  }
  if (e != nullptr && IsExpired(e->expire_ms)) {
    if (!keep_expired_) DeleteInternal(e, /*expired=*/true);
    e = nullptr;
  }
  if (e && touch) hot_.Touch(e, now_ms_);  // reads and writes both count as use, as in Redis
  if (count_stats) ++(e ? stats_.keyspace_hits : stats_.keyspace_misses);
  if (count_stats && e == nullptr) ReportKeyEvent(KeyEvent::kMiss, p, key);
  return e;
}

StatusOr<HotEntry*> Keyspace::Lookup(int db, std::string_view key) {
  return Find(Physical(db), key, true);
}

StatusOr<HotEntry*> Keyspace::Peek(int db, std::string_view key) {
  return Find(Physical(db), key, false);
}

StatusOr<HotEntry*> Keyspace::PeekNoTouch(int db, std::string_view key) {
  return Find(Physical(db), key, false, /*touch=*/false);
}

HotEntry* Keyspace::PutString(int db, std::string_view key, std::string value, int64_t expire_ms) {
  DbIndex p = Physical(db);
  uint64_t h = MemoryHash(key);
  HotEntry* e = nullptr;
  auto found = Find(p, h, key, false);
  if (found.ok()) e = *found;
  // A read error leaves us not knowing whether the key existed; the write still replaces
  // whatever was there, so only the counts could drift. We log it and carry on.
  if (!found.ok()) spdlog::warn("read before write failed: {}", found.status().ToString());
  int64_t old_expire = 0;
  if (e == nullptr) {
    e = hot_.Find(p, h, key);  // a tombstone to reuse, if any
    if (e == nullptr) e = hot_.Insert(p, h, key);
    catalog_.KeyAdded(p);
    e->disk_string = 0;
    e->disk_absent = found.ok();  // after a read error, RocksDB's state is not known
    ReportKeyEvent(KeyEvent::kNew, p, key);
  } else {
    old_expire = e->expire_ms;
    if (e->type == ValueType::kStream) SignalStreamGone(e);
  }
  e->type = ValueType::kString;
  e->value = std::move(value);
  e->expire_ms = expire_ms;
  hot_.Recharge(e);
  hot_.Touch(e, now_ms_);
  StageExpireIndex(e, old_expire);
  StageMeta(e);
  Changed(e);
  CheckValueSize(e, e->value.size());
  return e;
}

void Keyspace::ValueChanged(HotEntry* e) {
  hot_.Recharge(e);
  StageMeta(e);
  Changed(e);
  if (e->type == ValueType::kString) CheckValueSize(e, e->value.size());
}

void Keyspace::SetExpire(HotEntry* e, int64_t expire_ms) {
  Changed(e);
  int64_t old = e->expire_ms;
  e->expire_ms = expire_ms;
  StageExpireIndex(e, old);
  StageMeta(e);
}

void Keyspace::Delete(HotEntry* e) { DeleteInternal(e, false); }

void Keyspace::DeleteInternal(HotEntry* e, bool expired) {
  Changed(e);
  if (e->type == ValueType::kStream) SignalStreamGone(e);
  catalog_.KeyRemoved(e->db, e->expire_ms);
  if (expired) {
    ++stats_.expired_keys;
    ReportKeyEvent(KeyEvent::kExpired, e->db, e->key());
  }
  if (!durable()) {
    hot_.Erase(e);
    return;
  }
  const uint64_t disk_hash = KeyHash64(e->key());  // meta and expire keys share it
  EncodeMetaKeyTo(e->db, disk_hash, e->key(), &scratch_key_);
  batch_.Delete(warm_->cf(WarmTier::kMeta), scratch_key_);
  e->disk_string = 0;
  e->disk_absent = 1;  // once this batch is written
  e->deferred = 0;     // the Delete supersedes a deferred value; the entry stays in deferred_
  if (e->expire_ms != 0) {
    batch_.Delete(warm_->cf(WarmTier::kExpire),
                  EncodeExpireKey(e->db, e->expire_ms, disk_hash, e->key()));
  }
  e->type = ValueType::kNone;
  e->expire_ms = 0;
  e->object.reset();
  std::string().swap(e->value);
  hot_.Recharge(e);
  Stage(e);
}

void Keyspace::Changed(const HotEntry* e) {
  if (changes_) changes_(e->key());
  if (observer_ != nullptr && observer_->wants_changes()) {
    observer_->KeyChanged(Logical(e->db), e->key());
  }
}

bool Keyspace::Exists(DbIndex p, std::string_view key) {
  auto found = Find(p, key, false, false);
  return found.ok() && *found != nullptr;
}

}  // namespace strata::storage

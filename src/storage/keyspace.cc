#include "storage/keyspace.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <unordered_set>

#include "common/coding.h"
#include "common/glob.h"
#include "common/hash.h"
#include "format.pb.h"
#include "storage/redo_log.h"

namespace strata::storage {
namespace {

constexpr char kDbMapKey[] = "strata:dbmap";
constexpr char kCountsKeyPrefix[] = "strata:count:";
constexpr char kVersionKey[] = "strata:version";
constexpr uint64_t kVersionReservation = uint64_t{1} << 16;

// Keys clients block on or WATCH, by logical database.
std::string CountsKey(DbIndex db) {
  std::string k = kCountsKeyPrefix;
  PutFixed16BE(&k, db);
  return k;
}

// The first key after every key of database `db` in any column family keyed by db:u16 first.
std::string PrefixEnd(DbIndex db) {
  std::string out;
  if (db == 0xFFFF) return std::string("\xff\xff\xff", 3);
  PutFixed16BE(&out, static_cast<uint16_t>(db + 1));
  return out;
}

uint64_t HotCollectionLimitFor(uint64_t maxmemory) {
  if (maxmemory == 0) return Keyspace::kHotCollectionLimit;
  return std::clamp<uint64_t>(maxmemory / 2048, Keyspace::kHotCollectionLimit, uint64_t{1} << 20);
}

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
    ks->last_checkpoint_ms_ = ks->now_ms_;
  }
  Status s = ks->LoadState();
  if (!s.ok()) return s;
  return ks;
}

void Keyspace::SetCommandTime(int64_t now_ms) {
  now_ms_ = now_ms;
  if (reset_hot_) {
    reset_hot_ = false;
    for (size_t p = 0; p < hot_.databases(); ++p) hot_.ClearUnpinned(static_cast<DbIndex>(p));
  }
}

Status Keyspace::LoadState() {
  size_t n = options_.databases;
  db_map_.resize(n);
  for (size_t i = 0; i < n; ++i) db_map_[i] = static_cast<DbIndex>(i);
  counts_.assign(n, Counts());
  counts_dirty_.assign(n, false);
  flushed_ticket_.assign(n, 0);
  if (!durable()) return Status::OK();

  std::string raw;
  Status s = warm_->Get(WarmTier::kDefault, kDbMapKey, &raw);
  if (s.ok()) {
    proto::DatabaseMap map;
    if (!map.ParseFromString(raw)) return Status::Corruption("unreadable database map");
    if (static_cast<size_t>(map.physical_size()) > n) {
      return Status::InvalidArgument("the data directory was created with " +
                                     std::to_string(map.physical_size()) +
                                     " databases; set 'databases' to at least that");
    }
    for (int i = 0; i < map.physical_size(); ++i)
      db_map_[i] = static_cast<DbIndex>(map.physical(i));
  } else if (!s.IsNotFound()) {
    return s;
  }
  s = warm_->Get(WarmTier::kDefault, kVersionKey, &raw);
  if (s.ok() && raw.size() == 8) {
    next_version_ = version_limit_ = DecodeFixed64BE(raw.data());
  } else if (!s.ok() && !s.IsNotFound()) {
    return s;
  }
  for (size_t p = 0; p < n; ++p) {
    s = warm_->Get(WarmTier::kDefault, CountsKey(static_cast<DbIndex>(p)), &raw);
    if (s.ok() && raw.size() == 24) {
      counts_[p].keys = DecodeFixed64BE(raw.data());
      counts_[p].expires = DecodeFixed64BE(raw.data() + 8);
      uint64_t bits = DecodeFixed64BE(raw.data() + 16);
      std::memcpy(&counts_[p].deadline_sum, &bits, sizeof(bits));
    } else if (!s.ok() && !s.IsNotFound()) {
      return s;
    }
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

int Keyspace::Logical(DbIndex p) const {
  auto it = std::find(db_map_.begin(), db_map_.end(), p);
  return static_cast<int>(it - db_map_.begin());
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

void Keyspace::Stage(HotEntry* e) {
  if (!durable()) return;
  uint32_t ticket = static_cast<uint32_t>(next_ticket_);
  if (e->pins != 0 && e->staged_ticket == ticket) return;  // already in the open batch
  hot_.Pin(e);
  e->staged_ticket = ticket;
  staged_.push_back(e);
}

// The meta value is written once per batch, when the batch is submitted, however many
// commands in it changed the key (a pipeline of HSETs to one hash writes its header once).
void Keyspace::StageMeta(HotEntry* e) {
  if (!durable()) return;
  e->meta_dirty = 1;
  Stage(e);
}

void Keyspace::WriteDirtyMeta() {
  for (HotEntry* e : staged_) {
    if (!e->meta_dirty) continue;
    e->meta_dirty = 0;
    // A key deleted after its last change has its Delete in the batch already.
    if (e->type == ValueType::kNone) continue;
    EncodeMetaValue(e->type, e->expire_ms, e->value, &scratch_value_);
    EncodeMetaKeyTo(e->db, KeyHash64(e->key()), e->key(), &scratch_key_);
    if (e->type == ValueType::kString &&
        (e->disk_string || (e->disk_absent && e->expire_ms == 0))) {
      deferred_batch_.Put(warm_->cf(WarmTier::kMeta), scratch_key_, scratch_value_);
      if (!e->deferred) {
        e->deferred = 1;
        hot_.Pin(e);
        deferred_.push_back(e);
        deferred_bytes_ += e->charge;
      }
      continue;
    }
    batch_.Put(warm_->cf(WarmTier::kMeta), scratch_key_, scratch_value_);
    // RocksDB gets the latest value now. An entry still in deferred_ stays pinned until the
    // next checkpoint, which then skips it.
    e->deferred = 0;
    e->disk_string = e->type == ValueType::kString;
    e->disk_absent = 0;
  }
}

void Keyspace::WriteDeferredString(HotEntry* e) {
  e->deferred = 0;
  e->disk_string = 1;
  e->disk_absent = 0;
  EncodeMetaValue(e->type, e->expire_ms, e->value, &scratch_value_);
  EncodeMetaKeyTo(e->db, KeyHash64(e->key()), e->key(), &scratch_key_);
  // To RocksDB only, not logged again: the value is in the log already (in a file that is
  // kept until RocksDB has flushed what this batch applies, or in a later one if it changed).
  // But the backfill goes to RocksDB before the batch's applied writes, so a key this batch
  // changed (deleted, then set again) gets its value after them, in the applied part.
  const bool changed_in_this_batch =
      e->pins != 0 && e->staged_ticket == static_cast<uint32_t>(next_ticket_);
  rocksdb::WriteBatch& to = changed_in_this_batch ? batch_ : backfill_;
  to.Put(warm_->cf(WarmTier::kMeta), scratch_key_, scratch_value_);
  Stage(e);  // pinned by the open batch until it is written
}

void Keyspace::ReleaseDeferredPin(HotEntry* e) {
  hot_.Unpin(e);
  if (e->pins == 0 && e->type == ValueType::kNone) hot_.Erase(e);
}

// Each appearance of an entry in deferred_ holds one pin and was added for one flag (a
// deferred string value or deferred sub-key changes); a flag is consumed by the first
// appearance that finds it set, so every pin is released exactly once.
void Keyspace::WriteDeferredStringsThrough() {
  // Strings a checkpoint has yet to write: written now, their pins stay with the checkpoint.
  for (HotEntry* e : checkpointing_) {
    if (e->deferred) WriteDeferredString(e);
  }
  size_t kept = 0;
  for (HotEntry* e : deferred_) {
    if (e->deferred) {
      WriteDeferredString(e);
    } else if (e->subs_deferred) {
      deferred_[kept++] = e;  // a collection's changes wait for the checkpoint
      continue;
    }
    ReleaseDeferredPin(e);
  }
  deferred_.resize(kept);
  if (deferred_.empty()) deferred_bytes_ = 0;
}

void Keyspace::StartCheckpoint() {
  checkpoint_wanted_ = false;
  last_checkpoint_ms_ = now_ms_;
  checkpoint_open_ = true;
  for (HotEntry* e : deferred_) {
    if (e->deferred) {
      // Written in slices like collections' changes (ContinueCheckpoint): written at once,
      // 100,000 strings SET since the last checkpoint held one batch, and every client behind
      // it, for about 50 ms. The pin goes along; the flag stays set until it is written.
      checkpointing_.push_back(e);
      continue;
    }
    if (e->subs_deferred) {
      e->subs_deferred = 0;
      if (e->object && !e->object->deferred.empty()) {
        // No checkpoint is open, so the entry has nothing left from an earlier one.
        e->object->checkpointing.TakeFrom(&e->object->deferred);
        checkpointing_.push_back(e);  // the pin goes along
        continue;
      }
    }
    ReleaseDeferredPin(e);
  }
  deferred_.clear();
  deferred_bytes_ = 0;
  checkpoint_units_left_ = 0;
  for (const HotEntry* e : checkpointing_) {
    checkpoint_units_left_ +=
        e->deferred ? kStringSliceWeight : (e->object ? e->object->checkpointing.count() : 0);
  }
}

bool Keyspace::ContinueCheckpoint(bool inline_commit) {
  const size_t budget = CheckpointSliceBudget(inline_commit);
  size_t written = 0;
  while (!checkpointing_.empty() && written < budget) {
    HotEntry* e = checkpointing_.front();
    if (e->deferred) {
      // A deferred string (whatever its value is by now; one deleted or written through
      // meanwhile has the flag cleared and only gives its pin back below).
      WriteDeferredString(e);
      written += kStringSliceWeight;
      checkpointing_.pop_front();
      ReleaseDeferredPin(e);
      continue;
    }
    HotObject* o = e->object.get();
    if (o != checkpoint_object_) {
      // A new entry's turn (or the one in progress lost its memory copy: deleted, replaced,
      // or written out whole). Coalesce its changes once, then write them a slice at a time.
      checkpoint_object_ = o;
      checkpoint_offset_ = 0;
      if (o) {
        const size_t before = o->checkpointing.count();
        o->checkpointing.Coalesce();
        TakeCheckpointUnits(before - o->checkpointing.count());
      }
    }
    if (o && checkpoint_offset_ < o->checkpointing.bytes()) {
      size_t n = 0;
      checkpoint_offset_ = o->checkpointing.ForEachFrom(
          checkpoint_offset_, budget - written,
          [&](uint8_t cf, std::string_view key, const std::string_view* value) {
            AppendChange(cf, key, value, &backfill_);
            ++n;
          });
      written += n;
      Stage(e);                                                  // pinned until RocksDB has them
      if (checkpoint_offset_ < o->checkpointing.bytes()) break;  // the rest in the next batch
      o->checkpointing.Clear();
      hot_.Recharge(e);
    }
    checkpoint_object_ = nullptr;
    checkpointing_.pop_front();
    ReleaseDeferredPin(e);
  }
  TakeCheckpointUnits(written);
  if (!checkpointing_.empty()) return false;
  checkpoint_open_ = false;
  checkpoint_units_left_ = 0;
  return true;
}

size_t Keyspace::CheckpointSliceBudget(bool inline_commit) const {
  if (checkpoint_in_one_batch_) return SIZE_MAX;
  const size_t logged = batch_.GetDataSize() + deferred_batch_.GetDataSize();
  if (!OpenBatchLogs()) {
    // Nothing of any client's in this batch: the writer is free, so a full slice (the
    // timer's, written on this thread with no client behind it, more).
    return inline_commit ? 8 * kCheckpointSlice : kCheckpointSlice;
  }
  // A client batch carries a share of what is left in proportion to the log bytes it adds,
  // so that the checkpoint ends by the time the new log file reaches checkpoint-log-size
  // (when the next one would be due). Writes that come fast then pay for it no more per
  // command than writes that come slowly: paced at twice the inflow instead, an XADD -P 16
  // run that met a checkpoint of the 360,000 changes the benchmark's earlier tests deferred
  // measured 0.53-0.62M ops/s; paced this way, 0.73-0.76M (Redis 0.65-0.71M).
  const uint64_t target = options_.checkpoint_log_size;
  const uint64_t now = pipeline_->log_bytes();
  const bool memory_short = options_.maxmemory != 0 && deferred_bytes_ > HotBudget() / 4;
  if (now >= target || memory_short) {
    // Behind: faster than changes come in, so the checkpoint ends however fast they do.
    return std::max(kCheckpointSlice, 2 * changes_deferred_since_seal_);
  }
  const double share = static_cast<double>(logged) / static_cast<double>(target - now);
  const auto paced = static_cast<size_t>(std::ceil(share * checkpoint_units_left_));
  return std::max(kMinClientSlice, paced);
}

void Keyspace::TakeCheckpointUnits(size_t units) {
  checkpoint_units_left_ -= std::min(units, checkpoint_units_left_);
}

void Keyspace::AppendChange(uint8_t cf, std::string_view key, const std::string_view* value,
                            rocksdb::WriteBatch* to) {
  rocksdb::ColumnFamilyHandle* h = warm_->cf(static_cast<WarmTier::Cf>(cf));
  if (value) {
    to->Put(h, key, *value);
  } else {
    to->Delete(h, key);
  }
}

void Keyspace::AppendChanges(const SubKeyChanges& changes, rocksdb::WriteBatch* to) {
  changes.ForEachFinal([&](uint8_t cf, std::string_view key, const std::string_view* value) {
    AppendChange(cf, key, value, to);
  });
}

void Keyspace::WriteOutDeferredSubs(HotEntry* e) {
  HotObject* o = e->object.get();
  if (o == nullptr || (o->checkpointing.empty() && o->deferred.empty())) return;
  // The changes go to the applied part (RocksDB gets them in order with what this batch
  // applied before) and to the overlay (readers see them before the batch is written). The
  // deferred writes staged so far, this collection's among them, replay before them.
  CutBatch();
  const size_t prefix_len = EncodeSubKeyPrefix(e->db, e->key(), Header(e).version).size();
  auto stage = [&](uint8_t cf, std::string_view key, const std::string_view* value) {
    StageAppliedSub(SubCfOf(static_cast<WarmTier::Cf>(cf)), key, prefix_len, value);
  };
  o->checkpointing.ForEachFinal(stage);  // older first
  o->deferred.ForEachFinal(stage);
  // The entry stays in deferred_ / checkpointing_, which find nothing left.
  o->checkpointing.Clear();
  o->deferred.Clear();
  hot_.Recharge(e);
  Stage(e);
}

void Keyspace::CutBatch() {
  const uint32_t deferred_at_last_cut = cuts_.empty() ? 0 : cuts_.back().deferred_count;
  if (deferred_batch_.Count() == deferred_at_last_cut) return;  // nothing to put ahead
  cuts_.push_back(BatchCut{batch_.Count(), batch_.GetDataSize(), deferred_batch_.Count(),
                           deferred_batch_.GetDataSize()});
}

Status Keyspace::CheckpointInOneBatch() {
  checkpoint_in_one_batch_ = true;
  Status s = Commit();  // finishes a checkpoint in progress
  if (s.ok()) {
    RequestCheckpoint();
    s = Commit();  // and takes a whole new one
  }
  checkpoint_in_one_batch_ = false;
  return s;
}

Status Keyspace::CommitThrough() {
  Status s = Commit();  // submitting the open batch may defer more values
  if (!s.ok() || (deferred_.empty() && checkpointing_.empty())) return s;
  WriteDeferredStringsThrough();
  return Commit();
}

void Keyspace::ForgetDeferred(DbIndex db) {
  size_t kept = 0;
  for (HotEntry* e : deferred_) {
    if (e->db != db) {
      deferred_[kept++] = e;
      continue;
    }
    e->deferred = 0;
    e->subs_deferred = 0;
    hot_.Unpin(e);
  }
  deferred_.resize(kept);
  if (deferred_.empty()) deferred_bytes_ = 0;
  // The checkpoint in progress need not write what the database held: it is being cleared.
  std::deque<HotEntry*> still;
  for (HotEntry* e : checkpointing_) {
    if (e->db == db) {
      hot_.Unpin(e);
    } else {
      still.push_back(e);
    }
  }
  checkpointing_.swap(still);
  checkpoint_object_ = nullptr;  // the front may be gone: the next slice starts it afresh
}

void Keyspace::StageExpireIndex(HotEntry* e, int64_t old_expire_ms) {
  if (old_expire_ms == e->expire_ms) return;
  // RocksDB's copy (if any) has the old expiry: write the meta through.
  e->disk_string = 0;
  e->disk_absent = 0;
  Counts& c = counts_[e->db];
  if (old_expire_ms != 0) {
    --c.expires;
    c.deadline_sum -= static_cast<double>(old_expire_ms);
  }
  if (e->expire_ms != 0) {
    ++c.expires;
    c.deadline_sum += static_cast<double>(e->expire_ms);
  }
  counts_dirty_[e->db] = true;
  if (!durable()) return;
  if (old_expire_ms != 0) {
    batch_.Delete(warm_->cf(WarmTier::kExpire),
                  EncodeExpireKey(e->db, old_expire_ms, KeyHash64(e->key()), e->key()));
  }
  if (e->expire_ms != 0) {
    batch_.Put(warm_->cf(WarmTier::kExpire),
               EncodeExpireKey(e->db, e->expire_ms, KeyHash64(e->key()), e->key()), rocksdb::Slice());
  }
}

void Keyspace::StageCounts(DbIndex db) {
  counts_dirty_[db] = false;
  if (!durable()) return;
  std::string v;
  PutFixed64BE(&v, counts_[db].keys);
  PutFixed64BE(&v, counts_[db].expires);
  uint64_t bits;
  std::memcpy(&bits, &counts_[db].deadline_sum, sizeof(bits));
  PutFixed64BE(&v, bits);
  batch_.Put(warm_->cf(WarmTier::kDefault), CountsKey(db), v);
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
    ++counts_[p].keys;
    counts_dirty_[p] = true;
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

void Keyspace::BigValueWritten(const HotEntry* e, size_t size) {
  ++stats_.big_value_writes;
  // One line a second at most, saying how many more there were: a loop writing big values
  // must not flood the log.
  if (now_ms_ - big_value_logged_ms_ < 1000) {
    ++big_values_unlogged_;
    return;
  }
  spdlog::warn(
      "a {}-byte value was written to key '{}' (big-value-warn {}; {} more since the last "
      "warning): large values cost memory and network on every read; keep big blobs in an "
      "object store and their address here",
      size, e->key(), options_.big_value_warn, big_values_unlogged_);
  big_value_logged_ms_ = now_ms_;
  big_values_unlogged_ = 0;
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
  Counts& c = counts_[e->db];
  --c.keys;
  if (e->expire_ms != 0) {
    --c.expires;
    c.deadline_sum -= static_cast<double>(e->expire_ms);
  }
  counts_dirty_[e->db] = true;
  if (expired) {
    ++stats_.expired_keys;
    ReportKeyEvent(KeyEvent::kExpired, e->db, e->key());
  }
  if (!durable()) {
    hot_.Erase(e);
    return;
  }
  EncodeMetaKeyTo(e->db, KeyHash64(e->key()), e->key(), &scratch_key_);
  batch_.Delete(warm_->cf(WarmTier::kMeta), scratch_key_);
  e->disk_string = 0;
  e->disk_absent = 1;  // once this batch is written
  e->deferred = 0;     // the Delete supersedes a deferred value; the entry stays in deferred_
  if (e->expire_ms != 0) {
    batch_.Delete(warm_->cf(WarmTier::kExpire),
                  EncodeExpireKey(e->db, e->expire_ms, KeyHash64(e->key()), e->key()));
  }
  e->type = ValueType::kNone;
  e->expire_ms = 0;
  e->object.reset();
  std::string().swap(e->value);
  hot_.Recharge(e);
  Stage(e);
}

bool Keyspace::OpenBatchHasContent() const {
  if (batch_.Count() > 0 || !staged_.empty() || checkpoint_wanted_) return true;
  for (bool dirty : counts_dirty_) {
    if (dirty) return true;
  }
  return false;
}

Keyspace::Sealed Keyspace::SealOpenBatch(bool inline_commit) {
  WriteDirtyMeta();
  Sealed sealed;
  sealed.logs = OpenBatchLogs();  // (a checkpoint's slice, added below, is not logged)
  if (sealed.logs) last_logged_batch_ms_ = now_ms_;
  bool due = checkpoint_wanted_ || pipeline_->log_bytes() >= options_.checkpoint_log_size ||
             (!deferred_.empty() && now_ms_ - last_checkpoint_ms_ >= kCheckpointIntervalMs) ||
             // pinned values must not keep the hot tier over maxmemory
             (options_.maxmemory != 0 && deferred_bytes_ > HotBudget() / 4);
  if (due && !checkpoint_open_) {
    StartCheckpoint();
    sealed.rotate = true;
  }
  if (checkpoint_open_) sealed.retire = ContinueCheckpoint(inline_commit);
  changes_deferred_since_seal_ = 0;
  for (size_t p = 0; p < counts_dirty_.size(); ++p) {
    if (counts_dirty_[p]) StageCounts(static_cast<DbIndex>(p));
  }
  in_flight_.swap(staged_);
  staged_.clear();
  pending_in_flight_.swap(pending_open_);
  pending_open_.clear();
  return sealed;
}

void Keyspace::CheckpointIfIdle() {
  if (!durable() || checkpoint_open_ || checkpoint_wanted_ || !write_error_.ok()) return;
  if (now_ms_ - last_logged_batch_ms_ < kIdleCheckpointMs) return;
  if (pipeline_->log_bytes() < options_.checkpoint_log_size / 4) return;
  RequestCheckpoint();
}

void Keyspace::SubmitOpenBatch() {
  Sealed sealed = SealOpenBatch(/*inline_commit=*/false);
  in_flight_has_writes_ = sealed.logs;
  pipeline_->Submit(next_ticket_, BatchParts{&batch_, &deferred_batch_, &backfill_, &cuts_,
                                             sealed.rotate, sealed.retire});
  ++next_ticket_;
}

Status Keyspace::Save() {
  if (!durable()) return Status::OK();
  Status s = CheckpointInOneBatch();
  if (!s.ok()) return s;
  return warm_->Flush();
}

uint64_t Keyspace::CommitAsync() {
  if (!durable()) {
    std::fill(counts_dirty_.begin(), counts_dirty_.end(), false);
    return 0;
  }
  if (!write_error_.ok()) return 0;
  bool in_flight = processed_ticket_ + 1 < next_ticket_;
  if (OpenBatchHasContent()) {
    if (in_flight) return next_ticket_;
    SubmitOpenBatch();
    return next_ticket_ - 1;
  }
  // Nothing of anyone's to write, but a checkpoint in progress: its next slice (the timer's
  // call keeps an idle server's checkpoint going under appendfsync always, where commits
  // are otherwise written inline and nothing chains the slices).
  if (checkpoint_open_ && !in_flight) SubmitOpenBatch();
  return in_flight ? next_ticket_ - 1 : 0;
}

uint64_t Keyspace::PendingTicket() const {
  if (!durable() || !write_error_.ok()) return 0;
  if (OpenBatchHasContent()) return next_ticket_;
  return processed_ticket_ + 1 < next_ticket_ ? next_ticket_ - 1 : 0;
}

void Keyspace::OnWritten(uint64_t ticket) {
  if (!durable() || ticket <= processed_ticket_) return;
  if (pipeline_->done() < ticket) {
    // Logged, its backfill still going to RocksDB: replies may go, pins stay.
    logged_ticket_ = std::max(logged_ticket_, ticket);
    return;
  }
  processed_ticket_ = ticket;
  Status error = pipeline_->error();
  for (HotEntry* e : in_flight_) {
    hot_.Unpin(e);
    if (e->pins == 0 && e->type == ValueType::kNone) hot_.Erase(e);
  }
  in_flight_.clear();
  for (const std::string& k : pending_in_flight_) {
    auto it = pending_subs_.find(k);
    if (it != pending_subs_.end() && it->second.ticket <= ticket) pending_subs_.erase(it);
  }
  pending_in_flight_.clear();
  if (!error.ok()) {
    FailWrites(error);
    return;
  }
  // A checkpoint in progress goes on by itself, one slice per batch, while no client writes.
  // After a batch of clients' writes, an empty open batch means their replies are on the way
  // and their next commands soon in: a slice of its own now would make them wait for it.
  // Their next batch carries a slice anyway; if none comes, the timer's commit goes on.
  const bool checkpoint_goes_on = checkpoint_open_ && !in_flight_has_writes_;
  if (!committing_inline_ && (OpenBatchHasContent() || checkpoint_goes_on)) SubmitOpenBatch();
}

Status Keyspace::Commit() {
  if (!durable()) {
    std::fill(counts_dirty_.begin(), counts_dirty_.end(), false);
    return Status::OK();
  }
  (void)WaitForInFlight();  // the open batch is written below, on this thread
  if (write_error_.ok() && (OpenBatchHasContent() || checkpoint_open_)) {
    Sealed sealed = SealOpenBatch(/*inline_commit=*/true);
    uint64_t ticket = next_ticket_++;
    (void)pipeline_->WriteInline(ticket, BatchParts{&batch_, &deferred_batch_, &backfill_, &cuts_,
                                                    sealed.rotate, sealed.retire});
    OnWritten(ticket);
  }
  return write_error_;
}

void Keyspace::FailWrites(const Status& error) {
  // The hot copies may hold changes RocksDB never got. Drop them all (disk is the truth),
  // discard the open batch, and refuse writes from now on: an operator must look at the disk.
  spdlog::critical("writing to RocksDB failed: {}; refusing writes until restart",
                   error.ToString());
  write_error_ = error;
  for (HotEntry* e : staged_) hot_.Unpin(e);
  staged_.clear();
  batch_.Clear();
  deferred_batch_.Clear();
  backfill_.Clear();
  cuts_.clear();
  // Deferred entries keep their hot copies (pinned): their values are in the redo log, which
  // the next start replays, and RocksDB's copies are older.
  pending_subs_.clear();
  pending_open_.clear();
  pending_in_flight_.clear();
  seek_hints_.clear();
  reset_hot_ = true;  // a command may hold entry pointers right now: clear at a safe point
  Status reload = LoadState();
  if (!reload.ok()) spdlog::error("reloading counts failed: {}", reload.ToString());
}

void Keyspace::SetFsyncPolicy(config::FsyncPolicy policy) {
  if (pipeline_) pipeline_->SetPolicy(policy);
}

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
  for (HotEntry* e : deferred_) add(e);
  for (HotEntry* e : checkpointing_) add(e);
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
  const uint64_t keys = std::max<uint64_t>(counts_[p].keys, 1);
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

Status Keyspace::FlushDb(int db) {
  DbIndex p = Physical(db);
  if (observer_ != nullptr && (observer_->wants_changes() || observer_->wants_ready())) {
    observer_->DatabaseFlushing(db, [&](std::string_view key) { return Exists(p, key); });
  }
  // No commit here: FLUSHDB may be one command of a transaction. What matters is that no
  // batch holds a pointer to an entry about to be freed: wait for the one in flight, and take
  // the open batch's entries of this database out of it (their writes, already staged, come
  // before the DeleteRange below and are undone by it).
  Status s = WaitForInFlight();
  if (!s.ok()) return s;
  size_t kept = 0;
  for (HotEntry* e : staged_) {
    if (e->db == p) {
      e->meta_dirty = 0;
      hot_.Unpin(e);
    } else {
      staged_[kept++] = e;
    }
  }
  staged_.resize(kept);
  ForgetDeferred(p);
  hot_.Clear(p);
  counts_[p] = Counts();
  if (!durable()) return Status::OK();
  // The deferred writes staged so far (this database's among them) replay before the
  // DeleteRange; until the batch is written, reads of this database ignore RocksDB.
  CutBatch();
  std::string begin = MetaKeyPrefix(p), end = PrefixEnd(p);
  for (auto cf : {WarmTier::kMeta, WarmTier::kExpire, WarmTier::kData, WarmTier::kZScore}) {
    batch_.DeleteRange(warm_->cf(cf), begin, end);
  }
  flushed_ticket_[p] = next_ticket_;
  counts_dirty_[p] = true;
  return Status::OK();
}

Status Keyspace::WaitForInFlight() {
  if (!durable() || !write_error_.ok() || processed_ticket_ + 1 >= next_ticket_) {
    return write_error_;
  }
  const uint64_t ticket = next_ticket_ - 1;
  committing_inline_ = true;  // OnWritten must not submit the open batch
  pipeline_->WaitFor(ticket);
  OnWritten(ticket);
  committing_inline_ = false;
  return write_error_;
}

Status Keyspace::FlushAll() {
  for (int db = 0; db < databases(); ++db) {
    Status s = FlushDb(db);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status Keyspace::SwapDb(int a, int b) {
  if (observer_ != nullptr && observer_->wants_changes()) {
    observer_->DatabasesSwapping(
        a, b, [&](int db, std::string_view key) { return Exists(Physical(db), key); });
  }
  std::swap(db_map_[static_cast<size_t>(a)], db_map_[static_cast<size_t>(b)]);
  if (!durable()) return Status::OK();
  proto::DatabaseMap map;
  for (DbIndex p : db_map_) map.add_physical(p);
  batch_.Put(warm_->cf(WarmTier::kDefault), kDbMapKey, map.SerializeAsString());
  return Status::OK();
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
  for (DbIndex p : db_map_) {
    if (counts_[p].expires == 0 || FlushPending(p)) continue;
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
  ++counts_[p].keys;
  counts_dirty_[p] = true;
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
  if (!pending_subs_.empty()) {
    std::string overlay_key(1, static_cast<char>(cf));
    overlay_key.append(key);
    auto it = pending_subs_.find(overlay_key);
    if (it != pending_subs_.end()) {
      if (it->second.deleted) return Status::NotFound();
      *value = it->second.value;
      return Status::OK();
    }
  }
  ++stats_.warm_reads;
  return warm_->Get(CfOf(cf), key, value);
}

void Keyspace::WidenSeekHints(SubCf cf, std::string_view key, size_t prefix_len) {
  // A new live key outside the remembered bounds widens them.
  std::string hint_key(1, static_cast<char>(cf));
  hint_key.append(key, 0, prefix_len);
  auto it = seek_hints_.find(hint_key);
  if (it != seek_hints_.end()) {
    SeekHints& h = *it->second;
    if (!h.lo.empty() && key < h.lo) h.lo = std::string(key);
    if (!h.hi.empty() && key > h.hi) h.hi = std::string(key);
  }
}

void Keyspace::StageAppliedSub(SubCf cf, std::string_view key, size_t prefix_len,
                               const std::string_view* value) {
  if (value != nullptr && !seek_hints_.empty()) WidenSeekHints(cf, key, prefix_len);
  if (value) {
    batch_.Put(warm_->cf(CfOf(cf)), key, *value);
  } else {
    batch_.Delete(warm_->cf(CfOf(cf)), key);
  }
  std::string overlay_key(1, static_cast<char>(cf));
  overlay_key.append(key);
  PendingSub& p = pending_subs_[overlay_key];
  p.ticket = next_ticket_;
  p.deleted = value == nullptr;
  p.value.assign(value ? *value : std::string_view());
  pending_open_.push_back(std::move(overlay_key));
}

void Keyspace::StageSub(HotEntry* e, SubCf cf, std::string_view sub, const std::string_view* value,
                        bool fresh) {
  std::string key = EncodeSubKey(e->db, e->key(), Header(e).version, sub);
  if (DefersSubs(e)) {
    if (value != nullptr && !seek_hints_.empty()) WidenSeekHints(cf, key, key.size() - sub.size());
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
  deferred_bytes_ += changes.bytes() - before;
  ++changes_deferred_since_seal_;
  if (!e->subs_deferred) {
    e->subs_deferred = 1;
    hot_.Pin(e);
    deferred_.push_back(e);
  }
  Stage(e);
  // A churning queue's pushes and pops cancel out here, long before a checkpoint.
  if (changes.count() >= changes.coalesce_at()) {
    const size_t uncoalesced = changes.bytes();
    changes.Coalesce();
    deferred_bytes_ -= std::min<uint64_t>(deferred_bytes_, uncoalesced - changes.bytes());
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
  std::vector<SubIterator::Pending> pending;
  if (e->pins != 0 && !pending_subs_.empty()) {
    std::string lo(1, static_cast<char>(cf));
    lo.append(prefix);
    std::string hi(1, static_cast<char>(cf));
    hi.append(upper);
    for (auto it = pending_subs_.lower_bound(lo); it != pending_subs_.end() && it->first < hi;
         ++it) {
      SubIterator::Pending p;
      p.key = it->first.substr(1);
      if (!it->second.deleted) p.value = it->second.value;
      pending.push_back(std::move(p));
    }
  }
  std::string hint_key(1, static_cast<char>(cf));
  hint_key.append(prefix);
  if (seek_hints_.size() > 65536) seek_hints_.clear();
  std::shared_ptr<SeekHints>& hints = seek_hints_[hint_key];
  if (!hints) hints = std::make_shared<SeekHints>();
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

int64_t Keyspace::AverageTtlMs(int db) const {
  const Counts& c = counts_[Physical(db)];
  if (c.expires == 0) return 0;
  double avg = c.deadline_sum / static_cast<double>(c.expires) - static_cast<double>(now_ms_);
  return avg > 0 ? static_cast<int64_t>(avg) : 0;
}

uint64_t Keyspace::WarmMemory() const { return durable() ? warm_->MemoryUsage() : 0; }

uint64_t Keyspace::UsedMemory() const {
  return baseline_bytes_ + hot_.bytes() + warm_memory_cached_ + external_bytes_;
}

uint64_t Keyspace::HotBudget() const {
  uint64_t max = options_.maxmemory;
  uint64_t other = baseline_bytes_ + external_bytes_ + warm_memory_cached_;
  uint64_t budget = max > other ? max - other : 0;
  if (durable()) budget = std::max(budget, max / 4);
  return budget;
}

bool Keyspace::EnforceMemory() {
  if (options_.maxmemory == 0) return true;
  if (durable() && now_ms_ - warm_memory_at_ms_ >= 100) {
    warm_memory_cached_ = warm_->MemoryUsage();
    warm_memory_at_ms_ = now_ms_;
  }
  uint64_t budget = HotBudget();
  while (hot_.bytes() > budget) {
    if (durable()) {
      HotEntry* victim = hot_.PickVictim(config::EvictionPolicy::kAllKeysLru, now_ms_);
      if (victim == nullptr) {
        // Everything left is pinned until the commit, or until a checkpoint writes it.
        if (!deferred_.empty()) RequestCheckpoint();
        return true;
      }
      ++stats_.evicted_copies;
      hot_.Erase(victim);
    } else {
      HotEntry* victim = hot_.PickVictim(options_.policy, now_ms_);
      if (victim == nullptr) return false;
      ++stats_.evicted_keys;
      ReportKeyEvent(KeyEvent::kEvicted, victim->db, victim->key());
      DeleteInternal(victim, false);
    }
  }
  return true;
}

bool Keyspace::OverMemoryLimit() const {
  return !durable() && options_.maxmemory != 0 && UsedMemory() > options_.maxmemory;
}

void Keyspace::SetMaxMemory(uint64_t bytes, config::EvictionPolicy policy) {
  options_.maxmemory = bytes;
  hot_collection_limit_ = HotCollectionLimitFor(bytes);
  options_.policy = durable() ? config::EvictionPolicy::kNoEviction : policy;
  hot_.set_track_lfu(options_.policy == config::EvictionPolicy::kAllKeysLfu ||
                     options_.policy == config::EvictionPolicy::kVolatileLfu);
}

}  // namespace strata::storage

// Keyspace: deferred writes and checkpoints (see "Deferred writes" in keyspace.h): writing
// deferred strings and collections' changes to RocksDB in slices, SAVE and the idle trigger.
#include <spdlog/spdlog.h>

#include <cmath>

#include "common/hash.h"
#include "storage/keyspace.h"
#include "storage/keyspace_internal.h"

namespace strata::storage {

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

void Keyspace::CheckpointIfIdle() {
  if (!durable() || checkpoint_open_ || checkpoint_wanted_ || !write_error_.ok()) return;
  if (now_ms_ - last_logged_batch_ms_ < kIdleCheckpointMs) return;
  if (pipeline_->log_bytes() < options_.checkpoint_log_size / 4) return;
  RequestCheckpoint();
}

Status Keyspace::Save() {
  if (!durable()) return Status::OK();
  Status s = CheckpointInOneBatch();
  if (!s.ok()) return s;
  return warm_->Flush();
}

}  // namespace strata::storage

// Keyspace: what it gives the checkpointer (checkpointer.h) to write deferred values with,
// collections' changes written out before their time, SAVE and the idle trigger.
#include <spdlog/spdlog.h>

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

// What a checkpoint's slices write to: the open batch's backfill (to RocksDB, not logged).
class Keyspace::SliceSink final : public Checkpointer::Sink {
 public:
  explicit SliceSink(Keyspace* ks) : ks_(ks) {}
  void WriteDeferredString(HotEntry* e) override { ks_->WriteDeferredString(e); }
  void WriteChange(uint8_t cf, std::string_view key, const std::string_view* value) override {
    rocksdb::ColumnFamilyHandle* h = ks_->warm_->cf(static_cast<WarmTier::Cf>(cf));
    if (value) {
      ks_->backfill_.Put(h, key, *value);
    } else {
      ks_->backfill_.Delete(h, key);
    }
  }
  void Stage(HotEntry* e) override { ks_->Stage(e); }

 private:
  Keyspace* ks_;
};

void Keyspace::WriteDeferredStringsThrough() {
  SliceSink sink(this);
  checkpointer_.WriteStringsThrough(sink);
}

bool Keyspace::ContinueCheckpoint(bool inline_commit) {
  Checkpointer::Pace pace;
  pace.inline_commit = inline_commit;
  pace.client_writes = OpenBatchLogs();
  pace.logged_bytes = batch_.GetDataSize() + deferred_batch_.GetDataSize();
  pace.log_bytes = pipeline_->log_bytes();
  pace.log_target = options_.checkpoint_log_size;
  pace.memory_short = DeferredMemoryShort();
  SliceSink sink(this);
  return checkpointer_.Continue(pace, sink);
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
  // The entry stays in the checkpointer's lists, which find nothing left.
  o->checkpointing.Clear();
  o->deferred.Clear();
  hot_.Recharge(e);
  Stage(e);
}

Status Keyspace::CheckpointInOneBatch() {
  checkpointer_.SetInOneBatch(true);
  Status s = Commit();  // finishes a checkpoint in progress
  if (s.ok()) {
    RequestCheckpoint();
    s = Commit();  // and takes a whole new one
  }
  checkpointer_.SetInOneBatch(false);
  return s;
}

Status Keyspace::CommitThrough() {
  Status s = Commit();  // submitting the open batch may defer more values
  if (!s.ok() || checkpointer_.settled()) return s;
  WriteDeferredStringsThrough();
  return Commit();
}

void Keyspace::CheckpointIfIdle() {
  if (!durable() || checkpointer_.open() || checkpointer_.wanted() || !write_error_.ok()) return;
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

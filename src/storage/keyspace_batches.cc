// Keyspace: staging changes into the open batch, sealing it, and handing batches to the
// commit pipeline (Commit, CommitAsync, OnWritten).
#include <spdlog/spdlog.h>


#include "common/hash.h"
#include "storage/keyspace.h"
#include "storage/keyspace_internal.h"

namespace strata::storage {

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
      checkpointer_.DeferString(e);
      continue;
    }
    batch_.Put(warm_->cf(WarmTier::kMeta), scratch_key_, scratch_value_);
    // RocksDB gets the latest value now. An entry the checkpointer still holds stays pinned
    // until the next checkpoint, which then skips it.
    e->deferred = 0;
    e->disk_string = e->type == ValueType::kString;
    e->disk_absent = 0;
  }
}

void Keyspace::CutBatch() {
  const uint32_t deferred_at_last_cut = cuts_.empty() ? 0 : cuts_.back().deferred_count;
  if (deferred_batch_.Count() == deferred_at_last_cut) return;  // nothing to put ahead
  cuts_.push_back(BatchCut{batch_.Count(), batch_.GetDataSize(), deferred_batch_.Count(),
                           deferred_batch_.GetDataSize()});
}

void Keyspace::StageExpireIndex(HotEntry* e, int64_t old_expire_ms) {
  if (old_expire_ms == e->expire_ms) return;
  // RocksDB's copy (if any) has the old expiry: write the meta through.
  e->disk_string = 0;
  e->disk_absent = 0;
  catalog_.ExpireChanged(e->db, old_expire_ms, e->expire_ms);
  if (!durable()) return;
  const uint64_t disk_hash = KeyHash64(e->key());  // the stable hash the expire index is keyed by
  if (old_expire_ms != 0) {
    batch_.Delete(warm_->cf(WarmTier::kExpire),
                  EncodeExpireKey(e->db, old_expire_ms, disk_hash, e->key()));
  }
  if (e->expire_ms != 0) {
    batch_.Put(warm_->cf(WarmTier::kExpire),
               EncodeExpireKey(e->db, e->expire_ms, disk_hash, e->key()), rocksdb::Slice());
  }
}

bool Keyspace::OpenBatchHasContent() const {
  if (batch_.Count() > 0 || !staged_.empty() || checkpointer_.wanted()) return true;
  return catalog_.AnyCountsDirty();
}

Keyspace::Sealed Keyspace::SealOpenBatch(bool inline_commit) {
  WriteDirtyMeta();
  Sealed sealed;
  sealed.logs = OpenBatchLogs();  // (a checkpoint's slice, added below, is not logged)
  if (sealed.logs) last_logged_batch_ms_ = now_ms_;
  const bool due = checkpointer_.Due(
      now_ms_, pipeline_->log_bytes() >= options_.checkpoint_log_size, DeferredMemoryShort());
  if (due && !checkpointer_.open()) {
    checkpointer_.Start(now_ms_);
    sealed.rotate = true;
  }
  if (checkpointer_.open()) sealed.retire = ContinueCheckpoint(inline_commit);
  checkpointer_.BatchSealed();
  catalog_.StageDirtyCounts(warm_.get(), &batch_);
  in_flight_.swap(staged_);
  staged_.clear();
  overlay_.Seal();
  return sealed;
}

void Keyspace::SubmitOpenBatch() {
  Sealed sealed = SealOpenBatch(/*inline_commit=*/false);
  in_flight_has_writes_ = sealed.logs;
  pipeline_->Submit(next_ticket_, BatchParts{&batch_, &deferred_batch_, &backfill_, &cuts_,
                                             sealed.rotate, sealed.retire});
  ++next_ticket_;
}

uint64_t Keyspace::CommitAsync() {
  if (!durable()) {
    catalog_.StageDirtyCounts(nullptr, nullptr);  // nothing is persisted
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
  if (checkpointer_.open() && !in_flight) SubmitOpenBatch();
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
  overlay_.Settle(ticket);
  if (!error.ok()) {
    FailWrites(error);
    return;
  }
  // A checkpoint in progress goes on by itself, one slice per batch, while no client writes.
  // After a batch of clients' writes, an empty open batch means their replies are on the way
  // and their next commands soon in: a slice of its own now would make them wait for it.
  // Their next batch carries a slice anyway; if none comes, the timer's commit goes on.
  const bool checkpoint_goes_on = checkpointer_.open() && !in_flight_has_writes_;
  if (!committing_inline_ && (OpenBatchHasContent() || checkpoint_goes_on)) SubmitOpenBatch();
}

Status Keyspace::Commit() {
  if (!durable()) {
    catalog_.StageDirtyCounts(nullptr, nullptr);  // nothing is persisted
    return Status::OK();
  }
  (void)WaitForInFlight();  // the open batch is written below, on this thread
  if (write_error_.ok() && (OpenBatchHasContent() || checkpointer_.open())) {
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
  overlay_.Clear();
  reset_hot_ = true;  // a command may hold entry pointers right now: clear at a safe point
  Status reload = LoadState();
  if (!reload.ok()) spdlog::error("reloading counts failed: {}", reload.ToString());
}

void Keyspace::SetFsyncPolicy(config::FsyncPolicy policy) {
  if (pipeline_) pipeline_->SetPolicy(policy);
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

}  // namespace strata::storage

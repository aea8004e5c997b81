#include "storage/checkpointer.h"

#include <cmath>

namespace strata::storage {

void Checkpointer::Release(HotEntry* e) {
  hot_->Unpin(e);
  if (e->pins == 0 && e->type == ValueType::kNone) hot_->Erase(e);
}

void Checkpointer::WriteStringsThrough(Sink& sink) {
  // Strings the checkpoint has yet to write: written now, their pins stay with the checkpoint.
  for (HotEntry* e : checkpointing_) {
    if (e->deferred) sink.WriteDeferredString(e);
  }
  size_t kept = 0;
  for (HotEntry* e : deferred_) {
    if (e->deferred) {
      sink.WriteDeferredString(e);
    } else if (e->subs_deferred) {
      deferred_[kept++] = e;  // a collection's changes wait for the checkpoint
      continue;
    }
    Release(e);
  }
  deferred_.resize(kept);
  if (deferred_.empty()) deferred_bytes_ = 0;
}

void Checkpointer::Forget(DbIndex db) {
  size_t kept = 0;
  for (HotEntry* e : deferred_) {
    if (e->db != db) {
      deferred_[kept++] = e;
      continue;
    }
    e->deferred = 0;
    e->subs_deferred = 0;
    hot_->Unpin(e);
  }
  deferred_.resize(kept);
  if (deferred_.empty()) deferred_bytes_ = 0;
  // The checkpoint in progress need not write what the database held: it is being cleared.
  std::deque<HotEntry*> still;
  for (HotEntry* e : checkpointing_) {
    if (e->db == db) {
      hot_->Unpin(e);
    } else {
      still.push_back(e);
    }
  }
  checkpointing_.swap(still);
  object_ = nullptr;  // the front may be gone: the next slice starts it afresh
}

void Checkpointer::Start(int64_t now_ms) {
  wanted_ = false;
  last_start_ms_ = now_ms;
  open_ = true;
  for (HotEntry* e : deferred_) {
    if (e->deferred) {
      // Written in slices like collections' changes (Continue): written at once, 100,000
      // strings SET since the last checkpoint held one batch, and every client behind it, for
      // about 50 ms. The pin goes along; the flag stays set until it is written.
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
    Release(e);
  }
  deferred_.clear();
  deferred_bytes_ = 0;
  units_left_ = 0;
  for (const HotEntry* e : checkpointing_) {
    units_left_ += e->deferred ? kStringWeight : (e->object ? e->object->checkpointing.count() : 0);
  }
}

bool Checkpointer::Continue(const Pace& pace, Sink& sink) {
  const size_t budget = SliceBudget(pace);
  size_t written = 0;
  while (!checkpointing_.empty() && written < budget) {
    HotEntry* e = checkpointing_.front();
    if (e->deferred) {
      // A deferred string (whatever its value is by now; one deleted or written through
      // meanwhile has the flag cleared and only gives its pin back below).
      sink.WriteDeferredString(e);
      written += kStringWeight;
      checkpointing_.pop_front();
      Release(e);
      continue;
    }
    HotObject* o = e->object.get();
    if (o != object_) {
      // A new entry's turn (or the one in progress lost its memory copy: deleted, replaced,
      // or written out whole). Coalesce its changes once, then write them a slice at a time.
      object_ = o;
      offset_ = 0;
      if (o) {
        const size_t before = o->checkpointing.count();
        o->checkpointing.Coalesce();
        TakeUnits(before - o->checkpointing.count());
      }
    }
    if (o && offset_ < o->checkpointing.bytes()) {
      size_t n = 0;
      offset_ = o->checkpointing.ForEachFrom(
          offset_, budget - written,
          [&](uint8_t cf, std::string_view key, const std::string_view* value) {
            sink.WriteChange(cf, key, value);
            ++n;
          });
      written += n;
      sink.Stage(e);                                   // pinned until RocksDB has them
      if (offset_ < o->checkpointing.bytes()) break;  // the rest in the next batch
      o->checkpointing.Clear();
      hot_->Recharge(e);
    }
    object_ = nullptr;
    checkpointing_.pop_front();
    Release(e);
  }
  TakeUnits(written);
  if (!checkpointing_.empty()) return false;
  open_ = false;
  units_left_ = 0;
  return true;
}

size_t Checkpointer::SliceBudget(const Pace& pace) const {
  if (in_one_batch_) return SIZE_MAX;
  if (!pace.client_writes) {
    // Nothing of any client's in this batch: the writer is free, so a full slice (the
    // timer's, written on this thread with no client behind it, more).
    return pace.inline_commit ? 8 * kSlice : kSlice;
  }
  // A client batch carries a share of what is left in proportion to the log bytes it adds,
  // so that the checkpoint ends by the time the new log file reaches checkpoint-log-size
  // (when the next one would be due). Writes that come fast then pay for it no more per
  // command than writes that come slowly: paced at twice the inflow instead, an XADD -P 16
  // run that met a checkpoint of the 360,000 changes the benchmark's earlier tests deferred
  // measured 0.53-0.62M ops/s; paced this way, 0.73-0.76M (Redis 0.65-0.71M).
  if (pace.log_bytes >= pace.log_target || pace.memory_short) {
    // Behind: faster than changes come in, so the checkpoint ends however fast they do.
    return std::max(kSlice, 2 * changes_since_seal_);
  }
  const double share = static_cast<double>(pace.logged_bytes) /
                       static_cast<double>(pace.log_target - pace.log_bytes);
  const auto paced = static_cast<size_t>(std::ceil(share * static_cast<double>(units_left_)));
  return std::max(kMinClientSlice, paced);
}

}  // namespace strata::storage

// Deferred writes and the checkpoint that carries them to RocksDB ("Deferred writes" in
// keyspace.h says what is deferred and when a checkpoint is due).
//
// Holds the entries whose string value or sub-key changes wait in the redo log only, and,
// once a checkpoint starts, the queue of what it has still to write, a slice per batch. Each
// appearance of an entry in either list holds one pin in the hot tier and stands for one flag
// (HotEntry::deferred, a deferred string value; HotEntry::subs_deferred, deferred sub-key
// changes); the first appearance that finds its flag set consumes it, so every pin is released
// exactly once.
//
// It writes nothing itself: the keyspace, which owns the batches, is its Sink.
//
// Threading: execution thread only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>

#include "storage/hot_tier.h"

namespace strata::storage {

class Checkpointer {
 public:
  // Where a slice goes: the open batch's part that RocksDB gets without a log record (the
  // values are in the log already).
  class Sink {
   public:
    // A deferred string's current value; clears e->deferred.
    virtual void WriteDeferredString(HotEntry* e) = 0;
    // One of a collection's sub-key changes (`value` null: a delete).
    virtual void WriteChange(uint8_t cf, std::string_view key, const std::string_view* value) = 0;
    // Keeps `e` pinned until the batch being built is written.
    virtual void Stage(HotEntry* e) = 0;

   protected:
    ~Sink() = default;
  };

  // What a slice's size depends on besides what the checkpoint has left (SliceBudget).
  struct Pace {
    bool inline_commit = false;  // the batch is written on the execution thread (Commit())
    bool client_writes = false;  // the batch logs something of a client's
    uint64_t logged_bytes = 0;   // ... this many bytes
    uint64_t log_bytes = 0;      // the current redo log file's size
    uint64_t log_target = 0;     // checkpoint-log-size
    bool memory_short = false;   // deferred values keep the hot tier near maxmemory
  };

  static constexpr int64_t kIntervalMs = 10000;  // while anything is deferred
  static constexpr size_t kSlice = 2048;         // sub-key changes per batch of its own
  // A string counts as this many sub-key changes in a slice: strings' meta keys are scattered
  // over the memtable, where a collection's sub-keys arrive sorted and go in with a hint
  // (batch_order.h), and a string costs RocksDB about four times as much (2 us against 0.5).
  static constexpr size_t kStringWeight = 4;
  // ... and per client batch, at least: one string. Progress needs no more (the share is
  // rounded up, and a checkpoint behind schedule takes twice the inflow); at 256, a -P 1 batch
  // of 50 XADDs carried five times its share, a sixth of its cost.
  static constexpr size_t kMinClientSlice = kStringWeight;

  explicit Checkpointer(HotTier* hot) : hot_(hot) {}

  // ---- What waits ----
  // A string's new value went to the redo log only. (Both are on every deferred write's path.)
  void DeferString(HotEntry* e) {
    if (e->deferred) return;
    e->deferred = 1;
    Hold(e);
    deferred_bytes_ += e->charge;
  }
  // `bytes` more of e's sub-key changes went to the redo log only (HotObject::deferred).
  void DeferChange(HotEntry* e, size_t bytes) {
    deferred_bytes_ += bytes;
    ++changes_since_seal_;
    if (e->subs_deferred) return;
    e->subs_deferred = 1;
    Hold(e);
  }
  // Coalescing e's deferred changes freed `bytes` of them.
  void Coalesced(size_t bytes) { deferred_bytes_ -= std::min<uint64_t>(deferred_bytes_, bytes); }
  bool has_deferred() const { return !deferred_.empty(); }
  uint64_t deferred_bytes() const { return deferred_bytes_; }  // an estimate
  // Nothing deferred and no checkpoint with anything left to write.
  bool settled() const { return deferred_.empty() && checkpointing_.empty(); }
  // Writes every deferred string (the checkpoint's too) through `sink` now; collections'
  // changes stay for the checkpoint.
  void WriteStringsThrough(Sink& sink);
  // Drops what database `db` deferred, before its hot copies are dropped wholesale (FLUSHDB).
  void Forget(DbIndex db);
  // Every entry either list holds (maybe twice).
  template <typename F>
  void ForEachEntry(F&& f) const {
    for (HotEntry* e : deferred_) f(e);
    for (HotEntry* e : checkpointing_) f(e);
  }

  // ---- The checkpoint ----
  void Request() { wanted_ = true; }
  bool wanted() const { return wanted_; }
  bool open() const { return open_; }  // started, not yet finished
  // SAVE and shutdown: the whole checkpoint in one batch, no slicing.
  void SetInOneBatch(bool on) { in_one_batch_ = on; }
  // Whether a checkpoint should start with the batch being sealed at `now_ms`.
  bool Due(int64_t now_ms, bool log_full, bool memory_short) const {
    return wanted_ || log_full || (has_deferred() && now_ms - last_start_ms_ >= kIntervalMs) ||
           memory_short;
  }
  void NoteStartTime(int64_t now_ms) { last_start_ms_ = now_ms; }
  // Opens a checkpoint: what was deferred becomes what it has to write.
  void Start(int64_t now_ms);
  // Writes the next slice through `sink`. Returns true when that was the last one.
  bool Continue(const Pace& pace, Sink& sink);
  // A batch was sealed: changes deferred from now on count toward the next one's pace.
  void BatchSealed() { changes_since_seal_ = 0; }

 private:
  size_t SliceBudget(const Pace& pace) const;
  void TakeUnits(size_t units) { units_left_ -= std::min(units, units_left_); }
  void Hold(HotEntry* e) {  // for a flag just set
    hot_->Pin(e);
    deferred_.push_back(e);
  }
  void Release(HotEntry* e);  // gives back a pin of deferred_ or checkpointing_

  HotTier* hot_;
  std::vector<HotEntry*> deferred_;  // pinned since their value or changes were deferred
  uint64_t deferred_bytes_ = 0;      // their charges when deferred
  size_t changes_since_seal_ = 0;
  bool wanted_ = false;
  bool open_ = false;  // a rotation happened; its retirement has not
  bool in_one_batch_ = false;
  std::deque<HotEntry*> checkpointing_;  // pinned: what the open checkpoint has still to write
  // The front entry's memory copy whose (coalesced) changes are being written, and how far.
  const HotObject* object_ = nullptr;
  size_t offset_ = 0;
  size_t units_left_ = 0;  // what the open checkpoint has left, in slice units
  int64_t last_start_ms_ = 0;
};

}  // namespace strata::storage

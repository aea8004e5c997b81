// Streams: an append-only log of entries (each a list of field/value pairs) ordered by a
// 128-bit ID "ms-seq", with consumer groups that track what each consumer was given and has
// not yet acknowledged (the pending entries list, PEL).
//
// Everything about a stream lives in one collection's sub-keys (column family kData), a
// one-byte tag first so the kinds sort apart and each kind is a contiguous range:
//   0x01 | ms:u64 | seq:u64                          -> entry: n:u32 | (len:u32 | bytes) * n
//   0x02 | group                                     -> group: last-delivered ms|seq,
//                                                       entries-read (i64, -1 = unknown)
//   0x03 | len(group):u32 | group | consumer         -> consumer: seen-time ms
//   0x04 | len(group):u32 | group | ms | seq         -> pending: delivery ms, count, owner
//   0x05 | len(group):u32 | group | len(consumer):u32 | consumer | ms | seq -> empty
// 0x04 is the group's PEL in ID order (XPENDING, XAUTOCLAIM); 0x05 indexes the same entries
// by owner, so a consumer's history read and a consumer-filtered XPENDING read only that
// consumer's entries. The stream's own header (length, last ID, first ID, max deleted ID,
// entries added) is in the key's meta value (storage/collection.h); a pending count is never
// stored, it is counted from the PEL, so it cannot drift.
//
// A stream whose entries fit the hot-collection limit is held whole in memory (StreamObject,
// an ordered copy of its sub-keys). A longer one keeps its group state and covered ranges of
// entries in memory: always its newest entries, so a live queue (XADD, XREADGROUP '>', XACK)
// never reads the disk, plus chunks that commands read below them (a head being trimmed, a
// consumer catching up), evicted back to the limit after each command. A stream whose groups
// hold more pending entries than the limit allows keeps only its header hot, and every
// command reads the sub-keys it needs through the keyspace's overlay and iterators. Every
// write goes to both copies, as for the other collections, and every change a command makes
// is staged into the same batch, so one command is one atomic RocksDB write. In the cache
// profile the object is the only copy and is always whole.
//
// To the keyspace a stream with a memory copy is "held whole": its unwritten changes are not
// in the read overlay, so loading a chunk from RocksDB first has the keyspace write them out
// (Keyspace::GetSub/NewSubIterator do). That is the price of a read outside what is covered,
// paid once per chunk.
//
// Unlike other collections an empty stream is not deleted (Redis keeps it, with its last ID).
//
// Invariants: header.size == number of 0x01 sub-keys; header.aux == number of other sub-keys;
// header last ID >= every entry ID; every 0x04 sub-key has exactly one 0x05 twin under its
// owner, and that owner has a 0x03 record; group records exist for every 0x03/0x04/0x05
// prefix in use; a memory copy holds every non-entry sub-key and every entry in its covered
// ranges, and its newest range reaches past the last ID.
//
// A Stream is a handle for the duration of one command (it holds a HotEntry pointer).
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace.h"

namespace strata::types {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;
  auto operator<=>(const StreamId&) const = default;
  bool IsZero() const { return ms == 0 && seq == 0; }
  static constexpr StreamId Max() { return {UINT64_MAX, UINT64_MAX}; }
  std::string ToString() const;
  // The next/previous ID; false (unchanged) at the end of the range.
  bool Incr();
  bool Decr();
};

// Parses an ID as Redis does: "ms-seq", or "ms" with seq = `missing_seq`. Unless `strict`,
// "-" and "+" are the smallest and largest IDs. With `seq_given` set, "ms-*" is accepted too
// (XADD) and reported through it.
std::optional<StreamId> ParseStreamId(std::string_view text, uint64_t missing_seq,
                                      bool strict = false, bool* seq_given = nullptr);

inline constexpr std::string_view kInvalidStreamIdText =
    "ERR Invalid stream ID specified as stream command argument";

struct StreamEntry {
  StreamId id;
  std::vector<std::string> fields;  // field, value, field, value ...
};

// XADD/XTRIM trimming.
struct StreamTrim {
  enum Kind { kNone, kMaxLen, kMinId };
  Kind kind = kNone;
  bool approx = false;
  int64_t maxlen = 0;
  StreamId minid;
  int64_t limit = 0;  // approximate trimming only; 0 = unlimited
};

// How XADD chooses the new ID.
struct StreamAddId {
  enum Kind { kAuto, kMsAuto, kExplicit };
  Kind kind = kAuto;
  StreamId id;  // kMsAuto: only ms is used
};

struct StreamGroup {
  std::string name;
  StreamId last_id;
  int64_t entries_read = -1;  // -1: unknown (Redis's SCG_INVALID_ENTRIES_READ)
};

struct PendingEntry {
  StreamId id;
  std::string consumer;
  int64_t delivery_ms = 0;
  uint64_t delivery_count = 0;
};

struct StreamConsumer {
  std::string name;
  int64_t seen_ms = 0;
};

// The memory copy of a stream: its group state (every sub-key that is not an entry) and the
// entries of some ranges of IDs. Each covered range [lo, hi) of entry sub-keys is complete:
// every entry of the stream in it is here. A stream held whole has one range covering all
// entries; a longer one always covers its newest entries up to the end, so appends land in
// memory, plus whatever older ranges commands have read lately (a head being trimmed, a
// consumer catching up).
class StreamObject : public storage::HotObject {
 public:
  using Map = std::map<std::string, std::string, std::less<>>;
  StreamObject();  // whole and empty
  size_t Bytes() const override { return bytes_; }
  std::unique_ptr<storage::HotObject> Clone() const override;
  const Map& subs() const { return subs_; }
  size_t entries() const { return entries_; }
  bool whole() const;
  // Of the covered range holding entry sub-key `sub`: its end; nullopt if none holds it.
  std::optional<std::string> CoveredEnd(std::string_view sub) const;
  // Of the covered range holding the entries just below `pos`: its start; nullopt if none.
  std::optional<std::string> CoveredStartBelow(std::string_view pos) const;
  // The start of the first covered range above `pos` (the entry space's end if none), and the
  // end of the last one below it (its start if none). REQUIRES: `pos` is not covered.
  std::string NextCoveredStart(std::string_view pos) const;
  std::string PrevCoveredEnd(std::string_view pos) const;
  // Marks [lo, hi) complete (the caller has put every entry in it) and merges ranges.
  void Cover(std::string lo, std::string hi);
  // Covers nothing (the caller then loads ranges).
  void Uncover() { covered_.clear(); }
  void Put(std::string_view sub, std::string_view value);
  void Delete(std::string_view sub);
  // Forgets entries down to `keep`: first every range but the newest, then the oldest entries
  // of that one. They stay on disk.
  void EvictTo(size_t keep);

 private:
  Map subs_;
  std::map<std::string, std::string, std::less<>> covered_;  // lo -> hi
  size_t entries_ = 0;
  size_t bytes_ = 0;
};

class Stream {
 public:
  // The stream at `key`, or an empty handle if the key does not exist; WrongType() if the key
  // holds another type. `for_write` skips the keyspace hit/miss statistics (as Redis).
  static StatusOr<Stream> Open(storage::Keyspace& ks, int db, std::string_view key,
                               bool for_write = false);

  bool exists() const { return entry_ != nullptr; }
  const std::string& key() const { return key_; }
  storage::CollectionHeader header() const;
  uint64_t length() const { return exists() ? header().size : 0; }
  StreamId last_id() const;
  StreamId first_id() const;
  StreamId max_deleted_id() const;

  // Creates an empty stream (XADD on a missing key, XGROUP CREATE ... MKSTREAM).
  void Create();
  // XADD's append: the new entry's ID, or InvalidArgument with Redis's text when the ID is
  // not above the last one. REQUIRES: exists().
  StatusOr<StreamId> Add(const StreamAddId& id, std::span<const std::string_view> fields);
  // Removes entries from the head as XTRIM does; returns how many.
  StatusOr<int64_t> Trim(const StreamTrim& trim);
  // Entries with start <= ID <= end, ascending (descending from end if `reverse`), at most
  // `count` (0 = all).
  StatusOr<std::vector<StreamEntry>> Range(StreamId start, StreamId end, bool reverse,
                                           uint64_t count);
  StatusOr<std::optional<StreamEntry>> Get(StreamId id);
  // XDEL: removes the entries that exist; returns how many.
  StatusOr<int64_t> Delete(std::span<const StreamId> ids);
  // XRETENTION: -1 = the server's default, 0 = keep everything, else milliseconds.
  int64_t retention_ms() const { return exists() ? header().retention_ms : -1; }
  void SetRetention(int64_t ms);
  // XSETID, after validation (see stream_commands.cc).
  void SetLastId(StreamId id, std::optional<uint64_t> entries_added,
                 std::optional<StreamId> max_deleted);

  // ---- Consumer groups (stream_group.cc) ----
  StatusOr<std::optional<StreamGroup>> GetGroup(std::string_view group);
  StatusOr<std::vector<StreamGroup>> Groups();
  // Creates (`fresh`) or updates a group record.
  void PutGroup(const StreamGroup& group, bool fresh = false);
  // Removes the group with its consumers and PEL.
  Status DestroyGroup(std::string_view group);
  StatusOr<std::optional<StreamConsumer>> GetConsumer(std::string_view group,
                                                      std::string_view consumer);
  StatusOr<std::vector<StreamConsumer>> Consumers(std::string_view group);
  // Creates or updates a consumer record; returns whether it was created.
  StatusOr<bool> PutConsumer(std::string_view group, const StreamConsumer& consumer);
  // Removes a consumer and its pending entries; returns how many were pending.
  StatusOr<int64_t> DeleteConsumer(std::string_view group, std::string_view consumer);
  StatusOr<std::optional<PendingEntry>> GetPending(std::string_view group, StreamId id);
  // Writes a pending entry; `previous_owner` (if it had one) loses it.
  void PutPending(std::string_view group, const PendingEntry& p,
                  std::optional<std::string_view> previous_owner);
  void DeletePending(std::string_view group, StreamId id, std::string_view owner);
  // Visits the group's PEL (or one consumer's, if `consumer` is set) from `start` up to `end`
  // in ID order while `fn` returns true. Snapshot: fn may change the PEL.
  Status ScanPending(std::string_view group, const std::string* consumer, StreamId start,
                     StreamId end, const std::function<bool(const PendingEntry&)>& fn);

  // Redis 7's group accounting (entries-read and lag).
  // How many entries were added up to and including `id`, or -1 if it cannot be known.
  int64_t EstimateEntriesRead(StreamId id) const;
  // Whether an entry between `start` and `end` (inclusive) may have been deleted.
  bool RangeHasTombstones(StreamId start, StreamId end) const;
  // XINFO's lag of a group, or nullopt when it cannot be known.
  std::optional<int64_t> Lag(const StreamGroup& group) const;
  // Advances a group's last-delivered ID past an entry it delivers, updating entries-read.
  void AdvanceGroup(StreamGroup* group, StreamId delivered) const;

  // ---- Delivery to consumers (stream_delivery.cc) ----
  // What a read or claim hands a consumer. `deleted[i]`: entries[i] is pending but no longer in
  // the stream (only its ID is set). `consumer_created`: the consumer did not exist before.
  struct Delivery {
    std::vector<StreamEntry> entries;
    std::vector<bool> deleted;
    bool consumer_created = false;
  };
  // XREADGROUP ... >: up to `count` (0: all) entries after the group's last-delivered ID, each
  // pending for `consumer` from `now` (unless `noack`); the group moves past them.
  StatusOr<Delivery> DeliverNew(StreamGroup* group, std::string_view consumer, uint64_t count,
                                bool noack, int64_t now);
  // XREADGROUP ... id: `consumer`'s own pending entries after `after`, up to `count` (0: all),
  // delivered again: their delivery time and count move on, unless deleted from the stream.
  StatusOr<Delivery> DeliverPending(const StreamGroup& group, std::string_view consumer,
                                    StreamId after, uint64_t count, int64_t now);
  struct ClaimOptions {
    int64_t min_idle = 0;     // only entries idle at least this long
    int64_t delivery_ms = 0;  // the claimed entries' new delivery time
    int64_t retry = -1;       // their delivery count (-1: bumped, unless justid)
    bool force = false;       // XCLAIM FORCE: IDs not pending are created
    bool justid = false;
  };
  // XCLAIM: the pending entries among `ids` idle long enough go to `consumer`. Entries deleted
  // from the stream leave the PEL and are not returned.
  StatusOr<Delivery> Claim(const StreamGroup& group, std::string_view consumer,
                           const std::vector<StreamId>& ids, const ClaimOptions& options,
                           int64_t now);
  struct AutoClaimed {
    StreamId cursor;  // where the next call starts (0-0: the PEL was walked to its end)
    Delivery claimed;
    std::vector<StreamId> deleted;  // pending entries found deleted, removed from the PEL
  };
  // XAUTOCLAIM: from `start`, looks at up to count * 10 pending entries and claims up to
  // `count` idle at least `min_idle`.
  StatusOr<AutoClaimed> AutoClaim(const StreamGroup& group, std::string_view consumer,
                                  int64_t min_idle, StreamId start, int64_t count, bool justid,
                                  int64_t now);

  // After a batch of changes: recharges the memory copy and keeps it within the limit (the
  // oldest covered entries go; too many pending entries drop it).
  void FinishWrite();
  // Format 1 stored group, consumer and pending records fixed-width: rewrites them in the
  // current encoding (stream_records.h).
  Status RewriteGroupRecordsFromFormat1();

 private:
  class Cursor;
  // Marks `consumer` seen at `now` once per delivery, creating it if needed.
  Status TouchConsumer(std::string_view group, std::string_view consumer, int64_t now,
                       Delivery* delivery);
  // Gives pending entry `p` to `consumer` (ClaimOptions's delivery time and count).
  void ClaimOne(std::string_view group, PendingEntry p, std::string_view consumer,
                const ClaimOptions& options, bool had_owner);

  Stream(storage::Keyspace& ks, int db, std::string key, storage::HotEntry* e)
      : ks_(&ks), db_(db), key_(std::move(key)), entry_(e) {}
  StreamObject* object() const { return static_cast<StreamObject*>(entry_->object.get()); }
  // Loads the memory copy (whole, or group state and newest entries) if the stream qualifies.
  Status LoadHot();
  void SetHeader(const storage::CollectionHeader& h);
  // Sub-key access over the memory copy or the keyspace.
  Status GetSub(std::string_view sub, std::string* value);
  // `fresh`: the sub-key holds nothing now (Keyspace::PutSub).
  void PutSub(std::string_view sub, std::string_view value, bool fresh = false);
  void DeleteSub(std::string_view sub);
  // A cursor over the sub-keys in [lo, hi).
  // A cursor over the non-entry sub-keys in [lo, hi).
  StatusOr<std::unique_ptr<Cursor>> NewCursor(std::string lo, std::string hi);
  // Visits the entries with sub-keys in [lo, hi) in order (descending if `reverse`) while `fn`
  // returns true. Ranges the memory copy does not cover are loaded into it, in chunks, up to a
  // bound per call; past it the rest is read from RocksDB without keeping it.
  Status ScanEntries(std::string_view lo, std::string_view hi, bool reverse,
                     const std::function<bool(std::string_view sub, std::string_view value)>& fn);
  // Loads up to `n` entries from RocksDB into the memory copy, ascending from `pos` (or
  // descending below it when `reverse`), not past `bound`, and covers what it read.
  // Returns how many it loaded.
  StatusOr<size_t> LoadChunk(std::string_view pos, std::string_view bound, bool reverse, size_t n);
  size_t LoadChunkSize() const;
  void RemoveEntries(const std::vector<StreamId>& ids, storage::CollectionHeader* h);
  // Counts sub-keys other than entries added (delta > 0) or removed, in the header.
  void AdjustAux(int64_t delta);

  storage::Keyspace* ks_;
  int db_;
  std::string key_;
  storage::HotEntry* entry_;
};

// Walks a range of a stream's non-entry sub-keys forwards, over either copy.
class Stream::Cursor {
 public:
  Cursor(const StreamObject::Map* map, std::string lo, std::string hi)
      : map_(map), lo_(std::move(lo)), hi_(std::move(hi)) {}
  Cursor(std::unique_ptr<storage::SubIterator> it, std::string lo, std::string hi)
      : disk_(std::move(it)), lo_(std::move(lo)), hi_(std::move(hi)) {}
  void SeekToFirst();
  bool Valid() const;
  void Next();
  std::string_view sub() const;
  std::string_view value() const;
  Status status() const;

 private:
  const StreamObject::Map* map_ = nullptr;
  StreamObject::Map::const_iterator it_;
  std::unique_ptr<storage::SubIterator> disk_;
  std::string lo_;
  std::string hi_;
};

// COPY/RENAME/MOVE of an empty stream (Keyspace::CopyEntry deletes a collection whose size is
// 0, as other types need): copies the header, groups and pending entries to `dst_key` under a
// new version, with the same TTL, replacing what is there. Returns the copy.
StatusOr<storage::HotEntry*> CopyEmptyStream(storage::Keyspace& ks, storage::HotEntry* src,
                                             int dst_db, std::string_view dst_key);

// Sub-key encodings (exposed for tests).
std::string StreamEntrySubKey(StreamId id);
std::string EncodeStreamFields(std::span<const std::string_view> fields);
bool DecodeStreamFields(std::string_view value, std::vector<std::string>* fields);

}  // namespace strata::types

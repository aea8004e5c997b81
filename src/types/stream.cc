#include "types/stream.h"

#include <algorithm>
#include <charconv>

#include "common/coding.h"
#include "types/type_errors.h"

namespace strata::types {
namespace {

using storage::CollectionHeader;
using storage::Keyspace;
using storage::ValueType;
using SubCf = Keyspace::SubCf;

constexpr char kEntryTag = 0x01;
constexpr char kTagEnd = 0x02;  // the first byte past the entries
// What one sub-key costs in memory beyond its bytes: a map node and two string headers.
constexpr size_t kSubOverhead = 64 + 2 * sizeof(std::string);
// Approximate trimming removes whole nodes of this many entries, as Redis's default
// stream-node-max-entries.
constexpr int64_t kNodeEntries = 100;

constexpr std::string_view kTopItemText =
    "ERR The ID specified in XADD is equal or smaller than the target stream top item";

std::optional<uint64_t> ParseU64(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

StreamId IdAt(const char* p) { return {DecodeFixed64BE(p), DecodeFixed64BE(p + 8)}; }

std::string TagOnly(char tag) { return std::string(1, tag); }

}  // namespace

// ---- StreamId -------------------------------------------------------------------------------

std::string StreamId::ToString() const { return std::to_string(ms) + "-" + std::to_string(seq); }

bool StreamId::Incr() {
  if (seq != UINT64_MAX) {
    ++seq;
  } else if (ms != UINT64_MAX) {
    ++ms;
    seq = 0;
  } else {
    return false;
  }
  return true;
}

bool StreamId::Decr() {
  if (seq != 0) {
    --seq;
  } else if (ms != 0) {
    --ms;
    seq = UINT64_MAX;
  } else {
    return false;
  }
  return true;
}

std::optional<StreamId> ParseStreamId(std::string_view text, uint64_t missing_seq, bool strict,
                                      bool* seq_given) {
  if (seq_given) *seq_given = true;
  if (text.size() > 127) return std::nullopt;  // Redis parses from a 128-byte buffer
  if (!strict && text == "-") return StreamId{0, 0};
  if (!strict && text == "+") return StreamId::Max();
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    auto ms = ParseU64(text);
    if (!ms) return std::nullopt;
    return StreamId{*ms, missing_seq};
  }
  auto ms = ParseU64(text.substr(0, dash));
  if (!ms) return std::nullopt;
  std::string_view seq_text = text.substr(dash + 1);
  if (seq_given && seq_text == "*") {
    *seq_given = false;
    return StreamId{*ms, 0};
  }
  auto seq = ParseU64(seq_text);
  if (!seq) return std::nullopt;
  return StreamId{*ms, *seq};
}

// ---- Encodings ------------------------------------------------------------------------------

std::string StreamEntrySubKey(StreamId id) {
  std::string sub(1, kEntryTag);
  PutFixed64BE(&sub, id.ms);
  PutFixed64BE(&sub, id.seq);
  return sub;
}

std::string EncodeStreamFields(std::span<const std::string_view> fields) {
  std::string out;
  size_t total = 4;
  for (std::string_view f : fields) total += 4 + f.size();
  out.reserve(total);
  PutFixed32BE(&out, static_cast<uint32_t>(fields.size()));
  for (std::string_view f : fields) {
    PutFixed32BE(&out, static_cast<uint32_t>(f.size()));
    out.append(f);
  }
  return out;
}

bool DecodeStreamFields(std::string_view value, std::vector<std::string>* fields) {
  fields->clear();
  if (value.size() < 4) return false;
  uint32_t n = DecodeFixed32BE(value.data());
  size_t pos = 4;
  fields->reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    if (value.size() - pos < 4) return false;
    uint32_t len = DecodeFixed32BE(value.data() + pos);
    pos += 4;
    if (value.size() - pos < len) return false;
    fields->emplace_back(value.substr(pos, len));
    pos += len;
  }
  return pos == value.size();
}

// ---- StreamObject ---------------------------------------------------------------------------

std::unique_ptr<storage::HotObject> StreamObject::Clone() const {
  return std::make_unique<StreamObject>(*this);
}

void StreamObject::Put(std::string_view sub, std::string_view value) {
  auto it = subs_.find(sub);
  if (it == subs_.end()) {
    subs_.emplace(std::string(sub), std::string(value));
    bytes_ += kSubOverhead + sub.size() + value.size();
  } else {
    bytes_ = bytes_ - it->second.size() + value.size();
    it->second.assign(value);
  }
}

void StreamObject::Delete(std::string_view sub) {
  auto it = subs_.find(sub);
  if (it == subs_.end()) return;
  bytes_ -= kSubOverhead + it->first.size() + it->second.size();
  subs_.erase(it);
}

// ---- Cursor ---------------------------------------------------------------------------------

void Stream::Cursor::Seek(std::string_view sub) {
  std::string_view target = sub < lo_ ? std::string_view(lo_) : sub;
  if (map_) {
    it_ = map_->lower_bound(target);
  } else {
    disk_->Seek(target);
  }
}

void Stream::Cursor::SeekForPrev(std::string_view sub) {
  if (sub >= hi_) return SeekToLast();
  if (map_) {
    it_ = map_->upper_bound(sub);
    it_ = it_ == map_->begin() ? map_->end() : std::prev(it_);
  } else {
    disk_->SeekForPrev(sub);
  }
}

void Stream::Cursor::SeekToLast() {
  // The last sub-key below hi_.
  if (map_) {
    it_ = map_->lower_bound(hi_);
    if (it_ == map_->begin()) {
      it_ = map_->end();
    } else {
      --it_;
    }
    return;
  }
  disk_->Seek(hi_);
  if (disk_->Valid()) {
    disk_->Prev();
  } else if (disk_->status().ok()) {
    disk_->SeekToLast();
  }
}

bool Stream::Cursor::Valid() const {
  bool positioned = map_ ? it_ != map_->end() : disk_->Valid();
  if (!positioned) return false;
  std::string_view s = sub();
  return s >= lo_ && s < hi_;
}

void Stream::Cursor::Next() {
  if (map_) {
    ++it_;
  } else {
    disk_->Next();
  }
}

void Stream::Cursor::Prev() {
  if (map_) {
    it_ = it_ == map_->begin() ? map_->end() : std::prev(it_);
  } else {
    disk_->Prev();
  }
}

std::string_view Stream::Cursor::sub() const { return map_ ? it_->first : disk_->sub(); }
std::string_view Stream::Cursor::value() const { return map_ ? it_->second : disk_->value(); }
Status Stream::Cursor::status() const { return map_ ? Status::OK() : disk_->status(); }

// ---- Stream ---------------------------------------------------------------------------------

StatusOr<Stream> Stream::Open(Keyspace& ks, int db, std::string_view key, bool for_write) {
  auto found = FindTyped(ks, db, key, for_write, ValueType::kStream);
  if (!found.ok()) return found.status();
  Stream s(ks, db, std::string(key), *found);
  if (s.entry_ != nullptr) {
    Status loaded = s.LoadIfSmall();
    if (!loaded.ok()) return loaded;
  }
  return s;
}

CollectionHeader Stream::header() const { return ks_->Header(entry_); }

StreamId Stream::last_id() const {
  if (!exists()) return {};
  CollectionHeader h = header();
  return {h.last_ms, h.last_seq};
}

StreamId Stream::first_id() const {
  CollectionHeader h = header();
  return {h.first_ms, h.first_seq};
}

StreamId Stream::max_deleted_id() const {
  CollectionHeader h = header();
  return {h.max_deleted_ms, h.max_deleted_seq};
}

Status Stream::LoadIfSmall() {
  // Groups may hold many pending entries even when the stream is short: both count.
  const CollectionHeader h = header();
  const uint64_t limit = ks_->hot_collection_limit();
  if (entry_->object || !ks_->durable() || h.size > limit || h.aux > 2 * limit) {
    return Status::OK();
  }
  auto it = ks_->NewSubIterator(entry_, SubCf::kData);
  if (!it.ok()) return it.status();
  auto obj = std::make_unique<StreamObject>();
  for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
    obj->Put((*it)->sub(), (*it)->value());
  }
  Status s = (*it)->status();
  if (!s.ok()) return s;
  entry_->object = std::move(obj);
  ks_->ObjectChanged(entry_);
  return Status::OK();
}

void Stream::SetHeader(const CollectionHeader& h) {
  // Through ValueChanged, not Keyspace::SetHeader: an empty stream is kept.
  storage::EncodeCollectionHeader(ValueType::kStream, h, &entry_->value);
  ks_->ValueChanged(entry_);
}

void Stream::FinishWrite() {
  if (!entry_) return;
  StreamObject* obj = object();
  const CollectionHeader h = header();
  const uint64_t limit = ks_->hot_collection_limit();
  if (obj && ks_->durable() && (h.size > 2 * limit || h.aux > 4 * limit)) {
    // A failed write-out leaves the store refusing writes (MISCONF); nothing to add here.
    (void)ks_->DropObject(entry_);
  }
  ks_->ObjectChanged(entry_);
}

Status Stream::GetSub(std::string_view sub, std::string* value) {
  if (StreamObject* obj = object()) {
    auto it = obj->subs().find(sub);
    if (it == obj->subs().end()) return Status::NotFound();
    *value = it->second;
    return Status::OK();
  }
  return ks_->GetSub(entry_, SubCf::kData, sub, value);
}

void Stream::PutSub(std::string_view sub, std::string_view value) {
  if (StreamObject* obj = object()) obj->Put(sub, value);
  ks_->PutSub(entry_, SubCf::kData, sub, value);
}

void Stream::DeleteSub(std::string_view sub) {
  if (StreamObject* obj = object()) obj->Delete(sub);
  ks_->DeleteSub(entry_, SubCf::kData, sub);
}

StatusOr<std::unique_ptr<Stream::Cursor>> Stream::NewCursor(std::string lo, std::string hi) {
  if (StreamObject* obj = object()) {
    return std::make_unique<Cursor>(&obj->subs(), std::move(lo), std::move(hi));
  }
  auto it = ks_->NewSubIterator(entry_, SubCf::kData);
  if (!it.ok()) return it.status();
  return std::make_unique<Cursor>(std::move(*it), std::move(lo), std::move(hi));
}

void Stream::Create() {
  entry_ = ks_->CreateCollection(db_, key_, ValueType::kStream);
  entry_->object = std::make_unique<StreamObject>();
  SetHeader(header());
}

StatusOr<StreamId> Stream::Add(const StreamAddId& add, std::span<const std::string_view> fields) {
  CollectionHeader h = header();
  const StreamId last{h.last_ms, h.last_seq};
  StreamId id;
  switch (add.kind) {
    case StreamAddId::kAuto: {
      // Never below the last ID, so IDs keep increasing when the clock goes backwards.
      uint64_t now = static_cast<uint64_t>(std::max<int64_t>(ks_->now_ms(), 0));
      if (now > last.ms) {
        id = {now, 0};
      } else {
        id = last;
        if (!id.Incr()) return Status::InvalidArgument(kTopItemText);
      }
      break;
    }
    case StreamAddId::kMsAuto:
      if (add.id.ms < last.ms) return Status::InvalidArgument(kTopItemText);
      if (add.id.ms == last.ms) {
        if (last.seq == UINT64_MAX) return Status::InvalidArgument(kTopItemText);
        id = {last.ms, last.seq + 1};
      } else {
        id = {add.id.ms, 0};
      }
      break;
    case StreamAddId::kExplicit:
      if (add.id <= last) return Status::InvalidArgument(kTopItemText);
      id = add.id;
      break;
  }
  PutSub(StreamEntrySubKey(id), EncodeStreamFields(fields));
  h.last_ms = id.ms;
  h.last_seq = id.seq;
  if (h.size == 0) {
    h.first_ms = id.ms;
    h.first_seq = id.seq;
  }
  ++h.size;
  ++h.entries_added;
  SetHeader(h);
  ks_->SignalReady(db_, key_);
  return id;
}

void Stream::AdjustAux(int64_t delta) {
  CollectionHeader h = header();
  h.aux = delta < 0 && h.aux < static_cast<uint64_t>(-delta) ? 0 : h.aux + delta;
  SetHeader(h);
}

void Stream::RemoveEntries(const std::vector<StreamId>& ids, CollectionHeader* h) {
  for (const StreamId& id : ids) DeleteSub(StreamEntrySubKey(id));
  h->size -= ids.size();
}

StatusOr<int64_t> Stream::Trim(const StreamTrim& trim) {
  if (!exists() || trim.kind == StreamTrim::kNone) return int64_t{0};
  CollectionHeader h = header();
  if (trim.kind == StreamTrim::kMaxLen && h.size <= static_cast<uint64_t>(trim.maxlen)) {
    return int64_t{0};
  }
  auto cursor = NewCursor(TagOnly(kEntryTag), TagOnly(kTagEnd));
  if (!cursor.ok()) return cursor.status();
  Cursor& c = **cursor;
  std::vector<StreamId> doomed;
  uint64_t length = h.size;
  c.SeekToFirst();
  if (trim.approx) {
    // Whole nodes of kNodeEntries from the head, as Redis removes whole listpacks.
    while (c.Valid()) {
      std::vector<StreamId> node;
      for (; c.Valid() && node.size() < static_cast<size_t>(kNodeEntries); c.Next()) {
        node.push_back(IdAt(c.sub().data() + 1));
      }
      if (trim.limit != 0 && static_cast<int64_t>(doomed.size() + node.size()) > trim.limit) {
        break;
      }
      bool remove = trim.kind == StreamTrim::kMaxLen
                        ? length - node.size() >= static_cast<uint64_t>(trim.maxlen)
                        : node.back() < trim.minid;
      if (!remove) break;
      length -= node.size();
      doomed.insert(doomed.end(), node.begin(), node.end());
    }
  } else {
    for (; c.Valid(); c.Next()) {
      StreamId id = IdAt(c.sub().data() + 1);
      if (trim.kind == StreamTrim::kMaxLen ? length <= static_cast<uint64_t>(trim.maxlen)
                                           : id >= trim.minid) {
        break;
      }
      doomed.push_back(id);
      --length;
    }
  }
  Status s = c.status();
  if (!s.ok()) return s;
  if (doomed.empty()) return int64_t{0};
  // The new first entry: the one after the last removed.
  StreamId first{};
  if (length > 0) {
    c.Seek(StreamEntrySubKey(doomed.back()));
    if (c.Valid() && IdAt(c.sub().data() + 1) == doomed.back()) c.Next();
    if (c.Valid()) first = IdAt(c.sub().data() + 1);
  }
  RemoveEntries(doomed, &h);
  h.first_ms = first.ms;
  h.first_seq = first.seq;
  SetHeader(h);
  FinishWrite();
  return static_cast<int64_t>(doomed.size());
}

StatusOr<std::vector<StreamEntry>> Stream::Range(StreamId start, StreamId end, bool reverse,
                                                 uint64_t count) {
  std::vector<StreamEntry> out;
  if (!exists() || start > end) return out;
  auto cursor = NewCursor(StreamEntrySubKey(start), StreamEntrySubKey(end) + '\0');
  if (!cursor.ok()) return cursor.status();
  Cursor& c = **cursor;
  reverse ? c.SeekToLast() : c.SeekToFirst();
  for (; c.Valid() && (count == 0 || out.size() < count); reverse ? c.Prev() : c.Next()) {
    StreamEntry e;
    e.id = IdAt(c.sub().data() + 1);
    if (!DecodeStreamFields(c.value(), &e.fields)) return Status::Corruption("bad stream entry");
    out.push_back(std::move(e));
  }
  Status s = c.status();
  if (!s.ok()) return s;
  return out;
}

StatusOr<std::optional<StreamEntry>> Stream::Get(StreamId id) {
  if (!exists()) return std::optional<StreamEntry>();
  std::string value;
  Status s = GetSub(StreamEntrySubKey(id), &value);
  if (s.IsNotFound()) return std::optional<StreamEntry>();
  if (!s.ok()) return s;
  StreamEntry e;
  e.id = id;
  if (!DecodeStreamFields(value, &e.fields)) return Status::Corruption("bad stream entry");
  return std::optional<StreamEntry>(std::move(e));
}

StatusOr<int64_t> Stream::Delete(std::span<const StreamId> ids) {
  if (!exists()) return int64_t{0};
  CollectionHeader h = header();
  const StreamId first{h.first_ms, h.first_seq};
  StreamId max_deleted{h.max_deleted_ms, h.max_deleted_seq};
  std::vector<StreamId> found;
  bool first_gone = false;
  for (const StreamId& id : ids) {
    if (std::find(found.begin(), found.end(), id) != found.end()) continue;
    std::string value;
    Status s = GetSub(StreamEntrySubKey(id), &value);
    if (s.IsNotFound()) continue;
    if (!s.ok()) return s;
    found.push_back(id);
    first_gone = first_gone || id == first;
    max_deleted = std::max(max_deleted, id);
  }
  if (found.empty()) return int64_t{0};
  RemoveEntries(found, &h);
  h.max_deleted_ms = max_deleted.ms;
  h.max_deleted_seq = max_deleted.seq;
  if (h.size == 0) {
    h.first_ms = h.first_seq = 0;
  } else if (first_gone) {
    // The removals are staged, and the cursor sees them (overlay or memory copy).
    auto cursor = NewCursor(TagOnly(kEntryTag), TagOnly(kTagEnd));
    if (!cursor.ok()) return cursor.status();
    (*cursor)->SeekToFirst();
    if ((*cursor)->Valid()) {
      StreamId next = IdAt((*cursor)->sub().data() + 1);
      h.first_ms = next.ms;
      h.first_seq = next.seq;
    }
    Status s = (*cursor)->status();
    if (!s.ok()) return s;
  }
  SetHeader(h);
  FinishWrite();
  return static_cast<int64_t>(found.size());
}

void Stream::SetLastId(StreamId id, std::optional<uint64_t> entries_added,
                       std::optional<StreamId> max_deleted) {
  CollectionHeader h = header();
  h.last_ms = id.ms;
  h.last_seq = id.seq;
  if (entries_added) h.entries_added = *entries_added;
  if (max_deleted && !max_deleted->IsZero()) {
    h.max_deleted_ms = max_deleted->ms;
    h.max_deleted_seq = max_deleted->seq;
  }
  SetHeader(h);
}

StatusOr<storage::HotEntry*> CopyEmptyStream(Keyspace& ks, storage::HotEntry* src, int dst_db,
                                             std::string_view dst_key) {
  // Everything needed from src, taken before CreateCollection may replace or move entries.
  std::vector<std::pair<std::string, std::string>> subs;
  if (src->object) {
    for (const auto& [sub, value] : static_cast<StreamObject*>(src->object.get())->subs()) {
      subs.emplace_back(sub, value);
    }
  } else if (ks.durable()) {
    auto it = ks.NewSubIterator(src, SubCf::kData);
    if (!it.ok()) return it.status();
    for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
      subs.emplace_back((*it)->sub(), (*it)->value());
    }
    Status s = (*it)->status();
    if (!s.ok()) return s;
  }
  CollectionHeader header = ks.Header(src);
  const int64_t expire_ms = src->expire_ms;
  storage::HotEntry* dst = ks.CreateCollection(dst_db, dst_key, ValueType::kStream);
  header.version = ks.Header(dst).version;
  auto obj = std::make_unique<StreamObject>();
  for (const auto& [sub, value] : subs) obj->Put(sub, value);
  dst->object = std::move(obj);
  for (const auto& [sub, value] : subs) ks.PutSub(dst, SubCf::kData, sub, value);
  storage::EncodeCollectionHeader(ValueType::kStream, header, &dst->value);
  ks.ValueChanged(dst);
  if (expire_ms != 0) ks.SetExpire(dst, expire_ms);
  return dst;
}

// ---- Group accounting (Redis 7) -------------------------------------------------------------

bool Stream::RangeHasTombstones(StreamId start, StreamId end) const {
  CollectionHeader h = header();
  const StreamId max_deleted{h.max_deleted_ms, h.max_deleted_seq};
  if (h.size == 0 || max_deleted.IsZero()) return false;
  return start <= max_deleted && max_deleted <= end;
}

int64_t Stream::EstimateEntriesRead(StreamId id) const {
  CollectionHeader h = header();
  const StreamId last{h.last_ms, h.last_seq};
  const StreamId first{h.first_ms, h.first_seq};
  const StreamId max_deleted{h.max_deleted_ms, h.max_deleted_seq};
  const int64_t added = static_cast<int64_t>(h.entries_added);
  if (h.entries_added == 0) return 0;
  if (h.size == 0 && id <= last) return added;
  if (id == last) return added;
  if (id > last) return -1;  // a future ID
  if (max_deleted.IsZero() || max_deleted < first) {
    // No tombstones before the first entry: count from it.
    if (id < first) return added - static_cast<int64_t>(h.size);
    if (id == first) return added - static_cast<int64_t>(h.size) + 1;
  }
  return -1;
}

std::optional<int64_t> Stream::Lag(const StreamGroup& group) const {
  CollectionHeader h = header();
  const int64_t added = static_cast<int64_t>(h.entries_added);
  if (h.entries_added == 0) return 0;
  if (group.entries_read != -1 && !RangeHasTombstones(group.last_id, StreamId::Max())) {
    return added - group.entries_read;
  }
  int64_t read = EstimateEntriesRead(group.last_id);
  if (read == -1) return std::nullopt;
  return added - read;
}

void Stream::AdvanceGroup(StreamGroup* group, StreamId delivered) const {
  if (delivered <= group->last_id) return;
  if (group->entries_read != -1 && !RangeHasTombstones(delivered, StreamId::Max())) {
    ++group->entries_read;  // a valid counter and no tombstones ahead: keep counting
  } else if (header().entries_added != 0) {
    group->entries_read = EstimateEntriesRead(delivered);
  }
  group->last_id = delivered;
}

}  // namespace strata::types

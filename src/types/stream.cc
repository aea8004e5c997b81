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
// Entries read from RocksDB into the memory copy at a time (at least; an eighth of the hot
// limit if that is more), when a command reads a range it does not cover: one write-out of
// unwritten changes then serves the next reads of that range.
constexpr size_t kLoadChunk = 1000;

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

StreamObject::StreamObject() { covered_.emplace(TagOnly(kEntryTag), TagOnly(kTagEnd)); }

std::unique_ptr<storage::HotObject> StreamObject::Clone() const {
  return std::make_unique<StreamObject>(*this);
}

bool StreamObject::whole() const {
  return covered_.size() == 1 && covered_.begin()->first <= TagOnly(kEntryTag) &&
         covered_.begin()->second >= TagOnly(kTagEnd);
}

std::optional<std::string> StreamObject::CoveredEnd(std::string_view sub) const {
  auto it = covered_.upper_bound(sub);
  if (it == covered_.begin()) return std::nullopt;
  --it;
  if (sub < it->second) return it->second;
  return std::nullopt;
}

std::optional<std::string> StreamObject::CoveredStartBelow(std::string_view pos) const {
  auto it = covered_.lower_bound(pos);
  if (it == covered_.begin()) return std::nullopt;
  --it;
  if (pos <= it->second) return it->first;
  return std::nullopt;
}

std::string StreamObject::NextCoveredStart(std::string_view pos) const {
  auto it = covered_.upper_bound(pos);
  return it == covered_.end() ? TagOnly(kTagEnd) : it->first;
}

std::string StreamObject::PrevCoveredEnd(std::string_view pos) const {
  auto it = covered_.lower_bound(pos);
  if (it == covered_.begin()) return TagOnly(kEntryTag);
  return std::prev(it)->second;
}

void StreamObject::Cover(std::string lo, std::string hi) {
  if (lo >= hi) return;
  // Merge every range that overlaps or touches [lo, hi).
  auto it = covered_.upper_bound(lo);
  if (it != covered_.begin() && std::prev(it)->second >= lo) --it;
  while (it != covered_.end() && it->first <= hi) {
    lo = std::min(lo, it->first);
    hi = std::max(hi, it->second);
    it = covered_.erase(it);
  }
  covered_.emplace(std::move(lo), std::move(hi));
}

void StreamObject::EvictTo(size_t keep) {
  if (entries_ <= keep || covered_.empty()) return;
  const auto top = std::prev(covered_.end());
  const std::string top_lo = top->first, top_hi = top->second;
  auto forget = [this](Map::iterator it) {
    bytes_ -= kSubOverhead + it->first.size() + it->second.size();
    --entries_;
    return subs_.erase(it);
  };
  // Every entry below the newest range goes first, with the ranges it was in...
  auto it = subs_.lower_bound(TagOnly(kEntryTag));
  while (it != subs_.end() && it->first < top_lo) it = forget(it);
  covered_.clear();
  // ... then the oldest of the newest range, which then starts after them.
  std::string last;
  while (entries_ > keep && it != subs_.end() && it->first[0] == kEntryTag) {
    last = it->first;
    it = forget(it);
  }
  if (last.empty()) {
    covered_.emplace(top_lo, top_hi);
  } else {
    last.push_back('\0');
    covered_.emplace(std::move(last), top_hi);
  }
}

void StreamObject::Put(std::string_view sub, std::string_view value) {
  // Appends (XADD) go past the last entry: no search for the common case.
  const bool past_end = subs_.empty() || std::prev(subs_.end())->first < sub;
  auto it = past_end ? subs_.end() : subs_.lower_bound(sub);
  if (it == subs_.end() || it->first != sub) {
    subs_.emplace_hint(it, std::string(sub), std::string(value));
    bytes_ += kSubOverhead + sub.size() + value.size();
    if (!sub.empty() && sub[0] == kEntryTag) ++entries_;
  } else {
    bytes_ = bytes_ - it->second.size() + value.size();
    it->second.assign(value);
  }
}

void StreamObject::Delete(std::string_view sub) {
  auto it = subs_.find(sub);
  if (it == subs_.end()) return;
  bytes_ -= kSubOverhead + it->first.size() + it->second.size();
  if (!sub.empty() && sub[0] == kEntryTag) --entries_;
  subs_.erase(it);
}

// ---- Cursor ---------------------------------------------------------------------------------

void Stream::Cursor::SeekToFirst() {
  if (map_) {
    it_ = map_->lower_bound(lo_);
  } else {
    disk_->Seek(lo_);
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

std::string_view Stream::Cursor::sub() const { return map_ ? it_->first : disk_->sub(); }
std::string_view Stream::Cursor::value() const { return map_ ? it_->second : disk_->value(); }
Status Stream::Cursor::status() const { return map_ ? Status::OK() : disk_->status(); }

// ---- Stream ---------------------------------------------------------------------------------

StatusOr<Stream> Stream::Open(Keyspace& ks, int db, std::string_view key, bool for_write) {
  auto found = FindTyped(ks, db, key, for_write, ValueType::kStream);
  if (!found.ok()) return found.status();
  Stream s(ks, db, std::string(key), *found);
  if (s.entry_ != nullptr) {
    Status loaded = s.LoadHot();
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

Status Stream::LoadHot() {
  if (entry_->object || !ks_->durable()) return Status::OK();
  // Groups may hold many pending entries even when the stream is short: both count.
  const CollectionHeader h = header();
  const uint64_t limit = ks_->hot_collection_limit();
  if (h.aux > 2 * limit) return Status::OK();
  auto it = ks_->NewSubIterator(entry_, SubCf::kData);
  if (!it.ok()) return it.status();
  Keyspace::SubIterator& i = **it;
  auto obj = std::make_unique<StreamObject>();
  if (h.size <= limit) {
    for (i.SeekToFirst(); i.Valid(); i.Next()) obj->Put(i.sub(), i.value());
  } else {
    // Group state, then the newest `limit` entries, walking back from the last one.
    for (i.Seek(TagOnly(kTagEnd)); i.Valid(); i.Next()) obj->Put(i.sub(), i.value());
    Status s = i.status();
    if (!s.ok()) return s;
    i.Seek(TagOnly(kTagEnd));
    i.Valid() ? i.Prev() : i.SeekToLast();
    std::string oldest;
    for (; i.Valid() && i.sub()[0] == kEntryTag && obj->entries() < limit; i.Prev()) {
      oldest.assign(i.sub());
      obj->Put(i.sub(), i.value());
    }
    obj->Uncover();
    // Stopped at the limit (not at the head): older entries stay on disk.
    const bool more = i.Valid() && i.sub()[0] == kEntryTag;
    obj->Cover(more ? oldest : TagOnly(kEntryTag), TagOnly(kTagEnd));
  }
  Status s = i.status();
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
  const uint64_t limit = ks_->hot_collection_limit();
  if (obj && ks_->durable()) {
    if (header().aux > 4 * limit) {
      // A failed write-out leaves the store refusing writes (MISCONF); nothing to add here.
      (void)ks_->DropObject(entry_);
    } else if (obj->entries() > 2 * limit) {
      obj->EvictTo(limit);
    }
  }
  ks_->ObjectChanged(entry_);
}

Status Stream::GetSub(std::string_view sub, std::string* value) {
  StreamObject* obj = object();
  if (obj && sub[0] == kEntryTag && !obj->CoveredEnd(sub)) {
    // An entry below what memory covers: load the chunk from it on, so that the next lookups
    // nearby (XCLAIM, XAUTOCLAIM, history reads, XDEL of many IDs) cost no further write-out.
    auto n = LoadChunk(sub, TagOnly(kTagEnd), false, LoadChunkSize());
    if (!n.ok()) return n.status();
  }
  if (obj) {
    auto it = obj->subs().find(sub);
    if (it == obj->subs().end()) return Status::NotFound();
    *value = it->second;
    return Status::OK();
  }
  return ks_->GetSub(entry_, SubCf::kData, sub, value);
}

size_t Stream::LoadChunkSize() const {
  return std::max<size_t>(kLoadChunk, ks_->hot_collection_limit() / 8);
}

void Stream::PutSub(std::string_view sub, std::string_view value, bool fresh) {
  if (StreamObject* obj = object()) obj->Put(sub, value);
  ks_->PutSub(entry_, SubCf::kData, sub, value, fresh);
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

Status Stream::ScanEntries(
    std::string_view lo, std::string_view hi, bool reverse,
    const std::function<bool(std::string_view sub, std::string_view value)>& fn) {
  // Straight from RocksDB (through the overlay), from `from` on.
  auto from_disk = [&](std::string_view a, std::string_view b) -> Status {
    auto it = ks_->NewSubIterator(entry_, SubCf::kData);
    if (!it.ok()) return it.status();
    Keyspace::SubIterator& i = **it;
    if (!reverse) {
      for (i.Seek(a); i.Valid() && i.sub() < b; i.Next()) {
        if (!fn(i.sub(), i.value())) break;
      }
    } else {
      i.Seek(b);
      i.Valid() ? i.Prev() : i.SeekToLast();
      for (; i.Valid() && i.sub() >= a; i.Prev()) {
        if (!fn(i.sub(), i.value())) break;
      }
    }
    return i.status();
  };
  if (object() == nullptr) return from_disk(lo, hi);
  const size_t chunk = LoadChunkSize();
  const size_t max_load = std::max<size_t>(ks_->hot_collection_limit(), chunk);
  size_t loaded = 0;
  std::string pos(reverse ? hi : lo);
  while (reverse ? pos > lo : pos < hi) {
    StreamObject* obj = object();
    const StreamObject::Map& m = obj->subs();
    if (!reverse) {
      if (auto end = obj->CoveredEnd(pos)) {
        const std::string stop = std::min(*end, std::string(hi));
        for (auto it = m.lower_bound(pos); it != m.end() && it->first < stop; ++it) {
          if (!fn(it->first, it->second)) return Status::OK();
        }
        pos = stop;
        continue;
      }
    } else if (auto start = obj->CoveredStartBelow(pos)) {
      const std::string stop = std::max(*start, std::string(lo));
      for (auto it = m.lower_bound(pos); it != m.begin();) {
        --it;
        if (it->first < stop) break;
        if (!fn(it->first, it->second)) return Status::OK();
      }
      pos = stop;
      continue;
    }
    // Not in memory. Load it, unless this call has loaded enough already.
    if (loaded >= max_load) return reverse ? from_disk(lo, pos) : from_disk(pos, hi);
    auto n = LoadChunk(pos, reverse ? lo : hi, reverse, chunk);
    if (!n.ok()) return n.status();
    loaded += *n;
  }
  return Status::OK();
}

StatusOr<size_t> Stream::LoadChunk(std::string_view pos, std::string_view bound, bool reverse,
                                   size_t n) {
  // Keyspace::NewSubIterator writes out this stream's unwritten changes first, since a stream
  // with a memory copy keeps none in the overlay.
  auto iter = ks_->NewSubIterator(entry_, SubCf::kData);
  if (!iter.ok()) return iter.status();
  Keyspace::SubIterator& i = **iter;
  StreamObject* obj = object();
  size_t k = 0;
  std::string edge;
  if (!reverse) {
    const std::string stop = std::min(std::string(bound), obj->NextCoveredStart(pos));
    for (i.Seek(pos); i.Valid() && i.sub() < stop && k < n; i.Next(), ++k) {
      edge.assign(i.sub());
      obj->Put(i.sub(), i.value());
    }
    Status s = i.status();
    if (!s.ok()) return s;
    const bool more = k == n && i.Valid() && i.sub() < stop;
    obj->Cover(std::string(pos), more ? edge + '\0' : stop);
  } else {
    const std::string stop = std::max(std::string(bound), obj->PrevCoveredEnd(pos));
    i.Seek(pos);
    i.Valid() ? i.Prev() : i.SeekToLast();
    for (; i.Valid() && i.sub() >= stop && k < n; i.Prev(), ++k) {
      edge.assign(i.sub());
      obj->Put(i.sub(), i.value());
    }
    Status s = i.status();
    if (!s.ok()) return s;
    const bool more = k == n && i.Valid() && i.sub() >= stop;
    obj->Cover(more ? edge : stop, std::string(pos));
  }
  ks_->ObjectChanged(entry_);
  return k;
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
  PutSub(StreamEntrySubKey(id), EncodeStreamFields(fields), /*fresh=*/true);  // IDs only grow
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
  // Cases that cannot remove anything, decided without reading the head (which may be on disk):
  // the first node cannot go without going below MAXLEN, or the first entry is not below MINID.
  if (trim.approx && trim.kind == StreamTrim::kMaxLen &&
      h.size - std::min<uint64_t>(h.size, kNodeEntries) < static_cast<uint64_t>(trim.maxlen)) {
    return int64_t{0};
  }
  if (trim.kind == StreamTrim::kMinId &&
      (h.size == 0 || StreamId{h.first_ms, h.first_seq} >= trim.minid)) {
    return int64_t{0};
  }
  std::vector<StreamId> doomed;
  uint64_t length = h.size;
  std::optional<StreamId> first;  // the first entry that stays
  std::vector<StreamId> node;
  // Approximate: whole nodes of kNodeEntries from the head, as Redis removes whole listpacks.
  // Returns whether the node goes.
  auto take_node = [&]() {
    if (trim.limit != 0 && static_cast<int64_t>(doomed.size() + node.size()) > trim.limit) {
      return false;
    }
    bool remove = trim.kind == StreamTrim::kMaxLen
                      ? length - node.size() >= static_cast<uint64_t>(trim.maxlen)
                      : node.back() < trim.minid;
    if (!remove) return false;
    length -= node.size();
    doomed.insert(doomed.end(), node.begin(), node.end());
    node.clear();
    return true;
  };
  Status s = ScanEntries(
      TagOnly(kEntryTag), TagOnly(kTagEnd), false, [&](std::string_view sub, std::string_view) {
        const StreamId id = IdAt(sub.data() + 1);
        if (trim.approx) {
          node.push_back(id);
          if (node.size() < static_cast<size_t>(kNodeEntries)) return true;
          if (take_node()) return true;
          first = node.front();
          return false;
        }
        if (trim.kind == StreamTrim::kMaxLen ? length <= static_cast<uint64_t>(trim.maxlen)
                                             : id >= trim.minid) {
          first = id;
          return false;
        }
        doomed.push_back(id);
        --length;
        return true;
      });
  if (!s.ok()) return s;
  // The stream ended inside a node: that last node is judged as the others.
  if (trim.approx && !first && !node.empty() && !take_node()) first = node.front();
  if (doomed.empty()) return int64_t{0};
  if (!first) first = StreamId{};  // nothing stays
  RemoveEntries(doomed, &h);
  h.first_ms = first->ms;
  h.first_seq = first->seq;
  SetHeader(h);
  FinishWrite();
  return static_cast<int64_t>(doomed.size());
}

StatusOr<std::vector<StreamEntry>> Stream::Range(StreamId start, StreamId end, bool reverse,
                                                 uint64_t count) {
  std::vector<StreamEntry> out;
  if (!exists() || start > end) return out;
  Status bad;
  Status s = ScanEntries(StreamEntrySubKey(start), StreamEntrySubKey(end) + '\0', reverse,
                         [&](std::string_view sub, std::string_view value) {
                           StreamEntry e;
                           e.id = IdAt(sub.data() + 1);
                           if (!DecodeStreamFields(value, &e.fields)) {
                             bad = Status::Corruption("bad stream entry");
                             return false;
                           }
                           out.push_back(std::move(e));
                           return count == 0 || out.size() < count;
                         });
  if (!s.ok()) return s;
  if (!bad.ok()) return bad;
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
    // The removals are staged, and the scan sees them (overlay or memory copy).
    Status s = ScanEntries(TagOnly(kEntryTag), TagOnly(kTagEnd), false,
                           [&](std::string_view sub, std::string_view) {
                             StreamId next = IdAt(sub.data() + 1);
                             h.first_ms = next.ms;
                             h.first_seq = next.seq;
                             return false;
                           });
    if (!s.ok()) return s;
  }
  SetHeader(h);
  FinishWrite();
  return static_cast<int64_t>(found.size());
}

void Stream::SetRetention(int64_t ms) {
  CollectionHeader h = header();
  h.retention_ms = ms;
  SetHeader(h);
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

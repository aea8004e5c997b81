#include "types/list.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "common/coding.h"
#include "types/type_errors.h"

namespace strata::types {
namespace {

using storage::CollectionHeader;
using storage::Keyspace;
using storage::ValueType;

// What an element costs in memory beyond its bytes: the deque slot's string header and the
// allocator's rounding of a heap buffer.
constexpr size_t kElementOverhead = sizeof(std::string) + 16;

// Up to this many elements a disk read uses point reads, which see unwritten changes through
// the overlay; past it one iterator (which first drains unwritten changes) is cheaper.
constexpr uint64_t kMaxPointReads = 16;

size_t ElementBytes(std::string_view v) { return kElementOverhead + v.size(); }

// Position `index` (negative counts from the tail) in a list of `size`, if in range.
std::optional<uint64_t> Normalize(int64_t index, uint64_t size) {
  if (index < 0) {
    // -index fits in uint64 even for INT64_MIN.
    uint64_t back = uint64_t{0} - static_cast<uint64_t>(index);
    if (back > size) return std::nullopt;
    return size - back;
  }
  if (static_cast<uint64_t>(index) >= size) return std::nullopt;
  return static_cast<uint64_t>(index);
}

uint64_t DecodeIndex(std::string_view sub) {
  return sub.size() == 8 ? DecodeFixed64BE(sub.data()) : 0;
}

Status ShortList() { return Status::Corruption("list elements missing under its header"); }

}  // namespace

std::string ListIndexSubKey(uint64_t index) {
  std::string sub;
  sub.reserve(8);
  PutFixed64BE(&sub, index);
  return sub;
}

// ---- ListObject ---------------------------------------------------------------------------

std::unique_ptr<storage::HotObject> ListObject::Clone() const {
  return std::make_unique<ListObject>(*this);
}

void ListObject::PushFront(std::string_view v) {
  items_.emplace_front(v);
  bytes_ += ElementBytes(v);
}

void ListObject::PushBack(std::string_view v) {
  items_.emplace_back(v);
  bytes_ += ElementBytes(v);
}

std::string ListObject::PopFront() {
  std::string v = std::move(items_.front());
  items_.pop_front();
  bytes_ -= ElementBytes(v);
  return v;
}

std::string ListObject::PopBack() {
  std::string v = std::move(items_.back());
  items_.pop_back();
  bytes_ -= ElementBytes(v);
  return v;
}

void ListObject::Set(size_t i, std::string_view v) {
  bytes_ -= ElementBytes(items_[i]);
  items_[i].assign(v);
  bytes_ += ElementBytes(v);
}

void ListObject::Insert(size_t i, std::string_view v) {
  items_.emplace(items_.begin() + static_cast<std::ptrdiff_t>(i), v);
  bytes_ += ElementBytes(v);
}

void ListObject::EraseAt(const std::vector<uint64_t>& positions) {
  // One compaction pass: kept elements slide over the removed ones.
  size_t w = 0, next = 0;
  for (size_t r = 0; r < items_.size(); ++r) {
    if (next < positions.size() && positions[next] == r) {
      bytes_ -= ElementBytes(items_[r]);
      ++next;
      continue;
    }
    if (w != r) items_[w] = std::move(items_[r]);
    ++w;
  }
  items_.resize(w);
}

void ListObject::Trim(size_t front, size_t back) {
  for (size_t i = 0; i < front; ++i) PopFront();
  for (size_t i = 0; i < back; ++i) PopBack();
}

// ---- List ---------------------------------------------------------------------------------

StatusOr<List> List::Open(Keyspace& ks, int db, std::string_view key, bool for_write) {
  auto found = FindTyped(ks, db, key, for_write, ValueType::kList);
  if (!found.ok()) return found.status();
  storage::HotEntry* e = *found;
  List list(ks, db, std::string(key), e);
  if (e != nullptr) {
    Status s = list.LoadIfSmall();
    if (!s.ok()) return s;
  }
  return list;
}

uint64_t List::size() const { return entry_ ? ks_->Header(entry_).size : 0; }

Status List::LoadIfSmall() {
  if (entry_->object || !ks_->durable()) return Status::OK();
  const CollectionHeader header = ks_->Header(entry_);
  if (header.size > ks_->hot_collection_limit()) return Status::OK();
  auto it = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
  if (!it.ok()) return it.status();
  auto obj = std::make_unique<ListObject>();
  uint64_t index = header.head;
  for ((*it)->Seek(ListIndexSubKey(index)); (*it)->Valid() && index < header.tail;
       (*it)->Next(), ++index) {
    if (DecodeIndex((*it)->sub()) != index) return ShortList();
    obj->PushBack((*it)->value());
  }
  Status s = (*it)->status();
  if (!s.ok()) return s;
  if (obj->size() != header.size) return ShortList();
  entry_->object = std::move(obj);
  ks_->ObjectChanged(entry_);
  return Status::OK();
}

void List::WriteIndex(uint64_t index, std::string_view value, bool fresh) {
  ks_->PutSub(entry_, Keyspace::SubCf::kData, ListIndexSubKey(index), value, fresh);
}

void List::DeleteIndex(uint64_t index) {
  ks_->DeleteSub(entry_, Keyspace::SubCf::kData, ListIndexSubKey(index));
}

void List::Finish(const CollectionHeader& header) {
  if (header.size == 0) {
    ks_->SetHeader(entry_, header);  // deletes the key, and with it every sub-key
    entry_ = nullptr;
    return;
  }
  // Past the limit a durable list stops being held whole: commands then touch single indexes.
  if (ks_->durable() && header.size > 2 * ks_->hot_collection_limit()) {
    // A failed write-out leaves the store refusing writes (MISCONF); nothing to add here.
    (void)ks_->DropObject(entry_);
  }
  ks_->ObjectChanged(entry_);
  ks_->SetHeader(entry_, header);
}

StatusOr<std::string> List::ReadAt(uint64_t pos) {
  if (ListObject* obj = object()) return obj->at(pos);
  std::string value;
  Status s = ks_->GetSub(entry_, Keyspace::SubCf::kData,
                         ListIndexSubKey(ks_->Header(entry_).head + pos), &value);
  if (s.IsNotFound()) return ShortList();
  if (!s.ok()) return s;
  return value;
}

Status List::ReadSpan(uint64_t from, uint64_t n, std::vector<std::string>* out) {
  out->clear();
  out->reserve(n);
  if (ListObject* obj = object()) {
    for (uint64_t i = 0; i < n; ++i) out->push_back(obj->at(from + i));
    return Status::OK();
  }
  if (n <= kMaxPointReads) {
    for (uint64_t i = 0; i < n; ++i) {
      auto v = ReadAt(from + i);
      if (!v.ok()) return v.status();
      out->push_back(std::move(*v));
    }
    return Status::OK();
  }
  auto it = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
  if (!it.ok()) return it.status();
  uint64_t index = ks_->Header(entry_).head + from;
  for ((*it)->Seek(ListIndexSubKey(index)); (*it)->Valid() && out->size() < n;
       (*it)->Next(), ++index) {
    if (DecodeIndex((*it)->sub()) != index) return ShortList();
    out->emplace_back((*it)->value());
  }
  Status s = (*it)->status();
  if (!s.ok()) return s;
  return out->size() == n ? Status::OK() : ShortList();
}

StatusOr<uint64_t> List::Push(End end, const std::vector<std::string_view>& values) {
  if (!entry_) {
    entry_ = ks_->CreateCollection(db_, key_, ValueType::kList);
    entry_->object = std::make_unique<ListObject>();
  }
  CollectionHeader header = ks_->Header(entry_);
  ListObject* obj = object();
  for (std::string_view v : values) {
    if (end == End::kHead) {
      WriteIndex(--header.head, v, /*fresh=*/true);
      if (obj) obj->PushFront(v);
    } else {
      WriteIndex(header.tail++, v, /*fresh=*/true);
      if (obj) obj->PushBack(v);
    }
  }
  header.size += values.size();
  Finish(header);
  return header.size;
}

StatusOr<std::vector<std::string>> List::Pop(End end, uint64_t count) {
  std::vector<std::string> out;
  if (!entry_ || count == 0) return out;
  CollectionHeader header = ks_->Header(entry_);
  const uint64_t n = std::min(count, header.size);
  if (ListObject* obj = object()) {
    out.reserve(n);
    for (uint64_t i = 0; i < n; ++i) {
      out.push_back(end == End::kHead ? obj->PopFront() : obj->PopBack());
    }
  } else {
    Status s = ReadSpan(end == End::kHead ? 0 : header.size - n, n, &out);
    if (!s.ok()) return s;
    if (end == End::kTail) std::reverse(out.begin(), out.end());
  }
  const bool emptied = n == header.size;
  for (uint64_t i = 0; i < n; ++i) {
    // An emptied list is deleted whole by its header; otherwise the popped indexes go.
    if (end == End::kHead) {
      if (!emptied) DeleteIndex(header.head);
      ++header.head;
    } else {
      --header.tail;
      if (!emptied) DeleteIndex(header.tail);
    }
  }
  header.size -= n;
  Finish(header);
  return out;
}

StatusOr<std::optional<std::string>> List::Index(int64_t index) {
  if (!entry_) return std::optional<std::string>();
  auto pos = Normalize(index, size());
  if (!pos) return std::optional<std::string>();
  auto v = ReadAt(*pos);
  if (!v.ok()) return v.status();
  return std::optional<std::string>(std::move(*v));
}

Status List::Set(int64_t index, std::string_view value) {
  const CollectionHeader header = ks_->Header(entry_);
  auto pos = Normalize(index, header.size);
  if (!pos) return Status::InvalidArgument("ERR index out of range");
  if (ListObject* obj = object()) obj->Set(*pos, value);
  WriteIndex(header.head + *pos, value);
  ks_->ObjectChanged(entry_);
  return Status::OK();
}

Status List::Range(int64_t start, int64_t stop, const std::function<void(size_t count)>& begin,
                   const std::function<void(std::string_view element)>& each) {
  const int64_t len = static_cast<int64_t>(size());
  if (start < 0) start += len;
  if (stop < 0) stop += len;
  if (start < 0) start = 0;
  if (start > stop || start >= len) {
    begin(0);
    return Status::OK();
  }
  if (stop >= len) stop = len - 1;
  const uint64_t from = static_cast<uint64_t>(start);
  const uint64_t n = static_cast<uint64_t>(stop - start + 1);
  if (ListObject* obj = object()) {
    begin(n);
    for (uint64_t i = 0; i < n; ++i) each(obj->at(from + i));
    return Status::OK();
  }
  std::vector<std::string> span;
  Status s = ReadSpan(from, n, &span);
  if (!s.ok()) return s;
  begin(n);
  for (const std::string& v : span) each(v);
  return Status::OK();
}

Status List::ForEach(const std::function<void(std::string_view element)>& fn) {
  if (!entry_) return Status::OK();
  if (ListObject* obj = object()) {
    for (const std::string& v : obj->items()) fn(v);
    return Status::OK();
  }
  const CollectionHeader header = ks_->Header(entry_);
  auto it = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
  if (!it.ok()) return it.status();
  uint64_t index = header.head;
  for ((*it)->Seek(ListIndexSubKey(index)); (*it)->Valid() && index < header.tail;
       (*it)->Next(), ++index) {
    fn((*it)->value());
  }
  return (*it)->status();
}

StatusOr<int64_t> List::Insert(bool after, std::string_view pivot, std::string_view value) {
  if (!entry_) return int64_t{0};
  CollectionHeader header = ks_->Header(entry_);
  const uint64_t size = header.size;
  std::optional<uint64_t> found;
  if (ListObject* obj = object()) {
    for (uint64_t i = 0; i < size; ++i) {
      if (obj->at(i) == pivot) {
        found = i;
        break;
      }
    }
  } else {
    auto it = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
    if (!it.ok()) return it.status();
    uint64_t i = 0;
    for ((*it)->Seek(ListIndexSubKey(header.head)); (*it)->Valid() && i < size;
         (*it)->Next(), ++i) {
      if ((*it)->value() == pivot) {
        found = i;
        break;
      }
    }
    Status s = (*it)->status();
    if (!s.ok()) return s;
  }
  if (!found) return int64_t{-1};

  // The new element takes position `at`; the shorter side moves one index outwards.
  const uint64_t at = after ? *found + 1 : *found;
  const bool shift_front = at <= size - at;
  if (ks_->durable()) {
    std::vector<std::string> moved;
    Status s = shift_front ? ReadSpan(0, at, &moved) : ReadSpan(at, size - at, &moved);
    if (!s.ok()) return s;
    if (shift_front) {
      for (uint64_t j = 0; j < at; ++j) WriteIndex(header.head - 1 + j, moved[j]);
    } else {
      for (uint64_t j = size; j-- > at;) WriteIndex(header.head + j + 1, moved[j - at]);
    }
  }
  if (shift_front) {
    --header.head;
  } else {
    ++header.tail;
  }
  WriteIndex(header.head + at, value);
  if (ListObject* obj = object()) obj->Insert(at, value);
  ++header.size;
  Finish(header);
  return static_cast<int64_t>(header.size);
}

StatusOr<int64_t> List::Remove(int64_t count, std::string_view value) {
  if (!entry_) return int64_t{0};
  CollectionHeader header = ks_->Header(entry_);
  const uint64_t size = header.size;
  const bool from_tail = count < 0;
  const uint64_t limit = count == 0  ? std::numeric_limits<uint64_t>::max()
                         : from_tail ? uint64_t{0} - static_cast<uint64_t>(count)
                                     : static_cast<uint64_t>(count);
  std::vector<uint64_t> positions;  // of the matches removed
  if (ListObject* obj = object()) {
    for (uint64_t k = 0; k < size && positions.size() < limit; ++k) {
      uint64_t pos = from_tail ? size - 1 - k : k;
      if (obj->at(pos) == value) positions.push_back(pos);
    }
  } else {
    auto it = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
    if (!it.ok()) return it.status();
    if (from_tail) {
      (*it)->SeekForPrev(ListIndexSubKey(header.tail - 1));
    } else {
      (*it)->Seek(ListIndexSubKey(header.head));
    }
    for (uint64_t k = 0; k < size && positions.size() < limit && (*it)->Valid(); ++k) {
      if ((*it)->value() == value) positions.push_back(DecodeIndex((*it)->sub()) - header.head);
      if (from_tail) {
        (*it)->Prev();
      } else {
        (*it)->Next();
      }
    }
    Status s = (*it)->status();
    if (!s.ok()) return s;
  }
  const uint64_t removed = positions.size();
  if (removed == 0) return int64_t{0};
  if (from_tail) std::reverse(positions.begin(), positions.end());
  header.size -= removed;
  if (header.size == 0) {
    Finish(header);
    return static_cast<int64_t>(removed);
  }

  // Kept elements slide over the removed ones towards whichever end moves fewer of them.
  const uint64_t first = positions.front();
  const uint64_t last = positions.back();
  const bool toward_head = (size - first) <= (last + 1);
  if (ks_->durable()) {
    std::vector<std::string> span;
    if (toward_head) {
      Status s = ReadSpan(first, size - first, &span);
      if (!s.ok()) return s;
      uint64_t w = first;
      size_t next = 0;
      for (uint64_t j = first; j < size; ++j) {
        if (next < positions.size() && positions[next] == j) {
          ++next;
          continue;
        }
        WriteIndex(header.head + w++, span[j - first]);
      }
      for (uint64_t j = header.size; j < size; ++j) DeleteIndex(header.head + j);
    } else {
      Status s = ReadSpan(0, last + 1, &span);
      if (!s.ok()) return s;
      uint64_t w = last;
      size_t next = positions.size();
      for (uint64_t j = last + 1; j-- > 0;) {
        if (next > 0 && positions[next - 1] == j) {
          --next;
          continue;
        }
        WriteIndex(header.head + w--, span[j]);
      }
      for (uint64_t j = 0; j < removed; ++j) DeleteIndex(header.head + j);
    }
  }
  if (toward_head) {
    header.tail -= removed;
  } else {
    header.head += removed;
  }
  if (ListObject* obj = object()) obj->EraseAt(positions);
  Finish(header);
  return static_cast<int64_t>(removed);
}

Status List::Trim(int64_t start, int64_t stop) {
  if (!entry_) return Status::OK();
  CollectionHeader header = ks_->Header(entry_);
  const int64_t len = static_cast<int64_t>(header.size);
  if (start < 0) start += len;
  if (stop < 0) stop += len;
  if (start < 0) start = 0;
  uint64_t front, back;
  if (start > stop || start >= len) {
    front = static_cast<uint64_t>(len);  // everything goes
    back = 0;
  } else {
    if (stop >= len) stop = len - 1;
    front = static_cast<uint64_t>(start);
    back = static_cast<uint64_t>(len - stop - 1);
  }
  if (front + back == 0) return Status::OK();
  header.size -= front + back;
  if (header.size != 0) {
    for (uint64_t i = 0; i < front; ++i) DeleteIndex(header.head + i);
    for (uint64_t i = 1; i <= back; ++i) DeleteIndex(header.tail - i);
    if (ListObject* obj = object()) obj->Trim(front, back);
  }
  header.head += front;
  header.tail -= back;
  Finish(header);
  return Status::OK();
}

StatusOr<std::vector<int64_t>> List::Positions(std::string_view element, int64_t rank,
                                               uint64_t count, uint64_t maxlen) {
  std::vector<int64_t> out;
  if (!entry_) return out;
  const CollectionHeader header = ks_->Header(entry_);
  const bool from_tail = rank < 0;
  // Redis negates a negative rank; INT64_MIN stays negative there and so skips nothing.
  uint64_t skip = rank > 0                                      ? static_cast<uint64_t>(rank) - 1
                  : rank == std::numeric_limits<int64_t>::min() ? 0
                                                                : static_cast<uint64_t>(-rank) - 1;
  const uint64_t scan = maxlen == 0 ? header.size : std::min(maxlen, header.size);
  auto visit = [&](uint64_t pos, std::string_view v) {
    if (v != element) return true;
    if (skip > 0) {
      --skip;
      return true;
    }
    out.push_back(static_cast<int64_t>(pos));
    return count == 0 || out.size() < count;
  };
  if (ListObject* obj = object()) {
    for (uint64_t k = 0; k < scan; ++k) {
      uint64_t pos = from_tail ? header.size - 1 - k : k;
      if (!visit(pos, obj->at(pos))) break;
    }
    return out;
  }
  auto it = ks_->NewSubIterator(entry_, Keyspace::SubCf::kData);
  if (!it.ok()) return it.status();
  if (from_tail) {
    (*it)->SeekForPrev(ListIndexSubKey(header.tail - 1));
  } else {
    (*it)->Seek(ListIndexSubKey(header.head));
  }
  for (uint64_t k = 0; k < scan && (*it)->Valid(); ++k) {
    if (!visit(DecodeIndex((*it)->sub()) - header.head, (*it)->value())) break;
    if (from_tail) {
      (*it)->Prev();
    } else {
      (*it)->Next();
    }
  }
  Status s = (*it)->status();
  if (!s.ok()) return s;
  return out;
}

StatusOr<std::optional<std::string>> List::Move(Keyspace& ks, int db, std::string_view source,
                                                std::string_view destination, End from, End to) {
  auto src = List::Open(ks, db, source, /*for_write=*/true);
  if (!src.ok()) return src.status();
  if (!src->exists()) return std::optional<std::string>();
  if (source == destination) {
    // A one-element list is the same after the move; popping it first would delete the key.
    if (src->size() == 1) return src->Index(0);
    auto popped = src->Pop(from, 1);
    if (!popped.ok()) return popped.status();
    auto pushed = src->Push(to, {(*popped)[0]});
    if (!pushed.ok()) return pushed.status();
    return std::optional<std::string>(std::move((*popped)[0]));
  }
  auto dst = List::Open(ks, db, destination, /*for_write=*/true);
  if (!dst.ok()) return dst.status();
  auto popped = src->Pop(from, 1);
  if (!popped.ok()) return popped.status();
  auto pushed = dst->Push(to, {(*popped)[0]});
  if (!pushed.ok()) return pushed.status();
  return std::optional<std::string>(std::move((*popped)[0]));
}

}  // namespace strata::types

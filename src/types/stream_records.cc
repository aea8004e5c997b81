#include "types/stream_records.h"

#include "common/coding.h"
#include "storage/keyspace.h"
#include "types/stream.h"

namespace strata::types {
namespace {

// Protobuf's wire types that these records use or a later version could: varint, 64-bit,
// length-delimited, 32-bit.
constexpr int kVarint = 0, kFixed64 = 1, kBytes = 2, kFixed32 = 5;

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutTag(std::string* out, uint32_t field, int wire_type) {
  PutVarint(out, (uint64_t{field} << 3) | static_cast<uint64_t>(wire_type));
}

// Reads a protobuf message's fields in order; `fn(field, wire_type, varint, bytes)` gets each
// known wire type's value. Returns false on malformed input.
class WireReader {
 public:
  explicit WireReader(std::string_view in) : in_(in) {}

  template <typename Fn>
  bool ForEach(Fn&& fn) {
    while (!in_.empty()) {
      uint64_t key;
      if (!Varint(&key) || key >> 3 == 0 || key >> 3 > UINT32_MAX) return false;
      const uint32_t field = static_cast<uint32_t>(key >> 3);
      const int wire_type = static_cast<int>(key & 7);
      uint64_t number = 0;
      std::string_view bytes;
      switch (wire_type) {
        case kVarint:
          if (!Varint(&number)) return false;
          break;
        case kFixed64:
        case kFixed32: {
          const size_t n = wire_type == kFixed64 ? 8 : 4;
          if (in_.size() < n) return false;
          in_.remove_prefix(n);  // no such field here yet: skipped
          continue;
        }
        case kBytes: {
          uint64_t len;
          if (!Varint(&len) || len > in_.size()) return false;
          bytes = in_.substr(0, static_cast<size_t>(len));
          in_.remove_prefix(static_cast<size_t>(len));
          break;
        }
        default:  // groups (3, 4) and 6, 7: not in proto3
          return false;
      }
      fn(field, wire_type, number, bytes);
    }
    return true;
  }

 private:
  bool Varint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return false;
      const uint8_t byte = static_cast<uint8_t>(in_.front());
      in_.remove_prefix(1);
      result |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return false;  // more than ten bytes
  }

  std::string_view in_;
};

}  // namespace

std::string EncodeGroupRecord(const GroupRecord& r) {
  std::string out;
  PutTag(&out, 1, kVarint);
  PutVarint(&out, r.last_ms);
  PutTag(&out, 2, kVarint);
  PutVarint(&out, r.last_seq);
  PutTag(&out, 3, kVarint);
  PutVarint(&out, static_cast<uint64_t>(r.entries_read));
  return out;
}

std::string EncodePendingRecord(const PendingRecord& r) {
  std::string out;
  PutTag(&out, 1, kVarint);
  PutVarint(&out, static_cast<uint64_t>(r.delivery_ms));
  PutTag(&out, 2, kVarint);
  PutVarint(&out, r.delivery_count);
  PutTag(&out, 3, kBytes);
  PutVarint(&out, r.consumer.size());
  out.append(r.consumer);
  return out;
}

std::string EncodeConsumerRecord(const ConsumerRecord& r) {
  std::string out;
  PutTag(&out, 1, kVarint);
  PutVarint(&out, static_cast<uint64_t>(r.seen_ms));
  return out;
}

// A field of a known number but another wire type than ours is malformed, as protobuf's own
// parser treats it.
bool DecodeGroupRecord(std::string_view v, GroupRecord* r) {
  *r = GroupRecord();
  bool ok = true;
  bool parsed = WireReader(v).ForEach([&](uint32_t field, int type, uint64_t n, std::string_view) {
    if (field > 3) return;
    if (type != kVarint) ok = false;
    if (field == 1) r->last_ms = n;
    if (field == 2) r->last_seq = n;
    if (field == 3) r->entries_read = static_cast<int64_t>(n);
  });
  return parsed && ok;
}

bool DecodePendingRecord(std::string_view v, PendingRecord* r) {
  *r = PendingRecord();
  bool ok = true;
  bool parsed =
      WireReader(v).ForEach([&](uint32_t field, int type, uint64_t n, std::string_view bytes) {
        if (field > 3) return;
        if (type != (field == 3 ? kBytes : kVarint)) ok = false;
        if (field == 1) r->delivery_ms = static_cast<int64_t>(n);
        if (field == 2) r->delivery_count = n;
        if (field == 3) r->consumer.assign(bytes);
      });
  return parsed && ok;
}

bool DecodeConsumerRecord(std::string_view v, ConsumerRecord* r) {
  *r = ConsumerRecord();
  bool ok = true;
  bool parsed = WireReader(v).ForEach([&](uint32_t field, int type, uint64_t n, std::string_view) {
    if (field > 1) return;
    if (type != kVarint) ok = false;
    r->seen_ms = static_cast<int64_t>(n);
  });
  return parsed && ok;
}

bool DecodeGroupRecordFormat1(std::string_view v, GroupRecord* r) {
  if (v.size() != 24) return false;
  r->last_ms = DecodeFixed64BE(v.data());
  r->last_seq = DecodeFixed64BE(v.data() + 8);
  r->entries_read = static_cast<int64_t>(DecodeFixed64BE(v.data() + 16));
  return true;
}

bool DecodePendingRecordFormat1(std::string_view v, PendingRecord* r) {
  if (v.size() < 16) return false;
  r->delivery_ms = static_cast<int64_t>(DecodeFixed64BE(v.data()));
  r->delivery_count = DecodeFixed64BE(v.data() + 8);
  r->consumer.assign(v.substr(16));
  return true;
}

bool DecodeConsumerRecordFormat1(std::string_view v, ConsumerRecord* r) {
  if (v.size() != 8) return false;
  r->seen_ms = static_cast<int64_t>(DecodeFixed64BE(v.data()));
  return true;
}

Status UpgradeStreamRecordsFromFormat1(storage::Keyspace& ks) {
  std::vector<std::pair<int, std::string>> streams;
  for (int db = 0; db < ks.databases(); ++db) {
    uint64_t cursor = 0;
    do {
      auto page = ks.Scan(db, cursor, 1000, "*", storage::ValueType::kStream);
      if (!page.ok()) return page.status();
      for (std::string& key : page->keys) streams.emplace_back(db, std::move(key));
      cursor = page->next_cursor;
    } while (cursor != 0);
  }
  for (const auto& [db, key] : streams) {
    auto s = Stream::Open(ks, db, key, /*for_write=*/true);
    if (!s.ok()) return s.status();
    if (!s->exists()) continue;
    Status st = s->RewriteGroupRecordsFromFormat1();
    if (!st.ok()) return st;
    s->FinishWrite();
  }
  return Status::OK();
}

}  // namespace strata::types

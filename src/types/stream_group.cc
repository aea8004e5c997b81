// Consumer groups of a stream: the group, consumer and pending-entry records (the layout is
// in stream.h). Every function stages its changes into the command's batch.
#include "common/coding.h"
#include "types/stream.h"
#include "types/stream_records.h"

namespace strata::types {
namespace {

constexpr char kGroupTag = 0x02;
constexpr char kConsumerTag = 0x03;
constexpr char kPelTag = 0x04;
constexpr char kConsumerPelTag = 0x05;

// tag | len(group):u32 | group
std::string GroupPrefix(char tag, std::string_view group) {
  std::string s(1, tag);
  PutFixed32BE(&s, static_cast<uint32_t>(group.size()));
  s.append(group);
  return s;
}

// The first string above every string that starts with `prefix`.
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char last = static_cast<unsigned char>(prefix.back());
    if (last != 0xff) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return std::string(1, '\x7f');  // unreachable for tagged prefixes
}

void PutId(std::string* s, StreamId id) {
  PutFixed64BE(s, id.ms);
  PutFixed64BE(s, id.seq);
}

StreamId IdAt(const char* p) { return {DecodeFixed64BE(p), DecodeFixed64BE(p + 8)}; }

std::string GroupSub(std::string_view group) { return std::string(1, kGroupTag).append(group); }

std::string ConsumerSub(std::string_view group, std::string_view consumer) {
  return GroupPrefix(kConsumerTag, group).append(consumer);
}

std::string PelSub(std::string_view group, StreamId id) {
  std::string s = GroupPrefix(kPelTag, group);
  PutId(&s, id);
  return s;
}

std::string ConsumerPelPrefix(std::string_view group, std::string_view consumer) {
  std::string s = GroupPrefix(kConsumerPelTag, group);
  PutFixed32BE(&s, static_cast<uint32_t>(consumer.size()));
  s.append(consumer);
  return s;
}

std::string ConsumerPelSub(std::string_view group, std::string_view consumer, StreamId id) {
  std::string s = ConsumerPelPrefix(group, consumer);
  PutId(&s, id);
  return s;
}

std::string EncodeGroup(const StreamGroup& g) {
  return EncodeGroupRecord(GroupRecord{g.last_id.ms, g.last_id.seq, g.entries_read});
}

bool DecodeGroup(std::string_view name, std::string_view v, StreamGroup* g) {
  GroupRecord r;
  if (!DecodeGroupRecord(v, &r)) return false;
  g->name.assign(name);
  g->last_id = StreamId{r.last_ms, r.last_seq};
  g->entries_read = r.entries_read;
  return true;
}

std::string EncodePending(const PendingEntry& p) {
  return EncodePendingRecord(PendingRecord{p.delivery_ms, p.delivery_count, p.consumer});
}

bool DecodePending(StreamId id, std::string_view v, PendingEntry* p) {
  PendingRecord r;
  if (!DecodePendingRecord(v, &r)) return false;
  p->id = id;
  p->delivery_ms = r.delivery_ms;
  p->delivery_count = r.delivery_count;
  p->consumer = std::move(r.consumer);
  return true;
}

std::optional<int64_t> DecodeSeenMs(std::string_view v) {
  ConsumerRecord r;
  if (!DecodeConsumerRecord(v, &r)) return std::nullopt;
  return r.seen_ms;
}

Status Corrupt() { return Status::Corruption("bad stream group record"); }

}  // namespace

StatusOr<std::optional<StreamGroup>> Stream::GetGroup(std::string_view group) {
  if (!exists()) return std::optional<StreamGroup>();
  std::string v;
  Status s = GetSub(GroupSub(group), &v);
  if (s.IsNotFound()) return std::optional<StreamGroup>();
  if (!s.ok()) return s;
  StreamGroup g;
  if (!DecodeGroup(group, v, &g)) return Corrupt();
  return std::optional<StreamGroup>(std::move(g));
}

StatusOr<std::vector<StreamGroup>> Stream::Groups() {
  std::vector<StreamGroup> out;
  if (!exists()) return out;
  auto cursor = NewCursor(std::string(1, kGroupTag), std::string(1, kGroupTag + 1));
  if (!cursor.ok()) return cursor.status();
  Cursor& c = **cursor;
  for (c.SeekToFirst(); c.Valid(); c.Next()) {
    StreamGroup g;
    if (!DecodeGroup(c.sub().substr(1), c.value(), &g)) return Corrupt();
    out.push_back(std::move(g));
  }
  Status s = c.status();
  if (!s.ok()) return s;
  return out;
}

void Stream::PutGroup(const StreamGroup& group, bool fresh) {
  PutSub(GroupSub(group.name), EncodeGroup(group));
  if (fresh) AdjustAux(1);
}

Status Stream::DestroyGroup(std::string_view group) {
  std::vector<std::string> doomed;
  for (char tag : {kConsumerTag, kPelTag, kConsumerPelTag}) {
    std::string lo = GroupPrefix(tag, group);
    std::string hi = PrefixEnd(lo);
    auto cursor = NewCursor(std::move(lo), std::move(hi));
    if (!cursor.ok()) return cursor.status();
    for ((*cursor)->SeekToFirst(); (*cursor)->Valid(); (*cursor)->Next()) {
      doomed.emplace_back((*cursor)->sub());
    }
    Status s = (*cursor)->status();
    if (!s.ok()) return s;
  }
  for (const std::string& sub : doomed) DeleteSub(sub);
  DeleteSub(GroupSub(group));
  AdjustAux(-static_cast<int64_t>(doomed.size() + 1));
  return Status::OK();
}

StatusOr<std::optional<StreamConsumer>> Stream::GetConsumer(std::string_view group,
                                                            std::string_view consumer) {
  std::string v;
  Status s = GetSub(ConsumerSub(group, consumer), &v);
  if (s.IsNotFound()) return std::optional<StreamConsumer>();
  if (!s.ok()) return s;
  auto seen = DecodeSeenMs(v);
  if (!seen) return Corrupt();
  return std::optional<StreamConsumer>(StreamConsumer{std::string(consumer), *seen});
}

StatusOr<std::vector<StreamConsumer>> Stream::Consumers(std::string_view group) {
  std::vector<StreamConsumer> out;
  std::string lo = GroupPrefix(kConsumerTag, group);
  const size_t skip = lo.size();
  std::string hi = PrefixEnd(lo);
  auto cursor = NewCursor(std::move(lo), std::move(hi));
  if (!cursor.ok()) return cursor.status();
  Cursor& c = **cursor;
  for (c.SeekToFirst(); c.Valid(); c.Next()) {
    auto seen = DecodeSeenMs(c.value());
    if (!seen) return Corrupt();
    out.push_back(StreamConsumer{std::string(c.sub().substr(skip)), *seen});
  }
  Status s = c.status();
  if (!s.ok()) return s;
  return out;
}

StatusOr<bool> Stream::PutConsumer(std::string_view group, const StreamConsumer& consumer) {
  const std::string sub = ConsumerSub(group, consumer.name);
  std::string v;
  Status found = GetSub(sub, &v);
  if (!found.ok() && !found.IsNotFound()) return found;
  PutSub(sub, EncodeConsumerRecord(ConsumerRecord{consumer.seen_ms}));
  if (found.IsNotFound()) AdjustAux(1);
  return found.IsNotFound();
}

StatusOr<int64_t> Stream::DeleteConsumer(std::string_view group, std::string_view consumer) {
  std::vector<StreamId> ids;
  std::string lo = ConsumerPelPrefix(group, consumer);
  const size_t skip = lo.size();
  std::string hi = PrefixEnd(lo);
  auto cursor = NewCursor(std::move(lo), std::move(hi));
  if (!cursor.ok()) return cursor.status();
  Cursor& c = **cursor;
  for (c.SeekToFirst(); c.Valid(); c.Next()) {
    if (c.sub().size() != skip + 16) return Corrupt();
    ids.push_back(IdAt(c.sub().data() + skip));
  }
  Status s = c.status();
  if (!s.ok()) return s;
  for (const StreamId& id : ids) {
    DeleteSub(PelSub(group, id));
    DeleteSub(ConsumerPelSub(group, consumer, id));
  }
  DeleteSub(ConsumerSub(group, consumer));
  AdjustAux(-static_cast<int64_t>(2 * ids.size() + 1));
  return static_cast<int64_t>(ids.size());
}

StatusOr<std::optional<PendingEntry>> Stream::GetPending(std::string_view group, StreamId id) {
  std::string v;
  Status s = GetSub(PelSub(group, id), &v);
  if (s.IsNotFound()) return std::optional<PendingEntry>();
  if (!s.ok()) return s;
  PendingEntry p;
  if (!DecodePending(id, v, &p)) return Corrupt();
  return std::optional<PendingEntry>(std::move(p));
}

void Stream::PutPending(std::string_view group, const PendingEntry& p,
                        std::optional<std::string_view> previous_owner) {
  PutSub(PelSub(group, p.id), EncodePending(p), /*fresh=*/!previous_owner);
  if (previous_owner && *previous_owner == p.consumer) return;  // the index is unchanged
  if (previous_owner) DeleteSub(ConsumerPelSub(group, *previous_owner, p.id));
  PutSub(ConsumerPelSub(group, p.consumer, p.id), "", /*fresh=*/true);
  if (!previous_owner) AdjustAux(2);
}

void Stream::DeletePending(std::string_view group, StreamId id, std::string_view owner) {
  DeleteSub(PelSub(group, id));
  DeleteSub(ConsumerPelSub(group, owner, id));
  AdjustAux(-2);
}

Status Stream::ScanPending(std::string_view group, const std::string* consumer, StreamId start,
                           StreamId end, const std::function<bool(const PendingEntry&)>& fn) {
  if (!exists() || start > end) return Status::OK();
  std::string prefix = consumer ? ConsumerPelPrefix(group, *consumer) : GroupPrefix(kPelTag, group);
  const size_t skip = prefix.size();
  std::string lo = prefix;
  PutId(&lo, start);
  std::string hi = prefix;
  PutId(&hi, end);
  hi.push_back('\0');
  auto cursor = NewCursor(std::move(lo), std::move(hi));
  if (!cursor.ok()) return cursor.status();
  Cursor& c = **cursor;
  c.SeekToFirst();
  while (c.Valid()) {
    if (c.sub().size() != skip + 16) return Corrupt();
    StreamId id = IdAt(c.sub().data() + skip);
    PendingEntry p;
    if (consumer) {
      c.Next();  // step first: fn may remove the entry under the cursor
      auto found = GetPending(group, id);
      if (!found.ok()) return found.status();
      if (!*found) continue;  // unreachable while the two indexes agree
      p = std::move(**found);
    } else {
      if (!DecodePending(id, c.value(), &p)) return Corrupt();
      c.Next();
    }
    if (!fn(p)) break;
  }
  return c.status();
}

Status Stream::RewriteGroupRecordsFromFormat1() {
  // Read first, then rewrite: the cursors do not promise a snapshot.
  std::vector<std::pair<std::string, std::string>> rewritten;
  for (char tag : {kGroupTag, kConsumerTag, kPelTag}) {
    auto cursor = NewCursor(std::string(1, tag), std::string(1, static_cast<char>(tag + 1)));
    if (!cursor.ok()) return cursor.status();
    Cursor& c = **cursor;
    for (c.SeekToFirst(); c.Valid(); c.Next()) {
      std::string value;
      bool ok = false;
      if (tag == kGroupTag) {
        GroupRecord r;
        ok = DecodeGroupRecordFormat1(c.value(), &r);
        value = EncodeGroupRecord(r);
      } else if (tag == kConsumerTag) {
        ConsumerRecord r;
        ok = DecodeConsumerRecordFormat1(c.value(), &r);
        value = EncodeConsumerRecord(r);
      } else {
        PendingRecord r;
        ok = DecodePendingRecordFormat1(c.value(), &r);
        value = EncodePendingRecord(r);
      }
      if (!ok) return Corrupt();
      rewritten.emplace_back(std::string(c.sub()), std::move(value));
    }
    Status s = c.status();
    if (!s.ok()) return s;
  }
  for (const auto& [sub, value] : rewritten) PutSub(sub, value);
  return Status::OK();
}

}  // namespace strata::types
